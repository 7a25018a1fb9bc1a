import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { Database, migrateUp, type Dialect } from '../db';
import { mysqlIdentifier, onMysqlServer, parseDatabaseUrl } from '../db/connection';

// Each test file gets databases of its own (created here, dropped after), so files run in parallel.
// Database tests run on SQLite and on MySQL/MariaDB; with CI=true a MySQL test never skips.

export const MYSQL_TEST_URL = process.env.JOBMON_TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306';

/** Set by global-setup: '1' when the MySQL server answered. */
export function mysqlAvailable(): boolean {
  return process.env.JOBMON_TEST_MYSQL_AVAILABLE === '1';
}

/**
 * The dialects a database test runs on: SQLite, and MySQL when its server is there. JOBMON_TEST_DIALECT
 * (set per Jest project) keeps one of them, so that one file's two halves run in parallel; without MySQL
 * a `mysql` project runs on SQLite rather than on nothing.
 */
export function testDialects(
  /** inOneFile: both here, one after the other (their tests share a resource: Slurm's CPUs). */
  options: { inOneFile?: boolean } = {},
): Dialect[] {
  const only = options.inOneFile ? undefined : process.env.JOBMON_TEST_DIALECT;
  if (mysqlAvailable()) return only === 'sqlite' || only === 'mysql' ? [only] : ['sqlite', 'mysql'];
  if (process.env.CI === 'true')
    throw new Error(`MySQL is required in CI but ${MYSQL_TEST_URL} did not answer`);
  return ['sqlite'];
}

export interface TestDatabase {
  dialect: Dialect;
  url: string;
  /** Drops the database (MySQL) or deletes the file (SQLite). */
  drop(): Promise<void>;
}

/**
 * This Jest run's mark in its MySQL database names (set by the global setup, inherited by the workers),
 * so that its global teardown drops what a test left behind, and nothing of other runs on the server.
 */
export function testRunId(): string {
  return process.env.JOBMON_TEST_RUN_ID ?? 'norun';
}

const testDatabasePrefix = (runId: string) => `jobmon_test_${runId}_`;

/** A new, empty database of `dialect`, not yet migrated. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const name = `${testDatabasePrefix(testRunId())}${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-test-'));
    return {
      dialect,
      url: `sqlite:${path.join(dir, `${name}.sqlite`)}`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const url = `${MYSQL_TEST_URL.replace(/\/$/, '')}/${name}`;
  return {
    dialect,
    url,
    drop: () => onMysqlServer(MYSQL_TEST_URL, `DROP DATABASE IF EXISTS ${mysqlIdentifier(name)}`),
  };
}

/** A connected, migrated database of `dialect`; closed and dropped by `cleanup`. */
export async function openTestDatabase(
  dialect: Dialect,
  options: { countQueries?: boolean } = {},
): Promise<{ db: Database; url: string; cleanup(): Promise<void> }> {
  const target = await createTestDatabase(dialect);
  let db: Database | undefined;
  try {
    db = await Database.connect(target.url, options);
    await migrateUp(db);
  } catch (error) {
    // Connecting creates a MySQL database: gone again, whatever failed.
    await db?.close().catch(() => undefined);
    await target.drop().catch(() => undefined);
    throw error;
  }
  const connected = db;
  return {
    db: connected,
    url: target.url,
    cleanup: async () => {
      try {
        await connected.close();
      } finally {
        await target.drop();
      }
    },
  };
}

/**
 * Runs `suite` once per available dialect, with a fresh migrated database each:
 * `describeEachDatabase('binding', (ctx) => { it('...', async () => ctx.db ...) })`.
 */
export function describeEachDatabase(
  title: string,
  suite: (context: { readonly db: Database; readonly url: string; readonly dialect: Dialect }) => void,
  options: { countQueries?: boolean } = {},
): void {
  describe.each(testDialects())(`${title} [%s]`, (dialect) => {
    let opened: Awaited<ReturnType<typeof openTestDatabase>> | undefined;
    const context = {
      dialect,
      get db(): Database {
        if (!opened) throw new Error('test database not open yet');
        return opened.db;
      },
      get url(): string {
        if (!opened) throw new Error('test database not open yet');
        return opened.url;
      },
    };
    beforeAll(async () => {
      opened = await openTestDatabase(dialect, options);
    });
    afterAll(async () => {
      await opened?.cleanup();
    });
    suite(context);
  });
}

/** Runs `work` with a connection to the MySQL test server (no database selected). */
async function onTestServer<T>(work: (connection: mysql.Connection) => Promise<T>): Promise<T> {
  const parsed = parseDatabaseUrl(MYSQL_TEST_URL);
  const connection = await mysql.createConnection({
    host: parsed.host,
    port: parsed.port,
    user: parsed.username,
    password: parsed.password,
  });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

/** Drops the test databases whose names `doomed` picks among those named `pattern` (LIKE); returns them. */
async function dropTestDatabases(pattern: string, doomed: (name: string) => boolean): Promise<string[]> {
  return onTestServer(async (connection) => {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      'SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE ?',
      [pattern],
    );
    const names = rows.map((row) => String(row.name)).filter(doomed);
    for (const name of names) await connection.query(`DROP DATABASE IF EXISTS ${mysqlIdentifier(name)}`);
    return names;
  });
}

const likePrefix = (prefix: string) => `${prefix.replace(/_/g, '\\_')}%`;

/**
 * Drops the MySQL databases of Jest run `runId` that are still there (a test that failed before its
 * cleanup, a worker that was killed); returns their names.
 */
export function dropLeftoverTestDatabases(runId: string): Promise<string[]> {
  return dropTestDatabases(likePrefix(testDatabasePrefix(runId)), () => true);
}

/** Whether a process of this host is alive (a test database's name carries its creator's pid). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Drops the MySQL test databases whose creating process is gone: a run that was itself killed (Ctrl-C,
 * a CI timeout) reaches neither its tests' afterAll nor its global teardown. Run by the global setup;
 * a run in progress on this host keeps its databases (its processes are alive). Test servers are per
 * host: a test database of another host's run would be taken for an orphan.
 */
export function dropOrphanedTestDatabases(): Promise<string[]> {
  return dropTestDatabases(likePrefix('jobmon_test_'), (name) => {
    const pid = /^jobmon_test_[0-9a-z]+_(\d+)_[0-9a-f]+$/.exec(name)?.[1];
    return pid !== undefined && !processAlive(Number(pid));
  });
}
