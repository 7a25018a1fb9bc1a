import { chunks } from '../../db';
import type { Database } from '../../db';
import { inList } from '../../db/ops/sql';
import {
  assertAttemptOwnsInstances,
  assertMayActForDistributor,
  NotFoundError,
  Role,
  type Principal,
} from '../../domain';

// A distributor token claims and reports only for its own distributors and their instances. Open mode
// (no principal) and admins skip the reads altogether.

const needsCheck = (principal: Principal | null): principal is Principal =>
  principal !== null && principal.role !== Role.ADMIN;

export async function assertOwnsDistributor(
  db: Database,
  principal: Principal | null,
  distributorId: number,
): Promise<void> {
  if (!needsCheck(principal)) return;
  const [row] = await db.select<{ id: number; name: string; owner: string | null }>(
    'SELECT id, name, owner FROM distributor WHERE id = ?',
    [distributorId],
  );
  if (!row) throw new NotFoundError('Distributor', String(distributorId));
  assertMayActForDistributor(principal, { ...row, id: Number(row.id) });
}

/** Every instance must belong to a distributor of the caller; one that does not refuses the whole batch. */
export async function assertOwnsInstances(
  db: Database,
  principal: Principal | null,
  instanceIds: readonly number[],
): Promise<void> {
  if (!needsCheck(principal) || instanceIds.length === 0) return;
  if (principal.attemptId !== undefined) return assertAttemptOwnsInstances(principal, instanceIds);
  for (const part of chunks([...new Set(instanceIds)], 2000)) {
    const rows = await db.select<{
      distributor_id: number | null;
      name: string | null;
      owner: string | null;
    }>(
      `SELECT DISTINCT ti.distributor_id, d.name, d.owner FROM task_instance ti
         LEFT JOIN distributor d ON d.id = ti.distributor_id
        WHERE ti.id IN (${inList(db, part)})`,
    );
    for (const row of rows)
      assertMayActForDistributor(principal, {
        id: Number(row.distributor_id),
        name: row.name ?? '(none)',
        owner: row.owner ?? null,
      });
  }
}

/** Registering under a name that exists takes that distributor over: only its owner (or an admin) may. */
export async function assertMayRegisterAs(
  db: Database,
  principal: Principal | null,
  name: string,
): Promise<void> {
  if (!needsCheck(principal)) return;
  const [row] = await db.select<{ id: number; owner: string | null }>(
    'SELECT id, owner FROM distributor WHERE name = ?',
    [name],
  );
  if (row) assertMayActForDistributor(principal, { id: Number(row.id), name, owner: row.owner ?? null });
}
