import type { Transaction } from 'sequelize';
import type { Database } from '../connection';
import { inList } from './sql';

/**
 * Marks attempts the server gives up while their commands may still run: their distributor claims
 * nothing more until it has killed them or reported their end (a late result).
 */
export async function markAttemptsGivenUp(
  db: Database,
  transaction: Transaction,
  ids: readonly number[],
  at: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(
    `UPDATE task_instance SET given_up_at = ? WHERE id IN (${inList(db, ids)})`,
    [at],
    transaction,
  );
}
