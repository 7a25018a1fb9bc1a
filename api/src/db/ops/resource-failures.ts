import type { Transaction } from 'sequelize';
import { TaskInstanceStatus } from '@jobmon/core';
import type { Database } from '../connection';

/** How many attempts of a task ended in a resource failure (RESOURCE_ERROR), in every run. */
export async function countResourceFailures(
  db: Database,
  transaction: Transaction,
  taskId: number,
): Promise<number> {
  const [row] = await db.select<{ n: number }>(
    'SELECT COUNT(*) AS n FROM task_instance WHERE task_id = ? AND status = ?',
    [taskId, TaskInstanceStatus.RESOURCE_ERROR],
    transaction,
  );
  return Number(row?.n ?? 0);
}
