import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config';
import { bulkInsert, Database, migrateUp, type Dialect } from '../db';
import { mysqlIdentifier, onMysqlServer } from '../db/connection';
import { TASK_COLUMNS } from '../db/ops/bind-workflow';
import { addWorkflowTasks, beginWorkflowBinding, commitWorkflowBinding } from '../services/binding.service';
import { submitWorkflow } from '../services/submission.service';
import type { TaskSubmission, TaskTemplateSubmission } from '../services/submission.types';

// `npm run bench:bind` (after `npx tsc -b`): binds layered DAGs of 10k, 100k and 1M tasks (every task
// below the first layer has two upstreams in the layer above) through the binding services, on SQLite
// and on MySQL, and compares each with the floor: the same task and edge rows sent as raw multi-row
// INSERTs into scratch tables over the same connection.
//
// Env: BENCH_SIZES=10000,100000 · BENCH_DIALECTS=sqlite,mysql · BENCH_MYSQL_URL (default
// mysql://root@127.0.0.1:3306) · BENCH_MYSQL_DATABASE (default jobmon_bench_bind; dropped and created:
// helpers benching at once each need their own) · BENCH_LAYER (tasks per layer, 1000) · BENCH_CHUNK
// (chunk size, 50000) · BENCH_INFLIGHT (chunk requests outstanding at once, 2).
//
// Besides wall time, each run reports the CPU of this process and, with MariaDB on this host, of the
// server threads serving it: on a shared machine those move much less with the load than wall time.

const SIZES = (process.env.BENCH_SIZES || '10000,100000,1000000').split(',').map((s) => Number(s.trim()));
const DIALECTS = (process.env.BENCH_DIALECTS || 'sqlite,mysql').split(',').map((s) => s.trim()) as Dialect[];
const MYSQL_URL = (process.env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
const MYSQL_DATABASE = process.env.BENCH_MYSQL_DATABASE || 'jobmon_bench_bind';
const LAYER = Number(process.env.BENCH_LAYER || 1000);
const CHUNK = Number(process.env.BENCH_CHUNK || 50_000);
const INFLIGHT = Math.max(1, Number(process.env.BENCH_INFLIGHT || 2));
const MAX_TASKS = loadConfig().maxTasksPerSubmission;

const TEMPLATE: TaskTemplateSubmission = {
  name: 'fit',
  commandTemplate: 'python fit.py --layer {layer} --pos {pos} --draws {draws}',
  nodeArgs: ['layer', 'pos'],
  taskArgs: ['draws'],
};

/** Task i of the layered DAG. */
function task(i: number): TaskSubmission {
  const layer = Math.floor(i / LAYER);
  const pos = i % LAYER;
  const above = (layer - 1) * LAYER;
  return {
    key: `t${i}`,
    template: 'fit',
    args: { layer, pos, draws: 1000 },
    upstream: layer === 0 ? [] : [`t${above + pos}`, `t${above + ((pos + 1) % LAYER)}`],
  };
}

const edgesOf = (size: number) => Math.max(0, size - Math.min(size, LAYER)) * 2;

/** Peak RSS between reset() and peak(): process.memoryUsage.rss() sampled every 50 ms. */
class RssSampler {
  private max = 0;
  private readonly timer = setInterval(() => this.sample(), 50);
  constructor() {
    this.timer.unref();
  }
  sample(): void {
    this.max = Math.max(this.max, process.memoryUsage.rss());
  }
  reset(): void {
    this.max = process.memoryUsage.rss();
  }
  peak(): number {
    this.sample();
    return this.max;
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

interface Result {
  dialect: Dialect;
  tasks: number;
  edges: number;
  path: string;
  bindSeconds: number;
  floorSeconds: number;
  bindPeakMb: number;
  floorPeakMb: number;
  /** CPU seconds this process spent (user + system) while binding / in the floor. */
  bindCpu: number;
  floorCpu: number;
  /** CPU seconds of the database server's threads serving this process (MySQL on this host; else null). */
  bindServerCpu: number | null;
  floorServerCpu: number | null;
}

const mb = (bytes: number) => bytes / (1024 * 1024);
const cpuSeconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;

async function openDatabase(
  dialect: Dialect,
  dir: string,
  size: number,
): Promise<{ db: Database; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const file = path.join(dir, `bench-${size}.sqlite`);
    const db = await Database.connect(`sqlite:${file}`);
    await migrateUp(db);
    return {
      db,
      drop: async () => {
        await db.close();
        for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
      },
    };
  }
  await dropMysqlDatabase();
  const db = await Database.connect(`${MYSQL_URL}/${MYSQL_DATABASE}`, { poolMax: 4 });
  await migrateUp(db);
  return {
    db,
    drop: async () => {
      await db.close();
      await dropMysqlDatabase();
    },
  };
}

/**
 * CPU seconds used so far by the MariaDB/MySQL threads that serve the bench's connections (read from
 * /proc, so only with the server on this host; null otherwise). On a shared machine wall times swing with
 * the load; the CPU each side spends does not much.
 */
async function serverThreadCpu(db: Database): Promise<Map<number, number> | null> {
  if (db.dialect !== 'mysql') return null;
  const pid = mysqldPid();
  if (pid === null) return null;
  let threads: { TID: number }[];
  try {
    threads = await db.select<{ TID: number }>(
      'SELECT TID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND TID IS NOT NULL',
    );
  } catch {
    return null; // MySQL has no TID column
  }
  const seconds = new Map<number, number>();
  for (const { TID } of threads) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/task/${TID}/stat`, 'utf8').split(') ')[1]!.split(' ');
      seconds.set(Number(TID), (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return seconds;
}

/** Server CPU seconds since `before` (a connection opened meanwhile counts whole). */
async function serverCpuSince(db: Database, before: Map<number, number> | null): Promise<number | null> {
  const after = await serverThreadCpu(db);
  if (before === null || after === null) return null;
  let seconds = 0;
  for (const [tid, cpu] of after) seconds += cpu - (before.get(tid) ?? 0);
  return seconds;
}
const CLOCK_TICKS = 100;

function mysqldPid(): number | null {
  try {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const name = fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
        if (name === 'mariadbd' || name === 'mysqld') return Number(entry);
      } catch {
        // gone
      }
    }
  } catch {
    // no /proc
  }
  return null;
}

const dropMysqlDatabase = () =>
  onMysqlServer(MYSQL_URL, `DROP DATABASE IF EXISTS ${mysqlIdentifier(MYSQL_DATABASE)}`);

/** Binds the DAG through the services; returns the wall seconds it took and the workflow id. */
async function bind(
  db: Database,
  size: number,
): Promise<{ seconds: number; workflowId: number; path: string; detail?: string }> {
  const options = { user: 'bench', maxTasks: MAX_TASKS };
  const workflowArgs = `bench-${size}-${Date.now()}`;
  if (size <= MAX_TASKS) {
    const tasks = Array.from({ length: size }, (_, i) => task(i));
    const started = performance.now();
    const result = await submitWorkflow(
      db,
      { tool: 'bench', workflowArgs, taskTemplates: [TEMPLATE], tasks },
      options,
    );
    return {
      seconds: (performance.now() - started) / 1000,
      workflowId: result.workflowId,
      path: 'submitWorkflow',
    };
  }
  // Chunks are sent as a client would stream them: up to BENCH_INFLIGHT requests outstanding, so the
  // server validates the next chunk while the previous one is being written (the binding serialises writes).
  const started = performance.now();
  const binding = await beginWorkflowBinding(
    db,
    { tool: 'bench', workflowArgs, taskTemplates: [TEMPLATE] },
    options,
  );
  const outstanding: Promise<unknown>[] = [];
  let chunks = 0;
  for (let from = 0; from < size; from += CHUNK) {
    const chunk = Array.from({ length: Math.min(CHUNK, size - from) }, (_, i) => task(from + i));
    outstanding.push(addWorkflowTasks(db, binding.bindingId, chunk, options));
    chunks += 1;
    if (outstanding.length >= INFLIGHT) await outstanding.shift();
  }
  await Promise.all(outstanding);
  const committing = performance.now();
  const result = await commitWorkflowBinding(db, binding.bindingId, options);
  const done = performance.now();
  return {
    seconds: (done - started) / 1000,
    workflowId: result.workflowId,
    path: `chunked ${chunks}×${CHUNK / 1000}k`,
    detail: `chunks ${((committing - started) / 1000).toFixed(2)} s, commit ${((done - committing) / 1000).toFixed(2)} s`,
  };
}

/** Scratch copies of `task` and `edge`: the same columns and indexes, no foreign keys. */
async function createScratchTables(db: Database): Promise<void> {
  const mysql = db.dialect === 'mysql';
  const pk = mysql ? 'INT NOT NULL AUTO_INCREMENT PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  const text = 'TEXT';
  const varchar = 'VARCHAR(255)';
  const time = mysql ? 'DATETIME(3)' : 'DATETIME';
  await db.execute('DROP TABLE IF EXISTS bench_edge');
  await db.execute('DROP TABLE IF EXISTS bench_task');
  await db.execute(
    `CREATE TABLE bench_task (id ${pk}, workflow_id INT NOT NULL, task_template_version_id INT NOT NULL,
       task_resources_id INT NOT NULL, submitted_resources_id INT, task_key ${varchar} NOT NULL, name ${varchar} NOT NULL, command ${text} NOT NULL,
       args ${text} NOT NULL, status VARCHAR(32) NOT NULL, max_attempts INT NOT NULL, num_attempts INT NOT NULL,
       resource_scales ${text}, fallback_queues ${text}, attributes ${text}, created_at ${time} NOT NULL,
       status_updated_at ${time} NOT NULL)`,
  );
  await db.execute('CREATE UNIQUE INDEX bench_task_key ON bench_task (workflow_id, task_key)');
  await db.execute('CREATE INDEX bench_task_status ON bench_task (workflow_id, status, id)');
  await db.execute(
    'CREATE INDEX bench_task_template ON bench_task (workflow_id, task_template_version_id, status)',
  );
  await db.execute(
    `CREATE TABLE bench_edge (workflow_id INT NOT NULL, upstream_task_id INT NOT NULL, downstream_task_id INT NOT NULL,
       PRIMARY KEY (upstream_task_id, downstream_task_id))`,
  );
  await db.execute('CREATE INDEX bench_edge_down ON bench_edge (downstream_task_id)');
}

/** The floor: the same rows as the bound workflow's, as multi-row INSERTs in one transaction. */
async function floor(db: Database, size: number, workflowId: number): Promise<number> {
  await createScratchTables(db);
  const [sample] = await db.select<{
    task_template_version_id: number;
    task_resources_id: number;
    resource_scales: string;
  }>(
    'SELECT task_template_version_id, task_resources_id, resource_scales FROM task WHERE workflow_id = ? LIMIT 1',
    [workflowId],
  );
  const now = new Date();
  const started = performance.now();
  await db.transaction(async (transaction) => {
    await bulkInsert(
      db,
      transaction,
      'bench_task',
      TASK_COLUMNS,
      (function* () {
        for (let i = 0; i < size; i++) {
          const layer = Math.floor(i / LAYER);
          const pos = i % LAYER;
          yield {
            workflow_id: workflowId,
            task_template_version_id: sample!.task_template_version_id,
            task_resources_id: sample!.task_resources_id,
            submitted_resources_id: sample!.task_resources_id,
            task_key: `t${i}`,
            name: `t${i}`,
            command: `python fit.py --layer ${layer} --pos ${pos} --draws 1000`,
            args: `{"draws":1000,"layer":${layer},"pos":${pos}}`,
            status: 'REGISTERING',
            max_attempts: 3,
            num_attempts: 0,
            resource_scales: sample!.resource_scales,
            fallback_queues: null,
            attributes: null,
            created_at: now,
            status_updated_at: now,
          };
        }
      })(),
    );
    // A fresh table numbers the rows 1..size in insertion order: task i is id i + 1.
    await bulkInsert(
      db,
      transaction,
      'bench_edge',
      ['workflow_id', 'upstream_task_id', 'downstream_task_id'],
      (function* () {
        for (let i = LAYER; i < size; i++) {
          const above = (Math.floor(i / LAYER) - 1) * LAYER;
          const pos = i % LAYER;
          yield { workflow_id: workflowId, upstream_task_id: above + pos + 1, downstream_task_id: i + 1 };
          yield {
            workflow_id: workflowId,
            upstream_task_id: above + ((pos + 1) % LAYER) + 1,
            downstream_task_id: i + 1,
          };
        }
      })(),
    );
  });
  const seconds = (performance.now() - started) / 1000;
  await db.execute('DROP TABLE bench_edge');
  await db.execute('DROP TABLE bench_task');
  return seconds;
}

async function verify(db: Database, workflowId: number, size: number): Promise<void> {
  const [tasks] = await db.select<{ n: number }>('SELECT COUNT(*) AS n FROM task WHERE workflow_id = ?', [
    workflowId,
  ]);
  const [edges] = await db.select<{ n: number }>(
    'SELECT COUNT(*) AS n FROM task t JOIN edge e ON e.downstream_task_id = t.id WHERE t.workflow_id = ?',
    [workflowId],
  );
  const [queued] = await db.select<{ n: number }>(
    "SELECT COUNT(*) AS n FROM task WHERE workflow_id = ? AND status = 'QUEUED'",
    [workflowId],
  );
  if (
    Number(tasks!.n) !== size ||
    Number(edges!.n) !== edgesOf(size) ||
    Number(queued!.n) !== Math.min(size, LAYER)
  )
    throw new Error(`workflow ${workflowId}: ${tasks!.n} tasks, ${edges!.n} edges, ${queued!.n} queued`);
}

function pad(value: string, width: number, right = false): string {
  return right ? value.padEnd(width) : value.padStart(width);
}

function printTable(results: readonly Result[]): void {
  const header = [
    'dialect',
    'tasks',
    'edges',
    'path',
    'bind s',
    'tasks/s',
    'node CPU s',
    'server CPU s',
    'floor s',
    'floor tasks/s',
    'floor CPU s',
    'floor server CPU s',
    'bind/floor',
    'peak RSS MB',
    'floor RSS MB',
  ];
  const rows = results.map((r) => [
    r.dialect,
    r.tasks.toLocaleString('en-US'),
    r.edges.toLocaleString('en-US'),
    r.path,
    r.bindSeconds.toFixed(2),
    Math.round(r.tasks / r.bindSeconds).toLocaleString('en-US'),
    r.bindCpu.toFixed(2),
    r.bindServerCpu === null ? '-' : r.bindServerCpu.toFixed(2),
    r.floorSeconds.toFixed(2),
    Math.round(r.tasks / r.floorSeconds).toLocaleString('en-US'),
    r.floorCpu.toFixed(2),
    r.floorServerCpu === null ? '-' : r.floorServerCpu.toFixed(2),
    `${(r.bindSeconds / r.floorSeconds).toFixed(2)}×`,
    r.bindPeakMb.toFixed(0),
    r.floorPeakMb.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => pad(cell, widths[i]!, i === 0 || i === 3)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-bench-bind-'));
  const sampler = new RssSampler();
  const results: Result[] = [];
  console.log(
    `bench:bind — ${os.cpus().length} CPUs (nproc ${os.availableParallelism()}), node ${process.version}, ` +
      `layers of ${LAYER}, chunks of ${CHUNK} (${INFLIGHT} in flight), one request up to ${MAX_TASKS} tasks`,
  );
  try {
    for (const dialect of DIALECTS) {
      for (const size of SIZES) {
        const { db, drop } = await openDatabase(dialect, dir, size);
        try {
          sampler.reset();
          let server = await serverThreadCpu(db);
          let cpu = process.cpuUsage();
          const bound = await bind(db, size);
          const bindCpu = cpuSeconds(process.cpuUsage(cpu));
          const bindServerCpu = await serverCpuSince(db, server);
          const bindPeak = sampler.peak();
          await verify(db, bound.workflowId, size);
          sampler.reset();
          server = await serverThreadCpu(db);
          cpu = process.cpuUsage();
          const floorSeconds = await floor(db, size, bound.workflowId);
          const floorCpu = cpuSeconds(process.cpuUsage(cpu));
          const floorServerCpu = await serverCpuSince(db, server);
          const floorPeak = sampler.peak();
          const result: Result = {
            dialect,
            tasks: size,
            edges: edgesOf(size),
            path: bound.path,
            bindSeconds: bound.seconds,
            floorSeconds,
            bindPeakMb: mb(bindPeak),
            floorPeakMb: mb(floorPeak),
            bindCpu,
            floorCpu,
            bindServerCpu,
            floorServerCpu,
          };
          results.push(result);
          console.log(
            `  ${dialect} ${size}: bind ${bound.seconds.toFixed(2)} s (${bound.path}${bound.detail ? `: ${bound.detail}` : ''}), ` +
              `floor ${floorSeconds.toFixed(2)} s, ` +
              `peak RSS ${mb(bindPeak).toFixed(0)} MB`,
          );
        } finally {
          await drop();
        }
      }
    }
  } finally {
    sampler.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log('');
  printTable(results);
  console.log(
    `\nprocess maxRSS (resourceUsage, whole run): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
