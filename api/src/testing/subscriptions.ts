import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

// Real graphql-ws clients over real sockets, for tests of subscriptions against a running server.

export const wsUrlOf = (httpUrl: string) => `${httpUrl.replace(/^http/, 'ws')}/graphql`;

/** A graphql-ws client of the server at `httpUrl` (no retries: a failure is the test's business). */
export function connectClient(httpUrl: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url: wsUrlOf(httpUrl),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
    lazyCloseTimeout: 0,
  });
}

export interface FormattedError {
  message: string;
  extensions?: Record<string, unknown>;
}

/** Everything one subscription received: values of its field, errors, and how it ended. */
export class SubscriptionRecorder<T> {
  readonly values: T[] = [];
  /** Errors from `next` payloads and from an `error` message. */
  readonly errors: FormattedError[] = [];
  /** The close event or exception, if the socket failed. */
  failure: unknown = null;
  completed = false;
  private readonly changed = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(
    client: Client,
    query: string,
    variables: Record<string, unknown>,
    private readonly field: string,
  ) {
    this.unsubscribe = client.subscribe<Record<string, T>>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) this.errors.push(...(result.errors as FormattedError[]));
          const value = result.data?.[this.field];
          if (value !== undefined && value !== null) this.values.push(value);
          this.notify();
        },
        error: (error: unknown) => {
          if (Array.isArray(error)) this.errors.push(...(error as FormattedError[]));
          else this.failure = error;
          this.completed = true;
          this.notify();
        },
        complete: () => {
          this.completed = true;
          this.notify();
        },
      },
    );
  }

  /** Resolves once `condition` holds; fails the test after `deadlineMs` saying what it waited for. */
  until(condition: (recorder: this) => boolean, what: string, deadlineMs = 30_000): Promise<void> {
    if (condition(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition(this)) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `Timed out waiting for ${what}: ${this.values.length} values, errors ${JSON.stringify(this.errors)}, ` +
              `completed ${this.completed}, failure ${String(this.failure)}`,
          ),
        );
      }, deadlineMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.changed.delete(check);
      };
      this.changed.add(check);
    });
  }

  stop(): void {
    this.unsubscribe();
  }

  private notify(): void {
    for (const listener of [...this.changed]) listener();
  }
}

/** Resolves once `probe()` is true, checking every few milliseconds (for server-side state). */
export async function eventually(probe: () => boolean | Promise<boolean>, what: string, deadlineMs = 30_000) {
  const deadline = Date.now() + deadlineMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
