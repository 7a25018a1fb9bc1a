import type { Logger } from 'pino';
import { runOrThrow, type SlurmRunner, type SlurmTool } from './commands';
import {
  ENDED_STATES,
  SACCT_FORMAT,
  SQUEUE_FORMAT,
  arrayJobIdOf,
  parseSacct,
  parseSqueue,
  type AccountedJob,
  type QueuedJob,
} from './parse';

/** What Slurm knows of a job now. */
export type SlurmView =
  /** `reason`: squeue's %r (why a PENDING job waits: Resources, Priority, …; 'None' or '' when none). */
  | { kind: 'live'; state: string; reason: string }
  | { kind: 'ended'; state: string; accounted: AccountedJob | undefined }
  | { kind: 'missing' };

export interface ViewContext {
  runner: SlurmRunner;
  /** The user whose jobs squeue lists. */
  user: string;
  log: Pick<Logger, 'warn'>;
  /** Counts a call of a Slurm tool. */
  count(tool: SlurmTool): void;
  /** How many of the user's jobs are pending or running (for MaxSubmitJobsPerUser). */
  onUserJobs(count: number): void;
}

/**
 * Where the jobs stand: one `squeue` for all of the user's jobs (its cost does not grow with the
 * number asked about), then one `sacct` for those that ended or that squeue no longer lists.
 */
export async function viewJobs(
  { runner, user, log, count, onUserJobs }: ViewContext,
  jobIds: readonly string[],
): Promise<Map<string, SlurmView>> {
  count('squeue');
  const queued: Map<string, QueuedJob> = parseSqueue(
    await runOrThrow(runner, 'squeue', [
      '--noheader',
      '--array',
      '--states=all',
      `--user=${user}`,
      `--format=${SQUEUE_FORMAT}`,
    ]),
  );
  onUserJobs([...queued.values()].filter((job) => !ENDED_STATES.has(job.state)).length);
  const views = new Map<string, SlurmView>();
  const unsettled: string[] = [];
  for (const jobId of jobIds) {
    const job = queued.get(jobId);
    if (job && !ENDED_STATES.has(job.state))
      views.set(jobId, { kind: 'live', state: job.state, reason: job.reason });
    else unsettled.push(jobId);
  }
  let accounted = new Map<string, AccountedJob>();
  if (unsettled.length) {
    const arrays = [...new Set(unsettled.map(arrayJobIdOf))];
    count('sacct');
    const result = await runner.run('sacct', [
      '--noheader',
      '--parsable2',
      `--format=${SACCT_FORMAT}`,
      `--jobs=${arrays.join(',')}`,
    ]);
    if (result.code === 0) accounted = parseSacct(result.stdout);
    else log.warn({ err: result.stderr.trim() }, 'sacct failed; using squeue alone');
  }
  for (const jobId of unsettled) {
    const queuedJob = queued.get(jobId);
    const record = accounted.get(jobId);
    if (queuedJob) views.set(jobId, { kind: 'ended', state: queuedJob.state, accounted: record });
    else if (record && ENDED_STATES.has(record.state))
      views.set(jobId, { kind: 'ended', state: record.state, accounted: record });
    else if (record) views.set(jobId, { kind: 'live', state: record.state, reason: '' });
    else views.set(jobId, { kind: 'missing' });
  }
  return views;
}
