import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../config';
import { Database, type Dialect } from '../db';
import { mysqlIdentifier, onMysqlServer } from '../db/connection';
import { changeStatuses } from '../db/status-change';
import { EntityType, type TaskStatus } from '../domain';
import { startServer, type JobmonServer } from '../server';
import { submitWorkflow } from '../services/submission.service';
import { independent, submission } from '../testing/fixtures';

// `npm run bench:subscriptions`: one API process (startServer, a child process) with BENCH_SUBSCRIBERS
// graphql-ws subscribers, each on a socket of its own, opened by BENCH_CLIENT_PROCESSES client processes;
// each subscribes taskStatusChanged of one of BENCH_WORKFLOWS workflows. While they listen, the server
// process writes BENCH_RATE task status changes per second (through status-change.ts, as reports do)
// for BENCH_SECONDS. Clients time each event from its `at` (set just before the writing transaction) to
// its arrival; at the end every subscriber's events are compared with the audit log: lost, duplicated or
// out of order. It prints p50/p99 delivery latency, the server process's CPU, and the losses.
//
// Each tick's changes are split over BENCH_WRITERS concurrent transactions, as distributors' reports are
// concurrent: on MySQL their commits overtake each other's audit ids, which the tailer must reorder.
//
// Env: BENCH_SUBSCRIBERS=5000 · BENCH_CLIENT_PROCESSES=4 · BENCH_RATE=1000 · BENCH_SECONDS=30 ·
// BENCH_WORKFLOWS=1000 · BENCH_WRITERS=4 · BENCH_DATABASE=sqlite|mysql (mysql: JOBMON_TEST_MYSQL_URL or
// root@127.0.0.1).

const settings = {
  subscribers: intEnv('BENCH_SUBSCRIBERS', 5000),
  clientProcesses: intEnv('BENCH_CLIENT_PROCESSES', 4),
  rate: intEnv('BENCH_RATE', 1000),
  seconds: intEnv('BENCH_SECONDS', 30),
  workflows: intEnv('BENCH_WORKFLOWS', 1000),
  writers: intEnv('BENCH_WRITERS', 4),
  database: (process.env.BENCH_DATABASE === 'mysql' ? 'mysql' : 'sqlite') as Dialect,
};
/** Task transitions a task goes through while the bench writes: QUEUED → … → DONE. */
const STEPS: [TaskStatus, TaskStatus][] = [
  ['QUEUED', 'INSTANTIATING'],
  ['INSTANTIATING', 'LAUNCHED'],
  ['LAUNCHED', 'RUNNING'],
  ['RUNNING', 'DONE'],
];
/** Writer ticks per second; each writes rate/TICKS changes in one transaction. */
const TICKS_PER_SECOND = 50;
/** Latency histogram: 0.1 ms buckets up to 10 s, and one bucket above. */
const BUCKET_MS = 0.1;
const BUCKETS = 100_000;
const DRAIN_DEADLINE_MS = 15_000;

const TASK_EVENTS = `subscription ($workflowId: ID!) {
  taskStatusChanged(workflowId: $workflowId) { id at workflowId toStatus }
}`;

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

// --- Messages between the processes.

type ToServer =
  | { kind: 'stats' }
  | { kind: 'write'; seconds: number; rate: number }
  | { kind: 'expected'; afterId: number; throughId: number }
  | { kind: 'stop' };
type FromServer =
  | { kind: 'ready'; url: string; workflowIds: number[] }
  | { kind: 'stats'; liveSubscribers: number; connections: number; headId: number }
  | {
      kind: 'written';
      changes: number;
      seconds: number;
      cpuSeconds: number;
      startId: number;
      endId: number;
      holesMet: number;
    }
  | { kind: 'expected'; countsByWorkflow: Record<string, number> }
  | { kind: 'failed'; message: string };
type ToClient =
  | { kind: 'connect'; url: string; workflowIds: number[] }
  | { kind: 'drain'; afterId: number; throughId: number; countsByWorkflow: Record<string, number> };
type FromClient =
  | { kind: 'connected'; subscribers: number }
  | {
      kind: 'report';
      histogram: number[];
      deliveries: number;
      expected: number;
      received: number;
      duplicates: number;
      outOfOrder: number;
      errors: number;
      firstError?: string;
    }
  | { kind: 'failed'; message: string };

function send(child: ChildProcess | NodeJS.Process, message: ToServer | FromServer | ToClient | FromClient) {
  child.send!(message);
}

function nextMessage<T extends { kind: string }>(
  from: ChildProcess | NodeJS.Process,
  kind: T['kind'],
  deadlineMs = 300_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      from.off('message', listener);
      reject(new Error(`no ${kind} message within ${deadlineMs} ms`));
    }, deadlineMs);
    const listener = (message: T | { kind: 'failed'; message: string }) => {
      if (message.kind === 'failed') {
        clearTimeout(timer);
        from.off('message', listener);
        reject(new Error((message as { message: string }).message));
      } else if (message.kind === kind) {
        clearTimeout(timer);
        from.off('message', listener);
        resolve(message as T);
      }
    };
    from.on('message', listener);
  });
}

// --- The server process: the API, the seed data and the writer.

async function serverProcess(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-bench-subs-'));
  const mysqlServerUrl = process.env.JOBMON_TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306';
  const mysqlName = `jobmon_bench_subs_${crypto.randomBytes(4).toString('hex')}`;
  const databaseUrl =
    settings.database === 'mysql'
      ? `${mysqlServerUrl.replace(/\/$/, '')}/${mysqlName}`
      : `sqlite:${path.join(dir, 'bench.sqlite')}`;
  let server: JobmonServer | null = null;
  const cleanup = async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    if (settings.database === 'mysql')
      await onMysqlServer(mysqlServerUrl, `DROP DATABASE IF EXISTS ${mysqlIdentifier(mysqlName)}`);
  };
  try {
    const db = await Database.connect(databaseUrl, { poolMax: 20 });
    server = await startServer(
      { ...loadConfig({ JOBMON_AUTH: 'off' }), databaseUrl, port: 0 },
      { db, reaper: false },
    );
    const tasks = await seed(db);
    send(process, {
      kind: 'ready',
      url: server.url,
      workflowIds: [...new Set(tasks.map((t) => t.workflowId))],
    });
    const running = server;
    process.on('message', (message: ToServer) => {
      void handle(message).catch((error: unknown) =>
        send(process, { kind: 'failed', message: (error as Error).stack ?? String(error) }),
      );
    });
    const headId = async () =>
      Number((await db.select<{ id: number }>('SELECT MAX(id) AS id FROM audit_event'))[0]?.id ?? 0);
    let written = 0;
    const handle = async (message: ToServer) => {
      if (message.kind === 'stats') {
        send(process, {
          kind: 'stats',
          liveSubscribers: running.events.audit.liveCount,
          connections: running.subscriptions.connectionCount,
          headId: await headId(),
        });
      } else if (message.kind === 'write') {
        await running.events.tailer.caughtUp();
        const startId = await headId();
        const holesBefore = running.events.tailer.holesMet;
        const cpuBefore = process.cpuUsage();
        const started = performance.now();
        const changes = await writeChanges(db, tasks, written, message.rate, message.seconds);
        written += changes;
        const seconds = (performance.now() - started) / 1000;
        const cpu = process.cpuUsage(cpuBefore);
        send(process, {
          kind: 'written',
          changes,
          seconds,
          cpuSeconds: (cpu.user + cpu.system) / 1e6,
          startId,
          endId: await headId(),
          holesMet: running.events.tailer.holesMet - holesBefore,
        });
      } else if (message.kind === 'expected') {
        const rows = await db.select<{ workflow_id: number; n: number }>(
          `SELECT workflow_id, COUNT(*) AS n FROM audit_event
            WHERE entity_type = 'TASK' AND id > ? AND id <= ? GROUP BY workflow_id`,
          [message.afterId, message.throughId],
        );
        send(process, {
          kind: 'expected',
          countsByWorkflow: Object.fromEntries(rows.map((row) => [String(row.workflow_id), Number(row.n)])),
        });
      } else {
        await cleanup();
        process.exit(0);
      }
    };
  } catch (error) {
    send(process, { kind: 'failed', message: (error as Error).stack ?? String(error) });
    await cleanup().catch(() => undefined);
    process.exit(1);
  }
}

interface SeededTask {
  id: number;
  workflowId: number;
}

/** Enough workflows of independent (so QUEUED) tasks for every change the bench will write. */
async function seed(db: Database): Promise<SeededTask[]> {
  const baselineSeconds = 5;
  const changes = settings.rate * (settings.seconds + baselineSeconds);
  const perWorkflow = Math.ceil(changes / STEPS.length / settings.workflows);
  const tasks: SeededTask[] = [];
  for (let w = 0; w < settings.workflows; w += 1) {
    const { workflowId } = await submitWorkflow(
      db,
      submission(independent(perWorkflow), { tool: 'bench-subscriptions' }),
      { user: null, maxTasks: 100_000 },
    );
    const rows = await db.select<{ id: number }>('SELECT id FROM task WHERE workflow_id = ? ORDER BY id', [
      workflowId,
    ]);
    for (const row of rows) tasks.push({ id: Number(row.id), workflowId });
  }
  // Interleaved, so that consecutive changes are of different workflows.
  const byWorkflow = new Map<number, SeededTask[]>();
  for (const task of tasks)
    byWorkflow.set(task.workflowId, [...(byWorkflow.get(task.workflowId) ?? []), task]);
  const interleaved: SeededTask[] = [];
  for (let i = 0; i < perWorkflow; i += 1)
    for (const list of byWorkflow.values()) if (list[i]) interleaved.push(list[i]!);
  return interleaved;
}

/**
 * Writes `rate` changes per second for `seconds`, continuing from change number `offset` (the tasks are
 * walked in order, step after step). Each tick is one transaction of single-task compare-and-sets.
 */
async function writeChanges(
  db: Database,
  tasks: readonly SeededTask[],
  offset: number,
  rate: number,
  seconds: number,
): Promise<number> {
  const total = rate * seconds;
  const perTick = Math.max(1, Math.round(rate / TICKS_PER_SECOND));
  const started = performance.now();
  let done = 0;
  while (done < total) {
    const due = Math.min(total, Math.ceil(((performance.now() - started) / 1000) * rate));
    if (due <= done) {
      await new Promise((resolve) => setTimeout(resolve, 1000 / TICKS_PER_SECOND / 2));
      continue;
    }
    const count = Math.min(due - done, perTick * 4);
    const changes = Array.from({ length: count }, (_, k) => {
      const n = offset + done + k;
      const step = STEPS[Math.floor(n / tasks.length)];
      if (!step) throw new Error('the seed has too few tasks for this many changes');
      return { task: tasks[n % tasks.length]!, step };
    });
    const at = new Date();
    const perWriter = Math.ceil(changes.length / settings.writers);
    await Promise.all(
      Array.from({ length: settings.writers }, (_, w) => changes.slice(w * perWriter, (w + 1) * perWriter))
        .filter((part) => part.length > 0)
        .map((part) =>
          db.transaction(async (transaction) => {
            for (const { task, step } of part)
              await changeStatuses(db, transaction, EntityType.TASK, [task.id], step[0], step[1], {
                workflowId: task.workflowId,
                actor: 'bench',
                at,
              });
          }),
        ),
    );
    done += count;
  }
  return done;
}

// --- A client process: many sockets, one subscription each.

interface Subscriber {
  workflowId: number;
  lastId: number;
  ids: number[];
}

async function clientProcess(): Promise<void> {
  const histogram = new Array<number>(BUCKETS + 1).fill(0);
  let deliveries = 0;
  let errors = 0;
  let firstError: string | undefined;
  let duplicates = 0;
  let outOfOrder = 0;
  const subscribers: Subscriber[] = [];
  const clients: Client[] = [];

  const connect = await nextMessage<Extract<ToClient, { kind: 'connect' }>>(process, 'connect');
  const wsUrl = `${connect.url.replace(/^http/, 'ws')}/graphql`;
  const BATCH = 100;
  for (let i = 0; i < connect.workflowIds.length; i += BATCH) {
    await Promise.all(
      connect.workflowIds.slice(i, i + BATCH).map(
        (workflowId) =>
          new Promise<void>((resolve, reject) => {
            const subscriber: Subscriber = { workflowId, lastId: 0, ids: [] };
            subscribers.push(subscriber);
            const client = createClient({
              url: wsUrl,
              webSocketImpl: WebSocket,
              lazy: false,
              retryAttempts: 0,
              keepAlive: 0,
              on: {
                connected: () => resolve(),
                closed: (event) => reject(new Error(`closed: ${String(event)}`)),
              },
            });
            clients.push(client);
            client.subscribe<{ taskStatusChanged: { id: string; at: string } }>(
              { query: TASK_EVENTS, variables: { workflowId: String(workflowId) } },
              {
                next: (result) => {
                  const event = result.data?.taskStatusChanged;
                  if (result.errors) {
                    errors += 1;
                    firstError ??= JSON.stringify(result.errors);
                  }
                  if (!event) return;
                  const latency = Date.now() - Date.parse(event.at);
                  histogram[Math.min(BUCKETS, Math.max(0, Math.floor(latency / BUCKET_MS)))]! += 1;
                  deliveries += 1;
                  const id = Number(event.id);
                  if (id === subscriber.lastId || subscriber.ids.includes(id)) duplicates += 1;
                  else if (id < subscriber.lastId) outOfOrder += 1;
                  subscriber.lastId = Math.max(subscriber.lastId, id);
                  subscriber.ids.push(id);
                },
                error: (error: unknown) => {
                  errors += 1;
                  firstError ??= Array.isArray(error) ? JSON.stringify(error) : String(error);
                },
                complete: () => undefined,
              },
            );
          }),
      ),
    );
  }
  send(process, { kind: 'connected', subscribers: subscribers.length });

  const drain = await nextMessage<Extract<ToClient, { kind: 'drain' }>>(process, 'drain');
  const inRange = (subscriber: Subscriber) =>
    new Set(subscriber.ids.filter((id) => id > drain.afterId && id <= drain.throughId)).size;
  const expectedOf = (subscriber: Subscriber) => drain.countsByWorkflow[String(subscriber.workflowId)] ?? 0;
  const deadline = Date.now() + DRAIN_DEADLINE_MS;
  while (Date.now() < deadline && subscribers.some((s) => inRange(s) < expectedOf(s)))
    await new Promise((resolve) => setTimeout(resolve, 50));
  let expected = 0;
  let received = 0;
  for (const subscriber of subscribers) {
    expected += expectedOf(subscriber);
    received += Math.min(inRange(subscriber), expectedOf(subscriber));
  }
  await Promise.all(clients.map((client) => client.dispose()));
  send(process, {
    kind: 'report',
    histogram,
    deliveries,
    expected,
    received,
    duplicates,
    outOfOrder,
    errors,
    firstError,
  });
  process.exit(0);
}

// --- The orchestrator.

function percentile(histogram: readonly number[], fraction: number): number {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return NaN;
  let seen = 0;
  for (let i = 0; i < histogram.length; i += 1) {
    seen += histogram[i]!;
    if (seen >= fraction * total) return (i + 1) * BUCKET_MS;
  }
  return Infinity;
}

async function main(): Promise<void> {
  const started = performance.now();
  const self = __filename;
  const cores = os.cpus().length;
  console.log(
    `bench:subscriptions — ${settings.subscribers} subscribers in ${settings.clientProcesses} client processes, ` +
      `${settings.rate} changes/s for ${settings.seconds} s by ${settings.writers} concurrent writers, ` +
      `${settings.workflows} workflows, ${settings.database}, ${cores} cores`,
  );
  const server = fork(self, ['server'], { env: { ...process.env, JOBMON_LOG_LEVEL: 'warn' } });
  const clients: ChildProcess[] = [];
  try {
    const ready = await nextMessage<Extract<FromServer, { kind: 'ready' }>>(server, 'ready');
    console.log(
      `seeded ${ready.workflowIds.length} workflows in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const stats = async () => {
      send(server, { kind: 'stats' });
      return nextMessage<Extract<FromServer, { kind: 'stats' }>>(server, 'stats');
    };

    // Baseline: the writer alone, no subscriber.
    send(server, { kind: 'write', rate: settings.rate, seconds: 5 });
    const baseline = await nextMessage<Extract<FromServer, { kind: 'written' }>>(server, 'written');

    const connectStarted = performance.now();
    for (let p = 0; p < settings.clientProcesses; p += 1) {
      const workflowIds: number[] = [];
      for (let s = p; s < settings.subscribers; s += settings.clientProcesses)
        workflowIds.push(ready.workflowIds[s % ready.workflowIds.length]!);
      const client = fork(self, ['clients']);
      clients.push(client);
      send(client, { kind: 'connect', url: ready.url, workflowIds });
    }
    await Promise.all(clients.map((client) => nextMessage(client, 'connected')));
    let live = await stats();
    while (live.liveSubscribers < settings.subscribers) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      live = await stats();
    }
    console.log(
      `${live.connections} sockets, ${live.liveSubscribers} live subscriptions in ` +
        `${((performance.now() - connectStarted) / 1000).toFixed(1)} s`,
    );

    send(server, { kind: 'write', rate: settings.rate, seconds: settings.seconds });
    const run = await nextMessage<Extract<FromServer, { kind: 'written' }>>(server, 'written');
    send(server, { kind: 'expected', afterId: run.startId, throughId: run.endId });
    const expected = await nextMessage<Extract<FromServer, { kind: 'expected' }>>(server, 'expected');
    for (const client of clients)
      send(client, {
        kind: 'drain',
        afterId: run.startId,
        throughId: run.endId,
        countsByWorkflow: expected.countsByWorkflow,
      });
    const reports = await Promise.all(
      clients.map((client) => nextMessage<Extract<FromClient, { kind: 'report' }>>(client, 'report')),
    );

    const histogram = new Array<number>(BUCKETS + 1).fill(0);
    let deliveries = 0;
    let expectedDeliveries = 0;
    let received = 0;
    let duplicates = 0;
    let outOfOrder = 0;
    let errors = 0;
    let firstError: string | undefined;
    for (const report of reports) {
      report.histogram.forEach((count, i) => (histogram[i]! += count));
      deliveries += report.deliveries;
      expectedDeliveries += report.expected;
      received += report.received;
      duplicates += report.duplicates;
      outOfOrder += report.outOfOrder;
      errors += report.errors;
      firstError ??= report.firstError;
    }
    const lost = expectedDeliveries - received;
    const p50 = percentile(histogram, 0.5);
    const p99 = percentile(histogram, 0.99);
    const cpu = (figure: { cpuSeconds: number; seconds: number }) =>
      `${((100 * figure.cpuSeconds) / figure.seconds).toFixed(0)}% of one core`;
    const rows: [string, string][] = [
      ['cores', String(cores)],
      ['subscribers (sockets)', `${settings.subscribers} (${live.connections})`],
      [
        'status changes written',
        `${run.changes} in ${run.seconds.toFixed(1)} s (${(run.changes / run.seconds).toFixed(0)}/s)`,
      ],
      ['events delivered', `${deliveries} (${(deliveries / run.seconds).toFixed(0)}/s)`],
      ['delivery latency p50', `${p50.toFixed(1)} ms`],
      ['delivery latency p90', `${percentile(histogram, 0.9).toFixed(1)} ms`],
      ['delivery latency p99', `${p99.toFixed(1)} ms`],
      ['delivery latency max', `${percentile(histogram, 1).toFixed(1)} ms`],
      ['server CPU, writer alone', cpu(baseline)],
      ['server CPU, writer + subscribers', cpu(run)],
      ['lost events', `${lost} of ${expectedDeliveries}`],
      ['holes the tailer waited on', String(run.holesMet)],
      ['duplicates / out of order', `${duplicates} / ${outOfOrder}`],
      ['subscription errors', errors ? `${errors} (${firstError})` : '0'],
    ];
    console.log('');
    for (const [name, value] of rows) console.log(`${name.padEnd(34)} ${value}`);
    const met = p99 < 250 && lost === 0 && duplicates === 0 && outOfOrder === 0 && errors === 0;
    console.log(`\ngoal (p99 < 250 ms, 0 lost): ${met ? 'met' : 'NOT met'}`);
    console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
    send(server, { kind: 'stop' });
    await new Promise((resolve) => server.once('exit', resolve));
    if (!met) process.exitCode = 1;
  } finally {
    for (const client of clients) if (client.exitCode === null) client.kill();
    if (server.exitCode === null) server.kill();
  }
}

const role = process.argv[2];
const entry = role === 'server' ? serverProcess : role === 'clients' ? clientProcess : main;
entry().catch((error: unknown) => {
  console.error(error);
  if (process.send) send(process, { kind: 'failed', message: (error as Error).stack ?? String(error) });
  process.exit(1);
});
