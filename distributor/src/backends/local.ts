import os from 'node:os';
import path from 'node:path';
import type { QueueInput } from '../generated/graphql';
import type {
  AdoptResult,
  Backend,
  BackendEvents,
  ClaimedInstance,
  Deployment,
  FinishedReport,
  JobRef,
  JobStatus,
  SubmitResult,
} from '../backend';
import { ExitWatch } from '../exit-watch';
import { Launcher, launcherAvailable } from '../launcher';
import { instanceLogIds, logger } from '../logger';
import type { KillReason } from '../classify';
import { DEFAULT_LOG_DIR, logPaths } from '../log-files';
import {
  EndedUnwatched,
  adoptProcess,
  locateCommand,
  processStartDate,
  reportFromFiles,
  supervise,
  superviseWithLauncher,
  Supervisor,
  type SuperviseRequest,
  type Supervision,
  type SupervisorOptions,
} from '../supervisor';

export interface LocalBackendOptions extends SupervisorOptions {
  /** `local` (default) or `sequential` (one at a time). */
  kind?: 'local' | 'sequential';
  /** At most this many commands at once (default: the machine's cores; sequential: 1). */
  slots?: number;
  /**
   * Claim this many more than the free slots and keep them waiting here, so that the next command starts
   * the moment one ends, without a round trip to the server (default: 16 × slots, at most 256, for local;
   * 0 for sequential). They are LAUNCHED on the server meanwhile and count against the workflow's limits;
   * each report request then carries many instances, which matters when the server's commits are slow.
   */
  prefetch?: number;
  /** Cores of the machine the commands share (default os.cpus().length). */
  cores?: number;
  /** Memory of the machine the commands share, in MiB (default os.totalmem()). */
  memoryMb?: number;
  /** The queue it serves (default `local`). */
  queueName?: string;
  /**
   * How commands are started: `launcher` (default where `setsid` exists) forks them from one long-lived
   * shell, `spawn` calls Node's spawn() for each (a few ms of this process's time per command).
   */
  start?: 'launcher' | 'spawn';
}

interface Running {
  /** Undefined until the launcher says the command started. */
  supervision: Supervision | undefined;
  instance: ClaimedInstance | undefined;
  cores: number;
  memoryMb: number;
  /** A kill asked for before the command had started. */
  pendingKill: KillReason | undefined;
  /** Resolves once the command has ended and been reported (or, stopping, detached). */
  done: Promise<void>;
  resolveDone: () => void;
}

const coresOf = (instance: ClaimedInstance) => Math.max(1, instance.resources.cores ?? 1);
const memoryOf = (instance: ClaimedInstance) => Math.max(0, instance.resources.memoryMb ?? 0);

const request = (instance: ClaimedInstance): SuperviseRequest => ({
  instanceId: instance.id,
  workflowId: instance.workflowId,
  taskId: instance.taskId,
  command: instance.command,
  nonce: instance.nonce,
  memoryMb: instance.resources.memoryMb,
  runtimeSeconds: instance.resources.runtimeSeconds,
});

/**
 * Runs commands as processes of this host (`/bin/sh -c`, each in a process group of its own, under a
 * `Supervision`). At most `slots` run at once, and together they never ask for more cores or memory than
 * the machine has (each task's `resources.cores` and `memoryMb`; a task asking more than the machine
 * runs alone). Instances wait here in claim order (first in, first out) until they fit.
 */
export class LocalBackend implements Backend {
  readonly kind: string;
  readonly capacity: number;
  readonly queues: readonly QueueInput[];
  private readonly slots: number;
  private readonly prefetch: number;
  private readonly totalCores: number;
  private readonly totalMemoryMb: number;
  private readonly supervisorOptions: SupervisorOptions;
  private readonly useLauncher: boolean;
  private launcher: Launcher | undefined;
  /** The watches of its commands' exit files (launcher-started commands exec'd into `time`). */
  private readonly exitWatch = new ExitWatch();
  /** Its commands' wrapper script and the log directories it made. */
  private readonly supervisor = new Supervisor();
  private events: BackendEvents | undefined;
  private readonly waiting: ClaimedInstance[] = [];
  private readonly running = new Map<string, Running>();
  private usedCores = 0;
  private usedMemoryMb = 0;
  private stopped = false;
  private stopMode: 'detach' | 'kill' | undefined;

  constructor(options: LocalBackendOptions = {}) {
    this.kind = options.kind ?? 'local';
    const sequential = this.kind === 'sequential';
    this.totalCores = options.cores ?? Math.max(1, os.cpus().length);
    this.totalMemoryMb = options.memoryMb ?? Math.floor(os.totalmem() / (1024 * 1024));
    this.slots = Math.max(1, sequential ? 1 : (options.slots ?? this.totalCores));
    this.prefetch = Math.max(0, options.prefetch ?? (sequential ? 0 : Math.min(256, 16 * this.slots)));
    this.capacity = this.slots;
    this.queues = [
      {
        name: options.queueName ?? 'local',
        minCores: 1,
        maxCores: this.totalCores,
        maxMemoryMb: this.totalMemoryMb,
      },
    ];
    this.supervisorOptions = {
      logDir: options.logDir ?? DEFAULT_LOG_DIR,
      hostname: options.hostname ?? os.hostname(),
      monitor: options.monitor,
      killGraceMs: options.killGraceMs,
      enforceMemory: options.enforceMemory,
      cwd: options.cwd,
      env: options.env,
    };
    this.useLauncher = (options.start ?? 'launcher') === 'launcher' && launcherAvailable();
  }

  freeSlots(): number {
    if (this.stopped) return 0;
    return Math.max(0, this.slots + this.prefetch - this.waiting.length - this.running.size);
  }

  /** Short of work when fewer instances wait than it has slots (each slot has one to start next). */
  starving(): boolean {
    return this.waiting.length < this.slots;
  }

  /** How many commands run now, and how many wait (for tests and logs). */
  load(): { running: number; waiting: number } {
    return { running: this.running.size, waiting: this.waiting.length };
  }

  start(events: BackendEvents, deployment?: Deployment): void {
    this.events = events;
    if (deployment) this.supervisorOptions.logDir = path.join(this.supervisorOptions.logDir!, deployment.id);
  }

  async submit(instances: readonly ClaimedInstance[]): Promise<SubmitResult[]> {
    const results: SubmitResult[] = [];
    for (const instance of instances) {
      if (this.stopped) {
        results.push({ id: instance.id, accepted: false, reason: 'the distributor is stopping' });
        continue;
      }
      const paths = logPaths(this.supervisorOptions.logDir!, instance.workflowId, instance.id);
      const accepted = (backendJobId: string | null): SubmitResult => ({
        id: instance.id,
        accepted: true,
        backendJobId,
        stdoutPath: paths.stdoutPath,
        stderrPath: paths.stderrPath,
      });
      if (this.running.has(instance.id) || this.waiting.some((other) => other.id === instance.id)) {
        results.push(accepted(this.jobIdOf(instance.id)));
        continue;
      }
      if (this.fits(instance) && this.waiting.length === 0) {
        try {
          results.push(accepted(this.launch(instance)));
        } catch (error) {
          results.push({
            id: instance.id,
            accepted: false,
            reason: `cannot start: ${(error as Error).message}`,
          });
        }
        continue;
      }
      this.waiting.push(instance);
      results.push(accepted(null));
    }
    return results;
  }

  async status(jobs: readonly JobRef[]): Promise<Map<string, JobStatus>> {
    const out = new Map<string, JobStatus>();
    for (const job of jobs) {
      if (this.running.has(job.id)) out.set(job.id, { state: 'RUNNING' });
      else if (this.waiting.some((instance) => instance.id === job.id)) out.set(job.id, { state: 'PENDING' });
      else out.set(job.id, this.inspect(job));
    }
    return out;
  }

  async cancel(jobs: readonly JobRef[]): Promise<void> {
    for (const job of jobs) {
      const running = this.running.get(job.id);
      if (running) {
        if (running.supervision) running.supervision.kill('KILLED');
        else running.pendingKill ??= 'KILLED';
        continue;
      }
      const index = this.waiting.findIndex((instance) => instance.id === job.id);
      if (index >= 0) {
        this.waiting.splice(index, 1);
        this.events?.finished({
          id: job.id,
          outcome: 'KILLED',
          errorMessage: 'killed before it started',
          finishedAt: new Date().toISOString(),
        });
        continue;
      }
      // Not ours any more (or never was): if a previous process of ours left it running, end it.
      const supervision = this.adoptRunning(job);
      if (supervision) {
        supervision.kill('KILLED');
        continue;
      }
      this.events?.finished({
        id: job.id,
        outcome: 'KILLED',
        errorMessage: 'not running under this distributor',
        finishedAt: new Date().toISOString(),
      });
    }
    this.pump();
  }

  async adopt(instances: readonly ClaimedInstance[]): Promise<AdoptResult[]> {
    const results: AdoptResult[] = [];
    for (const instance of instances) {
      if (this.running.has(instance.id) || this.waiting.some((other) => other.id === instance.id)) {
        results.push({ id: instance.id, state: 'RUNNING' });
        continue;
      }
      const job: JobRef = {
        id: instance.id,
        workflowId: instance.workflowId,
        backendJobId: instance.backendJobId,
        nonce: instance.nonce,
      };
      const where = locateCommand(this.pathsOf(job), instance.backendJobId, instance.nonce);
      if (where.state === 'never') {
        results.push({ id: instance.id, state: 'NOT_STARTED' });
        continue;
      }
      const supervision = this.adoptRunning(job, instance);
      if (supervision) {
        logger.info(
          { ...instanceLogIds(instance), pid: supervision.pid },
          'adopted a command of a previous process',
        );
        results.push({ id: instance.id, state: 'RUNNING' });
        continue;
      }
      results.push({
        id: instance.id,
        state: 'FINISHED',
        report: this.fromFiles(job, where.state === 'ended' ? where.starttime : undefined),
      });
    }
    return results;
  }

  async shutdown(mode: 'detach' | 'kill'): Promise<void> {
    this.stopped = true;
    this.stopMode = mode;
    this.waiting.length = 0;
    const running = [...this.running.values()];
    if (mode === 'kill') {
      for (const entry of running) {
        if (entry.supervision) entry.supervision.kill('SHUTDOWN');
        else entry.pendingKill = 'SHUTDOWN';
      }
      await Promise.all(running.map((entry) => entry.done));
    } else {
      const starting: Promise<void>[] = [];
      for (const [id, entry] of this.running) {
        // One the launcher was told to start is detached when it has started: wait for that, so that
        // the next process finds it running (or ended), never not yet started.
        if (!entry.supervision) starting.push(entry.done);
        else {
          entry.supervision.detach();
          this.release(id, entry);
        }
      }
      await Promise.all(starting);
    }
    this.launcher?.close();
  }

  private fits(instance: ClaimedInstance): boolean {
    if (this.running.size === 0) return true;
    return (
      this.running.size < this.slots &&
      this.usedCores + coresOf(instance) <= this.totalCores &&
      this.usedMemoryMb + memoryOf(instance) <= this.totalMemoryMb
    );
  }

  /** Starts waiting instances while they fit (in order: the first that does not fit waits for room). */
  private pump(): void {
    while (!this.stopped && this.waiting.length > 0 && this.fits(this.waiting[0]!)) {
      const instance = this.waiting.shift()!;
      try {
        this.launch(instance);
      } catch (error) {
        this.events?.finished(this.startFailed(instance.id, error));
      }
    }
  }

  private startFailed(id: string, error: unknown): FinishedReport {
    return {
      id,
      outcome: 'UNKNOWN_ERROR',
      errorKind: 'START_FAILED',
      errorMessage: `cannot start: ${(error as Error).message}`,
      finishedAt: new Date().toISOString(),
    };
  }

  /** Starts an instance now; returns its job id when already known (spawn), null (launcher: it follows). */
  private launch(instance: ClaimedInstance): string | null {
    if (!this.useLauncher) {
      const supervision = supervise(request(instance), this.supervisorOptions, this.supervisor);
      this.track(instance, supervision);
      return supervision.backendJobId;
    }
    if (!this.launcher?.running)
      this.launcher = new Launcher({ cwd: this.supervisorOptions.cwd, env: process.env });
    const entry = this.track(instance, undefined);
    superviseWithLauncher(
      request(instance),
      this.supervisorOptions,
      this.launcher,
      this.exitWatch,
      this.supervisor,
    ).then(
      (supervision) => this.attach(entry, instance.id, supervision),
      (error: unknown) => {
        this.release(instance.id, entry);
        this.pump();
        // Its launcher died after forking it, and it ended unwatched: its files tell how.
        if (error instanceof EndedUnwatched) this.events?.finished(error.report);
        else this.events?.finished(this.startFailed(instance.id, error));
      },
    );
    return null;
  }

  /** Counts an instance as running from now on (its supervision may follow). */
  private track(
    instance: ClaimedInstance | undefined,
    supervision: Supervision | undefined,
    id?: string,
  ): Running {
    const key = instance?.id ?? id!;
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const entry: Running = {
      supervision: undefined,
      instance,
      cores: instance ? coresOf(instance) : 1,
      memoryMb: instance ? memoryOf(instance) : 0,
      pendingKill: undefined,
      done,
      resolveDone,
    };
    this.running.set(key, entry);
    this.usedCores += entry.cores;
    this.usedMemoryMb += entry.memoryMb;
    if (supervision) this.attach(entry, key, supervision);
    return entry;
  }

  private attach(entry: Running, id: string, supervision: Supervision): void {
    entry.supervision = supervision;
    if (this.stopMode === 'detach') {
      // Started after a detaching shutdown: left running, for the next process to adopt.
      supervision.detach();
      this.release(id, entry);
      return;
    }
    if (!supervision.adopted)
      this.events?.running({
        id,
        backendJobId: supervision.backendJobId,
        hostname: this.supervisorOptions.hostname,
        startedAt: supervision.startedAt.toISOString(),
      });
    if (entry.pendingKill) supervision.kill(entry.pendingKill);
    void supervision.finished.then((report) => {
      this.release(id, entry);
      this.pump();
      this.events?.finished(report);
    });
  }

  private release(id: string, entry: Running): void {
    if (this.running.get(id) === entry) {
      this.running.delete(id);
      this.usedCores -= entry.cores;
      this.usedMemoryMb -= entry.memoryMb;
    }
    entry.resolveDone();
  }

  /** Takes over a command of a previous process of this distributor, if it still runs. */
  private adoptRunning(job: JobRef, instance?: ClaimedInstance): Supervision | undefined {
    const where = locateCommand(this.pathsOf(job), job.backendJobId, job.nonce);
    if (where.state !== 'running') return undefined;
    const supervision = adoptProcess(
      instance ? request(instance) : this.requestOf(job),
      where.pid,
      where.starttime,
      this.supervisorOptions,
    );
    if (supervision) this.track(instance, supervision, job.id);
    return supervision;
  }

  private jobIdOf(id: string): string | null {
    return this.running.get(id)?.supervision?.backendJobId ?? null;
  }

  private pathsOf(job: JobRef) {
    return logPaths(this.supervisorOptions.logDir!, job.workflowId, job.id);
  }

  private requestOf(job: JobRef): SuperviseRequest {
    return { instanceId: job.id, workflowId: job.workflowId, command: '', nonce: job.nonce };
  }

  private fromFiles(job: JobRef, starttime: number | undefined): FinishedReport {
    return reportFromFiles(this.requestOf(job), {
      ...this.supervisorOptions,
      startedAt: starttime === undefined ? null : processStartDate(starttime),
    });
  }

  /**
   * What the files and /proc say about an instance this process does not run. A command of a previous
   * process of this distributor that still runs is taken over (else nobody would report its end).
   */
  private inspect(job: JobRef): JobStatus {
    const where = locateCommand(this.pathsOf(job), job.backendJobId, job.nonce);
    if (where.state === 'never') return { state: 'UNKNOWN', reason: 'it never started on this host' };
    if (this.adoptRunning(job)) return { state: 'RUNNING' };
    return {
      state: 'FINISHED',
      report: this.fromFiles(job, where.state === 'ended' ? where.starttime : undefined),
    };
  }
}
