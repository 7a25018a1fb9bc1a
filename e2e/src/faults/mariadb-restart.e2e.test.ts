import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Database } from '@jobmon/api';
import { startDistributor, type Distributor } from '@jobmon/distributor';
import { expectAuditComplete } from '../testing/audit-check';
import { finalView, gqlClient, submitWorkflow, waitFor } from '../testing/e2e';
import { expectRunIntact, faultDag } from '../testing/fault-dag';
import { PrivateMariaDb, privateMariaDbAvailable } from '../testing/private-mariadb';
import { ApiProcess } from '../testing/processes';
import { followTaskEvents, taskEventsInLog, type TaskEventFollower } from '../testing/task-events';

// The database crashes (SIGKILL of mariadbd) in the middle of a run and comes back a few seconds later
// on the same data directory. The API server must ride it out by itself: /healthz says 503 meanwhile,
// transactions that lose their connection are retried from the start, the distributor keeps its
// reports until they are accepted, no heartbeat missed during the outage gets work retried, and a
// subscriber to the workflow's task events receives every one of them exactly once. The
// shared MariaDB other tests use is never touched: this test starts a private one.

const available = privateMariaDbAvailable();
if (!available && process.env.CI === 'true')
  throw new Error('CI needs mariadbd for the database restart test');
const maybe = available ? describe : describe.skip;

jest.setTimeout(150_000);

maybe('a MariaDB restart mid-run [mysql]', () => {
  let mariadb: PrivateMariaDb | undefined;
  let api: ApiProcess | undefined;
  let distributor: Distributor | undefined;
  let subscriber: TaskEventFollower | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-mariadb-restart-'));
  afterAll(async () => {
    subscriber?.stop();
    await distributor?.stop();
    await api?.kill9();
    await mariadb?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the server reconnects and retries; the run completes, each command ran once, the audit is whole', async () => {
    mariadb = await PrivateMariaDb.start();
    const databaseUrl = mariadb.url('jobmon_restart');
    api = await ApiProcess.start({ databaseUrl });
    const apiUrl = api.url;
    distributor = startDistributor({
      serverUrl: apiUrl,
      backend: 'local',
      name: `mariadb-restart-${process.pid}`,
      slots: 4,
      pollIntervalMs: 100,
      heartbeatSeconds: 1,
      logDir: path.join(dir, 'logs'),
    });
    await distributor.ready;

    // /healthz, all along: what it answered, in order (0 when it did not answer at all).
    const health: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        try {
          health.push((await fetch(`${apiUrl}/healthz`, { signal: AbortSignal.timeout(5_000) })).status);
        } catch {
          health.push(0);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const dag = faultDag(dir);
    const gql = gqlClient(apiUrl);
    const id = await submitWorkflow(gql, dag.input);
    subscriber = followTaskEvents(`ws://127.0.0.1:${api.port}/graphql`, id);
    await dag.waitForProgress(5, 2);

    const down = Date.now();
    await mariadb.kill9();
    const endedAtKill = [...dag.ended().values()].length;
    // Down long enough that every heartbeat of three intervals is missed, and commands end meanwhile
    // (their reports wait in the distributor).
    await waitFor('the outage to be seen and commands to end during it', async () =>
      health.includes(503) &&
      [...dag.ended().values()].length >= endedAtKill + 2 &&
      Date.now() - down >= 4_000
        ? true
        : undefined,
    );
    const outageStart = health.lastIndexOf(200) + 1;
    await mariadb.restart();
    await waitFor('/healthz to answer 200 again', async () => (health.at(-1) === 200 ? true : undefined));

    const view = await finalView(gql, id, 90_000);
    watching = false;
    await watcher;
    expect(health.slice(outageStart)).toContain(503);
    expect(health.at(-1)).toBe(200);
    expect(expectRunIntact(dag, view)).toEqual([]); // every command ran once: nothing was retried

    const db = await Database.connect(databaseUrl);
    try {
      await expectAuditComplete(db, id);
      const log = await taskEventsInLog(db, id);
      await waitFor('the subscriber to receive the whole log', async () =>
        subscriber!.lastId() === log.at(-1)!.id ? true : undefined,
      );
      expect(subscriber.events).toEqual(log);
    } finally {
      await db.close();
    }
  });
});
