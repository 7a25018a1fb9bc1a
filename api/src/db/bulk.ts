import { QueryTypes, type Transaction } from 'sequelize';
import type { Database } from './connection';

/** Rows per INSERT and the SQL size at which a statement is cut, well under MySQL's 16 MiB packet default. */
const MAX_ROWS_PER_STATEMENT = 5000;
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;

export interface BulkInsertOptions {
  /** Skip rows that collide with a unique key (INSERT IGNORE / INSERT OR IGNORE). */
  ignoreDuplicates?: boolean;
  /**
   * MySQL: InnoDB's foreign key checks off for these statements (a parent lookup and lock per key and
   * row: more than half the cost of an edge row, an eighth of a task's), on the transaction's connection,
   * and back on before anything else runs. Only for rows whose every parent the caller's transaction has
   * itself written or read, so that no check could fail. SQLite checks as ever.
   */
  skipForeignKeyChecks?: boolean;
}

/**
 * Multi-row INSERTs of `rows` into `table`, cut into statements by row count and size: a whole DAG goes
 * in a handful of statements instead of one per row. Each row names its value of every column in `columns`.
 * Returns the number of statements sent.
 *
 * The next statement is built while the previous one runs (one statement in flight at a time, so a failed
 * one is never followed by another): the SQL text costs the client about as much CPU as the database
 * spends storing the rows, and the two overlap.
 */
export async function bulkInsert<Column extends string>(
  db: Database,
  transaction: Transaction | undefined,
  table: string,
  columns: readonly Column[],
  rows: Iterable<Readonly<Record<Column, unknown>>>,
  options: BulkInsertOptions = {},
): Promise<number> {
  const verb = options.ignoreDuplicates
    ? db.dialect === 'mysql'
      ? 'INSERT IGNORE'
      : 'INSERT OR IGNORE'
    : 'INSERT';
  const head = `${verb} INTO ${quote(db, table)} (${columns.map((c) => quote(db, c)).join(', ')}) VALUES `;
  const literal = literalWriter(db);
  const width = columns.length;
  let values: string[] = [];
  let bytes = head.length;
  let statements = 0;
  let inFlight: Promise<unknown> | null = null;
  const flush = async () => {
    if (values.length === 0) return;
    const sql = head + values.join(',');
    values = [];
    bytes = head.length;
    if (inFlight) await inFlight;
    // In a transaction the driver takes it directly; otherwise the type spares Sequelize from lower-casing
    // the whole statement to guess it.
    inFlight = transaction
      ? db.execute(sql, [], transaction)
      : db.sequelize.query(sql, { transaction, raw: true, type: QueryTypes.INSERT });
    // Observed by the next flush or at the end; this only keeps it from counting as unhandled meanwhile.
    inFlight.catch(() => undefined);
    statements += 1;
  };
  const skipChecks = options.skipForeignKeyChecks === true && db.dialect === 'mysql' && transaction;
  if (skipChecks) await db.execute('SET SESSION foreign_key_checks = 0', [], transaction);
  try {
    for (const row of rows) {
      // Rows were positional arrays once: one left over would write NULLs into every column.
      if (Array.isArray(row)) throw new Error(`bulkInsert ${table}: rows are objects keyed by column`);
      let tuple = '(';
      for (let i = 0; i < width; i++) tuple += (i === 0 ? '' : ',') + literal(row[columns[i]!]);
      tuple += ')';
      values.push(tuple);
      bytes += tuple.length + 1;
      if (values.length >= MAX_ROWS_PER_STATEMENT || bytes >= MAX_STATEMENT_BYTES) await flush();
    }
    await flush();
    await (inFlight as Promise<unknown> | null);
  } catch (error) {
    // Never leave a statement running behind the caller's back (its transaction is about to roll back).
    const pending = inFlight as Promise<unknown> | null;
    if (pending) await pending.catch(() => undefined);
    throw error;
  } finally {
    if (skipChecks) await db.execute('SET SESSION foreign_key_checks = 1', [], transaction);
  }
  return statements;
}

/**
 * `db.literal`, with its common cases done here for bulk rows: strings escaped as Sequelize escapes them
 * for the dialect (the last one remembered: a column often repeats a value), numbers printed, and a Date
 * (bulk rows share one timestamp) formatted once. The same output as `db.literal`.
 */
function literalWriter(db: Database): (value: unknown) => string {
  const escapeString = db.dialect === 'mysql' ? escapeMysqlString : escapeSqliteString;
  let lastString: string | undefined;
  let lastStringLiteral = '';
  let lastTime = NaN;
  let lastDate = '';
  return (value) => {
    if (typeof value === 'string') {
      if (value !== lastString) {
        lastStringLiteral = escapeString(value);
        lastString = value;
      }
      return lastStringLiteral;
    }
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (value === null || value === undefined) return 'NULL';
    if (value instanceof Date) {
      const time = value.getTime();
      if (time !== lastTime || Number.isNaN(time)) {
        lastDate = db.literal(value);
        lastTime = time;
      }
      return lastDate;
    }
    return db.literal(value);
  };
}

// The characters Sequelize escapes for MySQL (control characters included, on purpose).
// eslint-disable-next-line no-control-regex
const MYSQL_SPECIAL = /[\0\n\r\b\t\\'"\x1a]/g;
const MYSQL_ESCAPES: Readonly<Record<string, string>> = {
  '\0': '\\0',
  '\n': '\\n',
  '\r': '\\r',
  '\b': '\\b',
  '\t': '\\t',
  '\x1a': '\\Z',
};

/** Sequelize's MySQL string literal (backslash escapes). */
export function escapeMysqlString(value: string): string {
  MYSQL_SPECIAL.lastIndex = 0;
  if (!MYSQL_SPECIAL.test(value)) return `'${value}'`;
  return `'${value.replace(MYSQL_SPECIAL, (ch) => MYSQL_ESCAPES[ch] ?? `\\${ch}`)}'`;
}

/**
 * Sequelize's SQLite string literal (quotes doubled). SQLite reads SQL text only up to a NUL character, so a
 * string holding one is written as a blob of its UTF-8 bytes cast back to TEXT.
 */
export function escapeSqliteString(value: string): string {
  if (value.includes('\0')) return `CAST(X'${Buffer.from(value, 'utf8').toString('hex')}' AS TEXT)`;
  return value.includes("'") ? `'${value.replace(/'/g, "''")}'` : `'${value}'`;
}

/** Splits `items` into arrays of at most `size`, for `IN (...)` lists. */
export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

export function quote(db: Database, identifier: string): string {
  return db.dialect === 'mysql' ? `\`${identifier}\`` : `"${identifier}"`;
}

export interface UpdateColumn<Column extends string = string> {
  column: Column;
  /** Keep the stored value where the new one is NULL (COALESCE). */
  keepExisting?: boolean;
}

/**
 * Updates many rows by id, each with its own values, in one statement per chunk: the rows' values as a
 * table joined to the rows by id. Each row names its id and its value of every column in `columns`. A
 * batch of attempts reported at once costs one UPDATE, not one each.
 *
 * Not `SET col = CASE id WHEN 1 THEN … WHEN 2 THEN … END` (the form before): both databases evaluate a
 * CASE one WHEN after another, so each row of a 1,000-row chunk compared its id with ~500 others per
 * column (13 columns in a finished report): O(rows²). MariaDB spent 47–56 ms of CPU per 1,000 finished
 * reports that way, 17–18 ms joined.
 * MySQL and MariaDB join a derived table (a UNION ALL of one-row SELECTs: the same SQL on both, whose
 * VALUES rows are spelt differently); SQLite (≥ 3.33) updates FROM a VALUES table.
 */
export async function bulkUpdateById<Column extends string>(
  db: Database,
  transaction: Transaction,
  table: string,
  columns: readonly UpdateColumn<Column>[],
  rows: readonly ({ id: number } & Readonly<Record<Column, unknown>>)[],
): Promise<void> {
  const literal = literalWriter(db);
  const mysql = db.dialect === 'mysql';
  const target = quote(db, table);
  const names = columns.map(({ column }) => quote(db, column));
  // The joined values' columns: named on MySQL; SQLite names a VALUES table's columns column1, column2, …
  const assignments = columns.map(({ keepExisting }, i) => {
    const value = mysql ? `v.${names[i]}` : `v.column${i + 2}`;
    const stored = `${target}.${names[i]}`;
    return `${mysql ? stored : names[i]} = ${keepExisting ? `COALESCE(${value}, ${stored})` : value}`;
  });
  for (const part of chunks(rows, 1000)) {
    const tuples = part.map((row) => [row.id, ...columns.map(({ column }) => row[column])].map(literal));
    await db.execute(
      mysql
        ? `UPDATE ${target} JOIN (SELECT ${tuples[0]!.map((value, i) => `${value} AS ${i === 0 ? 'id' : names[i - 1]}`).join(', ')}` +
            tuples
              .slice(1)
              .map((tuple) => ` UNION ALL SELECT ${tuple.join(', ')}`)
              .join('') +
            `) v ON v.id = ${target}.id SET ${assignments.join(', ')}`
        : `UPDATE ${target} SET ${assignments.join(', ')} FROM (VALUES ${tuples.map((tuple) => `(${tuple.join(', ')})`).join(', ')}) AS v` +
            ` WHERE v.column1 = ${target}.id`,
      [],
      transaction,
    );
  }
}
