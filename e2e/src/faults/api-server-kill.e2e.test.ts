import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Database } from '@jobmon/api';
import { createTestDatabase, testDialects } from '@jobmon/api/testing';
import { startDistributor, type Distributor } from '@jobmon/distributor';
import { expectAuditComplete } from '../testing/audit-check';
import { finalView, gqlClient, submitWorkflow, waitFor } from '../testing/e2e';
import { expectRunIntact, faultDag } from '../testing/fault-dag';
import { ApiProcess } from '../testing/processes';

// kill -9 of the API server in the middle of a run (spec §7): commands go on running and finishing
// while it is away, the distributor keeps their reports until it is back, and the run completes on the
// restarted server with every finished result kept and no command run twice.

describe.each(testDialects())('kill -9 of the API server mid-run [%s]', (dialect) => {
  it('restarts on the same database and the run completes; no DONE task runs again', async () => {
    const database = await createTestDatabase(dialect);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-api-kill-'));
    let api: ApiProcess | undefined;
    let distributor: Distributor | undefined;
    try {
      api = await ApiProcess.start({ databaseUrl: database.url });
      const local = startDistributor({
        serverUrl: api.url,
        backend: 'local',
        name: `api-kill-${dialect}-${process.pid}`,
        slots: 4,
        pollIntervalMs: 100,
        heartbeatSeconds: 1,
        logDir: path.join(dir, 'logs'),
      });
      distributor = local;
      await local.ready;
      const dag = faultDag(dir);
      const gql = gqlClient(api.url);
      const id = await submitWorkflow(gql, dag.input);

      await dag.waitForProgress(5, 2);
      await api.kill9();
      // Commands that end while the server is away: their reports wait in the distributor.
      const endedBefore = dag.ended().size;
      await waitFor('a command to end while the server is down', async () =>
        dag.ended().size > endedBefore && local.stats().pendingReports > 0 ? true : undefined,
      );
      await api.start();

      const view = await finalView(gql, id, 90_000);
      expect(expectRunIntact(dag, view)).toEqual([]); // nothing needed a second attempt
      const db = await Database.connect(database.url);
      try {
        await expectAuditComplete(db, id);
      } finally {
        await db.close();
      }
    } finally {
      await distributor?.stop();
      await api?.kill9();
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
