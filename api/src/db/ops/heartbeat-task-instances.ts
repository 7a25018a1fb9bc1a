import type { Transaction } from 'sequelize';
import { TASK_INSTANCE_ACTIVE_STATUSES, TaskInstanceStatus } from '../../domain';
import type { Database } from '../connection';
import type { RowOf } from '../columns';
import type { TaskInstanceModel } from '../models';
import { inList, selectByIds, statusList } from './sql';

// heartbeatTaskInstances (a worker on another host): its instances are alive; their states say what the
// worker must do (the decision: domain/heartbeat-orders.ts).

export interface InstanceState {
  id: number;
  status: TaskInstanceStatus;
  givenUp: boolean;
}

export async function recordInstanceHeartbeats(
  db: Database,
  transaction: Transaction,
  ids: readonly number[],
  now: Date,
): Promise<InstanceState[]> {
  await db.execute(
    `UPDATE task_instance SET heartbeat_at = ? WHERE id IN (${inList(db, ids)}) AND status IN (${statusList(
      db,
      TASK_INSTANCE_ACTIVE_STATUSES,
    )})`,
    [now],
    transaction,
  );
  const rows = await selectByIds<RowOf<TaskInstanceModel, 'id' | 'status' | 'given_up_at'>>(
    db,
    transaction,
    'SELECT id, status, given_up_at FROM task_instance',
    ids,
  );
  return rows.map((row) => ({ id: Number(row.id), status: row.status, givenUp: row.given_up_at != null }));
}
