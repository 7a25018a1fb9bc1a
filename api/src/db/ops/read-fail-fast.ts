import type { Transaction } from 'sequelize';
import type { Database } from '../connection';
import type { RowOf } from '../columns';
import type { WorkflowModel } from '../models';

/** Whether the workflow asked to stop at its first task that fails for good. */
export async function workflowFailsFast(
  db: Database,
  transaction: Transaction,
  workflowId: number,
): Promise<boolean> {
  const rows = await db.select<RowOf<WorkflowModel, 'fail_fast'>>(
    'SELECT fail_fast FROM workflow WHERE id = ?',
    [workflowId],
    transaction,
  );
  return rows[0] !== undefined && Boolean(Number(rows[0].fail_fast));
}
