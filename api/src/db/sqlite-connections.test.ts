import { Database } from '.';
import { createTestDatabase, type TestDatabase } from '../testing/databases';

// The embedded SQLite database serves readers beside its one writer: every connection it opens runs in
// WAL mode (readers never wait for the writer's commit) with a long busy timeout (the driver's default,
// 1 s, failed reads with SQLITE_BUSY while a big binding committed), whichever path opened it.

describe('SQLite connections', () => {
  let target: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    target = await createTestDatabase('sqlite');
    db = await Database.connect(target.url);
  });
  afterAll(async () => {
    await db?.close();
    await target?.drop();
  });

  const pragmas = async (read: (sql: string) => Promise<Record<string, unknown>[]>) => ({
    journal: (await read('PRAGMA journal_mode'))[0]?.journal_mode,
    busyTimeout: (await read('PRAGMA busy_timeout'))[0]?.timeout,
    foreignKeys: (await read('PRAGMA foreign_keys'))[0]?.foreign_keys,
  });
  const expected = { journal: 'wal', busyTimeout: 30_000, foreignKeys: 1 };

  it('reads outside a transaction run on a WAL connection with a 30 s busy timeout', async () => {
    expect(await pragmas((sql) => db.select(sql))).toEqual(expected);
    expect(await pragmas((sql) => db.selectDirect(sql))).toEqual(expected);
  });

  it('transactions run on a WAL connection with a 30 s busy timeout', async () => {
    const seen = await db.transaction((transaction) =>
      pragmas((sql) => db.select<Record<string, unknown>>(sql, [], transaction)),
    );
    expect(seen).toEqual(expected);
  });

  it('a read outside a transaction is answered while a write transaction is open', async () => {
    await db.execute('CREATE TABLE probe (id INTEGER PRIMARY KEY, value TEXT)');
    await db.execute("INSERT INTO probe (value) VALUES ('committed')");
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    const writer = db.transaction(async (transaction) => {
      await db.execute("INSERT INTO probe (value) VALUES ('uncommitted')", [], transaction);
      written();
      await held;
    });
    try {
      await wrote;
      // In rollback-journal mode this read would still work, but a writer's commit would wait for it and
      // a reader would wait for a commit; WAL gives the reader the last committed state without waiting.
      expect(await db.select('SELECT value FROM probe ORDER BY id')).toEqual([{ value: 'committed' }]);
    } finally {
      release();
      await writer;
    }
    expect(await db.select('SELECT value FROM probe ORDER BY id')).toHaveLength(2);
  });
});
