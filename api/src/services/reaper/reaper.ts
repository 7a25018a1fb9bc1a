import { EntityType, TaskInstanceOutcome, TaskInstanceStatus, WorkflowRunStatus } from '../../domain';
import type { Database } from '../../db';
import { applyChanges } from '../../db/ops/apply-changes';
import { statusList } from '../../db/ops/sql';
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
  const orphaned = await db.select<{ id: number; status: TaskInstanceStatus }>(
    `SELECT i.id, i.status FROM task_instance i LEFT JOIN distributor d ON d.id = i.distributor_id
      WHERE i.status IN (${statusList(db, [
        TaskInstanceStatus.INSTANTIATED,
        TaskInstanceStatus.LAUNCHED,
        TaskInstanceStatus.RUNNING,
        TaskInstanceStatus.TRIAGING,
      ])}) AND (d.id IS NULL OR d.last_heartbeat_at < ?) ORDER BY i.id LIMIT ${BATCH}`,
    [silence],
  );
  // Triaged too long: the distributor is there but could not say.
  const unanswered = await db.select<{ id: number }>(
    `SELECT id FROM task_instance WHERE status = ? AND status_updated_at < ? ORDER BY id LIMIT ${BATCH}`,
    [TaskInstanceStatus.TRIAGING, silence],
  );
  const lost = new Map<number, FinishedReport>();
  for (const row of orphaned)
    lost.set(Number(row.id), {
      id: Number(row.id),
      outcome: TaskInstanceOutcome.UNKNOWN_ERROR,
      errorKind: 'DISTRIBUTOR_LOST',
      errorMessage: `its distributor sent no heartbeat for ${3 * options.heartbeatSeconds} s`,
    });
  for (const row of unanswered)
    if (!lost.has(Number(row.id)))
      lost.set(Number(row.id), {
        id: Number(row.id),
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
  const unconfirmed = await db.select<{ id: number }>(
    `SELECT id FROM task_instance WHERE status = ? AND kill_requested_at < ? ORDER BY id LIMIT ${BATCH}`,
    [TaskInstanceStatus.KILL_SELF, killDeadline],
  );
  if (unconfirmed.length) {
    const result = await reportFinished(
      db,
      unconfirmed.map((row) => ({
        id: Number(row.id),
        outcome: TaskInstanceOutcome.KILLED,
        errorKind: 'KILL_NOT_CONFIRMED',
        errorMessage: `the kill was not confirmed within ${options.killTimeoutSeconds} s`,
      })),
      { reason: 'kill not confirmed', actor: 'reaper' },
    );
    sweep.killsGivenUp = result.accepted.length;
  }

  // Running instances gone quiet: ask their distributor.
  const quiet = await db.select<{ id: number; workflow_id: number; status: TaskInstanceStatus }>(
    `SELECT id, workflow_id, status FROM task_instance
      WHERE status IN (${statusList(db, [TaskInstanceStatus.LAUNCHED, TaskInstanceStatus.RUNNING])})
        AND heartbeat_at < ? ORDER BY id LIMIT ${BATCH}`,
    [silence],
  );
  if (quiet.length) {
    await db.transaction(async (transaction) => {
      // Re-read under the transaction: a heartbeat may have arrived since.
      const still = await db.select<{ id: number; workflow_id: number; status: TaskInstanceStatus }>(
        `SELECT id, workflow_id, status FROM task_instance WHERE id IN (${quiet.map((row) => db.literal(Number(row.id))).join(',')})
          AND status IN (${statusList(db, [TaskInstanceStatus.LAUNCHED, TaskInstanceStatus.RUNNING])}) AND heartbeat_at < ?`,
        [silence],
        transaction,
      );
      await applyChanges(
        db,
        transaction,
        EntityType.TASK_INSTANCE,
        still.map((row) => ({
          id: Number(row.id),
          workflowId: Number(row.workflow_id),
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
            { workflowId: Number(row.workflow_id), taskInstanceId: Number(row.id), status: 'TRIAGING' },
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
  const resuming = await db.select<{ id: number }>('SELECT id FROM workflow_run WHERE status = ?', [
    WorkflowRunStatus.COLD_RESUME,
  ]);
  let finished = 0;
  for (const row of resuming) if ((await finishColdResume(db, Number(row.id))) !== null) finished += 1;
  return finished;
}
