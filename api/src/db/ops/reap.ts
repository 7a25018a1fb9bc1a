import type { Transaction } from 'sequelize';
import { TaskInstanceStatus, WorkflowRunStatus } from '../../domain';
import type { Database } from '../connection';
import type { RowOf } from '../columns';
import type { TaskInstanceModel } from '../models';
import { inList, statusList } from './sql';

// The reads of a reaper pass (services/reaper decides what they mean); each returns at most `limit` rows,
// oldest first, and the pass's reports and status changes write the rest.

/** Attempts that may still run (or never launched) whose distributor is gone or silent since `silence`. */
export async function readOrphanedAttempts(db: Database, silence: Date, limit: number): Promise<number[]> {
  const rows = await db.select<{ id: number }>(
    `SELECT i.id FROM task_instance i LEFT JOIN distributor d ON d.id = i.distributor_id
      WHERE i.status IN (${statusList(db, [
        TaskInstanceStatus.INSTANTIATED,
        TaskInstanceStatus.LAUNCHED,
        TaskInstanceStatus.RUNNING,
        TaskInstanceStatus.TRIAGING,
      ])}) AND (d.id IS NULL OR d.last_heartbeat_at < ?) ORDER BY i.id LIMIT ${limit}`,
    [silence],
  );
  return rows.map((row) => Number(row.id));
}

/** Attempts in TRIAGING since before `silence`: their distributor is there but could not say. */
export async function readUnansweredTriages(db: Database, silence: Date, limit: number): Promise<number[]> {
  const rows = await db.select<{ id: number }>(
    `SELECT id FROM task_instance WHERE status = ? AND status_updated_at < ? ORDER BY id LIMIT ${limit}`,
    [TaskInstanceStatus.TRIAGING, silence],
  );
  return rows.map((row) => Number(row.id));
}

/** Attempts asked to die (KILL_SELF) before `deadline` whose kill nobody confirmed. */
export async function readUnconfirmedKills(db: Database, deadline: Date, limit: number): Promise<number[]> {
  const rows = await db.select<{ id: number }>(
    `SELECT id FROM task_instance WHERE status = ? AND kill_requested_at < ? ORDER BY id LIMIT ${limit}`,
    [TaskInstanceStatus.KILL_SELF, deadline],
  );
  return rows.map((row) => Number(row.id));
}

/** An attempt running without a heartbeat since before the silence. */
export interface QuietAttempt {
  id: number;
  workflowId: number;
  status: typeof TaskInstanceStatus.LAUNCHED | typeof TaskInstanceStatus.RUNNING;
}

type QuietRow = RowOf<TaskInstanceModel, 'id' | 'workflow_id'> & { status: QuietAttempt['status'] };

/**
 * LAUNCHED or RUNNING attempts whose last heartbeat is older than `silence`: at most `limit`, or (given
 * `among` and a transaction) those of `among` still so, re-read because a heartbeat may have arrived since.
 */
export async function readQuietAttempts(
  db: Database,
  silence: Date,
  options: { limit: number } | { among: readonly number[]; transaction: Transaction },
): Promise<QuietAttempt[]> {
  const running = statusList(db, [TaskInstanceStatus.LAUNCHED, TaskInstanceStatus.RUNNING]);
  const rows =
    'limit' in options
      ? await db.select<QuietRow>(
          `SELECT id, workflow_id, status FROM task_instance
            WHERE status IN (${running}) AND heartbeat_at < ? ORDER BY id LIMIT ${options.limit}`,
          [silence],
        )
      : await db.select<QuietRow>(
          `SELECT id, workflow_id, status FROM task_instance WHERE id IN (${inList(db, options.among)})
            AND status IN (${running}) AND heartbeat_at < ?`,
          [silence],
          options.transaction,
        );
  return rows.map((row) => ({ id: Number(row.id), workflowId: Number(row.workflow_id), status: row.status }));
}

/** Runs in COLD_RESUME (waiting for their kills to settle). */
export async function readColdResumingRuns(db: Database): Promise<number[]> {
  const rows = await db.select<{ id: number }>('SELECT id FROM workflow_run WHERE status = ?', [
    WorkflowRunStatus.COLD_RESUME,
  ]);
  return rows.map((row) => Number(row.id));
}
