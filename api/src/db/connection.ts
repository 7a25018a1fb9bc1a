import fs from 'node:fs';
import type mysql from 'mysql2/promise';
import path from 'node:path';
import {
  BaseError,
  ConnectionError,
  DatabaseError,
  ForeignKeyConstraintError,
  Sequelize,
  Transaction,
  QueryTypes,
  UniqueConstraintError,
  type Options,
} from 'sequelize';
import { collectTaskCounts, flushTaskCounts } from './task-counts';
import { collectTemplateUsage, flushTemplateUsage } from './template-usage';
import { AuditCommits } from './audit-commits';
import { escapeSqliteString } from './bulk';
import { defineModels, type Models } from './models';

export type Dialect = 'sqlite' | 'mysql';

export interface DatabaseOptions {
  /** Count every SQL statement sent (tests use it to prove reads are batched). */
  countQueries?: boolean;
  /** Largest number of pooled connections (MySQL). */
  poolMax?: number;
  /**
   * MySQL: how long a transaction is retried, from its start, while the database cannot be reached (it
   * restarts, fails over): default 30 s. After that the caller gets a ConnectionError.
   */
  connectionRetryMs?: number;
}

/** Where a database URL points. `sqlite:` alone means the default file under ./.jobmon/. */
export interface ParsedDatabaseUrl {
  dialect: Dialect;
  storage?: string;
  database?: string;
  host?: string;
  port?: number;
  username?: string;
  password?: string;
}

export function parseDatabaseUrl(url: string, cwd = process.cwd()): ParsedDatabaseUrl {
  if (url.startsWith('sqlite:')) {
    let storage = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (storage === '' || storage === '//') storage = path.join(cwd, '.jobmon', 'jobmon.sqlite');
    if (storage !== ':memory:' && !path.isAbsolute(storage)) storage = path.resolve(cwd, storage);
    return { dialect: 'sqlite', storage };
  }
  if (url.startsWith('mysql:') || url.startsWith('mariadb:')) {
    const parsed = new URL(url);
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'jobmon';
    return {
      dialect: 'mysql',
      database,
      host: parsed.hostname || '127.0.0.1',
      port: parsed.port ? Number(parsed.port) : 3306,
      username: decodeURIComponent(parsed.username || 'root'),
      password: decodeURIComponent(parsed.password || ''),
    };
  }
  throw new Error(
    `Unsupported JOBMON_DATABASE_URL "${url}": use sqlite:PATH or mysql://USER:PASS@HOST:PORT/DB`,
  );
}

type DriverCallback = (error: Error | null, rows: Record<string, unknown>[]) => void;
interface DriverConnection {
  all?(sql: string, callback: DriverCallback): void; // sqlite3
  run?(sql: string, callback: (this: { changes: number }, error: Error | null) => void): void; // sqlite3
  query?(sql: string, callback: DriverCallback): void; // mysql2
}

interface ConnectionManager {
  getConnection(options: object): Promise<DriverConnection>;
  releaseConnection(connection: DriverConnection): Promise<void> | void;
}

const RETRYABLE_MYSQL = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

function errorCode(error: unknown): string | undefined {
  const parent = (error as { parent?: { code?: string } } | undefined)?.parent;
  return parent?.code ?? (error as { code?: string } | undefined)?.code;
}

function isRetryable(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && (RETRYABLE_MYSQL.has(code) || code === 'SQLITE_BUSY');
}

/** mysql2's queryFormat: the text as it is (a value list would have to be inlined, and none ever is). */
function mysqlTextAsIs(sql: string, values: unknown): string {
  if (Array.isArray(values) ? values.length > 0 : values !== undefined && values !== null)
    throw new Error('Statements are sent with their values inlined; this one came with a value list');
  return sql;
}

/** mysql2 / sqlite3 error codes of a lost or refused connection (the rest are statement errors). */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'SQLITE_CANTOPEN',
]);

/**
 * Whether `error` says the database could not be reached (refused, dropped, shutting down), as opposed to
 * a statement that failed. Sequelize types only failures to connect as ConnectionError: a connection lost
 * under a statement comes as a DatabaseError whose driver code tells.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof ConnectionError) return true;
  // Only the database's own errors: a socket of the server's (a browser gone mid-subscription: EPIPE) has
  // the same codes and is not the database.
  if (!(error instanceof BaseError) && !isDriverError(error)) return false;
  const code = errorCode(error);
  return code !== undefined && CONNECTION_ERROR_CODES.has(code);
}

/** An error raised by a driver itself: mysql2 marks each with `fatal`, sqlite3's codes are SQLITE_*. */
function isDriverError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { fatal, code } = error as { fatal?: unknown; code?: unknown };
  return typeof fatal === 'boolean' || (typeof code === 'string' && code.startsWith('SQLITE_'));
}

/** A connection failure as a ConnectionError (the API answers SERVICE_UNAVAILABLE: clients try again). */
function asConnectionError(error: unknown): unknown {
  if (error instanceof ConnectionError || !isConnectionFailure(error)) return error;
  const parent = (error as { parent?: Error }).parent ?? (error as Error);
  return new ConnectionError(parent);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A driver error as Sequelize would have raised it, so that retries and error codes see one shape. */
function sequelizeError(error: Error & { code?: string; sql?: string }): Error {
  const code = error.code ?? '';
  const parent = Object.assign(error, { sql: error.sql ?? '' });
  if (CONNECTION_ERROR_CODES.has(code)) return new ConnectionError(parent);
  if (code === 'ER_DUP_ENTRY' || (code === 'SQLITE_CONSTRAINT' && /UNIQUE|PRIMARY KEY/.test(error.message)))
    return new UniqueConstraintError({ parent, message: error.message });
  if (
    code.startsWith('ER_NO_REFERENCED_ROW') ||
    code.startsWith('ER_ROW_IS_REFERENCED') ||
    /FOREIGN KEY/.test(error.message)
  )
    return new ForeignKeyConstraintError({ parent, message: error.message });
  return new DatabaseError(parent as ConstructorParameters<typeof DatabaseError>[0]);
}

/** Run on every SQLite connection we open (Sequelize's sqlite dialect runs no afterConnect hook). */
const SQLITE_PRAGMAS = [
  // The driver's default is 1 s: a read that met a big commit failed with SQLITE_BUSY.
  'PRAGMA busy_timeout = 30000',
  // Readers see the last commit without waiting for the writer, and the writer never waits for readers.
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = NORMAL',
  'PRAGMA foreign_keys = ON',
];

/** Connections for reads outside transactions: as many as libuv has threads for the driver's work. */
const SQLITE_READERS = 4;

type SqliteDriverConnection = { run(sql: string, callback: (error: Error | null) => void): void };

const runPragmas = async (connection: object) => {
  for (const sql of SQLITE_PRAGMAS)
    await new Promise<void>((resolve, reject) =>
      (connection as SqliteDriverConnection).run(sql, (error) => (error ? reject(error) : resolve())),
    );
};

/**
 * How the embedded SQLite database is connected. Sequelize opens a new connection for every transaction
 * (a file open, a cold page cache and schema parse each time) and sends every other statement down one
 * shared connection. Our transactions are serialised in-process (one writer at a time), so they share one
 * long-lived writer connection. Reads outside transactions take one of a few reader connections, one
 * statement at a time each: the driver finalises a finished statement on the main thread, which waits
 * for the connection's mutex, so a shared connection busy with another statement froze the event loop
 * for that statement's whole run. A connection goes back to its pool on the next turn of the event loop,
 * after the driver has finalised its statement.
 */
function manageSqliteConnections(sequelize: Sequelize): void {
  type Manager = {
    getConnection(options?: { uuid?: string }): Promise<object>;
    releaseConnection(connection: object, force?: boolean): unknown;
  };
  const manager = sequelize.connectionManager as unknown as Manager;
  const getConnection = manager.getConnection.bind(manager);
  const releaseConnection = manager.releaseConnection.bind(manager);
  const inMemory = (sequelize as unknown as { options: Options }).options.storage === ':memory:';
  const prepared = new WeakSet<object>();
  const open = async (uuid: string) => {
    const connection = await getConnection({ uuid });
    if (!prepared.has(connection)) {
      prepared.add(connection);
      await runPragmas(connection);
    }
    return connection;
  };
  let writer: object | null = null;
  const readers = new Set<object>();
  let readersOpened = 0; // names each reader once: a reused name would hand out a connection in use
  const idle: object[] = [];
  const waiting: ((connection: object) => void)[] = [];
  const acquireReader = async (): Promise<object> => {
    const free = idle.pop();
    if (free) return free;
    if (readers.size < SQLITE_READERS) {
      const name = `jobmon-reader-${readersOpened++}`;
      const placeholder = {};
      readers.add(placeholder); // counts while it opens
      try {
        const connection = await open(name);
        readers.add(connection);
        return connection;
      } finally {
        readers.delete(placeholder);
      }
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const releaseReader = (connection: object) =>
    setImmediate(() => {
      const next = waiting.shift();
      if (next) next(connection);
      else idle.push(connection);
    });
  manager.getConnection = async (options) => {
    if (!options?.uuid || options.uuid === 'default') {
      // An in-memory database lives in its one connection: nothing to pool.
      return inMemory ? open('default') : acquireReader();
    }
    writer ??= await open('jobmon-writer');
    return writer;
  };
  manager.releaseConnection = (connection, force) => {
    if (readers.has(connection) && force !== true) return releaseReader(connection);
    if (connection === writer && force !== true) return undefined;
    if (connection === writer) writer = null;
    readers.delete(connection);
    return releaseConnection(connection, force);
  };
}

/** The driver connection a Sequelize transaction holds (set once the transaction has begun). */
function driverConnection(transaction: Transaction): DriverConnection | undefined {
  return (transaction as unknown as { connection?: DriverConnection }).connection;
}

/**
 * The one door to the database: the Sequelize instance, its models, and transactions that are
 * serialised on SQLite (a single writer) and retried on MySQL deadlocks.
 */
export class Database {
  readonly models: Models;
  /** Commits of transactions that wrote audit rows (status-change.ts reports them; the event hub listens). */
  readonly auditCommits = new AuditCommits();
  /** SQL statements sent so far, when counting was asked for. */
  queryCount = 0;
  /**
   * When a statement last failed because the database could not be reached (undefined: never). Nobody
   * could record a heartbeat then: the reaper does not count silence from before it.
   */
  lastConnectionFailureAt: Date | undefined;
  private readonly countingQueries: boolean;
  private readonly connectionRetryMs: number;
  private sqliteWriteQueue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly sequelize: Sequelize,
    readonly dialect: Dialect,
    readonly url: ParsedDatabaseUrl,
    options: DatabaseOptions,
  ) {
    this.countingQueries = options.countQueries ?? false;
    this.connectionRetryMs = options.connectionRetryMs ?? 30_000;
    this.models = defineModels(sequelize);
  }

  static async connect(databaseUrl: string, options: DatabaseOptions = {}): Promise<Database> {
    const url = parseDatabaseUrl(databaseUrl);
    let db: Database;
    const logging = options.countQueries ? () => void (db.queryCount += 1) : false;
    if (url.dialect === 'sqlite') {
      if (url.storage && url.storage !== ':memory:')
        fs.mkdirSync(path.dirname(url.storage), { recursive: true });
      const sequelize = new Sequelize({
        dialect: 'sqlite',
        storage: url.storage,
        logging,
      } as Options);
      manageSqliteConnections(sequelize);
      db = new Database(sequelize, 'sqlite', url, options);
    } else {
      await ensureMysqlDatabase(databaseUrl, url.database!);
      const sequelize = new Sequelize(url.database!, url.username!, url.password, {
        dialect: 'mysql',
        host: url.host,
        port: url.port,
        logging,
        timezone: '+00:00',
        pool: { max: options.poolMax ?? 10, min: 0, idle: 10_000, acquire: 60_000 },
        dialectOptions: {
          supportBigNumbers: true,
          bigNumberStrings: false,
          charset: 'utf8mb4',
          multipleStatements: false,
          // Every statement reaches the driver whole, its values inlined (Database.format, Sequelize's own
          // replacements): mysql2's placeholder scan would read each text once more for nothing, a bulk
          // INSERT's megabytes included. Bound parameters (connection.execute) do not pass through here.
          queryFormat: mysqlTextAsIs,
          // mysql2's own conversion of every column instead of Sequelize's typeCast callback, which mysql2
          // calls with a wrapper object and closure per field of every row (7% of the API's CPU in the soak
          // bench: audit rows, claimed attempts). Sequelize's callback converts only DATETIME (to the same
          // Date in the connection's time zone, +00:00), DATE (a string) and GEOMETRY, neither of which the
          // schema or its queries have.
          typeCast: true,
        },
        define: { charset: 'utf8mb4', collate: 'utf8mb4_bin' },
      });
      db = new Database(sequelize, 'mysql', url, options);
    }
    await db.sequelize.authenticate();
    return db;
  }

  /**
   * Runs `work` in one transaction. On SQLite, writers queue in-process and take the write lock at
   * BEGIN (IMMEDIATE), so two transactions never deadlock on a lock upgrade; on MySQL the transaction
   * is READ COMMITTED and retried on deadlock, and from the start while the database cannot be reached
   * (for `connectionRetryMs`): a lost connection rolls the transaction back, so it is never half applied.
   * Only a COMMIT whose answer was lost may have applied; running it again is then what a client's retry
   * would do (status changes are compare-and-set, reports idempotent, and the instances of a claim whose
   * answer was lost are taken over by the distributor's reconciliation). `work` may run more than once:
   * it must not have effects outside the transaction (use `transaction.afterCommit`).
   */
  async transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    // Task count deltas and template usage are collected during the work and written last, always in this
    // order (db/task-counts.ts, db/template-usage.ts).
    const counted = async (transaction: Transaction) => {
      collectTaskCounts(transaction);
      collectTemplateUsage(transaction);
      const result = await work(transaction);
      await flushTaskCounts(this, transaction);
      await flushTemplateUsage(this, transaction);
      return result;
    };
    if (this.dialect === 'sqlite') {
      const run = this.sqliteWriteQueue.then(() =>
        this.withRetry(() => this.sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, counted)),
      );
      this.sqliteWriteQueue = run.catch(() => undefined);
      return run;
    }
    return this.withRetry(() =>
      this.sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }, counted),
    );
  }

  private async withRetry<T>(attempt: () => Promise<T>): Promise<T> {
    const started = Date.now();
    let lockRetries = 0;
    for (let connectionRetries = 0; ;) {
      try {
        return await attempt();
      } catch (error) {
        if (this.dialect === 'mysql' && isConnectionFailure(error)) {
          this.lastConnectionFailureAt = new Date();
          connectionRetries += 1;
          // The pool drops dead connections when they are next acquired (Sequelize validates each).
          const delay = Math.min(2_000, 50 * 2 ** Math.min(connectionRetries, 6));
          if (Date.now() + delay - started > this.connectionRetryMs) throw asConnectionError(error);
          await sleep(delay / 2 + (delay / 2) * Math.random());
          continue;
        }
        lockRetries += 1;
        if (!isRetryable(error) || lockRetries >= 8) throw error;
        await sleep(Math.min(500, 10 * 2 ** lockRetries) * Math.random());
      }
    }
  }

  /** Runs a statement outside a transaction; a lost connection comes out as a ConnectionError. */
  private async outsideTransaction<T>(statement: () => Promise<T>): Promise<T> {
    try {
      return await statement();
    } catch (error) {
      if (!isConnectionFailure(error)) throw error;
      this.lastConnectionFailureAt = new Date();
      throw asConnectionError(error);
    }
  }

  /**
   * A raw SELECT. Inside a transaction the statement goes straight to the transaction's driver connection
   * with its values inlined by `literal`: `sequelize.query` costs more than a small indexed statement itself
   * (a stack trace captured and formatted per call, a query object, ...), and a claim's or report's transaction is
   * dozens of such statements.
   */
  async select<Row extends object>(
    sql: string,
    replacements: unknown[] = [],
    transaction?: Transaction,
  ): Promise<Row[]> {
    const connection = transaction && driverConnection(transaction);
    if (connection) return (await this.direct(connection, this.format(sql, replacements), 'select')) as Row[];
    // Values inlined by `format` here too (not Sequelize's replacements): one formatter for every statement.
    const query = () =>
      this.sequelize.query<Row>(this.format(sql, replacements), {
        type: QueryTypes.SELECT,
        transaction,
        raw: true,
      });
    return transaction ? query() : this.outsideTransaction(query);
  }

  /** A raw UPDATE, DELETE or INSERT; returns the number of rows it changed (other statements: 0). */
  async execute(sql: string, replacements: unknown[] = [], transaction?: Transaction): Promise<number> {
    const verb = sql.trimStart().slice(0, 6).toUpperCase();
    const connection = transaction && driverConnection(transaction);
    if (connection && (verb === 'UPDATE' || verb === 'DELETE' || verb === 'INSERT'))
      return (await this.direct(connection, this.format(sql, replacements), 'execute')) as number;
    const type =
      verb === 'UPDATE' ? QueryTypes.BULKUPDATE : verb === 'DELETE' ? QueryTypes.BULKDELETE : QueryTypes.RAW;
    const query = () =>
      this.sequelize.query(this.format(sql, replacements), {
        transaction,
        type,
        raw: true,
      });
    const result = (await (transaction ? query() : this.outsideTransaction(query))) as unknown;
    return typeof result === 'number' ? result : 0;
  }

  /**
   * Inlines `?` placeholders as literals of this dialect. A `?` inside a quoted string, a quoted identifier
   * or a comment is text, read as the database reads it: on MySQL a backslash escapes the next character
   * inside '…' and "…" (so `'a\'?'` is one string holding `a'?`), a doubled quote is a quote on both
   * dialects, `#` and `-- ` start a comment on MySQL (`--` followed by anything on SQLite). Statements carry literals `literal` inlined earlier (IN lists,
   * bulk rows), so a placeholder found inside one would inline a value into a user's string.
   */
  format(sql: string, values: readonly unknown[]): string {
    if (values.length === 0) return sql;
    const mysql = this.dialect === 'mysql';
    let out = '';
    let next = 0;
    let copiedTo = 0;
    for (let i = 0; i < sql.length; i += 1) {
      const char = sql[i]!;
      if (char === "'" || char === '"' || char === '`') {
        // To the closing quote; a doubled one closes and reopens, which reads the same.
        const escapes = mysql && char !== '`';
        for (i += 1; i < sql.length && sql[i] !== char; i += 1) if (escapes && sql[i] === '\\') i += 1;
      } else if (
        (char === '-' && sql[i + 1] === '-' && (!mysql || /\s/.test(sql[i + 2] ?? ' '))) ||
        (mysql && char === '#')
      ) {
        while (i < sql.length && sql[i] !== '\n') i += 1;
      } else if (char === '/' && sql[i + 1] === '*') {
        const end = sql.indexOf('*/', i + 2);
        i = end === -1 ? sql.length : end + 1;
      } else if (char === '?') {
        if (next >= values.length) throw new Error(`Too few values for the placeholders of: ${sql}`);
        out += sql.slice(copiedTo, i) + this.literal(values[next++]);
        copiedTo = i + 1;
      }
    }
    if (next !== values.length)
      throw new Error(`${values.length} values for ${next} placeholders in: ${sql}`);
    return out + sql.slice(copiedTo);
  }

  private direct(connection: DriverConnection, sql: string, kind: 'select' | 'execute'): Promise<unknown> {
    if (this.countingQueries) this.queryCount += 1;
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => reject(sequelizeError(error));
      if (this.dialect === 'sqlite') {
        // Answered on the next turn of the event loop: the driver finalises the statement right after this
        // callback, on the main thread, and would wait there for the connection's mutex were the caller's
        // next statement already running on it.
        if (kind === 'select')
          connection.all!(sql, (error, rows) => setImmediate(() => (error ? fail(error) : resolve(rows))));
        else
          connection.run!(sql, function (error) {
            const changes = this.changes;
            setImmediate(() => (error ? fail(error) : resolve(changes)));
          });
        return;
      }
      connection.query!(sql, (error, result) => {
        if (error) fail(error);
        else
          resolve(kind === 'select' ? result : (result as unknown as { affectedRows: number }).affectedRows);
      });
    });
  }

  /**
   * A complete SELECT (values already inlined with `literal`) sent straight to the driver, on the
   * connection Sequelize itself would use outside a transaction: `sequelize.query` costs a one-row read
   * more than the read itself (it captures and formats a stack trace per statement, builds a query
   * object, ...). Used by the hot by-id reads. A driver error is retried through `select`, so errors come
   * out typed as everywhere else. `background` reads (the subscriptions' tailer of the audit log, which
   * runs after commits) stay out of `queryCount`, which tests use to count one request's statements.
   */
  async selectDirect(
    sql: string,
    options: { background?: boolean } = {},
  ): Promise<Record<string, unknown>[]> {
    const manager = this.sequelize.connectionManager as unknown as ConnectionManager;
    let connection: DriverConnection;
    try {
      connection = await manager.getConnection({ type: 'SELECT' });
    } catch {
      return this.select<Record<string, unknown>>(sql);
    }
    if (this.countingQueries && !options.background) this.queryCount += 1;
    try {
      return await new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const done: DriverCallback = (error, rows) => (error ? reject(error) : resolve(rows));
        if (this.dialect === 'sqlite') connection.all!(sql, done);
        else connection.query!(sql, done);
      });
    } catch {
      return this.select<Record<string, unknown>>(sql);
    } finally {
      await manager.releaseConnection(connection);
    }
  }

  /** Escapes one value as an SQL literal of this dialect. */
  literal(value: unknown): string {
    if (value === undefined || value === null) return 'NULL';
    if (typeof value === 'boolean') return this.dialect === 'mysql' ? (value ? '1' : '0') : value ? '1' : '0';
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new Error(`Not a finite number: ${value}`);
      return String(value);
    }
    if (this.dialect === 'sqlite' && typeof value === 'string') return escapeSqliteString(value);
    return this.sequelize.escape(this.dateValue(value) as string | Date);
  }

  /**
   * Sequelize escapes a Date for MySQL without its milliseconds (it ignores the columns' DATETIME(3)), so
   * raw statements stored whole seconds while the models store milliseconds. MySQL gets the UTC text with
   * milliseconds instead (the connection's timezone is +00:00); SQLite's escaping already keeps them.
   */
  private dateValue(value: unknown): unknown {
    if (this.dialect !== 'mysql' || !(value instanceof Date)) return value;
    return value.toISOString().slice(0, 23).replace('T', ' ');
  }

  async close(): Promise<void> {
    await this.sequelize.close();
  }
}

/**
 * Runs `statement` on a connection to the MySQL server of `url` without selecting a database (creating or
 * dropping one): the one place that opens such a connection, for the server, the tests and the benches.
 */
export async function onMysqlServer(
  url: string,
  statement: string,
  options: { connectTimeoutMs?: number } = {},
): Promise<void> {
  const parsed = parseDatabaseUrl(url);
  if (parsed.dialect !== 'mysql') throw new Error(`Not a MySQL URL: ${url}`);
  // Required here, not at load: a server on SQLite never needs the driver's ~90 modules.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const driver = require('mysql2/promise') as typeof mysql;
  const connection = await driver.createConnection({
    host: parsed.host,
    port: parsed.port,
    user: parsed.username,
    password: parsed.password,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
  });
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
}

/** `name` quoted as a MySQL identifier. */
export const mysqlIdentifier = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** Creates the MySQL database named in the URL when it does not exist yet, so a new install needs no DBA step. */
async function ensureMysqlDatabase(url: string, database: string): Promise<void> {
  await onMysqlServer(
    url,
    `CREATE DATABASE IF NOT EXISTS ${mysqlIdentifier(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
  );
}
