import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  AdoptResult,
  Backend,
  BackendEvents,
  ClaimedInstance,
  Deployment,
  JobRef,
  JobStatus,
  SubmitResult,
} from '../../backend';
import { backoffMs } from '../../client';
import type { QueueInput } from '../../generated/graphql';
import { logger } from '../../logger';
import { DEFAULT_LOG_DIR, logPaths } from '../../log-files';
import { ARRAY_FILE_VERSION, jobScript, writeArrayFile, type ArrayFileTask } from './array-file';
import { withoutJobmonSecrets } from '../../secrets';
import { processRunner, type SlurmRunner } from './commands';
import { discoverSlurm, type Discovery } from './discovery';
import { LIVE_GRACE_MS, endReport, type Tracked } from './end-report';
import { viewJobs, type SlurmView } from './job-view';
import { SubmissionJournal } from './journal';
import type { SlurmBackendOptions } from './options';
import {
  isSubmitLimitError,
  isTransientSbatchError,
  parseSbatchJobId,
  slurmErrorMessage,
  type SlurmPartition,
} from './parse';
import { arrayChunks, arrayThrottle, sbatchArgs } from './sbatch-args';

// The `slurm` backend. Who reports what:
// - jobmon-worker, inside the job, reports RUNNING (with the Slurm job id), heartbeats, and the end
//   (real exit code, usage, tails); before sending the end it writes it to `<id>.report.json`.
// - this backend follows all its jobs with ONE squeue per poll cycle (and one sacct for those squeue
//   no longer knows); for each job that ended it pushes `events.finished` with the worker's report
//   file when there is one (the same report again: the server ignores the repeat, and delivers it if
//   the worker could not), else with what Slurm says: TIMEOUT / OUT_OF_MEMORY → RESOURCE_ERROR,
//   NODE_FAIL / PREEMPTED / BOOT_FAIL → UNKNOWN_ERROR (retried), CANCELLED → KILLED.

const SLURM_JOB_ID = /^\d+(_\d+)?$/;
/** Cycles a job may be missing from both squeue and sacct before it counts as lost. */
const MISSING_CYCLES = 3;

/** The built jobmon-worker next to this file (dist), or the package's dist when run from sources. */
export function defaultWorkerCommand(): string[] {
  const candidates = [
    path.resolve(__dirname, '../../cli/worker.js'),
    path.resolve(__dirname, '../../../dist/cli/worker.js'),
  ];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found)
    throw new Error(
      `jobmon-worker is not built (looked for ${candidates.join(' and ')}): run \`npx tsc -b\` first`,
    );
  return [process.execPath, found];
}

/** Asks Slurm what it has, then makes the backend (the queues must be known before registering). */
export async function createSlurmBackend(options: SlurmBackendOptions): Promise<SlurmBackend> {
  const runner = options.runner ?? processRunner();
  const discovery = await discoverSlurm(runner, options.partitions);
  return new SlurmBackend({ ...options, runner }, discovery);
}

/**
 * Runs instances as Slurm jobs: the instances of one template with the same resources, claimed
 * together, go out as one job array (one sbatch, at most MaxArraySize elements each, `%N` from their
 * concurrency limit); each element runs jobmon-worker, which runs the command under supervision and
 * reports it. Array files are deleted once the server has the ends of all their instances.
 */
export class SlurmBackend implements Backend {
  readonly kind = 'slurm';
  readonly capacity: number;
  readonly queues: readonly QueueInput[];
  /**
   * Calls of each Slurm tool so far (for tests and benchmarks: the poll cost must not grow per job), and
   * 'sbatch retried': the sbatch calls refused for a while (submit limit, slurmctld busy) and made again.
   */
  readonly calls: Record<string, number> = {};

  private readonly options: SlurmBackendOptions;
  private readonly runner: SlurmRunner;
  /** `<log dir>/<deployment id>` once started (see start). */
  private logDir: string;
  private stateDir: string;
  private readonly hostname: string;
  private readonly user = os.userInfo().username;
  private readonly maxArraySize: number;
  private readonly submitLimit: number | null;
  private readonly partitions: Map<string, SlurmPartition>;
  private readonly defaultPartition: string | undefined;
  private readonly log = logger.child({ backend: 'slurm' });
  private workerCommand: readonly string[] | undefined;
  private events: BackendEvents | undefined;
  private readonly tracked = new Map<string, Tracked>();
  /** Instances being submitted (waiting for sbatch, or backing off). */
  private submitting = 0;
  /** Instances killed while their sbatch was still to come: cancelled as soon as they have a job. */
  private readonly killedBeforeSubmission = new Set<string>();
  /** The job id files of the submitted arrays, and which array files are kept until delivered. */
  private readonly journal = new SubmissionJournal(this.log);
  /** The user's jobs in Slurm at the last squeue (for MaxSubmitJobsPerUser). */
  private userJobs = 0;
  private backoffUntil = 0;
  private backoffAttempt = 0;
  private stopped = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private readonly wakeSleepers = new Set<() => void>();

  constructor(options: SlurmBackendOptions, discovery: Discovery) {
    this.options = options;
    this.runner = options.runner ?? processRunner();
    this.logDir = path.resolve(options.logDir ?? DEFAULT_LOG_DIR);
    this.stateDir = path.join(this.logDir, 'slurm');
    this.hostname = options.hostname ?? os.hostname();
    this.capacity = Math.max(1, options.capacity ?? 2000);
    this.queues = discovery.queues;
    this.maxArraySize = Math.max(1, options.maxArraySize ?? discovery.maxArraySize);
    this.submitLimit = options.submitLimit !== undefined ? options.submitLimit : discovery.submitLimit;
    this.partitions = new Map(discovery.partitions.map((partition) => [partition.name, partition]));
    const served = new Set(discovery.queues.map((queue) => queue.name));
    this.defaultPartition =
      discovery.partitions.find((partition) => partition.default && served.has(partition.name))?.name ??
      discovery.queues[0]?.name;
    this.workerCommand = options.workerCommand;
  }

  freeSlots(): number {
    if (this.stopped || Date.now() < this.backoffUntil) return 0;
    let free = this.capacity - this.tracked.size - this.submitting;
    if (this.submitLimit !== null)
      free = Math.min(free, this.submitLimit - Math.max(this.userJobs, this.tracked.size) - this.submitting);
    return Math.max(0, free);
  }

  start(events: BackendEvents, deployment?: Deployment): void {
    this.events = events;
    // Logs, array files and job id files of another database's attempts (same --log-dir) are never met.
    if (deployment) {
      this.logDir = path.join(this.logDir, deployment.id);
      this.stateDir = path.join(this.logDir, 'slurm');
    }
    this.workerCommand ??= defaultWorkerCommand();
    this.schedulePoll();
  }

  /** How many jobs it follows now. */
  load(): { tracked: number; submitting: number } {
    return { tracked: this.tracked.size, submitting: this.submitting };
  }

  // -------------------------------------------------------------------------------------------------
  // submit

  async submit(instances: readonly ClaimedInstance[]): Promise<SubmitResult[]> {
    const groups = new Map<string, ClaimedInstance[]>();
    for (const instance of instances) {
      const { memoryMb, cores, runtimeSeconds, queue, extra } = instance.resources;
      const key = JSON.stringify([
        instance.workflowId,
        instance.templateName,
        queue ?? null,
        memoryMb ?? null,
        cores ?? null,
        runtimeSeconds ?? null,
        extra ?? null,
      ]);
      const group = groups.get(key);
      if (group) group.push(instance);
      else groups.set(key, [instance]);
    }
    let unsent = instances.length;
    this.submitting += unsent;
    const results: SubmitResult[] = [];
    try {
      for (const group of groups.values())
        for (const [start, size] of arrayChunks(group.length, this.maxArraySize)) {
          const chunk = group.slice(start, start + size);
          try {
            results.push(...(await this.submitArray(chunk)));
          } finally {
            this.submitting -= chunk.length;
            unsent -= chunk.length;
          }
        }
    } finally {
      this.submitting -= unsent;
    }
    return results;
  }

  /** One sbatch for instances with the same template and resources. Retries while Slurm is full or busy. */
  private async submitArray(instances: ClaimedInstance[]): Promise<SubmitResult[]> {
    const first = instances[0]!;
    const resources = first.resources;
    const partition = resources.queue ?? this.defaultPartition ?? null;
    const workflowDir = path.join(this.logDir, String(first.workflowId));
    const arrayFile = path.join(
      this.stateDir,
      'arrays',
      `${first.workflowId}-${first.id}-${Date.now()}.json`,
    );
    const workerEnforcesRuntime = this.options.workerEnforcesRuntime ?? true;
    const tasks: ArrayFileTask[] = instances.map((instance) => ({
      taskInstanceId: instance.id,
      workflowId: instance.workflowId,
      taskId: instance.taskId,
      command: instance.command,
      nonce: instance.nonce,
      memoryMb: instance.resources.memoryMb ?? null,
      // The worker's limit; none when Slurm's --time alone ends the job.
      runtimeSeconds: workerEnforcesRuntime ? (instance.resources.runtimeSeconds ?? null) : null,
      reportToken: instance.reportToken ?? null,
    }));
    try {
      fs.mkdirSync(workflowDir, { recursive: true });
      writeArrayFile(arrayFile, {
        version: ARRAY_FILE_VERSION,
        serverUrl: this.options.serverUrl,
        logDir: this.logDir,
        heartbeatSeconds: this.options.heartbeatSeconds ?? null,
        enforceMemory: this.options.workerEnforcesMemory ?? true,
        tasks,
      });
    } catch (error) {
      const reason = `cannot write the job array file ${arrayFile}: ${(error as Error).message}`;
      return instances.map((instance) => ({ id: instance.id, accepted: false as const, reason }));
    }

    const maxTime = partition ? this.partitions.get(partition)?.maxTimeSeconds : null;
    const runtime = resources.runtimeSeconds;
    // The slack lets the worker end the command first, exactly at its runtime, and report it itself.
    const slack = workerEnforcesRuntime ? (this.options.timeLimitSlackSeconds ?? 60) : 0;
    const timeLimit = runtime ? Math.min(runtime + slack, maxTime ?? Number.POSITIVE_INFINITY) : null;
    const args = sbatchArgs({
      jobName: `${this.options.jobNamePrefix ?? 'jobmon'}-${first.templateName}`.replace(/[^\w.-]/g, '_'),
      partition,
      memoryMb: resources.memoryMb ? resources.memoryMb + (this.options.workerMemoryMb ?? 128) : null,
      cores: resources.cores ?? null,
      timeLimitSeconds: timeLimit,
      size: instances.length,
      throttle: arrayThrottle(
        instances.length,
        instances.map((instance) => instance.concurrencyLimit),
        resources.extra as Record<string, unknown> | null | undefined,
      ),
      stdoutPattern: path.join(workflowDir, 'slurm-%A_%a.out'),
      stderrPattern: path.join(workflowDir, 'slurm-%A_%a.err'),
      extra: resources.extra as Record<string, unknown> | null | undefined,
    });
    // The job (and so its command) gets none of Jobmon's secrets: each worker reports with its attempt's
    // own credential, from the array file.
    const env: NodeJS.ProcessEnv = withoutJobmonSecrets(process.env);
    if (this.options.heartbeatSeconds) env.JOBMON_HEARTBEAT_SECONDS = String(this.options.heartbeatSeconds);
    const script = jobScript(this.workerCommand ?? defaultWorkerCommand(), arrayFile);

    for (let attempt = 0; ; attempt++) {
      if (this.stopped) {
        fs.rmSync(arrayFile, { force: true });
        return []; // left INSTANTIATED: the next process of this distributor submits them
      }
      if (instances.every((instance) => this.killedBeforeSubmission.has(instance.id))) {
        // All killed (and reported) while waiting: nothing to submit.
        for (const instance of instances) this.killedBeforeSubmission.delete(instance.id);
        fs.rmSync(arrayFile, { force: true });
        return [];
      }
      this.count('sbatch');
      let stdout: string;
      let message: string;
      try {
        const result = await this.runner.run('sbatch', args, { stdin: script, env });
        stdout = result.stdout;
        message =
          result.code === 0 ? '' : slurmErrorMessage(result.stderr, `sbatch exit code ${result.code}`);
      } catch (error) {
        stdout = '';
        message = (error as Error).message;
      }
      if (!message) {
        let arrayJobId: string;
        try {
          arrayJobId = parseSbatchJobId(stdout);
        } catch (error) {
          message = (error as Error).message;
          return instances.map((instance) => ({
            id: instance.id,
            accepted: false as const,
            reason: message,
          }));
        }
        this.backoffAttempt = 0;
        const results = this.accepted(instances, arrayJobId, arrayFile);
        await this.cancelKilledBeforeSubmission(results);
        return results;
      }
      const full = isSubmitLimitError(message);
      if (full || (isTransientSbatchError(message) && attempt < 8)) {
        // MaxSubmitJobsPerUser (or slurmctld busy): no more claims until Slurm takes jobs again.
        this.count('sbatch retried');
        const delay = Math.max(2_000, backoffMs(this.backoffAttempt++));
        this.backoffUntil = Date.now() + delay;
        this.log.warn(
          { err: message, retryInMs: delay, taskInstanceIds: instances.map((instance) => instance.id) },
          'sbatch: waiting',
        );
        await this.sleep(delay);
        continue;
      }
      fs.rmSync(arrayFile, { force: true });
      this.log.warn(
        { err: message, taskInstanceIds: instances.map((instance) => instance.id) },
        'sbatch refused the job array',
      );
      return instances.map((instance) => ({ id: instance.id, accepted: false as const, reason: message }));
    }
  }

  private accepted(instances: ClaimedInstance[], arrayJobId: string, arrayFile: string): SubmitResult[] {
    const now = Date.now();
    // Which job runs which instance, for an adopter whose server never heard of the job id: the array
    // file maps the elements to instances, its job id file names the array.
    this.journal.submitted(
      arrayFile,
      arrayJobId,
      instances.map((instance) => instance.id),
    );
    const results = instances.map((instance, index): SubmitResult => {
      const jobId = `${arrayJobId}_${index}`;
      this.track(instance.id, instance.workflowId, jobId, instance.nonce, now);
      const paths = logPaths(this.logDir, instance.workflowId, instance.id);
      return {
        id: instance.id,
        accepted: true,
        backendJobId: jobId,
        stdoutPath: paths.stdoutPath,
        stderrPath: paths.stderrPath,
      };
    });
    return results;
  }

  /** The server has taken the finished reports of these instances (their arrays may be over). */
  delivered(ids: readonly string[]): void {
    this.journal.delivered(ids);
  }

  /** The array files kept now (for tests of the pruning). */
  keptArrayFiles(): string[] {
    return this.journal.keptArrayFiles();
  }

  /** Jobs of instances killed (and reported) while they waited for their sbatch: cancelled at once. */
  private async cancelKilledBeforeSubmission(results: readonly SubmitResult[]): Promise<void> {
    const jobIds: string[] = [];
    for (const result of results)
      if (result.accepted && result.backendJobId && this.killedBeforeSubmission.delete(result.id)) {
        this.tracked.delete(result.id);
        // Its KILLED report went out when it was killed (and may be delivered already).
        this.delivered([result.id]);
        jobIds.push(result.backendJobId);
      }
    if (jobIds.length) await this.scancel(jobIds);
  }

  private track(
    id: string,
    workflowId: string,
    jobId: string,
    nonce: string,
    submittedAt = Date.now(),
  ): void {
    this.tracked.set(id, {
      id,
      workflowId,
      jobId,
      nonce,
      submittedAt,
      cancelRequested: false,
      missing: 0,
      endedWithoutReportAt: null,
    });
  }

  // -------------------------------------------------------------------------------------------------
  // following the jobs

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => {
      this.polling = this.poll()
        .catch((error: unknown) => this.log.warn({ err: (error as Error).message }, 'poll failed'))
        .finally(() => {
          this.polling = undefined;
          this.schedulePoll();
        });
    }, this.options.pollIntervalMs ?? 5_000);
  }

  /** One cycle: one squeue (one sacct for the jobs squeue has forgotten) for all followed jobs. */
  private async poll(): Promise<void> {
    if (this.tracked.size === 0) return;
    const jobs = [...this.tracked.values()];
    const views = await this.view(jobs.map((job) => job.jobId));
    const now = Date.now();
    for (const job of jobs) {
      if (this.stopped) return;
      if (this.tracked.get(job.id) !== job) continue;
      const view = views.get(job.jobId) ?? { kind: 'missing' as const };
      if (view.kind === 'live') {
        job.missing = 0;
        job.pendingReason = pendingReasonOf(view);
        continue;
      }
      if (view.kind === 'missing') {
        job.missing += 1;
        // Just submitted: slurmctld may not list it yet.
        if (job.missing < MISSING_CYCLES || now - job.submittedAt < LIVE_GRACE_MS) continue;
      }
      const report = endReport(this.logDir, job, view, now);
      if (!report) continue;
      this.tracked.delete(job.id);
      this.events?.finished(report);
    }
  }

  /** Why Slurm holds each PENDING job, by instance id (from the last poll's squeue). */
  pendingReasons(): Map<string, string> {
    const reasons = new Map<string, string>();
    for (const job of this.tracked.values()) if (job.pendingReason) reasons.set(job.id, job.pendingReason);
    return reasons;
  }

  private view(jobIds: readonly string[]): Promise<Map<string, SlurmView>> {
    return viewJobs(
      {
        runner: this.runner,
        user: this.user,
        log: this.log,
        count: (tool) => this.count(tool),
        onUserJobs: (count) => (this.userJobs = count),
      },
      jobIds,
    );
  }

  async status(jobs: readonly JobRef[]): Promise<Map<string, JobStatus>> {
    const statuses = new Map<string, JobStatus>();
    const refs = jobs.map((job) => ({ job, jobId: this.tracked.get(job.id)?.jobId ?? job.backendJobId }));
    const known = refs.filter((ref): ref is { job: JobRef; jobId: string } => validJobId(ref.jobId));
    for (const ref of refs)
      if (!validJobId(ref.jobId))
        statuses.set(ref.job.id, { state: 'UNKNOWN', reason: 'no Slurm job id is known for it' });
    if (known.length === 0) return statuses;
    const views = await this.view(known.map((ref) => ref.jobId));
    const now = Date.now();
    for (const { job, jobId } of known) {
      const view = views.get(jobId) ?? { kind: 'missing' as const };
      if (view.kind === 'live')
        statuses.set(job.id, { state: view.state === 'PENDING' ? 'PENDING' : 'RUNNING' });
      else {
        const tracked = this.tracked.get(job.id) ?? this.placeholder(job, jobId);
        tracked.endedWithoutReportAt = 0; // asked now: no more waiting for a report file
        const report = endReport(this.logDir, tracked, view, now)!;
        this.tracked.delete(job.id);
        statuses.set(job.id, { state: 'FINISHED', report });
      }
    }
    return statuses;
  }

  private placeholder(job: JobRef, jobId: string): Tracked {
    return {
      id: job.id,
      workflowId: job.workflowId,
      jobId,
      nonce: job.nonce,
      submittedAt: 0,
      cancelRequested: false,
      missing: MISSING_CYCLES,
      endedWithoutReportAt: 0,
    };
  }

  // -------------------------------------------------------------------------------------------------
  // cancel, adopt, shutdown

  async cancel(jobs: readonly JobRef[]): Promise<void> {
    const jobIds: string[] = [];
    for (const job of jobs) {
      const tracked = this.tracked.get(job.id);
      if (tracked) {
        tracked.cancelRequested = true;
        jobIds.push(tracked.jobId);
      } else {
        // Not followed here: not submitted yet (then never run), or already reported.
        if (validJobId(job.backendJobId)) jobIds.push(job.backendJobId);
        else this.killedBeforeSubmission.add(job.id);
        this.events?.finished({
          id: job.id,
          outcome: 'KILLED',
          errorMessage: 'killed on request',
          finishedAt: new Date().toISOString(),
        });
      }
    }
    await this.scancel(jobIds);
  }

  private async scancel(jobIds: readonly string[]): Promise<void> {
    // Many ids per call; a few hundred keep the command line short.
    for (let start = 0; start < jobIds.length; start += 500) {
      this.count('scancel');
      const result = await this.runner.run('scancel', jobIds.slice(start, start + 500));
      if (result.code !== 0) this.log.warn({ err: result.stderr.trim() }, 'scancel failed');
    }
  }

  async adopt(instances: readonly ClaimedInstance[]): Promise<AdoptResult[]> {
    // The adopted instances' arrays are pruned by this process from now on, once they are delivered.
    const journal = this.journal.adopt(this.stateDir, instances);
    const refs = instances.map((instance) => ({
      instance,
      jobId: validJobId(instance.backendJobId) ? instance.backendJobId : journal.get(instance.id)?.jobId,
    }));
    const withJobs = refs.filter((ref): ref is { instance: ClaimedInstance; jobId: string } =>
      validJobId(ref.jobId),
    );
    const views = withJobs.length ? await this.view(withJobs.map((ref) => ref.jobId)) : new Map();
    const now = Date.now();
    return refs.map(({ instance, jobId }): AdoptResult => {
      if (!validJobId(jobId)) return { id: instance.id, state: 'NOT_STARTED' };
      const view: SlurmView = views.get(jobId) ?? { kind: 'missing' };
      if (view.kind === 'live') {
        this.track(instance.id, instance.workflowId, jobId, instance.nonce, now);
        return { id: instance.id, state: 'RUNNING' };
      }
      const tracked = this.placeholder(
        { id: instance.id, workflowId: instance.workflowId, backendJobId: jobId, nonce: instance.nonce },
        jobId,
      );
      return { id: instance.id, state: 'FINISHED', report: endReport(this.logDir, tracked, view, now)! };
    });
  }

  async shutdown(mode: 'detach' | 'kill'): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    for (const wake of this.wakeSleepers) wake();
    await this.polling;
    if (mode === 'kill') {
      const jobs = [...this.tracked.values()];
      await this.scancel(jobs.map((job) => job.jobId));
      for (const job of jobs)
        this.events?.finished({
          id: job.id,
          outcome: 'UNKNOWN_ERROR',
          errorKind: 'DISTRIBUTOR_STOPPED',
          errorMessage: `Slurm job ${job.jobId} cancelled because its distributor stopped`,
          finishedAt: new Date().toISOString(),
        });
    }
    // detach: the jobs run on; the next process of this distributor adopts them.
    this.tracked.clear();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleepers.add(done);
    });
  }

  private count(tool: string): void {
    this.calls[tool] = (this.calls[tool] ?? 0) + 1;
  }
}

function validJobId(jobId: string | null | undefined): jobId is string {
  return typeof jobId === 'string' && SLURM_JOB_ID.test(jobId);
}

/** squeue's reason for a PENDING job ('None' is Slurm's word for none); null for any other state. */
function pendingReasonOf(view: { state: string; reason: string }): string | null {
  if (view.state !== 'PENDING') return null;
  const reason = view.reason.trim();
  return reason && reason !== 'None' ? reason.slice(0, 255) : null;
}
