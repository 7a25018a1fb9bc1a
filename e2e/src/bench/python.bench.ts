import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase } from '@jobmon/api/testing';
import { Tool, type Task } from '@jobmon/client-sdk';
import { startJobmonServer, terminate } from '../testing/processes';

// `npm run bench:python`: builds and binds the same DAG (BENCH_TASKS tasks, default 100,000, with two
// edges per task: 200,000) with the TypeScript SDK and with the Python client (client-sdk/python) against
// one API server (`jobmon server --no-distributor`, a process of its own) on a fresh database, and prints
// both times and their ratio (goal: Python ≤ 2× TS).
// Both bind paused workflows (maxConcurrentlyRunning 0): binding only, nothing runs.
// Env: BENCH_TASKS=100000 · BENCH_DIALECT=sqlite|mysql · BENCH_ROUNDS=1 (each client binds once a round).

const total = Number(process.env.BENCH_TASKS ?? 100_000);
const dialect = process.env.BENCH_DIALECT === 'mysql' ? 'mysql' : 'sqlite';
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const pythonRoot = path.resolve(__dirname, '..', '..', '..', 'client-sdk', 'python');

/** The DAG of client-sdk/python/bench/bind.py, built and bound with the TypeScript SDK. */
async function bindWithTypeScript(serverUrl: string, workflowArgs: string): Promise<number> {
  const start = performance.now();
  const half = Math.floor(total / 2);
  const tool = new Tool('bench-typescript');
  const a = tool.taskTemplate({ name: 'a', commandTemplate: 'true {i}', nodeArgs: ['i'] });
  const b = tool.taskTemplate({ name: 'b', commandTemplate: 'true {i}', nodeArgs: ['i'] });
  const workflow = tool.workflow({ workflowArgs, maxConcurrentlyRunning: 0 });
  const firsts: Task[] = [];
  for (let i = 0; i < half; i++) firsts.push(a.createTask({ args: { i } }));
  for (const task of firsts) workflow.addTask(task);
  for (let i = 0; i < half; i++) {
    const upstream = [0, 1, 2, 3].map((k) => firsts[(i + k) % half]!);
    workflow.addTask(b.createTask({ args: { i }, upstream }));
  }
  await workflow.submit({ serverUrl });
  return (performance.now() - start) / 1000;
}

function bindWithPython(serverUrl: string, workflowArgs: string): number {
  const result = spawnSync(
    'python3',
    [path.join(pythonRoot, 'bench', 'bind.py'), String(total), workflowArgs],
    {
      env: { ...process.env, PYTHONPATH: pythonRoot, JOBMON_SERVER_URL: serverUrl },
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`bench/bind.py exited ${result.status}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { seconds: number }).seconds;
}

async function main(): Promise<void> {
  const database = await createTestDatabase(dialect);
  const server = await startJobmonServer(['--database-url', database.url, '--no-distributor'], {
    env: { ...process.env, JOBMON_LOG_LEVEL: 'warn', JOBMON_AUTH: 'off' },
  });
  try {
    console.log(`bind ${total} tasks, ${2 * total} edges, ${dialect}, ${rounds} round(s)`);
    const ts: number[] = [];
    const py: number[] = [];
    for (let round = 0; round < rounds; round++) {
      ts.push(await bindWithTypeScript(server.url, `bench-ts-${round}-${Date.now()}`));
      py.push(bindWithPython(server.url, `bench-py-${round}-${Date.now()}`));
      console.log(
        `round ${round + 1}: TypeScript ${ts.at(-1)!.toFixed(2)} s, Python ${py.at(-1)!.toFixed(2)} s`,
      );
    }
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    const ratio = median(py) / median(ts);
    console.log(
      `TypeScript SDK ${median(ts).toFixed(2)} s · Python client ${median(py).toFixed(2)} s · ` +
        `ratio ${ratio.toFixed(2)} (goal ≤ 2): ${ratio <= 2 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await terminate(server.child);
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
