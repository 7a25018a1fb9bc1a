import type { Transaction } from 'sequelize';
import { TASK_INSTANCE_ACTIVE_STATUSES } from '../../domain';
import type { Database } from '../connection';
import type { RowOf } from '../columns';
import type { TaskInstanceModel } from '../models';
import { forUpdate, statusList } from './sql';

export type ActiveInstanceRow = RowOf<
  TaskInstanceModel,
  'id' | 'task_id' | 'workflow_id' | 'workflow_run_id'
> & {
  status: (typeof TASK_INSTANCE_ACTIVE_STATUSES)[number];
};

/** Instances of a workflow that may still hold resources, optionally only some statuses. */
export async function activeInstancesOfWorkflow(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  statuses: readonly string[] = TASK_INSTANCE_ACTIVE_STATUSES,
): Promise<ActiveInstanceRow[]> {
  const rows = await db.select<ActiveInstanceRow>(
    `SELECT id, task_id, workflow_id, workflow_run_id, status FROM task_instance
      WHERE workflow_id = ? AND status IN (${statusList(db, statuses)}) ORDER BY id${forUpdate(db)}`,
    [workflowId],
    transaction,
  );
  return rows.map((row) => ({
    ...row,
    id: Number(row.id),
    task_id: Number(row.task_id),
    workflow_id: Number(row.workflow_id),
    workflow_run_id: Number(row.workflow_run_id),
  }));
}
