import type { Transaction } from 'sequelize';
import { chunks } from '../bulk';
import type { Database } from '../connection';
import { TASK_RETRY_MIN_ATTEMPTS, type TaskStatus } from '../../domain';

// Small SQL helpers shared by the transitions in this folder: locking clauses and IN lists.

/** Ids per IN list. */
export const IN_CHUNK = 2000;

/** `FOR UPDATE [SKIP LOCKED]` on MySQL; SQLite writers are serialised already (BEGIN IMMEDIATE). */
export function forUpdate(db: Database, skipLocked = false): string {
  if (db.dialect !== 'mysql') return '';
  return skipLocked ? ' FOR UPDATE SKIP LOCKED' : ' FOR UPDATE';
}

export const inList = (db: Database, values: readonly (number | string)[]) =>
  values.map((value) => db.literal(value)).join(',');

export const statusList = (db: Database, statuses: readonly string[]) => inList(db, statuses);

/** Reads rows `WHERE id IN (...)` in chunks; `lock` adds FOR UPDATE (ids are sorted to lock in one order). */
export async function selectByIds<Row extends object>(
  db: Database,
  transaction: Transaction,
  select: string,
  ids: readonly number[],
  options: { column?: string; lock?: boolean; extraWhere?: string; groupBy?: string } = {},
): Promise<Row[]> {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const out: Row[] = [];
  for (const part of chunks(sorted, IN_CHUNK)) {
    out.push(
      ...(await db.select<Row>(
        `${select} WHERE ${options.column ?? 'id'} IN (${inList(db, part)})${options.extraWhere ? ` AND ${options.extraWhere}` : ''}` +
          (options.groupBy ? ` GROUP BY ${options.groupBy}` : '') +
          ` ORDER BY ${options.column ?? 'id'}${options.lock ? forUpdate(db) : ''}`,
        [],
        transaction,
      )),
    );
  }
  return out;
}

/**
 * isTaskRetrying of a task row in SQL: 1 when the row (`status`, `num_attempts`, after `prefix`) is on a
 * retry, else 0. For filters of task lists (the kept counts give totals, not which tasks).
 */
export function retryingFlag(db: Database, prefix = ''): string {
  const byLeast = new Map<number, TaskStatus[]>();
  for (const [status, least] of Object.entries(TASK_RETRY_MIN_ATTEMPTS) as [TaskStatus, number | null][])
    if (least !== null) byLeast.set(least, [...(byLeast.get(least) ?? []), status]);
  const cases = [...byLeast].map(
    ([least, statuses]) =>
      `WHEN ${prefix}status IN (${statusList(db, statuses)})${least > 0 ? ` AND ${prefix}num_attempts >= ${least}` : ''} THEN 1`,
  );
  return `CASE ${cases.join(' ')} ELSE 0 END`;
}
