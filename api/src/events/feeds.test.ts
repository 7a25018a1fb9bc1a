import { EntityType } from '../domain';
import { tokenOf } from '../graphql/subscriptions/ws-server';
import type { AuditEventRecord } from './audit-log';
import type { AuditEventSource, AuditEventsListener } from './audit-tailer';
import { parseBusMessage } from './bus';
import { BoundedQueue, LatestValueQueue } from './queues';
import { WorkQueuedFeed, type WorkQueuedSignal } from './work-queued';

// The pieces under the subscriptions that need no server: the bounded iterators, the coalescing of
// distributor wake-ups (on fake timers), the token of a connection_init payload and bus message parsing.

class FakeSource implements AuditEventSource {
  private readonly listeners = new Set<AuditEventsListener>();
  private nextId = 1;

  onEvents(listener: AuditEventsListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  emit(...changes: [EntityType, string][]): void {
    const events = changes.map(([entityType, toStatus]): AuditEventRecord => ({
      id: this.nextId++,
      at: new Date(),
      entityType,
      entityId: 1,
      workflowId: 1,
      fromStatus: null,
      toStatus,
      reason: null,
      actor: null,
    }));
    for (const listener of this.listeners) listener(events);
  }

  /** One batch of tasks becoming QUEUED. */
  emitQueued(...taskIds: number[]): void {
    const events = taskIds.map((taskId): AuditEventRecord => ({
      id: this.nextId++,
      at: new Date(),
      entityType: EntityType.TASK,
      entityId: taskId,
      workflowId: 1,
      fromStatus: 'REGISTERING',
      toStatus: 'QUEUED',
      reason: null,
      actor: null,
    }));
    for (const listener of this.listeners) listener(events);
  }
}

/** Collects what an iterator yields, as a consumer that is always ready. */
function consume<T>(iterator: AsyncIterableIterator<T>): { values: T[]; done: Promise<void> } {
  const values: T[] = [];
  const done = (async () => {
    for await (const value of iterator) values.push(value);
  })();
  return { values, done };
}

describe('BoundedQueue', () => {
  it('hands values out in order and refuses a push beyond its capacity', async () => {
    const queue = new BoundedQueue<number>(2);
    expect(queue.push(1)).toBe(true);
    expect(queue.push(2)).toBe(true);
    expect(queue.push(3)).toBe(false);
    expect(await queue.next()).toEqual({ value: 1, done: false });
    expect(queue.push(3)).toBe(true);
    expect(await queue.next()).toEqual({ value: 2, done: false });
    expect(await queue.next()).toEqual({ value: 3, done: false });
  });

  it('wakes a waiting consumer; end() lets it finish what is queued, fail() drops it and rejects', async () => {
    const ended: string[] = [];
    const queue = new BoundedQueue<string>(10, () => ended.push('ended'));
    const waiting = queue.next();
    queue.push('a');
    expect(await waiting).toEqual({ value: 'a', done: false });
    queue.push('b');
    queue.end();
    expect(await queue.next()).toEqual({ value: 'b', done: false });
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(ended).toEqual(['ended']);

    const failing = new BoundedQueue<string>(10);
    failing.push('dropped');
    failing.fail(new Error('too slow'));
    await expect(failing.next()).rejects.toThrow('too slow');
    expect(await failing.next()).toEqual({ value: undefined, done: true });
  });

  it('return() (the client went away) ends a pending next() and runs the cleanup once', async () => {
    let cleanups = 0;
    const queue = new BoundedQueue<number>(10, () => (cleanups += 1));
    const pending = queue.next();
    await queue.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    queue.end();
    expect(queue.push(1)).toBe(true); // ignored once ended
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(cleanups).toBe(1);
  });
});

describe('LatestValueQueue', () => {
  it('keeps only the newest value for a consumer that is behind', async () => {
    const queue = new LatestValueQueue<number>();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(await queue.next()).toEqual({ value: 3, done: false });
    const waiting = queue.next();
    queue.push(4);
    expect(await waiting).toEqual({ value: 4, done: false });
  });
});

describe('WorkQueuedFeed', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('coalesces wake-ups: the first at once, then at most one per interval, the last one never lost', async () => {
    const source = new FakeSource();
    const feed = new WorkQueuedFeed(source, 100);
    const distributor = consume(feed.subscribe('1'));
    for (let i = 0; i < 50; i += 1) source.emit([EntityType.TASK, 'QUEUED']);
    await jest.advanceTimersByTimeAsync(0);
    expect(distributor.values.map((v) => v.reason)).toEqual(['TASKS_QUEUED']);

    // More work within the interval: one trailing wake-up when the interval ends, none before.
    await jest.advanceTimersByTimeAsync(30);
    source.emit([EntityType.WORKFLOW_RUN, 'BOUND']);
    source.emit([EntityType.TASK, 'QUEUED'], [EntityType.TASK, 'QUEUED']);
    await jest.advanceTimersByTimeAsync(50);
    expect(distributor.values).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(20);
    expect(distributor.values.map((v) => v.reason)).toEqual(['TASKS_QUEUED', 'TASKS_QUEUED']);

    // Nothing new: nothing more, however long.
    await jest.advanceTimersByTimeAsync(10_000);
    expect(distributor.values).toHaveLength(2);
    feed.close();
    await distributor.done;
    expect(feed.subscriberCount).toBe(0);
  });

  it('derives work from queued tasks and bound runs only; explicit signals reach the distributor named', async () => {
    const source = new FakeSource();
    const feed = new WorkQueuedFeed(source, 100);
    const one = consume(feed.subscribe('1'));
    const two = consume(feed.subscribe('2'));
    source.emit(
      [EntityType.TASK, 'DONE'],
      [EntityType.TASK_INSTANCE, 'QUEUED'],
      [EntityType.WORKFLOW, 'QUEUED'],
    );
    await jest.advanceTimersByTimeAsync(1000);
    expect(one.values).toEqual([]);

    source.emit([EntityType.WORKFLOW_RUN, 'BOUND']);
    await jest.advanceTimersByTimeAsync(1000);
    feed.wake('2', 'SIGNALLED');
    await jest.advanceTimersByTimeAsync(1000);
    const reasons = (values: WorkQueuedSignal[]) => values.map((v) => v.reason);
    expect(reasons(one.values)).toEqual(['RUN_BOUND']);
    expect(reasons(two.values)).toEqual(['RUN_BOUND', 'SIGNALLED']);
    feed.close();
  });
});

describe('WorkQueuedFeed and the claims of reports', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("does not wake a distributor for the tasks its own report queued and claimed from; others' tasks wake it", async () => {
    const source = new FakeSource();
    const feed = new WorkQueuedFeed(source, 100);
    const one = consume(feed.subscribe('1'));
    const two = consume(feed.subscribe('2'));
    const count = () => [one.values.length, two.values.length];

    // Distributor 1's finished report queued tasks 7 and 8 and claimed in the same transaction.
    feed.queuedWithClaim('1', [7, 8]);
    source.emitQueued(7, 8);
    await jest.advanceTimersByTimeAsync(1000);
    expect(count()).toEqual([0, 1]);

    // The note is used up: task 7 queued again later (a retry queued by no claim) wakes everyone.
    source.emitQueued(7);
    await jest.advanceTimersByTimeAsync(1000);
    expect(count()).toEqual([1, 2]);

    // Its own task in one batch with a task queued otherwise: woken.
    feed.queuedWithClaim('1', [9]);
    source.emitQueued(9, 10);
    await jest.advanceTimersByTimeAsync(1000);
    expect(count()).toEqual([2, 3]);

    // Two claimers' tasks in one batch: each is woken for the other's.
    feed.queuedWithClaim('1', [11]);
    feed.queuedWithClaim('2', [12]);
    source.emitQueued(11, 12);
    await jest.advanceTimersByTimeAsync(1000);
    expect(count()).toEqual([3, 4]);
    expect([...one.values, ...two.values].every((value) => value.reason === 'TASKS_QUEUED')).toBe(true);
    feed.close();
  });
});

describe('connection_init token and bus messages', () => {
  it('reads the token from { token } or a bearer authorization', () => {
    expect(tokenOf({ token: 'abc' })).toBe('abc');
    expect(tokenOf({ authorization: 'Bearer xyz' })).toBe('xyz');
    expect(tokenOf({ Authorization: 'bearer  q1 ' })).toBe('q1');
    expect(tokenOf({ authorization: 'Basic zzz' })).toBeNull();
    expect(tokenOf({})).toBeNull();
    expect(tokenOf(undefined)).toBeNull();
  });

  it('accepts only well-formed bus messages', () => {
    expect(parseBusMessage({ type: 'audit-committed', origin: 'x' })).toEqual({ type: 'audit-committed' });
    expect(parseBusMessage({ type: 'work-queued', distributorId: '4' })).toEqual({
      type: 'work-queued',
      distributorId: '4',
    });
    expect(parseBusMessage({ type: 'work-queued' })).toEqual({ type: 'work-queued', distributorId: null });
    expect(parseBusMessage({ type: 'work-queued', distributorId: 4 })).toBeNull();
    expect(parseBusMessage({ type: 'other' })).toBeNull();
    expect(parseBusMessage('audit-committed')).toBeNull();
    expect(parseBusMessage(null)).toBeNull();
  });
});
