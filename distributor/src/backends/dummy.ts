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

/**
 * What a worker on another host sends each interval (`heartbeatTaskInstances` with its own attempt's
 * id and credential); answers the ids the server wants killed.
 */
export type WorkerHeartbeat = (id: string, reportToken: string | null) => Promise<readonly string[]>;

export interface DummyHold {
  /** How long each instance stays RUNNING before it is DONE (s); undefined: until cancelled or stopped. */
  seconds?: number;
  /**
   * Each held instance also heartbeats by itself, as `jobmon-worker` does on a Slurm node (the
   * distributor's own heartbeat lists every instance either way). Spread evenly over the interval.
   */
  workerHeartbeats?: { heartbeatSeconds: number; send: WorkerHeartbeat };
}

export interface DummyBackendOptions {
  /** How many instances it takes per claim (default 1000); with `hold`, how many it holds at once. */
  slots?: number;
  /** The queue it serves (default `dummy`). */
  queueName?: string;
  hostname?: string;
  /** Hold every instance RUNNING instead of finishing it at once (a benchmark of many running attempts). */
  hold?: DummyHold;
}

/** The server takes at most this many instances per claim. */
const MAX_CLAIM = 1000;

interface Held {
  instance: ClaimedInstance;
  timers: NodeJS.Timeout[];
}

/**
 * Runs nothing: every submitted instance is DONE at once (exit 0, no output, zero usage). For benchmarks
 * of the server and the protocol without the cost of processes. With `hold`, every instance is reported
 * RUNNING and stays so (for a while, or until cancelled or stopped), optionally heartbeating as a remote
 * worker would: the load of many running attempts without any process.
 */
export class DummyBackend implements Backend {
  readonly kind = 'dummy';
  readonly capacity: number;
  readonly queues: readonly QueueInput[];
  private readonly hostname: string;
  private readonly hold: DummyHold | undefined;
  private readonly held = new Map<string, Held>();
  private events: BackendEvents | undefined;
  private stopped = false;

  constructor(options: DummyBackendOptions = {}) {
    this.capacity = Math.max(1, options.slots ?? 1000);
    this.queues = [{ name: options.queueName ?? 'dummy' }];
    this.hostname = options.hostname ?? os.hostname();
    this.hold = options.hold;
  }

  freeSlots(): number {
    if (this.stopped) return 0;
    return this.hold ? Math.min(MAX_CLAIM, this.capacity - this.held.size) : this.capacity;
  }

  /** How many instances it holds RUNNING now. */
  holding(): number {
    return this.held.size;
  }

  start(events: BackendEvents): void {
    this.events = events;
  }

  async submit(instances: readonly ClaimedInstance[]): Promise<SubmitResult[]> {
    const now = new Date().toISOString();
    if (this.hold) {
      for (const instance of instances) this.holdRunning(instance, now);
      return instances.map((instance) => ({
        id: instance.id,
        accepted: true,
        backendJobId: `dummy-${instance.id}`,
      }));
    }
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

  private holdRunning(instance: ClaimedInstance, startedAt: string): void {
    const hold = this.hold!;
    if (this.held.has(instance.id)) return;
    const entry: Held = { instance, timers: [] };
    this.held.set(instance.id, entry);
    this.events?.running({
      id: instance.id,
      hostname: this.hostname,
      backendJobId: `dummy-${instance.id}`,
      startedAt,
    });
    if (hold.seconds !== undefined)
      entry.timers.push(
        setTimeout(() => {
          const finishedAt = new Date().toISOString();
          const wallSeconds = (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000;
          this.release(instance.id, {
            outcome: 'DONE',
            exitCode: 0,
            hostname: this.hostname,
            startedAt,
            finishedAt,
            usage: { maxRssMb: 0, wallSeconds, cpuSeconds: 0 },
          });
        }, hold.seconds * 1000),
      );
    const heartbeats = hold.workerHeartbeats;
    if (heartbeats) {
      const intervalMs = heartbeats.heartbeatSeconds * 1000;
      const beat = () => {
        heartbeats.send(instance.id, instance.reportToken).then(
          (kill) => {
            if (kill.includes(instance.id))
              this.release(instance.id, { outcome: 'KILLED', errorMessage: 'killed on request' });
          },
          // A lost heartbeat is what the reaper is for: like a worker, it carries on.
          () => undefined,
        );
      };
      // Workers start at different times: their heartbeats are spread over the interval.
      entry.timers.push(
        setTimeout(() => {
          beat();
          entry.timers.push(setInterval(beat, intervalMs));
        }, Math.random() * intervalMs),
      );
    }
  }

  /** Stops holding one instance and reports its end. */
  private release(
    id: string,
    report: Omit<Parameters<BackendEvents['finished']>[0], 'id' | 'finishedAt'> & { finishedAt?: string },
  ): void {
    const entry = this.held.get(id);
    if (!entry) return;
    for (const timer of entry.timers) clearTimeout(timer);
    this.held.delete(id);
    this.events?.finished({ finishedAt: new Date().toISOString(), ...report, id });
  }

  async status(jobs: readonly JobRef[]): Promise<Map<string, JobStatus>> {
    return new Map(
      jobs.map((job) => [
        job.id,
        this.held.has(job.id)
          ? { state: 'RUNNING' }
          : { state: 'UNKNOWN', reason: 'the dummy backend keeps nothing' },
      ]),
    );
  }

  async cancel(jobs: readonly JobRef[]): Promise<void> {
    for (const job of jobs) {
      if (this.held.has(job.id)) this.release(job.id, { outcome: 'KILLED' });
      else this.events?.finished({ id: job.id, outcome: 'KILLED', finishedAt: new Date().toISOString() });
    }
  }

  async adopt(instances: readonly ClaimedInstance[]): Promise<AdoptResult[]> {
    // Nothing ever runs: whatever a previous process claimed is simply done now.
    return instances.map((instance) => ({ id: instance.id, state: 'NOT_STARTED' }));
  }

  async shutdown(mode: 'detach' | 'kill' = 'detach'): Promise<void> {
    this.stopped = true;
    for (const id of [...this.held.keys()]) {
      if (mode === 'kill')
        this.release(id, {
          outcome: 'UNKNOWN_ERROR',
          errorKind: 'DISTRIBUTOR_STOPPED',
          errorMessage: 'the distributor stopped',
          hostname: this.hostname,
        });
      else {
        // Detached: nothing more is reported; the next process of this name adopts them.
        for (const timer of this.held.get(id)!.timers) clearTimeout(timer);
        this.held.delete(id);
      }
    }
  }
}
