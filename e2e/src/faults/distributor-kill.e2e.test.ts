import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, testDialects, type TestServer } from '@jobmon/api/testing';
import { expectAuditComplete } from '../testing/audit-check';
import { finalView, gqlClient, submitWorkflow } from '../testing/e2e';
import { expectRunIntact, faultDag } from '../testing/fault-dag';
import { kill9, startDistributorProcess, terminate } from '../testing/processes';

// kill -9 of a standalone `jobmon-distributor` while its commands run (spec §7). The commands run in
// sessions of their own and write their exit status to a file, so they outlive it; the next process of
// the same name adopts what still runs, reports what ended meanwhile from the files, and starts what it
// had claimed but not started. No command runs twice and no attempt is lost.

describe.each(testDialects())('kill -9 of a standalone distributor mid-run [%s]', (dialect) => {
  it('a new process of the same name adopts its commands; the run completes, nothing runs twice', async () => {
    // Heartbeats of 3 s: the restart (a new Node process, slow to start on a loaded machine) must come
    // within the 9 s after which the server would take the distributor for gone and retry its instances.
    const server: TestServer = await startTestServer(dialect, { heartbeatSeconds: 3 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-distributor-kill-'));
    const options = {
      serverUrl: server.url,
      name: `distributor-kill-${dialect}-${process.pid}`,
      slots: 4,
      heartbeatSeconds: 3,
      logDir: path.join(dir, 'logs'),
      cwd: dir,
    };
    let distributor: ChildProcess | undefined;
    try {
      distributor = startDistributorProcess(options);
      const dag = faultDag(dir);
      const gql = gqlClient(server.url);
      const id = await submitWorkflow(gql, dag.input);

      await dag.waitForProgress(5, 2);
      await kill9(distributor);
      distributor = startDistributorProcess(options);

      const view = await finalView(gql, id, 90_000);
      expect(expectRunIntact(dag, view)).toEqual([]); // adopted, not retried
      const instances = await server.db.select<{ distributor_id: number }>(
        'SELECT DISTINCT i.distributor_id FROM task_instance i JOIN task t ON t.id = i.task_id WHERE t.workflow_id = ?',
        [Number(id)],
      );
      expect(instances).toHaveLength(1); // one distributor: the same name is the same distributor
      await expectAuditComplete(server.db, id);
    } finally {
      await terminate(distributor);
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
