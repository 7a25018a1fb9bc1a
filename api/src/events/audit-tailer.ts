import type { Database } from '../db';
import { logger } from '../logger';
import {
  maxAuditEventId,
  readAuditEventsAfter,
  waitForAuditWriters,
  type AuditEventRecord,
  type IdRange,
} from './audit-log';

// Each API process follows the audit log itself and hands committed events, in id order, to its local
// subscribers. The table is the source of truth; wake-ups (a local commit, or a message from another
// replica) only say when to look, and a slow poll covers any wake-up that got lost.
//
// Holes. MySQL allocates an AUTO_INCREMENT id at INSERT, not at COMMIT: id 105 may be visible while 104 is
// still in an open transaction, or 104 may never come (its transaction rolled back). Reading `id > last`
// would skip 104 forever, so the tailer never moves past a hole until it knows the hole is final:
//  - it is filled: the next read shows the rows, which are delivered in order;
//  - or no transaction can still commit into it. A locking read of the missing ids waits for exactly the
//    transactions that inserted them (InnoDB holds an implicit lock on an uncommitted row) and returns at
//    once for rolled-back ids. An id is allocated a moment before its row enters the index, so the locking
//    read only vouches for ids below a row that was already visible `settleMs` earlier: such ids were
//    allocated before that row's id, at least `settleMs` ago, and are in the index by then.
//  - or, as a last resort against a transaction left open for minutes, `maxHoleWaitMs` has passed: the
//    tailer moves on with a warning (a late row is still in the table for a resume with `since`).
// SQLite commits one writer at a time and allocates ids inside the write lock, so a hole there is never
// pending (only a deleted row); the same code runs with no settling and no locking read.

export interface AuditTailerOptions {
  /** Fallback poll interval: reads happen at least this often without a wake-up. */
  pollIntervalMs: number;
  /** How long a visible row must have been seen before the holes below it may be declared final. */
  settleMs?: number;
  /** Seconds one locking read may wait for the writers of a hole before the tailer reads again. */
  lockWaitSeconds?: number;
  /** The longest the tailer waits for one hole before moving past it. */
  maxHoleWaitMs?: number;
  /** Rows read per statement. */
  batchSize?: number;
  /** On start, recent ids re-examined so that transactions open at startup are not skipped. */
  startupLookback?: number;
}

export type AuditEventsListener = (events: readonly AuditEventRecord[]) => void;

/** Where committed events come from, in id order (the tailer; a stand-in in unit tests). */
export interface AuditEventSource {
  onEvents(listener: AuditEventsListener): () => void;
}

const DEFAULTS = {
  settleMs: 200,
  lockWaitSeconds: 1,
  maxHoleWaitMs: 60_000,
  batchSize: 1000,
  startupLookback: 1000,
};

/** Most holes named in one locking read; the rest wait for the next round. */
const MAX_RANGES_PER_LOCKING_READ = 100;

export class AuditTailer implements AuditEventSource {
  /** Every id <= cursor has been dispatched or is known never to commit. */
  private cursorId = 0;
  /** The newest id when the tailer started: events up to it are history, not news. */
  private startHeadId = 0;
  /** Ids <= this are final: a hole below it that a read still shows will never be filled. */
  private finalThroughId = 0;
  /** The highest id each read saw, with when it was first seen (both increasing). */
  private sightings: { id: number; at: number }[] = [];
  /** The hole the tailer is waiting on, and since when. */
  private waitingOn: { firstId: number; since: number } | null = null;
  private readonly listeners = new Set<AuditEventsListener>();
  private readonly options: Required<AuditTailerOptions>;
  private readonly holesCanBePending: boolean;
  private running: Promise<void> | null = null;
  private rerun = false;
  private stopped = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private settleTimer: NodeJS.Timeout | null = null;
  /** How often a read stopped at a hole that could still fill (MySQL commits out of id order). */
  holesMet = 0;

  constructor(
    private readonly db: Database,
    options: AuditTailerOptions,
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.holesCanBePending = db.dialect === 'mysql';
  }

  /** The id up to which events have been dispatched (in id order, without holes that may still fill). */
  get cursor(): number {
    return this.cursorId;
  }

  /** The first id of the hole the tailer is waiting on, if any. */
  get waitingForId(): number | null {
    return this.waitingOn?.firstId ?? null;
  }

  /**
   * Where a subscriber without `since` starts: after everything dispatched and everything older than this
   * process (so a fresh process does not replay its lookback). The one loose end: a transaction already
   * open when the process started that commits a lower id later reaches only subscribers with `since`.
   */
  get liveFrom(): number {
    return Math.max(this.cursorId, this.startHeadId);
  }

  onEvents(listener: AuditEventsListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    this.startHeadId = await maxAuditEventId(this.db);
    this.cursorId = Math.max(0, this.startHeadId - this.options.startupLookback);
    this.finalThroughId = this.cursorId;
    this.pollTimer = setInterval(() => this.wake(), this.options.pollIntervalMs);
    this.pollTimer.unref();
    this.wake();
  }

  /** Something may have committed: read the log soon. Calls while a read runs coalesce into one more. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = this.runUntilQuiet().finally(() => (this.running = null));
  }

  /** Resolves once every event committed before the call has been dispatched (tests and benchmarks). */
  async caughtUp(): Promise<void> {
    const head = await maxAuditEventId(this.db);
    while (!this.stopped && this.cursorId < head) {
      this.wake();
      await this.running;
      if (this.cursorId < head) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    await this.running;
    this.listeners.clear();
  }

  private async runUntilQuiet(): Promise<void> {
    do {
      this.rerun = false;
      try {
        await this.readCommitted();
      } catch (error) {
        // The next wake-up or poll tries again; nothing has been skipped.
        logger.error({ err: error }, 'reading the audit log for subscriptions failed');
        return;
      }
    } while (this.rerun && !this.stopped);
  }

  private async readCommitted(): Promise<void> {
    while (!this.stopped) {
      const rows = await readAuditEventsAfter(this.db, this.cursorId, this.options.batchSize);
      const now = Date.now();
      const last = rows[rows.length - 1];
      if (last) this.sighted(last.id, now);
      const blocked = this.dispatchInOrder(rows);
      if (!blocked) {
        this.waitingOn = null;
        if (rows.length < this.options.batchSize) return;
        continue;
      }
      // Stuck at a hole: cursor + 1 … blocked.id - 1.
      const firstMissing = this.cursorId + 1;
      if (this.waitingOn?.firstId !== firstMissing) {
        this.waitingOn = { firstId: firstMissing, since: now };
        this.holesMet += 1;
      }
      if (now - this.waitingOn.since >= this.options.maxHoleWaitMs) {
        logger.warn(
          { firstId: firstMissing, lastId: blocked.id - 1, waitedMs: now - this.waitingOn.since },
          'audit ids did not commit in time; subscriptions move on without them',
        );
        this.finalThroughId = Math.max(this.finalThroughId, blocked.id - 1);
        continue;
      }
      const vouchable = this.seenBefore(now - this.options.settleMs);
      if (vouchable < blocked.id) {
        // Too fresh to vouch for: look again once the row after the hole has been visible long enough.
        const seen = this.sightings.find((s) => s.id >= blocked.id);
        this.wakeAt((seen?.at ?? now) + this.options.settleMs);
        return;
      }
      const holes = holesBetween(this.cursorId, rows, vouchable);
      const settled = await waitForAuditWriters(this.db, holes.ranges, this.options.lockWaitSeconds);
      if (settled) this.finalThroughId = Math.max(this.finalThroughId, holes.throughId);
    }
  }

  /**
   * Dispatches the rows that follow the cursor without a hole that may still fill (synchronously with
   * moving the cursor, so a subscriber switching to live events in another tick sees both or neither).
   * Returns the first row held back behind a hole, if any.
   */
  private dispatchInOrder(rows: readonly AuditEventRecord[]): AuditEventRecord | undefined {
    let count = 0;
    let blocked: AuditEventRecord | undefined;
    for (const row of rows) {
      if (row.id <= this.cursorId) continue;
      const holeIsFinal = !this.holesCanBePending || row.id - 1 <= this.finalThroughId;
      if (row.id !== this.cursorId + 1 && !holeIsFinal) {
        blocked = row;
        break;
      }
      this.cursorId = row.id;
      count += 1;
    }
    if (count > 0) {
      const ready = count === rows.length ? rows : rows.slice(0, count);
      for (const listener of this.listeners) {
        try {
          listener(ready);
        } catch (error) {
          logger.error({ err: error }, 'an audit event listener failed');
        }
      }
    }
    return blocked;
  }

  private sighted(id: number, at: number): void {
    const latest = this.sightings[this.sightings.length - 1];
    if (!latest || latest.id < id) this.sightings.push({ id, at });
    // Of the sightings old enough to vouch, only the newest matters.
    let drop = 0;
    while (drop + 1 < this.sightings.length && this.sightings[drop + 1]!.at <= at - this.options.settleMs)
      drop += 1;
    if (drop > 0) this.sightings.splice(0, drop);
  }

  /** The highest id some read saw at or before `time` (0 if none). */
  private seenBefore(time: number): number {
    let id = 0;
    for (const sighting of this.sightings) {
      if (sighting.at > time) break;
      id = sighting.id;
    }
    return id;
  }

  private wakeAt(time: number): void {
    if (this.settleTimer) return;
    this.settleTimer = setTimeout(
      () => {
        this.settleTimer = null;
        this.wake();
      },
      Math.max(1, time - Date.now()),
    );
    this.settleTimer.unref();
  }
}

/** The missing ids in (afterId, throughId] given the rows a read returned there (ids increasing). */
function holesBetween(
  afterId: number,
  rows: readonly AuditEventRecord[],
  throughId: number,
): { ranges: IdRange[]; throughId: number } {
  const ranges: IdRange[] = [];
  let previous = afterId;
  for (const row of rows) {
    if (row.id > throughId) break;
    if (row.id > previous + 1) {
      if (ranges.length === MAX_RANGES_PER_LOCKING_READ) return { ranges, throughId: previous };
      ranges.push({ first: previous + 1, last: row.id - 1 });
    }
    previous = row.id;
  }
  return { ranges, throughId: previous };
}
