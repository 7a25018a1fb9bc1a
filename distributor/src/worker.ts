import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { GraphQLClient, GraphQLRequestError, backoffMs } from './client';
import { refusedReport } from './reporter';
import {
  HeartbeatTaskInstancesDocument,
  WorkerFinishedDocument,
  WorkerRunningDocument,
  type TaskInstanceFinishedInput,
} from './generated/graphql';
import { writeReportFile } from './backends/slurm/array-file';
import { logger as rootLogger } from './logger';
import { DEFAULT_LOG_DIR } from './log-files';
import { supervise, Supervisor, type Supervision } from './supervisor';

export interface WorkerOptions {
  serverUrl: string;
  taskInstanceId: string;
  /** The shell command (run with `/bin/sh -c`). */
  command: string;
  /**
   * The attempt's nonce (from its claim; the Slurm array file carries it): written to the exit file and the
   * report file, so that an adopter takes them as this attempt's. Default: a random one.
   */
  nonce?: string;
  /** Names the log directory (`<logDir>/<workflowId>/<taskInstanceId>.out`; default env JOBMON_WORKFLOW_ID). */
  workflowId?: string;
  logDir?: string;
  token?: string;
  /** Default env JOBMON_HEARTBEAT_SECONDS or 30. */
  heartbeatSeconds?: number;
  memoryMb?: number | null;
  runtimeSeconds?: number | null;
  hostname?: string;
  /** How long to keep trying to deliver the finished report when the server is away (ms, default 1 h). */
  reportTimeoutMs?: number;
  /** The job id to report (a Slurm job's `<array job id>_<index>`; default the process's `pid:starttime`). */
  backendJobId?: string;
  /**
   * Also write the finished report to this file before sending it (the Slurm backend reads it when the
   * job has ended, and delivers it if the worker could not).
   */
  reportFile?: string;
  /** Kill the command when its processes use more than `memoryMb` (default true). */
  enforceMemory?: boolean;
}

export interface WorkerResult {
  /** What the process should exit with: the command's exit code (128 + signal when it was killed). */
  exitCode: number;
  report: TaskInstanceFinishedInput;
  delivered: boolean;
}

/**
 * `jobmon-worker`: runs ONE command under supervision on the host it runs on, and reports to the server
 * itself: RUNNING, a heartbeat every interval (`heartbeatTaskInstances`, which answers whether to kill
 * it), and the finished report, delivered with retries while the server is away.
 */
export async function runWorker(options: WorkerOptions, signal?: AbortSignal): Promise<WorkerResult> {
  const log = rootLogger.child({
    workflowId: options.workflowId ?? process.env.JOBMON_WORKFLOW_ID,
    taskInstanceId: options.taskInstanceId,
  });
  const client = new GraphQLClient({ serverUrl: options.serverUrl, token: options.token });
  const hostname = options.hostname ?? os.hostname();
  const heartbeatMs =
    (options.heartbeatSeconds ?? (Number(process.env.JOBMON_HEARTBEAT_SECONDS) || 30)) * 1000;
  const id = options.taskInstanceId;
  const nonce = options.nonce || randomBytes(16).toString('hex');

  let supervision: Supervision;
  try {
    supervision = supervise(
      {
        instanceId: id,
        workflowId: options.workflowId ?? process.env.JOBMON_WORKFLOW_ID ?? 'worker',
        command: options.command,
        nonce,
        memoryMb: options.memoryMb,
        runtimeSeconds: options.runtimeSeconds,
      },
      { logDir: options.logDir ?? DEFAULT_LOG_DIR, hostname, enforceMemory: options.enforceMemory },
      new Supervisor(),
    );
  } catch (error) {
    const report: TaskInstanceFinishedInput = {
      id,
      outcome: 'UNKNOWN_ERROR',
      errorKind: 'START_FAILED',
      errorMessage: `cannot start: ${(error as Error).message}`,
      hostname,
      finishedAt: new Date().toISOString(),
    };
    keep(report);
    const delivered = await deliver(() => client.request(WorkerFinishedDocument, { reports: [report] }));
    return { exitCode: 127, report, delivered };
  }
  signal?.addEventListener('abort', () => supervision.kill('SHUTDOWN'), { once: true });

  let done = false;
  const running = deliver(
    () =>
      client.request(WorkerRunningDocument, {
        reports: [
          {
            id,
            hostname,
            backendJobId: options.backendJobId ?? supervision.backendJobId,
            startedAt: supervision.startedAt.toISOString(),
          },
        ],
      }),
    () => done,
  );
  const heartbeat = setInterval(() => {
    client
      .request(HeartbeatTaskInstancesDocument, { ids: [id] }, { timeoutMs: Math.max(5_000, heartbeatMs) })
      .then((data) => {
        if (data.heartbeatTaskInstances.includes(id)) {
          log.info('killing on request');
          supervision.kill('KILLED');
        }
      })
      .catch((error: unknown) => log.warn({ err: (error as Error).message }, 'heartbeat failed'));
  }, heartbeatMs);

  const report = await supervision.finished;
  done = true;
  clearInterval(heartbeat);
  await running;
  // Stopped by a signal: the backend that sent it knows why (a Slurm timeout, a cancel) and reports it.
  if (signal?.aborted) return { exitCode: report.exitCode ?? 143, report, delivered: false };
  keep(report);
  let refusal: GraphQLRequestError | undefined;
  let delivered = await deliver(
    () =>
      client.request(WorkerFinishedDocument, { reports: [report] }).catch((error: unknown) => {
        if (error instanceof GraphQLRequestError && !error.retryable) refusal = error;
        throw error;
      }),
    undefined,
    options.reportTimeoutMs ?? 3_600_000,
  );
  if (!delivered && refusal) {
    // Refused for good: the attempt ends as an ERROR that says why (also for the Slurm backend, which
    // reads the report file), rather than staying RUNNING until it is triaged.
    const replacement = refusedReport(report, refusal);
    log.error({ err: refusal.message }, 'the server refused the finished report; reporting REPORT_REFUSED');
    keep(replacement);
    delivered = await deliver(
      () => client.request(WorkerFinishedDocument, { reports: [replacement] }),
      undefined,
      options.reportTimeoutMs ?? 3_600_000,
    );
  }
  if (!delivered) log.error({ report }, 'could not deliver the finished report');
  return { exitCode: report.exitCode ?? (report.outcome === 'DONE' ? 0 : 1), report, delivered };

  /** Writes the report to `reportFile` (best effort: the report still goes to the server). */
  function keep(report: TaskInstanceFinishedInput): void {
    if (!options.reportFile) return;
    try {
      writeReportFile(options.reportFile, report, nonce);
    } catch (error) {
      log.warn({ err: (error as Error).message, file: options.reportFile }, 'cannot write the report file');
    }
  }

  /** Sends until delivered, the server refuses it for good, `giveUp()` says so, or the time is over. */
  async function deliver(
    send: () => Promise<unknown>,
    giveUp: () => boolean = () => false,
    timeoutMs = 3_600_000,
  ): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await send();
        return true;
      } catch (error) {
        const retryable = error instanceof GraphQLRequestError && error.retryable;
        if (!retryable || giveUp() || Date.now() > deadline) {
          log.warn({ err: (error as Error).message }, 'report not delivered');
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
        if (giveUp()) return false;
      }
    }
  }
}
