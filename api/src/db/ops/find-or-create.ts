import type { Transaction } from 'sequelize';
import type { Database } from '../connection';
import { bulkInsert, chunks, quote } from '../bulk';

/**
 * Rows identified by a unique key: inserts the missing ones (INSERT IGNORE, so concurrent binders do
 * not collide) and reads every id back in a few statements. Returns unique-key → id, the key made by
 * `keyOf` from a row's key columns.
 */
export async function findOrCreateByKey<Key extends Column, Column extends string>(
  db: Database,
  transaction: Transaction,
  table: string,
  keyColumns: readonly Key[],
  columns: readonly Column[],
  rows: readonly Readonly<Record<Column, unknown>>[],
  keyOf: (row: Readonly<Record<Key, unknown>>) => string,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (rows.length === 0) return ids;
  await bulkInsert(db, transaction, table, columns, rows, { ignoreDuplicates: true });
  const select = `SELECT id, ${keyColumns.map((c) => quote(db, c)).join(', ')} FROM ${quote(db, table)} WHERE `;
  for (const part of chunks(rows, 1000)) {
    const where =
      keyColumns.length === 1
        ? `${quote(db, keyColumns[0]!)} IN (${part.map((row) => db.literal(row[keyColumns[0]!])).join(',')})`
        : part
            .map(
              (row) =>
                `(${keyColumns.map((column) => `${quote(db, column)} = ${db.literal(row[column])}`).join(' AND ')})`,
            )
            .join(' OR ');
    const found = await db.select<Record<Key, unknown> & { id: number }>(select + where, [], transaction);
    for (const row of found) ids.set(keyOf(row), Number(row.id));
  }
  return ids;
}
