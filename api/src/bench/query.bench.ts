import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { loadConfig } from '../config';
import { logger } from '../logger';
import { startServer } from '../server';
import { submitWorkflow } from '../services/submission.service';
import type { TaskSubmission } from '../services/submission.types';

// `npm run bench:query` (after `npx tsc -b`): the real server (startServer) on SQLite with a
// 1,000-task workflow; N keep-alive HTTP clients, in a worker thread of their own so that they do not
// share the server's event loop, send one query each after another for BENCH_SECONDS and the bench prints
// requests/s and p50/p99 latency, for a one-field workflow query and for the first page of its tasks.
//
// Env: BENCH_CLIENTS=1,16 (N, several runs) · BENCH_SECONDS=10 · BENCH_TASKS=1000 · BENCH_ONLY=status (queries
// whose name contains it).

const QUERIES = {
  // No resolver and no database: what HTTP + Express + Apollo + our plugins cost by themselves.
  'baseline __typename': 'query Baseline { __typename }',
  'workflow status': 'query Status($id: ID!) { workflow(id: $id) { status } }',
  'first 50 tasks':
    'query Tasks($id: ID!) { workflow(id: $id) { tasks(first: 50) { nodes { id name status } } } }',
} as const;

interface LoadJob {
  url: string;
  body: string;
  clients: number;
  seconds: number;
  warmupSeconds: number;
}

interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  firstError?: string;
}

/** The load generator (worker thread): `clients` loops over one keep-alive socket each. */
async function runLoad(job: LoadJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.clients });
  const target = new URL(job.url);
  const body = Buffer.from(job.body);
  const post = () =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (response) => {
          const parts: Buffer[] = [];
          response.on('data', (part: Buffer) => parts.push(part));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(parts).toString() }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });

  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let errors = 0;
  let firstError: string | undefined;
  let measuring = false;
  const started = performance.now();
  const warmEnd = started + job.warmupSeconds * 1000;
  const end = warmEnd + job.seconds * 1000;
  const client = async () => {
    for (;;) {
      const sent = performance.now();
      if (sent >= end) return;
      let ok = false;
      try {
        const response = await post();
        ok = response.status === 200 && !response.text.includes('"errors"');
        if (!ok) firstError ??= `${response.status} ${response.text.slice(0, 300)}`;
      } catch (error) {
        firstError ??= String(error);
      }
      const done = performance.now();
      if (!measuring && sent >= warmEnd) measuring = true;
      if (sent < warmEnd || done > end) continue;
      if (!ok) errors += 1;
      if (count === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[count++] = done - sent;
    }
  };
  await Promise.all(Array.from({ length: job.clients }, client));
  agent.destroy();
  const sorted = latencies.subarray(0, count).sort();
  const at = (q: number) => (count === 0 ? NaN : sorted[Math.min(count - 1, Math.floor(q * count))]!);
  return {
    requests: count,
    errors,
    seconds: job.seconds,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: count === 0 ? NaN : sorted[count - 1]!,
    firstError,
  };
}

function load(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: job });
    worker.once('message', (result: LoadResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
  });
}

function layeredTasks(count: number): TaskSubmission[] {
  const layer = 100;
  return Array.from({ length: count }, (_, i) => {
    const l = Math.floor(i / layer);
    const pos = i % layer;
    return {
      key: `t${i}`,
      template: 'fit',
      args: { layer: l, pos },
      upstream: l === 0 ? [] : [`t${(l - 1) * layer + pos}`, `t${(l - 1) * layer + ((pos + 1) % layer)}`],
    };
  });
}

async function main(): Promise<void> {
  const clientCounts = (process.env.BENCH_CLIENTS || '1,16').split(',').map((s) => Number(s.trim()));
  const seconds = Number(process.env.BENCH_SECONDS || 10);
  const taskCount = Number(process.env.BENCH_TASKS || 1000);
  const only = process.env.BENCH_ONLY;
  logger.level = process.env.JOBMON_LOG_LEVEL || 'warn'; // no startup lines in the middle of the figures
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-bench-query-'));
  const config = {
    ...loadConfig({ JOBMON_AUTH: 'off' }),
    databaseUrl: `sqlite:${path.join(dir, 'bench.sqlite')}`,
    port: 0,
  };
  const server = await startServer(config);
  try {
    const { workflowId } = await submitWorkflow(
      server.db,
      {
        tool: 'bench',
        workflowArgs: 'query-bench',
        taskTemplates: [
          {
            name: 'fit',
            commandTemplate: 'python fit.py --layer {layer} --pos {pos}',
            nodeArgs: ['layer', 'pos'],
          },
        ],
        tasks: layeredTasks(taskCount),
      },
      { user: null, maxTasks: config.maxTasksPerSubmission },
    );
    console.log(
      `bench:query — ${os.cpus().length} CPUs (nproc ${os.availableParallelism()}), node ${process.version}, SQLite, ` +
        `workflow of ${taskCount} tasks, ${seconds} s per run, clients in a worker thread`,
    );
    const rows: string[][] = [];
    for (const clients of clientCounts) {
      for (const [name, query] of Object.entries(QUERIES)) {
        if (only && !name.includes(only)) continue;
        const result = await load({
          url: `${server.url}/graphql`,
          body: JSON.stringify({ query, variables: { id: String(workflowId) } }),
          clients,
          seconds,
          warmupSeconds: Math.min(2, seconds / 5),
        });
        if (result.firstError) console.log(`  ${name}: first error: ${result.firstError}`);
        rows.push([
          name,
          String(clients),
          Math.round(result.requests / result.seconds).toLocaleString('en-US'),
          result.p50.toFixed(2),
          result.p90.toFixed(2),
          result.p99.toFixed(2),
          result.max.toFixed(1),
          String(result.errors),
        ]);
        console.log(`  ${name}, ${clients} clients: ${rows[rows.length - 1]![2]} req/s`);
      }
    }
    const header = ['query', 'clients', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    const line = (cells: string[]) =>
      cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
    console.log('');
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const row of rows) console.log(line(row));
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  runLoad(workerData as LoadJob).then(
    (result) => parentPort!.postMessage(result),
    (error: unknown) => {
      throw error;
    },
  );
}
