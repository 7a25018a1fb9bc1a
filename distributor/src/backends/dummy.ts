import os from 'node:os';
import type { QueueInput } from '../generated/graphql';
import type {
  AdoptResult,
  Backend,
  BackendEvents,
  ClaimedInstance,
  JobRef,
  JobStatus,
  SubmitResult,
} from '../backend';

export interface DummyBackendOptions {
  /** How many instances it takes per claim (default 1000). */
  slots?: number;
  /** The queue it serves (default `dummy`). */
  queueName?: string;
  hostname?: string;
}

/**
 * Runs nothing: every submitted instance is DONE at once (exit 0, no output, zero usage). For benchmarks
 * of the server and the protocol without the cost of processes.
 */
export class DummyBackend implements Backend {
  readonly kind = 'dummy';
  readonly capacity: number;
  readonly queues: readonly QueueInput[];
  private readonly hostname: string;
  private events: BackendEvents | undefined;
  private stopped = false;

  constructor(options: DummyBackendOptions = {}) {
    this.capacity = Math.max(1, options.slots ?? 1000);
    this.queues = [{ name: options.queueName ?? 'dummy' }];
    this.hostname = options.hostname ?? os.hostname();
  }

  freeSlots(): number {
    return this.stopped ? 0 : this.capacity;
  }

  start(events: BackendEvents): void {
    this.events = events;
  }

  async submit(instances: readonly ClaimedInstance[]): Promise<SubmitResult[]> {
    const now = new Date().toISOString();
    for (const instance of instances)
      this.events?.finished({
        id: instance.id,
        outcome: 'DONE',
        exitCode: 0,
        hostname: this.hostname,
        startedAt: now,
        finishedAt: now,
        usage: { maxRssMb: 0, wallSeconds: 0, cpuSeconds: 0 },
      });
    return instances.map((instance) => ({ id: instance.id, accepted: true, backendJobId: null }));
  }

  async status(jobs: readonly JobRef[]): Promise<Map<string, JobStatus>> {
    return new Map(
      jobs.map((job) => [job.id, { state: 'UNKNOWN', reason: 'the dummy backend keeps nothing' }]),
    );
  }

  async cancel(jobs: readonly JobRef[]): Promise<void> {
    for (const job of jobs)
      this.events?.finished({ id: job.id, outcome: 'KILLED', finishedAt: new Date().toISOString() });
  }

  async adopt(instances: readonly ClaimedInstance[]): Promise<AdoptResult[]> {
    // Nothing ever runs: whatever a previous process claimed is simply done now.
    return instances.map((instance) => ({ id: instance.id, state: 'NOT_STARTED' }));
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
  }
}
