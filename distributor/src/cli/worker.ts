#!/usr/bin/env node
import { Command } from 'commander';
import { logger } from '../logger';
import { DEFAULT_LOG_DIR } from '../supervisor';
import { runWorker } from '../worker';
import { DEFAULT_SERVER_URL, heartbeatSecondsDefault, positiveInt, positiveNumber } from './options';

// jobmon-worker: runs ONE command under supervision on an execution host (e.g. inside a Slurm job) and
// reports to the server itself; exits with the command's exit code (128 + N when killed by signal N).
// On SIGTERM / SIGINT it ends the command's process group and exits without a finished report: whoever
// sent the signal (Slurm's time limit, a cancel) knows why, and its backend reports the outcome.

const program = new Command()
  .name('jobmon-worker')
  .description('Runs one task instance command under supervision and reports it to the Jobmon API.')
  .requiredOption('--task-instance-id <id>', 'the task instance this command is')
  .option('--server <url>', 'API server URL (env JOBMON_SERVER_URL)', DEFAULT_SERVER_URL)
  .option(
    '--workflow-id <id>',
    'names the log directory (env JOBMON_WORKFLOW_ID)',
    process.env.JOBMON_WORKFLOW_ID,
  )
  .option('--log-dir <dir>', 'where stdout/stderr files go', DEFAULT_LOG_DIR)
  .option('--memory-mb <n>', 'kill the command when its processes use more memory (MiB)', positiveInt)
  .option('--runtime-seconds <n>', 'kill the command after this long', positiveInt)
  .option(
    '--heartbeat-seconds <s>',
    'heartbeat interval (env JOBMON_HEARTBEAT_SECONDS)',
    positiveNumber,
    heartbeatSecondsDefault(),
  )
  .option('--token <token>', 'bearer token (env JOBMON_TOKEN)', process.env.JOBMON_TOKEN)
  .argument('<command...>', 'the command, run with /bin/sh -c (several words are joined with spaces)')
  .passThroughOptions();

program.parse();
const options = program.opts<{
  taskInstanceId: string;
  server: string;
  workflowId?: string;
  logDir: string;
  memoryMb?: number;
  runtimeSeconds?: number;
  heartbeatSeconds: number;
  token?: string;
}>();
const command = (program.args as string[]).join(' ');

const abort = new AbortController();
process.on('SIGTERM', () => abort.abort());
process.on('SIGINT', () => abort.abort());

runWorker(
  {
    serverUrl: options.server,
    taskInstanceId: options.taskInstanceId,
    command,
    workflowId: options.workflowId,
    logDir: options.logDir,
    memoryMb: options.memoryMb,
    runtimeSeconds: options.runtimeSeconds,
    heartbeatSeconds: options.heartbeatSeconds,
    token: options.token,
  },
  abort.signal,
).then(
  (result) => process.exit(result.exitCode),
  (error: unknown) => {
    logger.error({ err: error }, 'jobmon-worker failed');
    process.exit(1);
  },
);
