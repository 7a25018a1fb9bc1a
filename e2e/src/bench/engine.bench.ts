import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, echoTemplates, mysqlAvailable, submission, task } from '@jobmon/api/testing';
import { Database, loadConfig, startServer, type JobmonServer } from '@jobmon/api';
import { startDistributor, type BackendName, type Distributor } from '@jobmon/distributor';
import { JobmonClient } from '@jobmon/client-sdk';

// `npm run bench:engine` (after a build): the API (in this process, as `jobmon server` runs it) and a
// distributor, through the whole state machine:
//   (a) dummy backend, a 10,000-task layered DAG: tasks/s on SQLite and MySQL (goal ≥ 1,000/s on MySQL);
//   (b) 2,000 `true` tasks in layers through the local backend with 2 slots, against `make -j2` on the same
//       DAG written as a Makefile, in the same run (goal ≤ 2× make);
//   (c) a chain of 200 `true` tasks: the median time from a task's DONE to its successor RUNNING (goal ≤ 30 ms).
// Env: BENCH_ONLY=a,b,c · BENCH_DIALECTS=sqlite,mysql · BENCH_DUMMY_TASKS=10000 · BENCH_MAKE_TASKS=2000 ·
// BENCH_CHAIN=200.

const only = new Set((process.env.BENCH_ONLY ?? 'a,b,c').split(','));
const dialects = (process.env.BENCH_DIALECTS ?? 'sqlite,mysql')
  .split(',')
  .filter((dialect): dialect is 'sqlite' | 'mysql' => dialect === 'sqlite' || dialect === 'mysql');
const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

interface Setup {
  server: JobmonServer;
  distributor: Distributor;
  dir: string;
  gql(query: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

async function setup(
  dialect: 'sqlite' | 'mysql',
  backend: BackendName,
  slots: number,
  extra: { pollIntervalMs?: number } = {},
): Promise<Setup> {
  const database = await createTestDatabase(dialect);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-bench-'));
  const db = await Database.connect(database.url);
  const server = await startServer(
    { ...loadConfig({ JOBMON_AUTH: 'off' }), databaseUrl: database.url, port: 0, logLevel: 'warn' },
    { db, migrate: true },
  );
  const distributor = startDistributor({
    serverUrl: server.url,
    backend,
    name: `bench-${backend}-${process.pid}`,
    slots,
    logDir: path.join(dir, 'logs'),
    pollIntervalMs: extra.pollIntervalMs ?? 200,
  });
  await distributor.ready;
  const client = new JobmonClient({ serverUrl: server.url });
  const gql = (query: string, variables?: Record<string, unknown>) =>
    client.query<Record<string, unknown>, Record<string, unknown>>(query, variables ?? {});
  return {
    server,
    distributor,
    dir,
    gql,
    async close() {
      await distributor.stop();
      await server.stop();
      await db.close();
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A layered DAG: `width` tasks per layer, each depending on the task above it, running `command`. */
function layered(count: number, width: number, command: string) {
  const tasks = Array.from({ length: count }, (_, i) => task(`t${i}`, i >= width ? [`t${i - width}`] : []));
  return submission(tasks, {
    tool: 'bench',
    maxConcurrentlyRunning: 100_000,
    taskTemplates: echoTemplates(tasks, command),
  });
}

const SUBMIT = 'mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }';

async function runToEnd(
  s: Setup,
  input: unknown,
): Promise<{ seconds: number; workflowId: string; status: string }> {
  const started = performance.now();
  const data = (await s.gql(SUBMIT, { input })) as { submitWorkflow: { workflow: { id: string } } };
  const workflowId = data.submitWorkflow.workflow.id;
  s.distributor.wake();
  for (;;) {
    const view = (await s.gql('query($id: ID!) { workflow(id: $id) { status } }', { id: workflowId })) as {
      workflow: { status: string };
    };
    if (['DONE', 'FAILED', 'HALTED'].includes(view.workflow.status))
      return { seconds: (performance.now() - started) / 1000, workflowId, status: view.workflow.status };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function benchDummy(): Promise<void> {
  const count = int('BENCH_DUMMY_TASKS', 10_000);
  console.log(`\n(a) dummy backend, ${count.toLocaleString()} tasks in layers of 100, whole state machine`);
  console.log('| dialect | tasks | seconds | tasks/s |\n|---|---|---|---|');
  for (const dialect of dialects) {
    const s = await setup(dialect, 'dummy', 1000);
    try {
      const result = await runToEnd(s, layered(count, 100, 'true'));
      if (result.status !== 'DONE') throw new Error(`ended ${result.status}`);
      console.log(
        `| ${dialect} | ${count} | ${result.seconds.toFixed(2)} | ${Math.round(count / result.seconds)} |`,
      );
    } finally {
      await s.close();
    }
  }
}

async function benchMake(): Promise<void> {
  const count = int('BENCH_MAKE_TASKS', 2000);
  const width = 100;
  console.log(
    `\n(b) ${count.toLocaleString()} \`true\` tasks in layers of ${width}, 2 slots, against make -j2`,
  );
  const makeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-make-'));
  const rules = Array.from({ length: count }, (_, i) => {
    const deps = i >= width ? ` t${i - width}` : '';
    return `t${i}:${deps}\n\t@true ${i}\n`;
  });
  fs.writeFileSync(
    path.join(makeDir, 'Makefile'),
    `.PHONY: all ${Array.from({ length: count }, (_, i) => `t${i}`).join(' ')}\nall: ${Array.from({ length: count }, (_, i) => `t${i}`).join(' ')}\n${rules.join('')}`,
  );
  // make runs each recipe through /bin/sh -c, as the local backend does; `true N` keeps make from
  // skipping the shell for a lone builtin.
  const makeSeconds: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    const result = spawnSync('make', ['-j2', '-s', '-C', makeDir, 'SHELL=/bin/sh'], { stdio: 'ignore' });
    if (result.status !== 0) throw new Error('make failed');
    makeSeconds.push((performance.now() - started) / 1000);
  }
  fs.rmSync(makeDir, { recursive: true, force: true });
  const make = Math.min(...makeSeconds);
  console.log('| dialect | make -j2 s (best of 3) | jobmon s | ratio |\n|---|---|---|---|');
  for (const dialect of dialects) {
    const s = await setup(dialect, 'local', 2);
    try {
      const result = await runToEnd(s, layered(count, width, 'true'));
      if (result.status !== 'DONE') throw new Error(`ended ${result.status}`);
      console.log(
        `| ${dialect} | ${make.toFixed(2)} | ${result.seconds.toFixed(2)} | ${(result.seconds / make).toFixed(2)}× |`,
      );
    } finally {
      await s.close();
    }
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function benchChain(): Promise<void> {
  const count = int('BENCH_CHAIN', 200);
  console.log(`\n(c) a chain of ${count} \`true\` tasks through the local backend`);
  console.log(
    '| dialect | total s | DONE → next RUNNING p50 ms | p90 ms | exit → next start p50 ms | p90 ms |\n|---|---|---|---|---|---|',
  );
  for (const dialect of dialects) {
    const s = await setup(dialect, 'local', 1);
    try {
      const result = await runToEnd(s, layered(count, 1, 'true'));
      if (result.status !== 'DONE') throw new Error(`ended ${result.status}`);
      const rows = await s.server.db.select<{
        key: string;
        done_at: unknown;
        started_at: unknown;
        finished_at: unknown;
      }>(
        `SELECT t.task_key AS \`key\`, (SELECT MAX(a.at) FROM audit_event a WHERE a.entity_type = 'TASK' AND a.entity_id = t.id AND a.to_status = 'DONE') AS done_at,
                i.started_at, i.finished_at
           FROM task t JOIN task_instance i ON i.task_id = t.id WHERE t.workflow_id = ? ORDER BY t.id`,
        [Number(result.workflowId)],
      );
      const time = (value: unknown) => new Date(value instanceof Date ? value : String(value)).getTime();
      const doneToRunning: number[] = [];
      const exitToStart: number[] = [];
      for (let i = 1; i < rows.length; i += 1) {
        doneToRunning.push(time(rows[i]!.started_at) - time(rows[i - 1]!.done_at));
        exitToStart.push(time(rows[i]!.started_at) - time(rows[i - 1]!.finished_at));
      }
      doneToRunning.sort((a, b) => a - b);
      exitToStart.sort((a, b) => a - b);
      console.log(
        `| ${dialect} | ${result.seconds.toFixed(2)} | ${percentile(doneToRunning, 0.5)} | ${percentile(doneToRunning, 0.9)} | ${percentile(exitToStart, 0.5)} | ${percentile(exitToStart, 0.9)} |`,
      );
    } finally {
      await s.close();
    }
  }
}

async function main(): Promise<void> {
  if (dialects.includes('mysql') && !mysqlAvailable()) {
    try {
      execFileSync('mysqladmin', ['ping', '-h', '127.0.0.1'], { stdio: 'ignore' });
      process.env.JOBMON_TEST_MYSQL_AVAILABLE = '1';
    } catch {
      console.log('MySQL not reachable at 127.0.0.1:3306: SQLite only');
      dialects.splice(dialects.indexOf('mysql'), 1);
    }
  }
  console.log(`engine bench: ${os.cpus().length} cores, Node ${process.version}`);
  if (only.has('a')) await benchDummy();
  if (only.has('b')) await benchMake();
  if (only.has('c')) await benchChain();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
