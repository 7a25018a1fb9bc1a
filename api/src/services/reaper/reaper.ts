import { EntityType, TaskInstanceOutcome, TaskInstanceStatus } from '../../domain';
import type { Database } from '../../db';
import { applyChanges } from '../../db/ops/apply-changes';
import {
  readColdResumingRuns,
  readOrphanedAttempts,
  readQuietAttempts,
  readUnansweredTriages,
  readUnconfirmedKills,
} from '../../db/ops/reap';
import { logger } from '../../logger';
import { finishColdResume } from '../run-control/control';
import { reportFinished, type FinishedReport } from '../reports';

export interface ReaperOptions {
  heartbeatSeconds: number;
  /** How long a kill may go unconfirmed before the instance is given up (ERROR_FATAL). */
  killTimeoutSeconds: number;
  now?: Date;
  /**
   * Since when this server has been up. Nobody could heartbeat while it was down, so silence only counts
   * once it has been up for three intervals: a restarted server does not retry work whose results are
   * still on their way.
   */
  upSince?: Date;
}

export interface ReaperSweep {
  triaged: number;
  lost: number;
  killsGivenUp: number;
  resumesFinished: number;
}

const BATCH = 500;

/**
 * One pass of the reaper. Silence is measured in three heartbeat intervals:
 * - an instance running (LAUNCHED/RUNNING) without a heartbeat that long goes to TRIAGING, and its
 *   distributor is asked (heartbeatDistributor answers triageInstanceIds) what happened;
 * - an instance TRIAGING that long again, or whose distributor itself went silent, is UNKNOWN_ERROR and
 *   its task is retried;
 * - a kill (KILL_SELF) not confirmed within the kill timeout is given up: ERROR_FATAL;
 * - a cold resume whose kills are all settled starts its new run.
 */
export async function reap(db: Database, options: ReaperOptions): Promise<ReaperSweep> {
  const now = options.now ?? new Date();
  const silence = new Date(now.getTime() - 3 * options.heartbeatSeconds * 1000);
  const sweep: ReaperSweep = { triaged: 0, lost: 0, killsGivenUp: 0, resumesFinished: 0 };
  if (options.upSince && options.upSince > silence) {
    sweep.resumesFinished = await finishColdResumes(db);
    return sweep;
  }

  // Instances whose distributor is gone (or never launched them and went away) cannot be asked.
  const orphaned = await readOrphanedAttempts(db, silence, BATCH);
  // Triaged too long: the distributor is there but could not say.
  const unanswered = await readUnansweredTriages(db, silence, BATCH);
  const lost = new Map<number, FinishedReport>();
  for (const id of orphaned)
    lost.set(id, {
      id,
      outcome: TaskInstanceOutcome.UNKNOWN_ERROR,
      errorKind: 'DISTRIBUTOR_LOST',
      errorMessage: `its distributor sent no heartbeat for ${3 * options.heartbeatSeconds} s`,
    });
  for (const id of unanswered)
    if (!lost.has(id))
      lost.set(id, {
        id,
        outcome: TaskInstanceOutcome.UNKNOWN_ERROR,
        errorKind: 'HEARTBEAT_LOST',
        errorMessage: `no heartbeat for ${6 * options.heartbeatSeconds} s and its distributor could not say why`,
      });
  if (lost.size) {
    // A silent distributor may be cut off, not dead: its commands may still run. Those attempts are given
    // up, and it kills them (or reports how they ended) before it claims again.
    const reports = [...lost.values()];
    const cutOff = reports.filter((report) => report.errorKind === 'DISTRIBUTOR_LOST');
    const unanswered = reports.filter((report) => report.errorKind !== 'DISTRIBUTOR_LOST');
    const options = { reason: 'reaped', actor: 'reaper' };
    if (cutOff.length)
      sweep.lost += (await reportFinished(db, cutOff, { ...options, givingUp: true })).accepted.length;
    if (unanswered.length) sweep.lost += (await reportFinished(db, unanswered, options)).accepted.length;
  }

  // Kills nobody confirmed.
  const killDeadline = new Date(now.getTime() - options.killTimeoutSeconds * 1000);
  const unconfirmed = await readUnconfirmedKills(db, killDeadline, BATCH);
  if (unconfirmed.length) {
    const result = await reportFinished(
      db,
      unconfirmed.map((id) => ({
        id,
        outcome: TaskInstanceOutcome.KILLED,
        errorKind: 'KILL_NOT_CONFIRMED',
        errorMessage: `the kill was not confirmed within ${options.killTimeoutSeconds} s`,
      })),
      { reason: 'kill not confirmed', actor: 'reaper' },
    );
    sweep.killsGivenUp = result.accepted.length;
  }

  // Running instances gone quiet: ask their distributor.
  const quiet = await readQuietAttempts(db, silence, { limit: BATCH });
  if (quiet.length) {
    await db.transaction(async (transaction) => {
      // Re-read under the transaction: a heartbeat may have arrived since.
      const still = await readQuietAttempts(db, silence, {
        among: quiet.map((row) => row.id),
        transaction,
      });
      await applyChanges(
        db,
        transaction,
        EntityType.TASK_INSTANCE,
        still.map((row) => ({
          id: row.id,
          workflowId: row.workflowId,
          from: row.status,
          to: TaskInstanceStatus.TRIAGING,
          reason: 'heartbeat overdue',
        })),
        { at: now, actor: 'reaper' },
      );
      sweep.triaged = still.length;
      transaction.afterCommit(() => {
        for (const row of still)
          logger.warn(
            { workflowId: row.workflowId, taskInstanceId: row.id, status: 'TRIAGING' },
            'task instance heartbeat overdue; asking its distributor',
          );
      });
    });
  }

  sweep.resumesFinished = await finishColdResumes(db);
  return sweep;
}

/** Cold resumes whose kills are all settled start their new run. */
export async function finishColdResumes(db: Database): Promise<number> {
  let finished = 0;
  for (const runId of await readColdResumingRuns(db))
    if ((await finishColdResume(db, runId)) !== null) finished += 1;
  return finished;
}
