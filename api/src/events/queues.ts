// The async iterators subscriptions hand to graphql-ws. graphql-ws asks for the next value only after the
// previous one was written to the socket, so a consumer's speed shows up here as values waiting; what may
// wait is always bounded.

type Waiter<T> = { resolve(result: IteratorResult<T>): void; reject(error: unknown): void };

/** Shared mechanics: one pending `next()` at a time, a terminal error, and a cleanup on end. */
abstract class PushIterator<T> implements AsyncIterableIterator<T> {
  private waiter: Waiter<T> | null = null;
  private failure: Error | null = null;
  protected ended = false;

  constructor(private readonly endCallback?: () => void) {}

  /** Runs once when the stream ends, however it ends. */
  protected onEnd(): void {
    this.endCallback?.();
  }

  /** The next value to hand out, if one is ready. */
  protected abstract take(): { value: T } | undefined;
  /** Drops whatever is waiting. */
  protected abstract clear(): void;

  /** Hands out a value that just became ready to a consumer already waiting for one. */
  protected deliver(): void {
    if (!this.waiter) return;
    const ready = this.take();
    if (!ready) return;
    const waiter = this.waiter;
    this.waiter = null;
    waiter.resolve({ value: ready.value, done: false });
  }

  /** Ends the stream with `error` (after nothing else: what was waiting is dropped). */
  fail(error: Error): void {
    if (this.ended) return;
    this.clear();
    this.failure = error;
    this.finish();
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter) {
      this.failure = null;
      waiter.reject(error);
    }
  }

  /** Ends the stream once what is waiting has been handed out. */
  end(): void {
    if (this.ended) return;
    this.finish();
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.resolve({ value: undefined, done: true });
  }

  get isEnded(): boolean {
    return this.ended;
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      const ready = this.take();
      if (ready) return { value: ready.value, done: false };
      if (this.failure) {
        const failure = this.failure;
        this.failure = null;
        throw failure;
      }
      if (this.ended) return { value: undefined, done: true };
      if (this.waiter) throw new Error('next() called again before the previous call settled');
      const pulling = this.pull();
      if (pulling) {
        await pulling;
        continue;
      }
      return new Promise<IteratorResult<T>>((resolve, reject) => (this.waiter = { resolve, reject }));
    }
  }

  /**
   * A subclass may produce values on demand (a catch-up read from the table) rather than wait for a push:
   * it returns the read in progress, after which `next()` looks again.
   */
  protected pull(): Promise<void> | undefined {
    return undefined;
  }

  /** The consumer is gone (client completed, socket closed): stop and release. */
  async return(): Promise<IteratorResult<T>> {
    this.clear();
    this.failure = null;
    this.finish();
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.resolve({ value: undefined, done: true });
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
  }
}

/** A FIFO of at most `capacity` values; `push` answers false when it is full (the caller decides). */
export class BoundedQueue<T> extends PushIterator<T> {
  private items: T[] = [];
  private head = 0;

  constructor(
    readonly capacity: number,
    onEnd?: () => void,
  ) {
    super(onEnd);
  }

  get size(): number {
    return this.items.length - this.head;
  }

  push(value: T): boolean {
    if (this.ended) return true;
    if (this.size >= this.capacity) return false;
    this.items.push(value);
    this.deliver();
    return true;
  }

  /** Adds values the subclass produced itself (a page it read on demand), whatever the capacity. */
  protected append(values: readonly T[]): void {
    for (const value of values) this.items.push(value);
    this.deliver();
  }

  protected take(): { value: T } | undefined {
    if (this.head >= this.items.length) return undefined;
    const value = this.items[this.head]!;
    this.head += 1;
    // Compact now and then instead of shifting on every take.
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return { value };
  }

  protected clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/** Holds only the newest value: a state (progress, a wake-up) where a slow consumer needs the latest only. */
export class LatestValueQueue<T> extends PushIterator<T> {
  private pending: { value: T } | undefined;

  constructor(onEnd?: () => void) {
    super(onEnd);
  }

  push(value: T): void {
    if (this.ended) return;
    this.pending = { value };
    this.deliver();
  }

  protected take(): { value: T } | undefined {
    const pending = this.pending;
    this.pending = undefined;
    return pending;
  }

  protected clear(): void {
    this.pending = undefined;
  }
}
