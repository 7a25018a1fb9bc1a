#!/usr/bin/env node
import { Command } from 'commander';
import { readArrayFileTask, reportFilePath } from '../backends/slurm/array-file';
import { logger } from '../logger';
import { DEFAULT_LOG_DIR, logPaths } from '../log-files';
import { runWorker, type WorkerOptions } from '../worker';
import { DEFAULT_SERVER_URL, heartbeatSecondsDefault, positiveInt, positiveNumber } from './options';

// jobmon-worker: runs ONE command under supervision on an execution host (e.g. inside a Slurm job) and
// reports to the server itself; exits with the command's exit code (128 + N when killed by signal N).
// On SIGTERM / SIGINT it ends the command's process group and exits without a finished report: whoever
// sent the signal (Slurm's time limit, a cancel) knows why, and its backend reports the outcome.
// In a Slurm job array (`--array-file FILE`), the instance, command and limits come from the array file's
// element SLURM_ARRAY_TASK_ID; the reported job id is Slurm's `<array job id>_<index>`, and the finished
// report is also written next to the logs for the distributor (see backends/slurm).

const program = new Command()
  .name('jobmon-worker')
  .description('Runs one task instance command under supervision and reports it to the Jobmon API.')
  .option('--task-instance-id <id>', 'the task instance this command is (or --array-file)')
  .option('--array-file <file>', 'a Slurm job array file: run the element of --array-index')
  .option(
    '--array-index <n>',
    'the element of --array-file (env SLURM_ARRAY_TASK_ID)',
    (value) => Number(value),
    process.env.SLURM_ARRAY_TASK_ID === undefined ? undefined : Number(process.env.SLURM_ARRAY_TASK_ID),
  )
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
  .option(
    '--token <token>',
    "bearer token (env JOBMON_ATTEMPT_TOKEN: the attempt's own credential, else JOBMON_TOKEN); never given to the command",
    process.env.JOBMON_ATTEMPT_TOKEN ?? process.env.JOBMON_TOKEN,
  )
  .argument('[command...]', 'the command, run with /bin/sh -c (several words are joined with spaces)')
  .passThroughOptions();

program.parse();
const options = program.opts<{
  taskInstanceId?: string;
  arrayFile?: string;
  arrayIndex?: number;
  server: string;
  workflowId?: string;
  logDir: string;
  memoryMb?: number;
  runtimeSeconds?: number;
  heartbeatSeconds: number;
  token?: string;
}>();
/** The Slurm job this runs in, as the Slurm backend names it (`<array job id>_<index>`). */
function slurmJobId(): string | undefined {
  const { SLURM_ARRAY_JOB_ID, SLURM_ARRAY_TASK_ID, SLURM_JOB_ID } = process.env;
  if (SLURM_ARRAY_JOB_ID && SLURM_ARRAY_TASK_ID) return `${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}`;
  return SLURM_JOB_ID || undefined;
}

function workerOptions(): WorkerOptions {
  const common = {
    heartbeatSeconds: options.heartbeatSeconds,
    token: options.token,
    backendJobId: slurmJobId(),
  };
  if (options.arrayFile) {
    const index = options.arrayIndex;
    if (index === undefined || !Number.isInteger(index) || index < 0)
      throw new Error('--array-file needs --array-index (or SLURM_ARRAY_TASK_ID)');
    const { file, task } = readArrayFileTask(options.arrayFile, index);
    return {
      ...common,
      // The attempt's own credential (reports on this attempt only), when its distributor wrote one.
      token: task.reportToken ?? common.token,
      serverUrl: file.serverUrl,
      taskInstanceId: task.taskInstanceId,
      workflowId: task.workflowId,
      command: task.command,
      nonce: task.nonce,
      logDir: file.logDir,
      memoryMb: task.memoryMb,
      runtimeSeconds: task.runtimeSeconds,
      heartbeatSeconds: file.heartbeatSeconds ?? options.heartbeatSeconds,
      enforceMemory: file.enforceMemory,
      reportFile: reportFilePath(logPaths(file.logDir, task.workflowId, task.taskInstanceId).exitPath),
    };
  }
  if (!options.taskInstanceId) throw new Error('--task-instance-id (or --array-file) is needed');
  if (program.args.length === 0) throw new Error('the command is missing');
  return {
    ...common,
    serverUrl: options.server,
    taskInstanceId: options.taskInstanceId,
    command: (program.args as string[]).join(' '),
    workflowId: options.workflowId,
    logDir: options.logDir,
    memoryMb: options.memoryMb,
    runtimeSeconds: options.runtimeSeconds,
  };
}

const abort = new AbortController();
process.on('SIGTERM', () => abort.abort());
process.on('SIGINT', () => abort.abort());

let resolved: WorkerOptions;
try {
  resolved = workerOptions();
} catch (error) {
  logger.error({ err: error }, 'jobmon-worker cannot start');
  process.exit(2);
}
runWorker(resolved, abort.signal).then(
  (result) => process.exit(result.exitCode),
  (error: unknown) => {
    logger.error({ err: error }, 'jobmon-worker failed');
    process.exit(1);
  },
);
