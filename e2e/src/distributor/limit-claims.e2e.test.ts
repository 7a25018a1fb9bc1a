import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  echoTemplates,
  startTestServer,
  submission,
  task,
  testDialects,
  type TestServer,
} from '@jobmon/api/testing';
import { startDistributor, type Distributor } from '@jobmon/distributor';
import { auditProblems } from '../testing/audit-check';
import { finalView, gqlClient, submitWorkflow } from '../testing/e2e';

// A workflow limit equal to the distributor's slots leaves nothing to claim ahead: every next command is
// claimed by the request that reports the end of one. Here the distributor neither polls nor follows
// the workQueued wake-ups, and is woken once, after the submission: the run reaches its end only if each
// freed slot is filled by the finished report's own claim, never by a poll.

jest.setTimeout(180_000);

describe.each(testDialects())('claims under a workflow limit equal to the slots [%s]', (dialect) => {
  let server: TestServer | undefined;
  let distributor: Distributor | undefined;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-limit-claims-'));
    // Attempts are given up after three heartbeats of silence: 30 s, so that a distributor starved of the
    // CPU on a loaded machine is not (this test is about claims; at 15 s one was, at load 20).
    server = await startTestServer(dialect, { heartbeatSeconds: 10, killTimeoutSeconds: 10 });
    distributor = startDistributor({
      serverUrl: server.url,
      backend: 'local',
      name: `limit-claims-${dialect}-${process.pid}`,
      slots: 2,
      pollIntervalMs: 3_600_000,
      subscribe: false,
      heartbeatSeconds: 1,
      logDir: path.join(dir, 'logs'),
    });
    await distributor.ready;
  });

  afterAll(async () => {
    await distributor?.stop();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fills each freed slot with the claim of the report that freed it, with no poll', async () => {
    const gql = gqlClient(server!.url);
    // Two layers: the second becomes QUEUED only through the first's finished reports.
    const tasks = [
      ...Array.from({ length: 6 }, (_, i) => task(`a${i}`, [], { args: { n: i } })),
      ...Array.from({ length: 6 }, (_, i) => task(`b${i}`, [`a${i}`], { args: { n: 10 + i } })),
    ];
    const id = await submitWorkflow(
      gql,
      submission(tasks, { maxConcurrentlyRunning: 2, taskTemplates: echoTemplates(tasks, 'true') }),
    );
    distributor!.wake();
    const view = await finalView(gql, id, 120_000);
    expect(view.status).toBe('DONE');
    for (const { key } of tasks) expect(view.tasks[key]!.instances.map((i) => i.status)).toEqual(['DONE']);
    expect(distributor!.stats().claimed).toBe(12);
    expect(await auditProblems(server!.db, id)).toEqual([]);
    // Never more than the limit at once: each attempt was claimed after all but one of those before it
    // had ended (their DONE audit rows come before its creation).
    const rows = await server!.db.select<{ entity_id: number; to_status: string }>(
      `SELECT entity_id, to_status FROM audit_event WHERE workflow_id = ? AND entity_type = 'TASK_INSTANCE'
         AND (from_status IS NULL OR to_status = 'DONE') ORDER BY id`,
      [Number(id)],
    );
    let active = 0;
    let most = 0;
    for (const row of rows) {
      active += row.to_status === 'DONE' ? -1 : 1;
      most = Math.max(most, active);
    }
    expect(most).toBe(2);
  });
});
