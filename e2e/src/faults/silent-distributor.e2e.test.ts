import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, testDialects, type TestServer } from '@jobmon/api/testing';
import { expectAuditComplete } from '../testing/audit-check';
import { finalView, gqlClient, submitWorkflow, waitFor, workflowView } from '../testing/e2e';
import { expectRunIntact, faultDag } from '../testing/fault-dag';
import { kill9, startDistributorProcess, terminate } from '../testing/processes';

// Issue H §3b: a distributor silent for more than three heartbeats has its attempts given up and their
// tasks retried, while its commands (in sessions of their own) may still run. When it comes back — here a
// new process of the same name after a kill -9 — it kills those commands before it claims anything (the
// retries among what it would claim), and their late ends are recorded on the given-up attempts without
// overriding the retries. Without that, the old commands ran on next to the retries: each task ran twice.

describe.each(testDialects())('a distributor back after a long silence [%s]', (dialect) => {
  it('kills its given-up commands before it claims; their late ends are recorded; nothing runs twice', async () => {
    const server: TestServer = await startTestServer(dialect, { heartbeatSeconds: 1 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-silent-distributor-'));
    const options = {
      serverUrl: server.url,
      name: `silent-${dialect}-${process.pid}`,
      slots: 2,
      heartbeatSeconds: 1,
      logDir: path.join(dir, 'logs'),
      cwd: dir,
    };
    let distributor: ChildProcess | undefined;
    try {
      distributor = startDistributorProcess(options);
      const dag = faultDag(dir, { tasks: 2, width: 2, hold: ['t00', 't01'] });
      const gql = gqlClient(server.url);
      const id = await submitWorkflow(gql, dag.input);
      await dag.waitForProgress(0, 2); // both commands run, held
      await kill9(distributor);
      // Silent for three heartbeats: the server gives its attempts up and queues the tasks again.
      await waitFor('the attempts to be given up', async () => {
        const view = await workflowView(gql, id);
        return dag.keys.every((key) => view.tasks[key]!.status === 'QUEUED') ? true : undefined;
      });
      // Its commands still run.
      for (const key of dag.keys) expect(fs.existsSync(`/proc/${dag.pidOf(key)}`)).toBe(true);

      distributor = startDistributorProcess(options);
      // The retries start only once the old commands are gone.
      await waitFor('the retries to start', async () =>
        dag.keys.every((key) => dag.started().get(key) === 2) ? true : undefined,
      );
      dag.release('t00');
      dag.release('t01');
      const view = await finalView(gql, id, 90_000);
      expect(expectRunIntact(dag, view).sort()).toEqual(['t00', 't01']); // each ran to its end once
      for (const key of dag.keys)
        expect(view.tasks[key]!.instances.map((i) => [i.status, i.errorKind])).toEqual([
          ['UNKNOWN_ERROR', 'DISTRIBUTOR_LOST'],
          ['DONE', null],
        ]);
      const late = await server.db.select<{ late_outcome: string | null; given_up_at: unknown }>(
        `SELECT i.late_outcome, i.given_up_at FROM task_instance i JOIN task t ON t.id = i.task_id
          WHERE t.workflow_id = ? AND i.attempt = 1 ORDER BY i.id`,
        [Number(id)],
      );
      expect(late).toEqual([
        { late_outcome: 'KILLED', given_up_at: null },
        { late_outcome: 'KILLED', given_up_at: null },
      ]);
      await expectAuditComplete(server.db, id);
    } finally {
      await terminate(distributor);
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
