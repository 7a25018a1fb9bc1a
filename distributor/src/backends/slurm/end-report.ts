import type { FinishedReport } from '../../backend';
import { logPaths, readTail, startedHere } from '../../log-files';
import { readReportFile, reportFilePath } from './array-file';
import type { SlurmView } from './job-view';
import { outcomeOfEndedJob, outcomeOfLostJob } from './outcome';

/** How long a job may be unlisted after its submission, or ended without its worker's report file. */
export const LIVE_GRACE_MS = 5_000;

/** A job the backend follows. */
export interface Tracked {
  id: string;
  workflowId: string;
  jobId: string;
  /** The attempt's nonce: the worker's report file is taken only when it carries it. */
  nonce: string;
  submittedAt: number;
  cancelRequested: boolean;
  /** Cycles in a row in which neither squeue nor sacct knew the job. */
  missing: number;
  /** When it was first seen ended without a report file (the file may still be on its way). */
  endedWithoutReportAt: number | null;
  /** Why Slurm holds it PENDING, as the last squeue said (null: not pending, or no reason given). */
  pendingReason?: string | null;
}

/**
 * The finished report of a job that is over: the worker's own (from its report file) or, when the
 * worker left none, what Slurm says. Undefined: wait (a report file may still be on its way).
 */
export function endReport(
  logDir: string,
  job: Tracked,
  view: SlurmView,
  now: number,
): FinishedReport | undefined {
  const paths = logPaths(logDir, job.workflowId, job.id);
  // Only this attempt's worker report (another attempt's with the same id carries another nonce).
  const fromWorker = readReportFile(reportFilePath(paths.exitPath), job.nonce);
  if (fromWorker && String(fromWorker.id) === String(job.id)) return fromWorker;
  const ours = startedHere(paths.exitPath, job.nonce);
  const state = view.kind === 'ended' ? view.state : '';
  const accounted = view.kind === 'ended' ? view.accounted : undefined;
  // A job that ended by itself normally leaves a report: give a shared file system time to show it.
  if ((state === 'COMPLETED' || state === 'FAILED' || state === '') && !job.cancelRequested) {
    job.endedWithoutReportAt ??= now;
    if (now - job.endedWithoutReportAt < LIVE_GRACE_MS) return undefined;
  }
  const verdict =
    view.kind === 'missing'
      ? outcomeOfLostJob(job.jobId)
      : outcomeOfEndedJob(job.jobId, state, {
          exitCode: accounted?.exitCode,
          signal: accounted?.signal,
          cancelledByJobmon: job.cancelRequested,
        });
  return {
    id: job.id,
    ...verdict,
    hostname: accounted?.nodeList ?? null,
    startedAt: accounted?.start?.toISOString() ?? null,
    finishedAt: (accounted?.end ?? new Date(now)).toISOString(),
    stdoutPath: paths.stdoutPath,
    stderrPath: paths.stderrPath,
    // Output files are this attempt's only when its wrapper started (its nonce is in the exit file).
    stdoutTail: ours ? readTail(paths.stdoutPath) : '',
    stderrTail: ours ? readTail(paths.stderrPath) : '',
    usage: {
      maxRssMb: accounted?.maxRssMb ?? null,
      wallSeconds: accounted?.elapsedSeconds ?? null,
      cpuSeconds: null,
    },
  };
}
