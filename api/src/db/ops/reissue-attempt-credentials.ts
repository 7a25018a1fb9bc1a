import type { Transaction } from 'sequelize';
import { TASK_INSTANCE_ACTIVE_STATUSES, TaskInstanceStatus } from '../../domain';
import { chunks } from '../bulk';
import type { Database } from '../connection';
import { selectByIds, statusList } from './sql';

/** Active attempts that may be started again (one asked to kill itself is killed, not started). */
const RESUBMITTABLE = TASK_INSTANCE_ACTIVE_STATUSES.filter(
  (status) => status !== TaskInstanceStatus.KILL_SELF,
);

/** Rows per CASE update: each row adds two bound values. */
const UPDATE_CHUNK = 500;

/**
 * Locks the attempts a distributor may submit again (its own, still active and not given up) and returns
 * their ids: an attempt the reaper gave up or that ended meanwhile gets no new credential, and its
 * distributor must not start it.
 */
export async function lockResubmittableAttempts(
  db: Database,
  transaction: Transaction,
  distributorId: number,
  instanceIds: readonly number[],
): Promise<number[]> {
  const rows = await selectByIds<{ id: number }>(
    db,
    transaction,
    'SELECT id FROM task_instance',
    instanceIds,
    {
      lock: true,
      extraWhere:
        `distributor_id = ${db.literal(distributorId)} AND given_up_at IS NULL` +
        ` AND status IN (${statusList(db, RESUBMITTABLE)})`,
    },
  );
  return rows.map((row) => Number(row.id));
}

/**
 * Replaces attempts' credential hashes: the old credential (if a file or job still holds it) stops
 * authenticating, the new one is the only one that reports on the attempt.
 */
export async function replaceAttemptCredentialHashes(
  db: Database,
  transaction: Transaction,
  hashes: ReadonlyMap<number, string>,
): Promise<void> {
  for (const part of chunks([...hashes], UPDATE_CHUNK)) {
    const cases = part.map(() => 'WHEN ? THEN ?').join(' ');
    await db.execute(
      `UPDATE task_instance SET report_token_hash = CASE id ${cases} END WHERE id IN (${part.map(() => '?').join(',')})`,
      [...part.flatMap(([id, hash]) => [id, hash]), ...part.map(([id]) => id)],
      transaction,
    );
  }
}
