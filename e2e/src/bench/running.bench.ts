import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_IDS_PER_DISTRIBUTOR_REQUEST } from '@jobmon/core';
import { createTestDatabase } from '@jobmon/api/testing';
import { JobmonClient, Tool } from '@jobmon/client-sdk';
import { ApiProcess, spawnTracked, terminate } from '../testing/processes';

// `npm run bench:running`: N independent tasks all held RUNNING at once by the dummy backend
// (`--dummy-hold forever`), heartbeating at the default interval, with the API server as a process of
// its own. Once all N run, over a steady window: the server's CPU (utime + stime from /proc/<pid>/stat)
// and RSS, the heartbeat traffic it answered (its /metrics), and the latency of a simple query
// (`workflow(id) { status }`) spread over the window.
// Two heartbeat modes: `distributor` (the local backend's: one heartbeatDistributor per interval lists
// every attempt) and `workers` (a Slurm cluster's: that, plus one heartbeatTaskInstances per attempt per
// interval, as each jobmon-worker sends its own).
// Env: BENCH_RUNNING_SIZES=5000,10000,20000 · BENCH_RUNNING_MODES=distributor,workers ·
// BENCH_RUNNING_DB=mysql (or sqlite, or both: mysql,sqlite) · BENCH_RUNNING_WINDOW_S=60 ·
// BENCH_RUNNING_QUERIES=300 · BENCH_RUNNING_HEARTBEAT_S=30 (the default interval) ·
// BENCH_RUNNING_CPU_PROF=<dir> (the server writes a --cpu-prof profile there when it stops).

const list = (name: string, fallback: string) =>
  (process.env[name] ?? fallback)
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
const SIZES = list('BENCH_RUNNING_SIZES', '5000,10000,20000').map(Number);
const MODES = list('BENCH_RUNNING_MODES', 'distributor,workers') as Mode[];
const DIALECTS = list('BENCH_RUNNING_DB', 'mysql') as ('mysql' | 'sqlite')[];
const WINDOW_S = Number(process.env.BENCH_RUNNING_WINDOW_S ?? 60);
const QUERIES = Number(process.env.BENCH_RUNNING_QUERIES ?? 300);
const HEARTBEAT_S = Number(process.env.BENCH_RUNNING_HEARTBEAT_S ?? 30);
const CPU_PROF_DIR = process.env.BENCH_RUNNING_CPU_PROF;

type Mode = 'distributor' | 'workers';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const TICKS = 100;

/** CPU seconds (user + system) a process has used so far. */
function cpuSecondsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** VmRSS of a process, MiB. */
function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024;
}

const loadAverage = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** The server's count of heartbeat mutations answered so far, by kind (its report-duration histogram). */
async function heartbeatCounts(url: string): Promise<{ workers: number; distributor: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const count = (kind: string) =>
    Number(
      new RegExp(`^jobmon_report_duration_seconds_count\\{kind="${kind}"\\} (\\S+)`, 'm').exec(text)?.[1] ??
        0,
    );
  return { workers: count('heartbeat'), distributor: count('distributor_heartbeat') };
}

async function graphql<T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!body.data || body.errors?.length) throw new Error(JSON.stringify(body.errors ?? body));
  return body.data;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

interface Result {
  dialect: string;
  mode: Mode;
  running: number;
  setupSeconds: number;
  workerHeartbeatsPerSecond: number;
  distributorHeartbeatsPerSecond: number;
  rowsPerSecond: number;
  cpuCores: number;
  rssMb: number;
  rssBeforeMb: number;
  distributorCpuCores: number;
  p50: number;
  p99: number;
  /** Queries answered with an error (counted apart from the latencies). */
  failedQueries: number;
  load: string;
}

async function run(dialect: 'mysql' | 'sqlite', mode: Mode, size: number): Promise<Result> {
  const database = await createTestDatabase(dialect);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-running-'));
  let api: ApiProcess | undefined;
  let distributor: ReturnType<typeof spawnTracked> | undefined;
  try {
    api = await ApiProcess.start({
      databaseUrl: database.url,
      heartbeatSeconds: HEARTBEAT_S,
      nodeArgs: CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [],
    });
    const serverPid = api.child!.pid!;
    const rssBeforeMb = rssOf(serverPid);
    const started = performance.now();
    const cli = require.resolve('@jobmon/distributor').replace(/index\.js$/, 'cli/distributor.js');
    distributor = spawnTracked(
      process.execPath,
      [
        cli,
        ...['--server', api.url, '--backend', 'dummy', '--name', `running-${process.pid}-${size}`],
        ...['--slots', String(size), '--log-dir', logDir, '--poll-interval-ms', '200'],
        ...['--heartbeat-seconds', String(HEARTBEAT_S), '--dummy-hold', 'forever'],
        ...(mode === 'workers' ? ['--dummy-worker-heartbeats'] : []),
      ],
      { env: { ...process.env, JOBMON_LOG_LEVEL: 'warn' }, stdio: 'inherit' },
    );

    const tool = new Tool('running-bench');
    const hold = tool.taskTemplate({ name: 'hold', commandTemplate: 'hold {i}' });
    const workflow = tool.workflow({
      workflowArgs: `running-${size}-${Date.now()}`,
      maxConcurrentlyRunning: size,
    });
    for (let i = 0; i < size; i += 1) workflow.addTask(hold.createTask({ args: { i } }));
    const client = new JobmonClient({ serverUrl: api.url, timeoutMs: 600_000 });
    const workflowId = await workflow.submit({ client });

    const statusOf = `query($id: ID!) { workflow(id: $id) { status } }`;
    const countsOf = `query($id: ID!) { workflow(id: $id) { statusCounts { RUNNING } } }`;
    for (;;) {
      // A busy shared database may refuse one poll (SERVICE_UNAVAILABLE): the next one asks again.
      const running = await graphql<{ workflow: { statusCounts: { RUNNING: number } } }>(api.url, countsOf, {
        id: workflowId,
      }).then(
        (data) => data.workflow.statusCounts.RUNNING,
        () => 0,
      );
      if (running >= size) break;
      if (performance.now() - started > 30 * 60_000) throw new Error(`not all ${size} running in 30 min`);
      await sleep(2000);
    }
    const setupSeconds = (performance.now() - started) / 1000;
    // The last claimed ones' worker heartbeats begin within an interval of their start.
    await sleep(5_000);

    const load = loadAverage();
    const beatsBefore = await heartbeatCounts(api.url);
    const cpuBefore = cpuSecondsOf(serverPid);
    const distributorCpuBefore = cpuSecondsOf(distributor.pid!);
    const windowStart = performance.now();
    const latencies: number[] = [];
    let failedQueries = 0;
    const rss: number[] = [];
    for (let i = 0; i < QUERIES; i += 1) {
      const due = windowStart + ((i + 0.5) * WINDOW_S * 1000) / QUERIES;
      await sleep(Math.max(0, due - performance.now()));
      const sent = performance.now();
      const answered = await graphql(api.url, statusOf, { id: workflowId }).then(
        () => true,
        () => false,
      );
      if (answered) latencies.push(performance.now() - sent);
      else failedQueries += 1;
      if (i % Math.max(1, Math.floor(QUERIES / 12)) === 0) rss.push(rssOf(serverPid));
    }
    await sleep(Math.max(0, windowStart + WINDOW_S * 1000 - performance.now()));
    const seconds = (performance.now() - windowStart) / 1000;
    const cpu = cpuSecondsOf(serverPid) - cpuBefore;
    const distributorCpu = cpuSecondsOf(distributor.pid!) - distributorCpuBefore;
    const beatsAfter = await heartbeatCounts(api.url);
    const workerBeats = beatsAfter.workers - beatsBefore.workers;
    const distributorBeats = beatsAfter.distributor - beatsBefore.distributor;
    latencies.sort((a, b) => a - b);
    return {
      dialect,
      mode,
      running: size,
      setupSeconds,
      workerHeartbeatsPerSecond: workerBeats / seconds,
      distributorHeartbeatsPerSecond: distributorBeats / seconds,
      // A worker's heartbeat names its attempt; the distributor's name every attempt it runs, in requests
      // of at most MAX_IDS_PER_DISTRIBUTOR_REQUEST.
      rowsPerSecond:
        (workerBeats + (distributorBeats * size) / Math.ceil(size / MAX_IDS_PER_DISTRIBUTOR_REQUEST)) /
        seconds,
      cpuCores: cpu / seconds,
      rssMb: Math.max(...rss),
      rssBeforeMb,
      distributorCpuCores: distributorCpu / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      failedQueries,
      load,
    };
  } finally {
    await terminate(distributor);
    await api?.stop();
    await database.drop();
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `running bench: ${os.availableParallelism()} cores (nproc), Node ${process.version}, dummy backend ` +
      `holding every attempt RUNNING, heartbeat interval ${HEARTBEAT_S} s, window ${WINDOW_S} s, ` +
      `${QUERIES} queries workflow(id){status}; load average at start ${loadAverage()}`,
  );
  console.log(
    '\n| db | heartbeats | running | setup s | worker hb req/s | distributor hb req/s | rows/s | server CPU % core | ' +
      'RSS MB (idle) | CPU % core per 1,000 | MB per 1,000 | query p50 ms | p99 ms | failed | distributor CPU % | load avg |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const dialect of DIALECTS)
    for (const mode of MODES)
      for (const size of SIZES) {
        const r = await run(dialect, mode, size);
        const per1000 = 1000 / r.running;
        console.log(
          `| ${r.dialect} | ${r.mode} | ${r.running} | ${r.setupSeconds.toFixed(0)} | ` +
            `${r.workerHeartbeatsPerSecond.toFixed(1)} | ${r.distributorHeartbeatsPerSecond.toFixed(3)} | ` +
            `${Math.round(r.rowsPerSecond)} | ${(r.cpuCores * 100).toFixed(1)} | ${r.rssMb.toFixed(0)} ` +
            `(${r.rssBeforeMb.toFixed(0)}) | ${(r.cpuCores * 100 * per1000).toFixed(2)} | ` +
            `${((r.rssMb - r.rssBeforeMb) * per1000).toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.failedQueries} | ` +
            `${(r.distributorCpuCores * 100).toFixed(1)} | ${r.load} |`,
        );
      }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
