import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, testDialects, type TestServer } from '@jobmon/api/testing';
import { expectAuditComplete } from '../testing/audit-check';
import { finalView, gqlClient, submitWorkflow } from '../testing/e2e';
import { expectRunIntact, faultDag } from '../testing/fault-dag';
import { kill9, startDistributorProcess, terminate } from '../testing/processes';

// Issue H §1: a user starts afresh with a new database in the same working directory. The first run's
// files are still in the log directory, at the paths that the second run's attempts would have (the same
// workflow and instance ids: both databases count from 1). A kill -9 of the distributor mid-run leaves
// attempts claimed but not started; the restarted distributor must not take the first run's exit files for
// their results (they went DONE, with the first run's output, without their commands running). Every
// task's command of the second run really runs, and none twice.

describe.each(testDialects())('a new database in the same working directory [%s]', (dialect) => {
  it('kill -9 and restart mid-run: no result comes from the first database’s files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-foreign-results-'));
    const logDir = path.join(dir, 'logs');
    const servers: TestServer[] = [];
    let distributor: ChildProcess | undefined;
    try {
      // The first database: a whole run, to its end, leaving its files behind.
      const first = await startTestServer(dialect, { heartbeatSeconds: 3 });
      servers.push(first);
      const firstDag = faultDag(path.join(dir, 'first'), { seconds: 0.05 });
      const common = { slots: 2, heartbeatSeconds: 3, logDir, cwd: dir };
      distributor = startDistributorProcess({
        ...common,
        serverUrl: first.url,
        name: `first-${process.pid}`,
      });
      const firstId = await submitWorkflow(gqlClient(first.url), firstDag.input);
      expect(expectRunIntact(firstDag, await finalView(gqlClient(first.url), firstId, 90_000))).toEqual([]);
      await terminate(distributor);
      await first.stop();
      servers.splice(0);

      // The second database, same working directory and log directory; its ids start again from 1.
      const second = await startTestServer(dialect, { heartbeatSeconds: 3 });
      servers.push(second);
      const gql = gqlClient(second.url);
      const dag = faultDag(path.join(dir, 'second'));
      const options = { ...common, serverUrl: second.url, name: `second-${process.pid}` };
      distributor = startDistributorProcess(options);
      const id = await submitWorkflow(gql, dag.input);
      expect(id).toBe(firstId);
      // Two slots for layers of five: some attempts are claimed and wait, unstarted, when it is killed.
      await dag.waitForProgress(5, 2);
      await kill9(distributor);
      distributor = startDistributorProcess(options);

      const view = await finalView(gql, id, 120_000);
      expect(expectRunIntact(dag, view)).toEqual([]); // every command ran, to its end, once
      for (const key of dag.keys) expect(dag.started().get(key)).toBe(1);
      await expectAuditComplete(second.db, id);
    } finally {
      await terminate(distributor);
      for (const server of servers) await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
