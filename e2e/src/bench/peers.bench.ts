import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runServer } from '@jobmon/api/server-command';
import { echoTemplates, submission, task, type TaskFixture } from '@jobmon/api/testing';
import { graphqlAt as gql, SUBMIT } from '../testing/e2e';

// `npm run bench:peers`: one layered DAG of trivial commands through make, through Jobmon as `npm start`
// runs it (the API and its embedded local distributor in one process, on a fresh SQLite database), with
// no workflow limit and with maxConcurrentlyRunning = slots, and through Snakemake when it is installed.
// Every task of a layer depends on two of the layer before (task i on i and i+1, wrapping), and runs
// `true <n>` through /bin/sh -c (make is given SHELL=/bin/sh and an argument, so that it does not skip
// the shell). Prints each tool's seconds and its ratio to make.
// Env: BENCH_LAYERS (20) · BENCH_WIDTH (100) · BENCH_SLOTS (2) · BENCH_RUNS (1: each figure is the best
// of this many) · BENCH_ONLY (make,jobmon,jobmon-limit,snakemake).

const int = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const LAYERS = int('BENCH_LAYERS', 20);
const WIDTH = int('BENCH_WIDTH', 100);
const SLOTS = int('BENCH_SLOTS', 2);
const RUNS = int('BENCH_RUNS', 1);
const ONLY = new Set((process.env.BENCH_ONLY ?? 'make,jobmon,jobmon-limit,snakemake').split(','));

interface Node {
  name: string;
  upstream: string[];
}

/** The DAG: LAYERS layers of WIDTH tasks, each (past the first layer) on two tasks of the layer before. */
function layeredDag(): Node[] {
  const name = (layer: number, i: number) => `l${layer}_${i}`;
  const nodes: Node[] = [];
  for (let layer = 0; layer < LAYERS; layer++)
    for (let i = 0; i < WIDTH; i++)
      nodes.push({
        name: name(layer, i),
        upstream: layer === 0 ? [] : [...new Set([name(layer - 1, i), name(layer - 1, (i + 1) % WIDTH)])],
      });
  return nodes;
}

function scratch(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `jobmon-peers-${prefix}-`));
}

/** Best of RUNS wall-clock runs of `run` (seconds). */
async function best(run: () => Promise<number> | number): Promise<number> {
  const seconds: number[] = [];
  for (let i = 0; i < RUNS; i++) seconds.push(await run());
  return Math.min(...seconds);
}

function runMake(nodes: readonly Node[]): number {
  const dir = scratch('make');
  try {
    const names = nodes.map((node) => node.name);
    fs.writeFileSync(
      path.join(dir, 'Makefile'),
      `.PHONY: all ${names.join(' ')}\nall: ${names.join(' ')}\n` +
        nodes.map((node, i) => `${node.name}: ${node.upstream.join(' ')}\n\ttrue ${i}\n`).join(''),
    );
    const started = performance.now();
    const result = spawnSync('make', ['-s', `-j${SLOTS}`, '-C', dir, 'SHELL=/bin/sh'], { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`make failed (${result.status})`);
    return (performance.now() - started) / 1000;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function snakemakeAvailable(): boolean {
  try {
    execFileSync('/bin/sh', ['-c', 'command -v snakemake'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Snakemake needs files: each rule touches its output, named after its task, from its inputs' files. */
function runSnakemake(nodes: readonly Node[]): number {
  const dir = scratch('snakemake');
  try {
    const file = (name: string) => `out/${name}`;
    const rules = nodes.map(
      (node, i) =>
        `rule ${node.name}:\n` +
        (node.upstream.length
          ? `    input: ${node.upstream.map((up) => `"${file(up)}"`).join(', ')}\n`
          : '') +
        `    output: "${file(node.name)}"\n    shell: "true ${i}; touch {output}"\n`,
    );
    fs.writeFileSync(
      path.join(dir, 'Snakefile'),
      `rule all:\n    input: ${nodes.map((node) => `"${file(node.name)}"`).join(', ')}\n\n${rules.join('\n')}`,
    );
    const started = performance.now();
    const result = spawnSync(
      'snakemake',
      ['-j', String(SLOTS), '-q', '--directory', dir, '-s', 'Snakefile'],
      {
        cwd: dir,
        stdio: 'ignore',
      },
    );
    if (result.status !== 0) throw new Error(`snakemake failed (${result.status})`);
    return (performance.now() - started) / 1000;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const STATUS = 'query($id: ID!) { workflow(id: $id) { status } }';

/**
 * CPU seconds of this process's threads so far (/proc/self/task): the main thread (JavaScript: the API
 * and the embedded distributor) and the others (libuv's pool: SQLite's statements, file system calls;
 * V8's compiler and garbage collector). The commands' process chains are not in it.
 */
function threadCpu(): { main: number; other: number } {
  const ticks = 100; // USER_HZ
  const out = { main: 0, other: 0 };
  for (const tid of fs.readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / ticks; // utime, stime
    if (Number(tid) === process.pid) out.main += seconds;
    else out.other += seconds;
  }
  return out;
}

/**
 * One run through `jobmon server` as `npm start` starts it (runServer: the API and the embedded local
 * distributor with SLOTS slots), on a fresh SQLite database; from the submission to the workflow DONE.
 */
async function runJobmon(nodes: readonly Node[], limit: number | undefined): Promise<number> {
  const before = threadCpu();
  const result = await runJobmonOnce(nodes, limit);
  const after = threadCpu();
  const perTask = (key: keyof typeof before) =>
    `${(((after[key] - before[key]) * 1000) / nodes.length).toFixed(1)}`;
  console.log(
    `  jobmon${limit === undefined ? '' : `, limit ${limit}`}: ${result.seconds.toFixed(2)} s, ` +
      `${result.requests} report requests; this process's CPU per task: ${perTask('main')} ms main thread, ` +
      `${perTask('other')} ms other threads`,
  );
  return result.seconds;
}

async function runJobmonOnce(
  nodes: readonly Node[],
  limit: number | undefined,
): Promise<{ seconds: number; requests: number }> {
  const dir = scratch('jobmon');
  const running = await runServer({
    port: 0,
    databaseUrl: `sqlite:${path.join(dir, 'jobmon.sqlite')}`,
    slots: SLOTS,
    logDir: path.join(dir, 'logs'),
  });
  try {
    const url = running.server.url;
    const tasks: TaskFixture[] = nodes.map((node, i) =>
      task(node.name, node.upstream, { template: 'step', args: { n: i } }),
    );
    const input = submission(tasks, {
      tool: 'bench-peers',
      taskTemplates: echoTemplates(tasks, 'true'),
      ...(limit === undefined ? {} : { maxConcurrentlyRunning: limit }),
    });
    const started = performance.now();
    const id = (await gql<{ submitWorkflow: { workflow: { id: string } } }>(url, SUBMIT, { input }))
      .submitWorkflow.workflow.id;
    for (;;) {
      const status = (await gql<{ workflow: { status: string } }>(url, STATUS, { id })).workflow.status;
      if (status === 'DONE')
        return {
          seconds: (performance.now() - started) / 1000,
          requests: running.distributor?.stats().requests ?? NaN,
        };
      if (status === 'FAILED' || status === 'HALTED') throw new Error(`the workflow ended ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await running.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const nodes = layeredDag();
  const edges = nodes.reduce((sum, node) => sum + node.upstream.length, 0);
  console.log(
    `bench:peers: ${nodes.length} tasks in ${LAYERS} layers of ${WIDTH}, ${edges} edges, \`true\` each; ` +
      `${SLOTS} slots; ${os.cpus().length} cores; load ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}; ` +
      `best of ${RUNS}`,
  );
  const rows: { tool: string; seconds: number }[] = [];
  const make = await best(() => runMake(nodes));
  rows.push({ tool: `make -j${SLOTS}`, seconds: make });
  if (ONLY.has('jobmon'))
    rows.push({ tool: 'jobmon, no workflow limit', seconds: await best(() => runJobmon(nodes, undefined)) });
  if (ONLY.has('jobmon-limit'))
    rows.push({
      tool: `jobmon, maxConcurrentlyRunning ${SLOTS}`,
      seconds: await best(() => runJobmon(nodes, SLOTS)),
    });
  if (ONLY.has('snakemake')) {
    if (snakemakeAvailable())
      rows.push({ tool: `snakemake -j${SLOTS}`, seconds: await best(() => runSnakemake(nodes)) });
    else console.log('snakemake is not installed: left out');
  }
  console.log('| tool | seconds | ratio to make |\n|---|---|---|');
  for (const row of rows)
    console.log(`| ${row.tool} | ${row.seconds.toFixed(2)} | ${(row.seconds / make).toFixed(2)}× |`);
  console.log(`load after: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
