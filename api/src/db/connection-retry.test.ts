import { ConnectionError } from 'sequelize';
import { Database } from '.';
import { Relay } from '../testing/relay';
import { createTestDatabase, MYSQL_TEST_URL, testDialects, type TestDatabase } from '../testing/databases';

// A transaction whose database connection is lost is retried from the start once the database is back,
// never half applied; while it stays away longer than the retry window, the caller gets a
// ConnectionError (which the API answers as SERVICE_UNAVAILABLE). The database is cut through a TCP
// relay: the shared server other tests use stays up.

const maybe = testDialects().includes('mysql') ? describe : describe.skip;

maybe('transactions over a lost MySQL connection [mysql]', () => {
  let target: TestDatabase;
  let relay: Relay;
  let viaRelay: string;
  const opened: Database[] = [];
  const connect = async (connectionRetryMs: number) => {
    const db = await Database.connect(viaRelay, { connectionRetryMs });
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    target = await createTestDatabase('mysql');
    const url = new URL(MYSQL_TEST_URL);
    relay = new Relay({ host: url.hostname, port: Number(url.port || 3306) });
    await relay.open();
    viaRelay = `mysql://${url.username || 'root'}@127.0.0.1:${relay.port}${new URL(target.url).pathname}`;
    const db = await connect(1_000);
    await db.execute('CREATE TABLE counter (id INT PRIMARY KEY, n INT NOT NULL)');
    await db.execute('INSERT INTO counter VALUES (1, 0)');
  });
  afterAll(async () => {
    for (const db of opened) await db.close().catch(() => undefined);
    await relay.cut();
    await target.drop();
  });

  it('retries a transaction cut in the middle from its start, once the database is back', async () => {
    const db = await connect(30_000);
    let attempts = 0;
    const result = await db.transaction(async (transaction) => {
      attempts += 1;
      await db.execute('UPDATE counter SET n = n + 1 WHERE id = 1', [], transaction);
      if (attempts === 1) {
        await relay.cut(); // the database is gone after the first statement...
        setTimeout(() => void relay.open(), 1_000); // ...and back a second later
      }
      const rows = await db.select<{ n: number }>('SELECT n FROM counter WHERE id = 1', [], transaction);
      return Number(rows[0]!.n);
    });
    expect(attempts).toBe(2);
    expect(result).toBe(1); // the first attempt's update was rolled back with its connection
    expect(db.lastConnectionFailureAt).toBeInstanceOf(Date);
    const [row] = await db.select<{ n: number }>('SELECT n FROM counter WHERE id = 1');
    expect(Number(row!.n)).toBe(1);
  });

  it('gives up after its retry window with a ConnectionError; reads fail with one too', async () => {
    const db = await connect(1_500);
    await db.select('SELECT 1'); // a pooled connection that dies with the relay
    await relay.cut();
    try {
      // Retried, not given up at the first failure: the attempts are counted, not timed (the backoff is
      // jittered, so how long the window took varies).
      const begins = jest.spyOn(db.sequelize, 'transaction');
      const failure = await db
        .transaction((transaction) => db.select('SELECT n FROM counter', [], transaction))
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ConnectionError);
      expect(begins.mock.calls.length).toBeGreaterThanOrEqual(3);
      begins.mockRestore();
      expect(await db.select('SELECT n FROM counter').catch((error: unknown) => error)).toBeInstanceOf(
        ConnectionError,
      );
    } finally {
      await relay.open();
    }
    // Back: a request may still see a connect that failed during the outage (the pool hands a failed
    // connect to the next waiting request), the next ones work.
    let rows: unknown[] | undefined;
    for (let attempt = 0; attempt < 50 && !rows; attempt += 1) {
      rows = await db.select('SELECT n FROM counter').catch(() => undefined);
      if (!rows) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rows).toHaveLength(1);
  });
});
