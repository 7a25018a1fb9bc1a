import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, startServer } from '@jobmon/api';
import { chain, createTestDatabase, echoTemplates, independent, submission } from '@jobmon/api/testing';
import { startDistributor } from '@jobmon/distributor';
import { packageDir } from '../testing/packages';
import { graphqlAt as gql } from '../testing/e2e';

// `node e2e/dist/bench/distributor-local.bench.js` (after `npx tsc -b`): the API server and a local
// distributor in one process (as `npm start` runs them), on a fresh SQLite database:
// - chain: BENCH_CHAIN `true` tasks, each downstream of the one before; the gap from one task's DONE to
//   the next one's RUNNING, from the audit log (server times);
// - flat: BENCH_FLAT independent `true` tasks on BENCH_SLOTS slots, submit to DONE, against
//   `make -j<slots>` running the same number of `true` commands.
// Env: BENCH_CHAIN (200) · BENCH_FLAT (2000) · BENCH_SLOTS (2) · BENCH_DIALECT (sqlite | mysql).

const CHAIN = Number(process.env.BENCH_CHAIN || 200);
const FLAT = Number(process.env.BENCH_FLAT || 2000);
const SLOTS = Number(process.env.BENCH_SLOTS || 2);
const DIALECT = (process.env.BENCH_DIALECT || 'sqlite') as 'sqlite' | 'mysql';

const SUBMIT = `mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }`;

async function submit(url: string, count: number, linked: boolean): Promise<string> {
  const tasks = linked ? chain(count) : independent(count);
  const input = submission(tasks, {
    tool: 'bench',
    maxConcurrentlyRunning: 10_000,
    taskTemplates: echoTemplates(tasks, 'true'),
  });
  return (await gql<{ submitWorkflow: { workflow: { id: string } } }>(url, SUBMIT, { input })).submitWorkflow
    .workflow.id;
}

async function waitDone(url: string, id: string): Promise<void> {
  for (;;) {
    const data = await gql<{ workflow: { status: string } }>(
      url,
      'query($id: ID!) { workflow(id: $id) { status } }',
      {
        id,
      },
    );
    if (data.workflow.status === 'DONE') return;
    if (data.workflow.status === 'FAILED' || data.workflow.status === 'HALTED')
      throw new Error(`workflow ${id} ended ${data.workflow.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Event {
  at: string;
  entityId: string;
  toStatus: string;
}

async function taskEvents(url: string, workflowId: string): Promise<Event[]> {
  const events: Event[] = [];
  let after: string | null = null;
  for (;;) {
    const data: {
      auditEvents: { nodes: Event[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    } = await gql(
      url,
      `query($filter: AuditEventFilter, $after: String) { auditEvents(filter: $filter, first: 1000, after: $after) {
        nodes { at entityId toStatus } pageInfo { hasNextPage endCursor } } }`,
      { filter: { workflowId, entityType: 'TASK' }, after },
    );
    events.push(...data.auditEvents.nodes);
    if (!data.auditEvents.pageInfo.hasNextPage) return events;
    after = data.auditEvents.pageInfo.endCursor;
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

function makeBaseline(count: number, slots: number): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-bench-make-'));
  const targets = Array.from({ length: count }, (_, i) => `t${i}`);
  fs.writeFileSync(
    path.join(dir, 'Makefile'),
    `.PHONY: all ${targets.join(' ')}\nall: ${targets.join(' ')}\n${targets.map((t) => `${t}:\n\t@true ${t}\n`).join('')}`,
  );
  const started = performance.now();
  execFileSync('make', ['-s', `-j${slots}`, '-C', dir], { stdio: 'ignore' });
  const ms = performance.now() - started;
  fs.rmSync(dir, { recursive: true, force: true });
  return ms;
}

async function main(): Promise<void> {
  const database = await createTestDatabase(DIALECT);
  // Under the working directory, as the default ./.jobmon/logs (a temporary directory may be on a
  // slower file system: creating the three files of each task can cost more than running it).
  const logDir = path.resolve(process.env.BENCH_LOG_DIR || path.join('.jobmon', `bench-logs-${process.pid}`));
  const server = await startServer({
    ...loadConfig({ JOBMON_AUTH: 'off' }),
    databaseUrl: database.url,
    port: 0,
  });
  const separate = process.env.BENCH_SEPARATE === '1';
  const child = separate
    ? spawn(
        process.execPath,
        [
          ...(process.env.BENCH_CHILD_NODE_ARGS ? process.env.BENCH_CHILD_NODE_ARGS.split(' ') : []),
          path.join(packageDir('distributor'), 'dist', 'cli', 'distributor.js'),
          '--server',
          server.url,
          '--slots',
          String(SLOTS),
          '--log-dir',
          logDir,
          '--name',
          `bench-separate-${process.pid}`,
          ...(process.env.BENCH_PREFETCH ? ['--prefetch', process.env.BENCH_PREFETCH] : []),
        ],
        {
          stdio: 'inherit',
          env: { ...process.env, NODE_OPTIONS: process.env.BENCH_CHILD_NODE_OPTIONS ?? '' },
        },
      )
    : undefined;
  const distributor = separate
    ? undefined
    : startDistributor({
        serverUrl: server.url,
        backend: (process.env.BENCH_BACKEND || 'local') as 'local' | 'dummy',
        name: `bench-${process.pid}`,
        slots: SLOTS,
        prefetch: process.env.BENCH_PREFETCH ? Number(process.env.BENCH_PREFETCH) : undefined,
        logDir,
      });
  await distributor?.ready;
  try {
    // Chain.
    const chainId = await submit(server.url, CHAIN, true);
    let started = performance.now();
    distributor?.wake();
    await waitDone(server.url, chainId);
    const chainMs = performance.now() - started;
    const events = await taskEvents(server.url, chainId);
    const at = (id: string, status: string) =>
      events.find((event) => event.entityId === id && event.toStatus === status)?.at;
    const ids = [...new Set(events.map((event) => event.entityId))].sort((a, b) => Number(a) - Number(b));
    const gaps: number[] = [];
    for (let i = 1; i < ids.length; i++) {
      const done = at(ids[i - 1]!, 'DONE');
      const running = at(ids[i]!, 'RUNNING');
      if (done && running) gaps.push(Date.parse(running) - Date.parse(done));
    }
    console.log(
      `chain of ${CHAIN} true: ${(chainMs / 1000).toFixed(2)} s (${(chainMs / CHAIN).toFixed(1)} ms/task); ` +
        `DONE -> next RUNNING: median ${percentile(gaps, 50)} ms, p90 ${percentile(gaps, 90)} ms, ` +
        `max ${Math.max(...gaps)} ms (${gaps.length} gaps)`,
    );

    // Flat.
    const before = distributor?.stats().requests ?? 0;
    const flatId = await submit(server.url, FLAT, false);
    started = performance.now();
    distributor?.wake();
    await waitDone(server.url, flatId);
    const flatMs = performance.now() - started;
    const makeMs = makeBaseline(FLAT, SLOTS);
    console.log(
      `${FLAT} independent true on ${SLOTS} slots: ${(flatMs / 1000).toFixed(2)} s ` +
        `(${Math.round(FLAT / (flatMs / 1000))} tasks/s, ${(distributor?.stats().requests ?? NaN) - before} report requests); ` +
        `make -j${SLOTS}: ${(makeMs / 1000).toFixed(2)} s; ratio ${(flatMs / makeMs).toFixed(2)}`,
    );
  } finally {
    await distributor?.stop();
    child?.kill('SIGTERM');
    await server.stop();
    await database.drop();
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
