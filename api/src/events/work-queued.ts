import { EntityType, TaskInstanceStatus, TaskStatus, WorkflowRunStatus } from '../domain';
import type { AuditEventRecord } from './audit-log';
import type { AuditEventSource } from './audit-tailer';
import { LatestValueQueue } from './queues';

// workQueued(distributorId): wake-ups for distributors. The claim stays the source of truth (and a
// distributor's slow poll covers a missed wake-up), so a wake-up only says "claim now": signals are
// coalesced per subscriber to at most one per interval, the first one at once.

export const WorkQueuedReason = {
  /** Tasks became QUEUED. */
  TASKS_QUEUED: 'TASKS_QUEUED',
  /** A workflow run was bound: its first tasks are ready. */
  RUN_BOUND: 'RUN_BOUND',
  /** The server said so (e.g. a concurrency limit was raised). */
  SIGNALLED: 'SIGNALLED',
  /** Instances were asked to die (stop, cold resume, fail fast): their distributor should heartbeat now. */
  KILL_REQUESTED: 'KILL_REQUESTED',
} as const;
export type WorkQueuedReason = (typeof WorkQueuedReason)[keyof typeof WorkQueuedReason];

export interface WorkQueuedSignal {
  at: Date;
  reason: WorkQueuedReason;
}

class DistributorWakeups extends LatestValueQueue<WorkQueuedSignal> {
  private lastSentAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private pendingReason: WorkQueuedReason | null = null;

  constructor(
    readonly distributorId: string,
    private readonly minIntervalMs: number,
    private readonly feed: WorkQueuedFeed,
  ) {
    super();
  }

  protected override onEnd(): void {
    if (this.timer) clearTimeout(this.timer);
    this.feed.remove(this);
  }

  wake(reason: WorkQueuedReason): void {
    if (this.isEnded) return;
    // A kill request outranks other reasons coalesced with it: it asks for a heartbeat, not only a claim.
    if (this.pendingReason !== WorkQueuedReason.KILL_REQUESTED) this.pendingReason = reason;
    if (this.timer) return;
    const wait = this.lastSentAt + this.minIntervalMs - Date.now();
    if (wait <= 0) {
      this.send();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.send();
    }, wait);
    this.timer.unref();
  }

  private send(): void {
    if (this.pendingReason === null) return;
    this.lastSentAt = Date.now();
    this.push({ at: new Date(this.lastSentAt), reason: this.pendingReason });
    this.pendingReason = null;
  }
}

/** How long a note of `queuedWithClaim` waits for its task's QUEUED event (then it is dropped). */
const CLAIMED_NOTE_MS = 60_000;

export class WorkQueuedFeed {
  private readonly subscribers = new Set<DistributorWakeups>();
  private readonly unlisten: () => void;
  /** Task id → the distributor whose claim saw it QUEUED (see `queuedWithClaim`), and when noted. */
  private readonly claimedAlongside = new Map<number, { distributorId: string; at: number }>();

  constructor(
    tailer: AuditEventSource,
    private readonly minIntervalMs: number,
  ) {
    this.unlisten = tailer.onEvents((events) => this.onEvents(events));
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  subscribe(distributorId: string): AsyncIterableIterator<WorkQueuedSignal> {
    const wakeups = new DistributorWakeups(distributorId, this.minIntervalMs, this);
    this.subscribers.add(wakeups);
    return wakeups;
  }

  /** Wakes `distributorId`, or every distributor (null). */
  wake(distributorId: string | null, reason: WorkQueuedReason): void {
    for (const subscriber of this.subscribers)
      if (distributorId === null || subscriber.distributorId === distributorId) subscriber.wake(reason);
  }

  /**
   * These tasks were QUEUED by a transaction that also claimed for `distributorId`: their QUEUED events
   * do not wake it (they still wake every other distributor).
   */
  queuedWithClaim(distributorId: string, taskIds: readonly number[]): void {
    if (this.subscribers.size === 0) return;
    const now = Date.now();
    // Notes whose event never came (no subscriber then, a rolled-back retry): oldest first, in insertion order.
    for (const [taskId, note] of this.claimedAlongside) {
      if (now - note.at < CLAIMED_NOTE_MS) break;
      this.claimedAlongside.delete(taskId);
    }
    for (const taskId of taskIds) {
      this.claimedAlongside.delete(taskId);
      this.claimedAlongside.set(taskId, { distributorId, at: now });
    }
  }

  remove(subscriber: DistributorWakeups): void {
    this.subscribers.delete(subscriber);
  }

  close(): void {
    this.unlisten();
    for (const subscriber of [...this.subscribers]) subscriber.end();
  }

  /**
   * Work derived from the audit log: a task that became QUEUED, a run that became BOUND; and instances
   * asked to die (KILL_SELF), so that a stop reaches the processes without waiting for a heartbeat.
   */
  private onEvents(events: readonly AuditEventRecord[]): void {
    if (this.subscribers.size === 0) return;
    let reason: WorkQueuedReason | null = null;
    // Distributors whose own claims saw some of the tasks queued here (see queuedWithClaim).
    const claimers = new Set<string>();
    for (const event of events) {
      if (event.entityType === EntityType.TASK_INSTANCE && event.toStatus === TaskInstanceStatus.KILL_SELF) {
        reason = WorkQueuedReason.KILL_REQUESTED;
        break;
      }
      if (event.entityType === EntityType.TASK && event.toStatus === TaskStatus.QUEUED) {
        const note = this.claimedAlongside.get(event.entityId);
        if (note) {
          this.claimedAlongside.delete(event.entityId);
          claimers.add(note.distributorId);
        } else reason = WorkQueuedReason.TASKS_QUEUED;
        continue;
      }
      if (event.entityType === EntityType.WORKFLOW_RUN && event.toStatus === WorkflowRunStatus.BOUND)
        reason ??= WorkQueuedReason.RUN_BOUND;
    }
    if (reason) this.wake(null, reason);
    else if (claimers.size > 0)
      // Each distributor but the one claimer: the others' tasks are work for it.
      for (const subscriber of this.subscribers)
        if (claimers.size > 1 || !claimers.has(subscriber.distributorId))
          subscriber.wake(WorkQueuedReason.TASKS_QUEUED);
  }
}
