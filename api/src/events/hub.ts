import type { Transaction } from 'sequelize';
import type { Database } from '../db';
import { logger } from '../logger';
import type { AuditEventFilter, AuditEventRecord } from './audit-log';
import { AuditStream } from './audit-stream';
import { AuditTailer, type AuditTailerOptions } from './audit-tailer';
import { InProcessEventBus, type BusMessage, type EventBus } from './bus';
import { WorkflowProgressFeed, type WorkflowProgressSnapshot } from './progress';
import { RedisEventBus } from './redis-bus';
import { WorkQueuedFeed, WorkQueuedReason, type WorkQueuedSignal } from './work-queued';

// One per API process and database: the tailer of the audit log, the feeds subscriptions read from, and
// the bus that wakes the tailers of the other replicas when this process commits audit rows. The server's
// composition root (server.ts) starts it, tells it of this process's commits (auditCommitted) and hands it
// to resolvers on the GraphQL context.

export interface EventHubOptions {
  /** Redis URL for several API replicas; null: the in-process bus. */
  redisUrl?: string | null;
  redisChannel?: string;
  /** Live events one subscriber may have waiting before it is ended as too slow. */
  subscriptionBufferSize: number;
  /** Fallback poll of the audit log. */
  pollIntervalMs: number;
  /** Least time between two progress snapshots of a workflow. */
  progressIntervalMs?: number;
  /** Least time between two wake-ups of one distributor. */
  workQueuedIntervalMs?: number;
  tailer?: Partial<Omit<AuditTailerOptions, 'pollIntervalMs'>>;
}

const DEFAULT_PROGRESS_INTERVAL_MS = 250;
const DEFAULT_WORK_QUEUED_INTERVAL_MS = 100;

export class EventHub {
  private readonly unlistenBus: () => void;
  private auditWakeScheduled = false;
  private stopped = false;

  private constructor(
    readonly db: Database,
    private readonly bus: EventBus,
    readonly tailer: AuditTailer,
    readonly audit: AuditStream,
    readonly progress: WorkflowProgressFeed,
    readonly workQueued: WorkQueuedFeed,
  ) {
    this.unlistenBus = bus.onMessage((message) => this.received(message));
  }

  /** Starts following the audit log of `db`. */
  static async start(db: Database, options: EventHubOptions): Promise<EventHub> {
    const onBusError = (error: unknown) => logger.error({ err: error }, 'event bus handler failed');
    const bus: EventBus = options.redisUrl
      ? await RedisEventBus.connect(options.redisUrl, options.redisChannel ?? 'jobmon:events')
      : new InProcessEventBus(onBusError);
    const tailer = new AuditTailer(db, { ...options.tailer, pollIntervalMs: options.pollIntervalMs });
    const hub = new EventHub(
      db,
      bus,
      tailer,
      new AuditStream(db, tailer, options.subscriptionBufferSize),
      new WorkflowProgressFeed(db, tailer, options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS),
      new WorkQueuedFeed(tailer, options.workQueuedIntervalMs ?? DEFAULT_WORK_QUEUED_INTERVAL_MS),
    );
    try {
      await tailer.start();
    } catch (error) {
      await hub.stop();
      throw error;
    }
    return hub;
  }

  get subscriberCount(): number {
    return this.audit.subscriberCount + this.progress.subscriberCount + this.workQueued.subscriberCount;
  }

  auditEvents(filter: AuditEventFilter, since: number | null): AsyncIterableIterator<AuditEventRecord> {
    return this.audit.subscribe(filter, since);
  }

  workflowProgress(workflowId: number): AsyncIterableIterator<WorkflowProgressSnapshot> {
    return this.progress.subscribe(workflowId);
  }

  workQueuedFor(distributorId: string): AsyncIterableIterator<WorkQueuedSignal> {
    return this.workQueued.subscribe(distributorId);
  }

  /**
   * Tasks QUEUED by a report whose transaction also claimed for `distributorId`: that claim saw them, so
   * their QUEUED events wake the other distributors only (a wake-up would send it a claim that finds its
   * limit full). Known to this replica only: another one's feed wakes it as before.
   */
  queuedWithClaim(distributorId: string | number, taskIds: readonly number[]): void {
    this.workQueued.queuedWithClaim(String(distributorId), taskIds);
  }

  publish(message: BusMessage): void {
    if (!this.stopped) this.bus.publish(message);
  }

  /**
   * Wakes distributors (all of them, or one) on every API replica: for work that becomes claimable without
   * a status change, such as a raised concurrency limit. Status changes to QUEUED wake them already. Given a
   * transaction, the signal goes out once it has committed.
   */
  signalWorkQueued(
    options: { distributorId?: string | number | null; transaction?: Transaction } = {},
  ): void {
    const distributorId =
      options.distributorId === undefined || options.distributorId === null
        ? null
        : String(options.distributorId);
    const send = () => this.publish({ type: 'work-queued', distributorId });
    if (options.transaction) options.transaction.afterCommit(send);
    else send();
  }

  /** Ends every subscription and stops reading the log; clients see their streams complete. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unlistenBus();
    this.audit.close();
    this.progress.close();
    this.workQueued.close();
    await this.tailer.stop();
    await this.bus.close();
  }

  /** This process committed audit rows. Commits in one tick share one wake-up message. */
  auditCommitted(): void {
    if (this.auditWakeScheduled || this.stopped) return;
    this.auditWakeScheduled = true;
    setImmediate(() => {
      this.auditWakeScheduled = false;
      this.publish({ type: 'audit-committed' });
    });
  }

  private received(message: BusMessage): void {
    if (this.stopped) return;
    if (message.type === 'audit-committed') this.tailer.wake();
    else this.workQueued.wake(message.distributorId, WorkQueuedReason.SIGNALLED);
  }
}
