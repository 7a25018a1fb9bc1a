import type { Transaction } from 'sequelize';
import type { Database } from './connection';

/** Rows per INSERT and the SQL size at which a statement is cut, well under MySQL's 16 MiB packet default. */
const MAX_ROWS_PER_STATEMENT = 5000;
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;

export interface BulkInsertOptions {
  /** Skip rows that collide with a unique key (INSERT IGNORE / INSERT OR IGNORE). */
  ignoreDuplicates?: boolean;
}

/**
 * Multi-row INSERTs of `rows` into `table`, cut into statements by row count and size: a whole DAG goes
 * in a handful of statements instead of one per row. Returns the number of statements sent.
 */
export async function bulkInsert(
  db: Database,
  transaction: Transaction | undefined,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly unknown[]>,
  options: BulkInsertOptions = {},
): Promise<number> {
  const verb = options.ignoreDuplicates ? (db.dialect === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE') : 'INSERT';
  const head = `${verb} INTO ${quote(db, table)} (${columns.map((c) => quote(db, c)).join(', ')}) VALUES `;
  let values: string[] = [];
  let bytes = head.length;
  let statements = 0;
  const flush = async () => {
    if (values.length === 0) return;
    await db.sequelize.query(head + values.join(','), { transaction, raw: true });
    statements += 1;
    values = [];
    bytes = head.length;
  };
  for (const row of rows) {
    if (row.length !== columns.length) throw new Error(`bulkInsert ${table}: row has ${row.length} values`);
    const tuple = `(${row.map((value) => db.literal(value)).join(',')})`;
    values.push(tuple);
    bytes += tuple.length + 1;
    if (values.length >= MAX_ROWS_PER_STATEMENT || bytes >= MAX_STATEMENT_BYTES) await flush();
  }
  await flush();
  return statements;
}

/** Splits `items` into arrays of at most `size`, for `IN (...)` lists. */
export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

export function quote(db: Database, identifier: string): string {
  return db.dialect === 'mysql' ? `\`${identifier}\`` : `"${identifier}"`;
}
