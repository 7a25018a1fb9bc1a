import type { Transaction } from 'sequelize';
import {
  TASK_PROGRESS_STATUSES,
  TaskStatus,
  runEnd,
  runSchedules,
  type WorkflowRunStatus,
} from '../../domain';
import type { Database } from '../connection';
import type { ChangeContext } from '../status-change';
import { changeRunStatus, type RunRow } from './change-run-status';
import { forUpdate, statusList } from './sql';

// The transition that ends a run with nothing left to do (domain/run-end.ts decides how).

/**
 * Ends the run when nothing is left to do: DONE when every task is DONE, ERROR when no task can progress
 * (the rest wait on ERROR_FATAL upstreams). Returns the run's status afterwards.
 */
export async function finishRunIfComplete(
  db: Database,
  transaction: Transaction,
  run: RunRow,
  context: Omit<ChangeContext, 'workflowId'>,
): Promise<WorkflowRunStatus> {
  if (!runSchedules(run.status)) return run.status;
  // Transactions that finish a workflow's last tasks at the same time each see the others' tasks still
  // running (READ COMMITTED: not yet committed), so that none would end the run. Taking the workflow row
  // makes them take turns: the last one reads after the others committed. (Claims take it the same way.)
  await db.select(`SELECT id FROM workflow WHERE id = ?${forUpdate(db)}`, [run.workflowId], transaction);
  const busy = await db.select<{ one: number }>(
    `SELECT 1 AS one FROM task WHERE workflow_id = ? AND status IN (${statusList(db, TASK_PROGRESS_STATUSES)}) LIMIT 1`,
    [run.workflowId],
    transaction,
  );
  // Only read when it matters: a busy run is the common case.
  const unfinished =
    busy.length > 0
      ? []
      : await db.select<{ one: number }>(
          'SELECT 1 AS one FROM task WHERE workflow_id = ? AND status <> ? LIMIT 1',
          [run.workflowId, TaskStatus.DONE],
          transaction,
        );
  const end = runEnd({ anyProgressing: busy.length > 0, allDone: unfinished.length === 0 });
  if (end) await changeRunStatus(db, transaction, run, end.status, { ...context, reason: end.reason });
  return run.status;
}
