import type { Database } from '../db';
import { readMatchingAuditEvents, type AuditEventFilter, type AuditEventRecord } from './audit-log';
import type { AuditTailer } from './audit-tailer';
import { SubscriberTooSlowError } from './errors';
import { BoundedQueue } from './queues';

// Subscriptions to audit events (taskStatusChanged, workflowStatusChanged). A subscriber with `since`
// first reads the table, page by page as it consumes, up to the tailer's cursor; when a read finds the
// cursor where it left it, it joins the live fan-out in the same tick. The tailer moves its cursor and
// dispatches in one synchronous step, so events <= cursor came from the table and events > cursor come
// live: no gap and no duplicate across the switch. Catch-up is pulled (bounded by one page); live events
// are pushed into a bounded queue, and a subscriber whose queue overflows is ended with
// SUBSCRIBER_TOO_SLOW naming the last id it received, from which it can resume with `since`.

const CATCH_UP_PAGE = 500;

function keyOf(entityType: string, workflowId: number | null): string {
  return `${entityType}|${workflowId ?? '*'}`;
}

export class AuditStream {
  private readonly subscribersByKey = new Map<string, Set<AuditSubscription>>();
  private readonly all = new Set<AuditSubscription>();
  private readonly unlisten: () => void;

  constructor(
    readonly db: Database,
    readonly tailer: AuditTailer,
    private readonly bufferSize: number,
  ) {
    this.unlisten = tailer.onEvents((events) => this.dispatch(events));
  }

  get subscriberCount(): number {
    return this.all.size;
  }

  /** Subscribers past their catch-up, fed by the tailer. */
  get liveCount(): number {
    let count = 0;
    for (const subscribers of this.subscribersByKey.values()) count += subscribers.size;
    return count;
  }

  /**
   * Events matching `filter` in id order: with `since`, every later one (from the table, then live);
   * without, those dispatched from now on.
   */
  subscribe(filter: AuditEventFilter, since: number | null): AsyncIterableIterator<AuditEventRecord> {
    const startAfter = since ?? this.tailer.liveFrom;
    const subscription = new AuditSubscription(this, filter, startAfter, this.bufferSize);
    this.all.add(subscription);
    if (since === null || since >= this.tailer.cursor) this.goLive(subscription);
    return subscription;
  }

  /** Called in the tick in which the subscription found nothing left between its position and the cursor. */
  goLive(subscription: AuditSubscription): void {
    if (subscription.isEnded) return;
    const key = keyOf(subscription.filter.entityType, subscription.filter.workflowId);
    let subscribers = this.subscribersByKey.get(key);
    if (!subscribers) this.subscribersByKey.set(key, (subscribers = new Set()));
    subscribers.add(subscription);
    subscription.live = true;
  }

  remove(subscription: AuditSubscription): void {
    this.all.delete(subscription);
    const key = keyOf(subscription.filter.entityType, subscription.filter.workflowId);
    const subscribers = this.subscribersByKey.get(key);
    if (!subscribers) return;
    subscribers.delete(subscription);
    if (subscribers.size === 0) this.subscribersByKey.delete(key);
  }

  /** Ends every subscription (server stop): clients see their streams complete. */
  close(): void {
    this.unlisten();
    for (const subscription of [...this.all]) subscription.end();
  }

  private dispatch(events: readonly AuditEventRecord[]): void {
    if (this.subscribersByKey.size === 0) return;
    for (const event of events) {
      const exact = this.subscribersByKey.get(keyOf(event.entityType, event.workflowId));
      if (exact) for (const subscription of exact) subscription.offer(event);
      if (event.workflowId === null) continue;
      const everyWorkflow = this.subscribersByKey.get(keyOf(event.entityType, null));
      if (everyWorkflow) for (const subscription of everyWorkflow) subscription.offer(event);
    }
  }
}

class AuditSubscription extends BoundedQueue<AuditEventRecord> {
  /** Events with ids <= this have been queued or handed out (or do not match). */
  private queuedThrough: number;
  /** The last id the consumer took: what an overflow reports. */
  private handedOutThrough: number;
  live = false;

  constructor(
    private readonly stream: AuditStream,
    readonly filter: AuditEventFilter,
    startAfter: number,
    bufferSize: number,
  ) {
    super(bufferSize);
    this.queuedThrough = startAfter;
    this.handedOutThrough = startAfter;
  }

  protected override onEnd(): void {
    this.stream.remove(this);
  }

  /** A live event from the tailer (ids only grow; an id already covered is ignored). */
  offer(event: AuditEventRecord): void {
    if (event.id <= this.queuedThrough || this.isEnded) return;
    this.queuedThrough = event.id;
    if (!this.push(event)) this.fail(new SubscriberTooSlowError(this.handedOutThrough, this.capacity));
  }

  protected override take(): { value: AuditEventRecord } | undefined {
    const taken = super.take();
    if (taken) this.handedOutThrough = taken.value.id;
    return taken;
  }

  protected override pull(): Promise<void> | undefined {
    return this.live ? undefined : this.catchUp();
  }

  /** Reads the next page from the table, or switches to live events when there is none left. */
  private async catchUp(): Promise<void> {
    const { db, tailer } = this.stream;
    for (;;) {
      const through = tailer.cursor;
      if (through <= this.queuedThrough) {
        // Nothing between our position and the cursor: from here on the tailer pushes (same tick).
        this.stream.goLive(this);
        return;
      }
      const rows = await readMatchingAuditEvents(db, this.filter, this.queuedThrough, through, CATCH_UP_PAGE);
      if (this.isEnded) return;
      const complete = rows.length < CATCH_UP_PAGE;
      this.queuedThrough = complete ? through : rows[rows.length - 1]!.id;
      if (rows.length > 0) {
        this.append(rows);
        return;
      }
    }
  }
}
