import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Database } from '@jobmon/api';
import { createTestDatabase } from '@jobmon/api/testing';
import { JobmonClient, Tool, type Task } from '@jobmon/client-sdk';
import { SoakPageProbe } from './soak-page';

// `npm run bench:soak` (after a build): one 100,000-task workflow on the dummy backend over MariaDB, with
// the API server and a standalone distributor as child processes, the server's heap capped
// (--max-old-space-size) so that an unbounded growth would end it. Samples VmRSS of both processes while
// the workflow runs and reads VmHWM (peak RSS) at the end.
// Env: BENCH_SOAK_LOCATIONS=1000 (tasks = 100 × locations) · BENCH_SOAK_HEAP_MB=768 ·
// BENCH_SOAK_SAMPLE_MS=500 · BENCH_SOAK_CPU_PROF=<dir> (the server writes a --cpu-prof profile there when
// it stops) · BENCH_SOAK_PAGE=1: also open the workflow page (collapsed view) in a fresh headless Chromium
// at 25, 50 and 75 % of the tasks DONE and report its first render (soak-page.ts).
// The cost per finished task is printed too: the server's and MariaDB's CPU over the run (mysqld's
// /proc/<pid>/stat, from its pid file when readable) and MariaDB's statement and row counters
// (SHOW GLOBAL STATUS). MariaDB's figures are the whole server's: other work on it counts too.

const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const LOCATIONS = int('BENCH_SOAK_LOCATIONS', 1000);
/** Per location: 1 extract, YEARS transforms, YEARS models, 1 aggregate = 100 tasks. */
const YEARS = 49;
const HEAP_MB = int('BENCH_SOAK_HEAP_MB', 768);
const SAMPLE_MS = int('BENCH_SOAK_SAMPLE_MS', 500);
const CPU_PROF_DIR = process.env.BENCH_SOAK_CPU_PROF;

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** VmRSS and VmHWM of a process, in MiB (null once it is gone). */
function memoryOf(pid: number): { rss: number; peak: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, fields 14 and 15 of stat (11 and 12 after the command), in clock ticks of 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** MariaDB's pid (null when its pid file cannot be read: then its CPU is not measured). */
async function mysqldPid(db: Database): Promise<number | null> {
  try {
    const [row] = await db.select<{ file: string }>('SELECT @@pid_file AS file');
    const pid = Number(fs.readFileSync(String(row?.file), 'utf8').trim());
    return Number.isInteger(pid) && fs.existsSync(`/proc/${pid}/stat`) ? pid : null;
  } catch {
    return null;
  }
}

/** MariaDB's counters the cost per task is read from (global: other clients' work counts too). */
const STATUS_COUNTERS = [
  'Questions',
  'Bytes_received',
  'Com_select',
  'Com_insert',
  'Com_update',
  'Com_commit',
  'Handler_read_key',
  'Handler_read_next',
  'Handler_update',
  'Handler_write',
] as const;

async function mysqlStatus(db: Database): Promise<Map<string, number>> {
  const rows = await db.select<{ Variable_name: string; Value: string }>('SHOW GLOBAL STATUS');
  return new Map(rows.map((row) => [row.Variable_name, Number(row.Value)]));
}

const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A realistic DAG of 100 × locations tasks, four templates: per location an extract fans out to one
 * transform per year; each year's model needs that year's and the previous year's transform; one
 * aggregate per location fans the models in.
 */
function buildWorkflow(workflowArgs: string) {
  const tool = new Tool('soak-bench');
  const extract = tool.taskTemplate({ name: 'extract', commandTemplate: 'extract --loc {loc}' });
  const transform = tool.taskTemplate({
    name: 'transform',
    commandTemplate: 'transform --loc {loc} --year {year}',
  });
  const model = tool.taskTemplate({
    name: 'model',
    commandTemplate: 'model --loc {loc} --year {year} --draws {draws}',
    nodeArgs: ['loc', 'year'],
    taskArgs: ['draws'],
  });
  const aggregate = tool.taskTemplate({ name: 'aggregate', commandTemplate: 'aggregate --loc {loc}' });
  const workflow = tool.workflow({ workflowArgs, maxConcurrentlyRunning: 100_000 });
  for (let loc = 0; loc < LOCATIONS; loc += 1) {
    const root = extract.createTask({ args: { loc } });
    const transforms: Task[] = [];
    const models: Task[] = [];
    for (let year = 0; year < YEARS; year += 1) {
      transforms.push(transform.createTask({ args: { loc, year }, upstream: [root] }));
      models.push(
        model.createTask({
          args: { loc, year, draws: 1000 },
          upstream: year ? [transforms[year]!, transforms[year - 1]!] : [transforms[year]!],
        }),
      );
    }
    workflow.addTasks(
      root,
      ...transforms,
      ...models,
      aggregate.createTask({ args: { loc }, upstream: models }),
    );
  }
  return workflow;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function main(): Promise<void> {
  const database = await createTestDatabase('mysql');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-soak-'));
  const children: ChildProcess[] = [];
  // Reads MariaDB's global counters, over a connection of its own.
  let statusDb: Database | undefined;
  const childEnv = { ...process.env, JOBMON_LOG_LEVEL: 'warn' };
  let pageProbe: SoakPageProbe | null = null;
  try {
    statusDb = await Database.connect(database.url);
    const server = spawn(
      process.execPath,
      [
        `--max-old-space-size=${HEAP_MB}`,
        ...(CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : []),
        path.join(repoRoot, 'api', 'dist', 'main.js'),
      ],
      {
        env: { ...childEnv, JOBMON_DATABASE_URL: database.url, JOBMON_AUTH: 'off', PORT: String(port) },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    children.push(server);
    let serverExit: string | null = null;
    server.once('exit', (code, signal) => (serverExit = `code ${code} signal ${signal}`));
    await waitFor('the API server', async () => {
      if (serverExit) throw new Error(`the API server exited (${serverExit})`);
      return fetch(`${url}/healthz`).then(
        (response) => response.ok,
        () => false,
      );
    });
    const distributor = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'distributor', 'dist', 'cli', 'distributor.js'),
        '--server',
        url,
        '--backend',
        'dummy',
        '--name',
        `soak-${process.pid}`,
        '--slots',
        '1000',
        '--poll-interval-ms',
        '200',
        '--log-dir',
        logDir,
      ],
      { env: childEnv, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    children.push(distributor);

    const samples: { at: number; done: number; server: number; distributor: number }[] = [];
    let done = 0;
    const started = performance.now();
    const sampler = setInterval(() => {
      const serverMemory = memoryOf(server.pid!);
      const distributorMemory = memoryOf(distributor.pid!);
      samples.push({
        at: (performance.now() - started) / 1000,
        done,
        server: serverMemory?.rss ?? 0,
        distributor: distributorMemory?.rss ?? 0,
      });
    }, SAMPLE_MS);

    const building = performance.now();
    const workflow = buildWorkflow(`soak-${LOCATIONS}-${Date.now()}`);
    const total = workflow.tasks.length;
    const buildSeconds = (performance.now() - building) / 1000;
    if (process.env.BENCH_SOAK_PAGE === '1')
      pageProbe = new SoakPageProbe(url, new Set(workflow.tasks.map((task) => task.template.name)).size);
    const client = new JobmonClient({ serverUrl: url, timeoutMs: 600_000 });
    const binding = performance.now();
    const id = await workflow.submit({ client });
    const bindSeconds = (performance.now() - binding) / 1000;
    const afterBind = { server: memoryOf(server.pid!)!, distributor: memoryOf(distributor.pid!)! };
    const cpuAtRun = { server: cpuSecondsOf(server.pid!), distributor: cpuSecondsOf(distributor.pid!) };
    const mysqld = await mysqldPid(statusDb);
    const mysqldCpuAtRun = mysqld === null ? NaN : cpuSecondsOf(mysqld);
    const statusAtRun = await mysqlStatus(statusDb);
    const loadAtRun = loadAverage();
    const running = performance.now();
    const result = await client.followWorkflow(id, {
      onProgress: (event) => {
        done = event.counts.DONE ?? 0;
        pageProbe?.progress(id, done, total);
      },
    });
    const runSeconds = (performance.now() - running) / 1000;
    await pageProbe?.close();
    clearInterval(sampler);
    if (serverExit) throw new Error(`the API server exited (${serverExit})`);
    const end = { server: memoryOf(server.pid!)!, distributor: memoryOf(distributor.pid!)! };
    const runCpu = {
      server: cpuSecondsOf(server.pid!) - cpuAtRun.server,
      distributor: cpuSecondsOf(distributor.pid!) - cpuAtRun.distributor,
      mysqld: mysqld === null ? NaN : cpuSecondsOf(mysqld) - mysqldCpuAtRun,
    };
    const statusAtEnd = await mysqlStatus(statusDb);
    const loadAtEnd = loadAverage();
    if (result.status !== 'DONE' || result.counts.DONE !== total)
      throw new Error(`the workflow ended ${result.status} with ${JSON.stringify(result.counts)}`);

    // By quarter of the tasks: RSS flat when memory does not grow with finished tasks, and the rate.
    const during = samples.filter((sample) => sample.at >= (running - started) / 1000);
    const reached = (count: number) =>
      count <= 0
        ? (running - started) / 1000
        : (during.find((sample) => sample.done >= count)?.at ?? (performance.now() - started) / 1000);
    const quarter = (q: number) => {
      const slice = during.filter(
        (sample) => sample.done >= (total * q) / 4 && sample.done < (total * (q + 1)) / 4,
      );
      const max = (pick: (sample: (typeof slice)[number]) => number) =>
        slice.length ? Math.max(...slice.map(pick)).toFixed(0) : '-';
      const seconds = reached((total * (q + 1)) / 4) - reached((total * q) / 4);
      return `| ${q * 25}–${(q + 1) * 25}% | ${Math.round(total / 4 / seconds)} | ${max((s) => s.server)} | ${max((s) => s.distributor)} |`;
    };
    const mb = (value: number) => value.toFixed(0);
    console.log(
      `soak bench: ${os.availableParallelism()} cores (nproc), Node ${process.version}, MariaDB, ` +
        `server heap cap ${HEAP_MB} MiB, dummy backend (1000 slots)`,
    );
    console.log(`\n| tasks | edges | build s | bind s | run s | tasks/s (run) | tasks/s (bind + run) |`);
    console.log('|---|---|---|---|---|---|---|');
    const edges = workflow.tasks.reduce((sum, task) => sum + task.upstream.length, 0);
    console.log(
      `| ${total} | ${edges} | ${buildSeconds.toFixed(2)} | ${bindSeconds.toFixed(2)} | ${runSeconds.toFixed(2)} | ` +
        `${Math.round(total / runSeconds)} | ${Math.round(total / (bindSeconds + runSeconds))} |`,
    );
    console.log(
      '\n| process | RSS after bind MB | peak RSS (VmHWM) MB | RSS at end MB | CPU s during the run |\n|---|---|---|---|---|',
    );
    console.log(
      `| API server | ${mb(afterBind.server.rss)} | ${mb(end.server.peak)} | ${mb(end.server.rss)} | ${runCpu.server.toFixed(1)} |`,
    );
    console.log(
      `| distributor | ${mb(afterBind.distributor.rss)} | ${mb(end.distributor.peak)} | ${mb(end.distributor.rss)} | ${runCpu.distributor.toFixed(1)} |`,
    );
    console.log('\n| tasks DONE | tasks/s | max server RSS MB | max distributor RSS MB |\n|---|---|---|---|');
    for (let q = 0; q < 4; q += 1) console.log(quarter(q));
    pageProbe?.print();
    const perThousand = (seconds: number) => ((1000 * seconds) / total).toFixed(3);
    console.log(
      `\nCost per task during the run (load average 1/5/15 min: ${loadAtRun} at its start, ${loadAtEnd} at its end):`,
    );
    console.log(
      '| server CPU s / 1,000 tasks | MariaDB CPU s / 1,000 tasks | distributor CPU s / 1,000 tasks |',
    );
    console.log('|---|---|---|');
    console.log(
      `| ${perThousand(runCpu.server)} | ${perThousand(runCpu.mysqld)} | ${perThousand(runCpu.distributor)} |`,
    );
    console.log(`\n| MariaDB counter | per task |\n|---|---|`);
    for (const name of STATUS_COUNTERS)
      console.log(
        `| ${name} | ${(((statusAtEnd.get(name) ?? NaN) - (statusAtRun.get(name) ?? NaN)) / total).toFixed(2)} |`,
      );
  } finally {
    await pageProbe?.close();
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) =>
        Promise.race([exited(child), new Promise((resolve) => setTimeout(resolve, 10_000))]),
      ),
    );
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await statusDb?.close();
    await database.drop();
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
