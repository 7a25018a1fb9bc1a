import type { Database } from '../db';

/** Every table of the database's schema, the migrations' bookkeeping included, sorted. */
export async function tableNames(db: Database): Promise<string[]> {
  const tables = (await db.sequelize.getQueryInterface().showAllTables()) as unknown[];
  return tables
    .map((table) => (typeof table === 'string' ? table : (table as { tableName: string }).tableName))
    .sort();
}

/**
 * Rows in each of `tables` (by default every table but the migrations' bookkeeping): tests that a refused
 * request wrote nothing compare two of these.
 */
export async function tableRowCounts(
  db: Database,
  tables?: readonly string[],
): Promise<Record<string, number>> {
  const counted = tables ?? (await tableNames(db)).filter((table) => table !== 'jobmon_migrations');
  const counts: Record<string, number> = {};
  for (const table of counted) {
    const [row] = await db.select<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
    counts[table] = Number(row!.n);
  }
  return counts;
}
