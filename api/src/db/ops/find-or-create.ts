import type { Transaction } from 'sequelize';
import type { Database } from '../connection';
import { bulkInsert, chunks, quote } from '../bulk';

/**
 * Rows identified by a unique key: inserts the missing ones (INSERT IGNORE, so concurrent binders do
 * not collide) and reads every id back in a few statements. Returns unique-key → id.
 */
export async function findOrCreateByKey(
  db: Database,
  transaction: Transaction,
  table: string,
  keyColumns: readonly string[],
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  keyOf: (row: readonly unknown[]) => string,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (rows.length === 0) return ids;
  await bulkInsert(db, transaction, table, columns, rows, { ignoreDuplicates: true });
  const keyIndexes = keyColumns.map((column) => columns.indexOf(column));
  const select = `SELECT id, ${keyColumns.map((c) => quote(db, c)).join(', ')} FROM ${quote(db, table)} WHERE `;
  for (const part of chunks(rows, 1000)) {
    const where =
      keyColumns.length === 1
        ? `${quote(db, keyColumns[0]!)} IN (${part.map((row) => db.literal(row[keyIndexes[0]!])).join(',')})`
        : part
            .map(
              (row) =>
                `(${keyColumns.map((column, i) => `${quote(db, column)} = ${db.literal(row[keyIndexes[i]!])}`).join(' AND ')})`,
            )
            .join(' OR ');
    const found = await db.select<Record<string, unknown>>(select + where, [], transaction);
    for (const row of found) ids.set(keyOf(keyColumns.map((column) => row[column])), Number(row.id));
  }
  return ids;
}
