import pino from 'pino';

// The logger of every Jobmon process (the API, the distributor, the worker): one per process, made by
// createLogger with the process's service name. Lines about a workflow, run, task or attempt carry its ids
// under the LogIds names (children of the logger where a scope exists), so that a log search by any id
// finds every line of it, whichever process wrote it.
// Imported as `@jobmon/core/logger`, not from the core's index: the client never loads pino.

/** The id fields of log lines, the same names in every process. */
export interface LogIds {
  workflowId?: number | string | null;
  workflowRunId?: number | string | null;
  taskId?: number | string | null;
  taskInstanceId?: number | string | null;
}

export type LogFormat = 'json' | 'pretty';

/** JOBMON_LOG_FORMAT (json | pretty) when set, else pretty on a terminal and JSON otherwise. */
export function chooseLogFormat(
  env: NodeJS.ProcessEnv = process.env,
  stdoutIsTty: boolean = process.stdout.isTTY === true,
): LogFormat {
  const asked = env.JOBMON_LOG_FORMAT?.trim().toLowerCase();
  if (asked === 'json' || asked === 'pretty') return asked;
  return stdoutIsTty ? 'pretty' : 'json';
}

export function logLevelFrom(env: NodeJS.ProcessEnv = process.env): string {
  // Tests are quiet unless asked.
  return env.JOBMON_LOG_LEVEL || env.LOG_LEVEL || (env.JEST_WORKER_ID ? 'silent' : 'info');
}

export interface LoggerOptions {
  service: string;
  format?: LogFormat;
  level?: string;
  /** Where lines go (default stdout). */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): pino.Logger {
  const settings: pino.LoggerOptions = {
    level: options.level ?? logLevelFrom(),
    base: { service: options.service },
  };
  if ((options.format ?? chooseLogFormat()) === 'pretty') {
    // Required here, not at load: ~40 ms and 30 modules that a process logging JSON (a server, each
    // Slurm job's worker) would pay at every start for nothing.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as typeof import('pino-pretty');
    // In this thread, not a transport worker: a terminal is slow anyway, and lines keep their order.
    return pino(settings, pretty({ colorize: true, sync: true, destination: options.destination ?? 1 }));
  }
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

export type Logger = pino.Logger;

/** The ids of a claimed attempt (as the distributor gets it) under the LogIds names. */
export function instanceLogIds(instance: {
  id: string;
  taskId?: string;
  workflowId?: string;
  workflowRunId?: string;
}): Record<string, string | undefined> {
  return {
    workflowId: instance.workflowId,
    workflowRunId: instance.workflowRunId,
    taskId: instance.taskId,
    taskInstanceId: instance.id,
  };
}
