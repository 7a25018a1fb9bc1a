import { loadConfig } from '../config';
import { Database, migrateUp } from '.';
import { startServer, type JobmonServer } from '../server';
import { createTestDatabase, MYSQL_TEST_URL, testDialects, type TestDatabase } from '../testing/databases';
// A relay in front of MariaDB that the test cuts and restores: the server sees its database die and come
// back without touching the real server other tests use.
import { Relay } from '../testing/relay';

// Only MySQL has a connection to lose; the test is skipped without it (and CI requires MySQL anyway).
const maybe = testDialects().includes('mysql') ? describe : describe.skip;

maybe('a dead database connection [mysql]', () => {
  let target: TestDatabase;
  let relay: Relay;
  let server: JobmonServer;
  const query = async (text: string) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: text }),
    });
    return (await response.json()) as {
      data?: unknown;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
  };

  beforeAll(async () => {
    target = await createTestDatabase('mysql');
    const url = new URL(MYSQL_TEST_URL);
    relay = new Relay({ host: url.hostname, port: Number(url.port || 3306) });
    await relay.open();
    const viaRelay = `mysql://${url.username || 'root'}@127.0.0.1:${relay.port}${new URL(target.url).pathname}`;
    const db = await Database.connect(viaRelay);
    await migrateUp(db);
    server = await startServer(
      { ...loadConfig({ JOBMON_AUTH: 'off' }), databaseUrl: viaRelay, port: 0 },
      { db, migrate: false },
    );
  });
  afterAll(async () => {
    await server.stop();
    await server.db.close();
    await relay.cut();
    await target.drop();
  });

  it('answers SERVICE_UNAVAILABLE with a clear message while the database is gone, and recovers', async () => {
    expect(await query('{ tools { name } }')).toEqual({ data: { tools: [] } });

    await relay.cut();
    const failed = await query('{ tools { name } }');
    expect(failed.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(failed.errors?.[0]?.message).toMatch(/Database unavailable/);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(503);

    await relay.open();
    // The pool drops the dead connections and opens new ones: the next requests work again.
    let recovered: Awaited<ReturnType<typeof query>> | undefined;
    for (let attempt = 0; attempt < 20; attempt += 1) {
      recovered = await query('{ tools { name } }');
      if (!recovered.errors) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(recovered).toEqual({ data: { tools: [] } });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
