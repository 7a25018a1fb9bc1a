import type { Database } from '../db';
import { readStatusCounts, readWorkflows } from '../db/ops/reads';
import { EntityType, WorkflowStatus } from '../domain';
import { logger } from '../logger';
import { toStatusCounts, type StatusCounts } from '../services/status-counts';
import type { AuditEventRecord } from './audit-log';
import type { AuditEventSource } from './audit-tailer';
import { LatestValueQueue } from './queues';

// workflowProgress: snapshots of a workflow's task counts, shared by all its subscribers. Events only
// mark a watched workflow dirty; one read per interval (two statements) covers every dirty workflow, so
// the cost follows the number of watched workflows and the interval, not the number of subscribers or the
// rate of changes. Each snapshot is read after the events that dirtied it were committed, so the last one
// always shows the final state (`final` once the workflow is DONE, FAILED or HALTED).

export interface WorkflowProgressSnapshot {
  workflowId: number;
  status: WorkflowStatus;
  statusCounts: StatusCounts;
  /** The workflow has reached a terminal status: these counts are final (unless it is resumed). */
  final: boolean;
  at: Date;
}

const FINAL_STATUSES: ReadonlySet<string> = new Set([
  WorkflowStatus.DONE,
  WorkflowStatus.FAILED,
  WorkflowStatus.HALTED,
]);

interface WatchedWorkflow {
  subscribers: Set<LatestValueQueue<WorkflowProgressSnapshot>>;
  /** Subscribers that have not received `latest` yet. */
  waiting: Set<LatestValueQueue<WorkflowProgressSnapshot>>;
  latest: WorkflowProgressSnapshot | null;
  dirty: boolean;
}

export class WorkflowProgressFeed {
  private readonly watched = new Map<number, WatchedWorkflow>();
  private readonly unlisten: () => void;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private lastReadAt = 0;
  /** How long the last read took. */
  private lastReadMs = 0;
  private closed = false;
  /** Snapshot reads so far (each serves every subscriber of every workflow it reads). */
  readCount = 0;

  constructor(
    private readonly db: Database,
    tailer: AuditEventSource,
    private readonly intervalMs: number,
  ) {
    this.unlisten = tailer.onEvents((events) => this.onEvents(events));
  }

  get subscriberCount(): number {
    let count = 0;
    for (const entry of this.watched.values()) count += entry.subscribers.size;
    return count;
  }

  /** Snapshots of `workflowId` (which the caller has checked exists): the current one first. */
  subscribe(workflowId: number): AsyncIterableIterator<WorkflowProgressSnapshot> {
    let entry = this.watched.get(workflowId);
    if (!entry) {
      entry = { subscribers: new Set(), waiting: new Set(), latest: null, dirty: true };
      this.watched.set(workflowId, entry);
    }
    const watched = entry;
    const queue = new LatestValueQueue<WorkflowProgressSnapshot>(() =>
      this.leave(workflowId, watched, queue),
    );
    watched.subscribers.add(queue);
    if (watched.latest && !watched.dirty) queue.push(watched.latest);
    else {
      watched.waiting.add(queue);
      watched.dirty = true;
      this.schedule();
    }
    return queue;
  }

  close(): void {
    this.closed = true;
    this.unlisten();
    if (this.timer) clearTimeout(this.timer);
    for (const entry of [...this.watched.values()]) for (const queue of [...entry.subscribers]) queue.end();
  }

  private leave(
    workflowId: number,
    entry: WatchedWorkflow,
    queue: LatestValueQueue<WorkflowProgressSnapshot>,
  ): void {
    entry.subscribers.delete(queue);
    entry.waiting.delete(queue);
    if (entry.subscribers.size === 0 && this.watched.get(workflowId) === entry)
      this.watched.delete(workflowId);
  }

  private onEvents(events: readonly AuditEventRecord[]): void {
    if (this.watched.size === 0) return;
    let marked = false;
    for (const event of events) {
      if (event.workflowId === null) continue;
      if (event.entityType !== EntityType.TASK && event.entityType !== EntityType.WORKFLOW) continue;
      const entry = this.watched.get(event.workflowId);
      if (entry && !entry.dirty) {
        entry.dirty = true;
        marked = true;
      }
    }
    if (marked) this.schedule();
  }

  /**
   * At most one read per interval, and reads busy the database a fifth of the time at most (counting a
   * workflow of a million tasks takes a while); a read in progress reschedules itself when it finds more.
   */
  private schedule(): void {
    if (this.timer || this.reading || this.closed) return;
    const spacing = Math.max(this.intervalMs, 4 * this.lastReadMs);
    const delay = Math.max(0, this.lastReadAt + spacing - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.reading = this.readDirty().finally(() => {
        this.reading = null;
        if ([...this.watched.values()].some((entry) => entry.dirty)) this.schedule();
      });
    }, delay);
    this.timer.unref();
  }

  private async readDirty(): Promise<void> {
    const ids: number[] = [];
    for (const [workflowId, entry] of this.watched) {
      if (!entry.dirty) continue;
      entry.dirty = false;
      ids.push(workflowId);
    }
    if (ids.length === 0 || this.closed) return;
    this.lastReadAt = Date.now();
    this.readCount += 1;
    let counts: Awaited<ReturnType<typeof readStatusCounts>>;
    let workflows: Awaited<ReturnType<typeof readWorkflows>>;
    try {
      [counts, workflows] = await Promise.all([readStatusCounts(this.db, ids), readWorkflows(this.db, ids)]);
      this.lastReadMs = Date.now() - this.lastReadAt;
    } catch (error) {
      logger.error({ err: error, workflowIds: ids }, 'reading workflow progress failed');
      for (const id of ids) {
        const entry = this.watched.get(id);
        if (entry) entry.dirty = true;
      }
      return;
    }
    const at = new Date();
    const statusById = new Map(
      workflows.map((workflow) => [Number(workflow.id), workflow.status as WorkflowStatus]),
    );
    for (const workflowId of ids) {
      const entry = this.watched.get(workflowId);
      const status = statusById.get(workflowId);
      if (!entry || status === undefined) continue;
      const snapshot: WorkflowProgressSnapshot = {
        workflowId,
        status,
        statusCounts: toStatusCounts(counts.filter((row) => row.groupId === workflowId)),
        final: FINAL_STATUSES.has(status),
        at,
      };
      // An unchanged snapshot goes only to the subscribers that have none yet.
      const changed = !entry.latest || !sameProgress(entry.latest, snapshot);
      entry.latest = snapshot;
      for (const queue of changed ? entry.subscribers : entry.waiting) queue.push(snapshot);
      entry.waiting.clear();
    }
  }
}

function sameProgress(a: WorkflowProgressSnapshot, b: WorkflowProgressSnapshot): boolean {
  return (
    a.status === b.status &&
    a.statusCounts.byStatus.every((c, i) => c.count === b.statusCounts.byStatus[i]!.count)
  );
}
