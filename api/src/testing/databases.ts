import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Database, migrateUp, type Dialect } from '../db';
import { mysqlIdentifier, onMysqlServer } from '../db/connection';

// Each test file gets databases of its own (created here, dropped after), so files run in parallel.
// Database tests run on SQLite and on MySQL/MariaDB; with CI=true a MySQL test never skips.

export const MYSQL_TEST_URL = process.env.JOBMON_TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306';

/** Set by global-setup: '1' when the MySQL server answered. */
export function mysqlAvailable(): boolean {
  return process.env.JOBMON_TEST_MYSQL_AVAILABLE === '1';
}

export function testDialects(): Dialect[] {
  if (mysqlAvailable()) return ['sqlite', 'mysql'];
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

/** A new, empty database of `dialect`, not yet migrated. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const name = `jobmon_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
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
  const db = await Database.connect(target.url, options);
  await migrateUp(db);
  return {
    db,
    url: target.url,
    cleanup: async () => {
      await db.close();
      await target.drop();
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
