import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTestDatabase, echoTemplates, independent, submission } from '@jobmon/api/testing';
import { Database, loadConfig, startServer } from '@jobmon/api';
import { createSlurmBackend, startDistributor } from '@jobmon/distributor';
import { JobmonClient } from '@jobmon/client-sdk';

// `npm run bench:slurm` (after a build, with a Slurm up: scripts/slurm/up.sh): how fast tasks get into
// Slurm, in the same run:
//   (a) the floor without arrays: a plain loop of `sbatch --wrap true`, one job per call;
//   (b) through jobmon: a workflow of N tasks of one template, submitted to the API, claimed by a
//       distributor with the slurm backend and sent as job arrays, until every task has its Slurm job;
//   (c) the cost of following them: one squeue for all the jobs in the queue.
// Both (a) and (b) submit held jobs (`--hold`), so that nothing runs meanwhile and only submission is
// measured; they are cancelled at the end. Goal: (b) above (a).
// Env: BENCH_SLURM_PLAIN=300 (sbatch calls of the loop) · BENCH_SLURM_TASKS=3000 (tasks of the workflow).

const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

function sbatchLoop(count: number): { seconds: number; jobIds: string[] } {
  const jobIds: string[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const result = spawnSync(
      'sbatch',
      ['--parsable', '--hold', '--job-name=bench-plain', '--output=/dev/null', '--wrap', 'true'],
      {
        encoding: 'utf8',
      },
    );
    if (result.status !== 0) throw new Error(`sbatch failed: ${result.stderr}`);
    jobIds.push(result.stdout.trim().split(';')[0]!);
  }
  return { seconds: (performance.now() - started) / 1000, jobIds };
}

function scancel(jobIds: string[]): void {
  for (let start = 0; start < jobIds.length; start += 500)
    spawnSync('scancel', jobIds.slice(start, start + 500));
}

async function throughJobmon(count: number) {
  const database = await createTestDatabase('sqlite');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-bench-slurm-'));
  const db = await Database.connect(database.url);
  const server = await startServer(
    { ...loadConfig({ JOBMON_AUTH: 'off' }), databaseUrl: database.url, port: 0, logLevel: 'warn' },
    { db, migrate: true },
  );
  const backend = await createSlurmBackend({
    serverUrl: server.url,
    logDir: path.join(dir, 'logs'),
    capacity: count,
    pollIntervalMs: 2000,
    jobNamePrefix: 'jobmon-bench',
  });
  const distributor = startDistributor({
    serverUrl: server.url,
    backend,
    name: `bench-slurm-${process.pid}`,
    logDir: path.join(dir, 'logs'),
    pollIntervalMs: 200,
    // Kills (the stop at the end) come with the heartbeat answer.
    heartbeatSeconds: 2,
  });
  const client = new JobmonClient({ serverUrl: server.url });
  const gql = (query: string, variables: Record<string, unknown>) =>
    client.query<Record<string, unknown>, Record<string, unknown>>(query, variables);
  try {
    await distributor.ready;
    const resources = { memoryMb: 64, runtimeSeconds: 60, extra: { sbatchArgs: ['--hold'] } };
    const tasks = independent(count).map((fixture) => ({ ...fixture, resources }));
    const input = submission(tasks, {
      tool: 'bench',
      maxConcurrentlyRunning: 100_000,
      taskTemplates: echoTemplates(tasks, 'true'),
    });
    const started = performance.now();
    const data = (await gql(
      'mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }',
      {
        input,
      },
    )) as { submitWorkflow: { workflow: { id: string } } };
    const submittedAt = performance.now();
    const workflowId = data.submitWorkflow.workflow.id;
    distributor.wake();
    while (backend.load().tracked < count) await new Promise((resolve) => setTimeout(resolve, 10));
    const inSlurm = performance.now();

    const squeueStarted = performance.now();
    const squeue = spawnSync(
      'squeue',
      ['--noheader', '--array', '--states=all', `--user=${os.userInfo().username}`, '--format=%i|%T|%r'],
      {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    const squeueSeconds = (performance.now() - squeueStarted) / 1000;
    const listed = squeue.stdout.split('\n').filter(Boolean).length;

    await gql('mutation($id: ID!) { stopWorkflow(id: $id, reason: "bench over") { id } }', {
      id: workflowId,
    });
    const deadline = Date.now() + 120_000;
    while (backend.load().tracked > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    return {
      bindSeconds: (submittedAt - started) / 1000,
      seconds: (inSlurm - started) / 1000,
      sbatchCalls: backend.calls.sbatch ?? 0,
      squeueSeconds,
      listed,
    };
  } finally {
    await distributor.stop();
    spawnSync('scancel', ['--name=jobmon-bench-noop']); // whatever the stop did not reach
    await server.stop();
    await db.close();
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const probe = spawnSync('sinfo', ['--noheader'], { encoding: 'utf8' });
  if (probe.status !== 0)
    throw new Error(
      `no Slurm here (sinfo: ${probe.stderr.trim() || probe.error?.message}); run scripts/slurm/up.sh`,
    );
  const plainCount = int('BENCH_SLURM_PLAIN', 300);
  const taskCount = int('BENCH_SLURM_TASKS', 3000);

  console.log(`\nSubmission to Slurm (held jobs, cancelled afterwards), ${os.cpus().length} cores`);
  const plain = sbatchLoop(plainCount);
  scancel(plain.jobIds);
  const plainRate = plainCount / plain.seconds;

  const jobmon = await throughJobmon(taskCount);
  const jobmonRate = taskCount / jobmon.seconds;

  console.log('| path | tasks | sbatch calls | seconds | tasks/s |\n|---|---|---|---|---|');
  console.log(
    `| (a) plain loop of \`sbatch --wrap true\` | ${plainCount} | ${plainCount} | ${plain.seconds.toFixed(2)} | ${Math.round(plainRate)} |`,
  );
  console.log(
    `| (b) jobmon: submitWorkflow → claim → job arrays (slurm backend) | ${taskCount} | ${jobmon.sbatchCalls} | ${jobmon.seconds.toFixed(2)} | ${Math.round(jobmonRate)} |`,
  );
  console.log(`\n(b) includes binding the workflow in the API: ${jobmon.bindSeconds.toFixed(2)} s of it.`);
  console.log(
    `(c) one squeue listing ${jobmon.listed} jobs took ${(jobmon.squeueSeconds * 1000).toFixed(0)} ms (the backend's whole poll per cycle).`,
  );
  console.log(
    `\nGoal (jobmon above the plain loop): ${jobmonRate > plainRate ? 'met' : 'NOT met'} — ${(jobmonRate / plainRate).toFixed(1)}× the loop.`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
