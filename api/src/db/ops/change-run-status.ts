import type { Transaction } from 'sequelize';
import {
  EntityType,
  WorkflowRunStatus,
  canTransition,
  workflowStatusForRun,
  type WorkflowStatus,
} from '../../domain';
import { chunks } from '../bulk';
import type { Database } from '../connection';
import { changeStatuses, type ChangeContext } from '../status-change';
import { forUpdate, IN_CHUNK, inList } from './sql';

// A run's status changes (its workflow's follows), and the newest run of workflows.

export interface RunRow {
  id: number;
  workflowId: number;
  status: WorkflowRunStatus;
}

/** The newest run of each workflow. */
export async function latestRuns(
  db: Database,
  transaction: Transaction,
  workflowIds: readonly number[],
  lock = false,
): Promise<Map<number, RunRow>> {
  const out = new Map<number, RunRow>();
  for (const part of chunks(
    [...new Set(workflowIds)].sort((a, b) => a - b),
    IN_CHUNK,
  )) {
    const rows = await db.select<{ id: number; workflow_id: number; status: WorkflowRunStatus }>(
      `SELECT r.id, r.workflow_id, r.status FROM workflow_run r
        WHERE r.id IN (SELECT MAX(id) FROM workflow_run WHERE workflow_id IN (${inList(db, part)}) GROUP BY workflow_id)
        ORDER BY r.id${lock ? forUpdate(db) : ''}`,
      [],
      transaction,
    );
    for (const row of rows)
      out.set(Number(row.workflow_id), {
        id: Number(row.id),
        workflowId: Number(row.workflow_id),
        status: row.status,
      });
  }
  return out;
}

/** Moves the workflow to the status its newest run implies, when that differs (and is a legal move). */
async function syncWorkflowStatus(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  runStatus: WorkflowRunStatus,
  context: Omit<ChangeContext, 'workflowId'>,
): Promise<void> {
  const rows = await db.select<{ status: WorkflowStatus }>(
    `SELECT status FROM workflow WHERE id = ?${forUpdate(db)}`,
    [workflowId],
    transaction,
  );
  const current = rows[0]?.status;
  const target = workflowStatusForRun(runStatus);
  if (current === undefined || current === target) return;
  if (!canTransition(EntityType.WORKFLOW, current, target)) return;
  await changeStatuses(db, transaction, EntityType.WORKFLOW, [workflowId], current, target, {
    ...context,
    workflowId,
  });
}

/** Moves a run (and its workflow) to `to`; the run's reason is kept on the row as well as in the audit. */
export async function changeRunStatus(
  db: Database,
  transaction: Transaction,
  run: RunRow,
  to: WorkflowRunStatus,
  context: Omit<ChangeContext, 'workflowId'>,
): Promise<void> {
  await changeStatuses(db, transaction, EntityType.WORKFLOW_RUN, [run.id], run.status, to, {
    ...context,
    workflowId: run.workflowId,
  });
  if (context.reason)
    await db.execute(
      'UPDATE workflow_run SET status_reason = ? WHERE id = ?',
      [context.reason, run.id],
      transaction,
    );
  run.status = to;
  await syncWorkflowStatus(db, transaction, run.workflowId, to, context);
}
