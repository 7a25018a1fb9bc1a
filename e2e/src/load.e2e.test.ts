import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, testDialects, type TestServer } from '@jobmon/api/testing';
import { startDistributor, type Distributor } from '@jobmon/distributor';
import { JobmonClient, Tool, type RunResult, type Workflow } from '@jobmon/client-sdk';

// 50 workflows from 10 clients at once against one server and one distributor (dummy backend): every one
// ends DONE with every task run exactly once. Each JobmonClient follows its workflows over graphql-ws
// connections of its own (one per followed workflow); HTTP requests go through Node's fetch pool.

const CLIENTS = 10;
const WORKFLOWS_PER_CLIENT = 5;
const WORKERS = 16;
/** prepare → WORKERS work tasks → 2 merges (each of half the work) → report: 20 tasks, 35 edges. */
const TASKS_PER_WORKFLOW = 1 + WORKERS + 2 + 1;

function smallDag(tool: Tool, workflowArgs: string): Workflow {
  const prepare = tool.taskTemplate({ name: 'prepare', commandTemplate: 'prepare --run {run}' });
  const work = tool.taskTemplate({ name: 'work', commandTemplate: 'work --run {run} --part {part}' });
  const merge = tool.taskTemplate({ name: 'merge', commandTemplate: 'merge --run {run} --half {half}' });
  const report = tool.taskTemplate({ name: 'report', commandTemplate: 'report --run {run}' });
  const workflow = tool.workflow({ workflowArgs });
  const root = prepare.createTask({ args: { run: workflowArgs } });
  const parts = Array.from({ length: WORKERS }, (_, part) =>
    work.createTask({ args: { run: workflowArgs, part }, upstream: [root] }),
  );
  const merges = [0, 1].map((half) =>
    merge.createTask({
      args: { run: workflowArgs, half },
      upstream: parts.slice((half * WORKERS) / 2, ((half + 1) * WORKERS) / 2),
    }),
  );
  workflow.addTasks(
    root,
    ...parts,
    ...merges,
    report.createTask({ args: { run: workflowArgs }, upstream: merges }),
  );
  return workflow;
}

describe.each(testDialects())('50 workflows from 10 concurrent clients [%s]', (dialect) => {
  let server: TestServer;
  let distributor: Distributor;
  let logDir: string;

  beforeAll(async () => {
    server = await startTestServer(dialect, { auth: false });
    logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-load-'));
    distributor = startDistributor({
      serverUrl: server.url,
      backend: 'dummy',
      name: `load-${dialect}-${process.pid}`,
      slots: 1000,
      pollIntervalMs: 100,
      logDir,
    });
    await distributor.ready;
  });
  afterAll(async () => {
    await distributor?.stop();
    await server?.stop();
    if (logDir) fs.rmSync(logDir, { recursive: true, force: true });
  });

  it('all end DONE, every task with exactly one DONE attempt, and counts that add up', async () => {
    const clients = Array.from({ length: CLIENTS }, () => new JobmonClient({ serverUrl: server.url }));
    const runs: { workflowArgs: string; client: JobmonClient; result: Promise<RunResult> }[] = [];
    clients.forEach((client, c) => {
      const tool = new Tool(`load-${c}`);
      for (let w = 0; w < WORKFLOWS_PER_CLIENT; w += 1) {
        const workflowArgs = `client-${c}-workflow-${w}`;
        runs.push({ workflowArgs, client, result: smallDag(tool, workflowArgs).run({ client }) });
      }
    });
    const results = await Promise.all(runs.map((run) => run.result));

    expect(new Set(results.map((result) => result.workflowId)).size).toBe(CLIENTS * WORKFLOWS_PER_CLIENT);
    for (const result of results) {
      expect(result.status).toBe('DONE');
      expect(result.counts).toMatchObject({ DONE: TASKS_PER_WORKFLOW, total: TASKS_PER_WORKFLOW });
    }
    // The server's own view of each workflow, asked by the client that made it.
    for (const [i, run] of runs.entries()) {
      const state = await run.client.workflowState(results[i]!.workflowId);
      expect(state.status).toBe('DONE');
      expect(state.statusCounts).toMatchObject({
        DONE: TASKS_PER_WORKFLOW,
        QUEUED: 0,
        RUNNING: 0,
        total: TASKS_PER_WORKFLOW,
      });
    }
    // Every task of every workflow: DONE, one attempt, and that attempt DONE.
    const rows = await server.db.select<{
      workflow_id: number;
      tasks: number;
      attempts: number;
      done: number;
    }>(
      `SELECT t.workflow_id, COUNT(DISTINCT t.id) AS tasks, COUNT(i.id) AS attempts,
              SUM(CASE WHEN i.status = 'DONE' AND t.status = 'DONE' THEN 1 ELSE 0 END) AS done
         FROM task t LEFT JOIN task_instance i ON i.task_id = t.id
        GROUP BY t.workflow_id`,
    );
    expect(rows).toHaveLength(CLIENTS * WORKFLOWS_PER_CLIENT);
    for (const row of rows)
      expect({ tasks: Number(row.tasks), attempts: Number(row.attempts), done: Number(row.done) }).toEqual({
        tasks: TASKS_PER_WORKFLOW,
        attempts: TASKS_PER_WORKFLOW,
        done: TASKS_PER_WORKFLOW,
      });
  }, 180_000);
});
