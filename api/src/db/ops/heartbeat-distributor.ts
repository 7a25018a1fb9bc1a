import type { Transaction } from 'sequelize';
import { TASK_INSTANCE_TERMINAL_STATUSES, TaskInstanceStatus } from '../../domain';
import type { Database } from '../connection';
import type { RowOf } from '../columns';
import type { TaskInstanceModel } from '../models';
import { inList, selectByIds, statusList } from './sql';

// heartbeatDistributor's reads and writes: the distributor and the instances it lists are alive; what it
// must act on (kills, triages) is read afterwards (the decision: domain/heartbeat-orders.ts).

/** The distributor's liveness and each listed instance's (its own only). False: no such distributor. */
export async function recordDistributorHeartbeat(
  db: Database,
  transaction: Transaction,
  distributorId: number,
  activeInstanceIds: readonly number[],
  now: Date,
): Promise<boolean> {
  const changed = await db.execute(
    'UPDATE distributor SET last_heartbeat_at = ? WHERE id = ?',
    [now, distributorId],
    transaction,
  );
  if (changed === 0) return false;
  if (activeInstanceIds.length)
    await db.execute(
      `UPDATE task_instance SET heartbeat_at = ? WHERE id IN (${inList(db, activeInstanceIds)}) AND distributor_id = ?`,
      [now, distributorId],
      transaction,
    );
  return true;
}

/**
 * The backend's own reasons why some of its jobs still wait (Slurm's squeue %r; null: no longer pending),
 * shown as Task.blockedBy. One statement per distinct reason: a cluster's pending jobs mostly share a few.
 */
export async function recordBackendPendingReasons(
  db: Database,
  transaction: Transaction,
  distributorId: number,
  pending: readonly { id: number; reason: string | null }[],
): Promise<void> {
  const byReason = new Map<string | null, number[]>();
  for (const { id, reason } of pending) {
    const same = byReason.get(reason);
    if (same) same.push(id);
    else byReason.set(reason, [id]);
  }
  for (const [reason, ids] of byReason)
    await db.execute(
      `UPDATE task_instance SET backend_pending_reason = ? WHERE id IN (${inList(db, ids)}) AND distributor_id = ?`,
      [reason, distributorId],
      transaction,
    );
}

/** The listed instances of this distributor that are TRIAGING (their heartbeat came back). */
export async function triagingInstancesAmong(
  db: Database,
  transaction: Transaction,
  distributorId: number,
  ids: readonly number[],
): Promise<number[]> {
  const rows = await selectByIds<{ id: number }>(db, transaction, 'SELECT id FROM task_instance', ids, {
    extraWhere: `distributor_id = ${db.literal(distributorId)} AND status = ${db.literal(TaskInstanceStatus.TRIAGING)}`,
  });
  return rows.map((row) => Number(row.id));
}

export interface DistributorInstanceFacts {
  /** Its instances asked to kill themselves or in triage. */
  flagged: { id: number; status: TaskInstanceStatus }[];
  /** Its attempts the server gave up while their commands may still run. */
  givenUp: number[];
  /** Instances it lists as running that are over (not given up). */
  overButListed: number[];
}

export async function readDistributorInstanceFacts(
  db: Database,
  distributorId: number,
  activeInstanceIds: readonly number[],
): Promise<DistributorInstanceFacts> {
  const flagged = await db.select<RowOf<TaskInstanceModel, 'id' | 'status'>>(
    `SELECT id, status FROM task_instance WHERE distributor_id = ? AND status IN (${statusList(db, [
      TaskInstanceStatus.KILL_SELF,
      TaskInstanceStatus.TRIAGING,
    ])}) ORDER BY id`,
    [distributorId],
  );
  const givenUp = await db.select<{ id: number }>(
    `SELECT id FROM task_instance WHERE distributor_id = ? AND given_up_at IS NOT NULL ORDER BY id`,
    [distributorId],
  );
  const over = activeInstanceIds.length
    ? await db.select<{ id: number }>(
        `SELECT id FROM task_instance WHERE id IN (${inList(db, activeInstanceIds)}) AND distributor_id = ?
           AND status IN (${statusList(db, TASK_INSTANCE_TERMINAL_STATUSES)}) AND given_up_at IS NULL ORDER BY id`,
        [distributorId],
      )
    : [];
  return {
    flagged: flagged.map((row) => ({ id: Number(row.id), status: row.status })),
    givenUp: givenUp.map((row) => Number(row.id)),
    overButListed: over.map((row) => Number(row.id)),
  };
}
