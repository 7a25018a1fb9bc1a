// What API processes tell each other. The bus carries wake-ups only, never the events themselves: each
// process reads committed events from the audit log (the source of truth, in id order), so a lost or
// duplicated message costs at most a delay until the next poll, never a lost or repeated event, and a
// `since` resume works the same on every replica.

export type BusMessage =
  /** A transaction that wrote audit rows committed: read the log. */
  | { type: 'audit-committed' }
  /** Work may be claimable without a status change (e.g. a limit was raised): wake distributors. */
  | { type: 'work-queued'; distributorId: string | null };

export type BusHandler = (message: BusMessage) => void;

export interface EventBus {
  /** Delivers `message` to the handlers of every API process sharing the bus, this one's included. */
  publish(message: BusMessage): void;
  onMessage(handler: BusHandler): () => void;
  close(): Promise<void>;
}

/** Handlers of this process, called after the publisher's tick (a handler never runs inside a commit). */
export class LocalHandlers {
  private readonly handlers = new Set<BusHandler>();

  add(handler: BusHandler): () => void {
    this.handlers.add(handler);
    return () => void this.handlers.delete(handler);
  }

  deliver(message: BusMessage, onError: (error: unknown) => void): void {
    queueMicrotask(() => {
      for (const handler of this.handlers) {
        try {
          handler(message);
        } catch (error) {
          onError(error);
        }
      }
    });
  }

  clear(): void {
    this.handlers.clear();
  }
}

/** The default: one API process, nothing to share. */
export class InProcessEventBus implements EventBus {
  private readonly local = new LocalHandlers();

  constructor(private readonly onError: (error: unknown) => void = () => undefined) {}

  publish(message: BusMessage): void {
    this.local.deliver(message, this.onError);
  }

  onMessage(handler: BusHandler): () => void {
    return this.local.add(handler);
  }

  async close(): Promise<void> {
    this.local.clear();
  }
}

/** Parses a message from another process; anything unexpected is dropped. */
export function parseBusMessage(value: unknown): BusMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const message = value as Record<string, unknown>;
  if (message.type === 'audit-committed') return { type: 'audit-committed' };
  if (message.type === 'work-queued') {
    const distributorId = message.distributorId;
    if (distributorId === null || distributorId === undefined)
      return { type: 'work-queued', distributorId: null };
    if (typeof distributorId === 'string') return { type: 'work-queued', distributorId };
  }
  return null;
}
