#!/usr/bin/env node
import { Command, Option } from 'commander';
import type { Backend } from '../backend';
import { DummyBackend, type WorkerHeartbeat } from '../backends/dummy';
import { createSlurmBackend } from '../backends/slurm';
import { GraphQLClient } from '../client';
import { HeartbeatTaskInstancesDocument } from '../generated/graphql';
import { SERVER_BACKEND_NAMES } from '@jobmon/core';
import type { BackendName } from '../backends/by-name';
import { startDistributor } from '../distributor';
import { logger } from '../logger';
import { DEFAULT_LOG_DIR } from '../log-files';
import { DEFAULT_SERVER_URL, heartbeatSecondsDefault, positiveInt, positiveNumber } from './options';

// jobmon-distributor: the distributor as a process of its own.
// SIGTERM / SIGINT: stop claiming, deliver the reports still queued, exit. Running local commands keep
// running in their own process groups (`--on-stop detach`, the default): the next start with the same
// name adopts them and reports how they ended (from their exit files). `--on-stop kill` ends them.
// `--backend slurm`: jobs are submitted with sbatch (job arrays) and run jobmon-worker, which reports to
// `--server` itself: the URL must be reachable from the compute nodes and `--log-dir` shared with them
// (docs/slurm.md). Detached Slurm jobs are adopted the same way.

const program = new Command()
  .name('jobmon-distributor')
  .description('Claims queued task instances from a Jobmon API server and runs them on a backend.')
  .option('--server <url>', 'API server URL (env JOBMON_SERVER_URL)', DEFAULT_SERVER_URL)
  .addOption(
    new Option('--backend <name>', 'where commands run').choices(SERVER_BACKEND_NAMES).default('local'),
  )
  .option('--name <name>', 'stable distributor name (default <hostname>-<backend>)')
  .option(
    '--slots <n>',
    'commands at once (local: default the number of cores; slurm: jobs in Slurm at once, default 2000)',
    positiveInt,
  )
  .option(
    '--prefetch <n>',
    'local: instances claimed ahead of free slots (default 16 × slots, at most 256)',
    (value) => (value === '0' ? 0 : positiveInt(value)),
  )
  .option('--queue <name>', 'queue it serves (default local; dummy: dummy)')
  .option(
    '--log-dir <dir>',
    'where stdout/stderr files go (slurm: shared with the compute nodes)',
    DEFAULT_LOG_DIR,
  )
  .option('--partitions <names>', 'slurm: the partitions served, comma-separated (default all)', (value) =>
    value
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  )
  .option('--slurm-poll-interval-ms <ms>', 'slurm: how often squeue/sacct are asked', positiveInt, 5000)
  .option(
    '--worker-memory-mb <n>',
    "slurm: MiB added to each job's --mem for jobmon-worker",
    positiveInt,
    128,
  )
  .option(
    '--heartbeat-seconds <s>',
    'heartbeat interval (env JOBMON_HEARTBEAT_SECONDS)',
    positiveNumber,
    heartbeatSecondsDefault(),
  )
  .option(
    '--dummy-hold <s>',
    'dummy: hold each instance RUNNING for this many seconds ("forever": until cancelled or stopped)',
    (value) => (value === 'forever' ? Infinity : positiveNumber(value)),
  )
  .option(
    '--dummy-worker-heartbeats',
    'dummy with --dummy-hold: each held instance also heartbeats by itself, as jobmon-worker does',
  )
  .option('--poll-interval-ms <ms>', 'how often to look for work when idle', positiveInt, 1000)
  .option('--token <token>', 'bearer token (env JOBMON_TOKEN)', process.env.JOBMON_TOKEN)
  .addOption(
    new Option('--on-stop <mode>', 'running commands on SIGTERM: leave them for adoption, or kill them')
      .choices(['detach', 'kill'])
      .default('detach'),
  );

program.parse();
const options = program.opts<{
  server: string;
  backend: BackendName | 'slurm';
  partitions?: string[];
  slurmPollIntervalMs: number;
  workerMemoryMb: number;
  name?: string;
  slots?: number;
  prefetch?: number;
  queue?: string;
  logDir: string;
  heartbeatSeconds: number;
  pollIntervalMs: number;
  token?: string;
  onStop: 'detach' | 'kill';
  dummyHold?: number;
  dummyWorkerHeartbeats?: boolean;
}>();

/** The dummy backend holding its instances RUNNING (a benchmark of many running attempts). */
function holdingDummy(holdSeconds: number): Backend {
  const send: WorkerHeartbeat = async (id, reportToken) => {
    // Each attempt's own credential, as its worker would send it.
    const client = new GraphQLClient({ serverUrl: options.server, token: reportToken ?? options.token });
    const data = await client.request(
      HeartbeatTaskInstancesDocument,
      { ids: [id] },
      { timeoutMs: Math.max(5_000, options.heartbeatSeconds * 1000) },
    );
    return data.heartbeatTaskInstances;
  };
  return new DummyBackend({
    slots: options.slots,
    queueName: options.queue,
    hold: {
      seconds: Number.isFinite(holdSeconds) ? holdSeconds : undefined,
      workerHeartbeats: options.dummyWorkerHeartbeats
        ? { heartbeatSeconds: options.heartbeatSeconds, send }
        : undefined,
    },
  });
}

async function chooseBackend(): Promise<BackendName | Backend> {
  if (options.backend === 'dummy' && options.dummyHold !== undefined) return holdingDummy(options.dummyHold);
  if (options.backend !== 'slurm') return options.backend;
  try {
    return await createSlurmBackend({
      serverUrl: options.server,
      token: options.token,
      logDir: options.logDir,
      partitions: options.partitions,
      capacity: options.slots,
      pollIntervalMs: options.slurmPollIntervalMs,
      heartbeatSeconds: options.heartbeatSeconds,
      workerMemoryMb: options.workerMemoryMb,
    });
  } catch (error) {
    logger.error({ err: error }, 'cannot use Slurm');
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const distributor = startDistributor({
    serverUrl: options.server,
    backend: await chooseBackend(),
    name: options.name,
    slots: options.slots,
    prefetch: options.prefetch,
    queue: options.queue,
    logDir: options.logDir,
    heartbeatSeconds: options.heartbeatSeconds,
    pollIntervalMs: options.pollIntervalMs,
    token: options.token,
    onStop: options.onStop,
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    distributor.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
