import pino from 'pino';
import pretty from 'pino-pretty';

// The distributor's and worker's logger (stderr is left to the commands' own output files). Lines about a
// workflow, run, task or attempt carry workflowId, workflowRunId, taskId, taskInstanceId (the API's names).

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

export interface LoggerOptions {
  service: string;
  format?: LogFormat;
  level?: string;
  /** Where lines go (default stdout). */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): pino.Logger {
  const env = process.env;
  const settings: pino.LoggerOptions = {
    level:
      options.level ?? (env.JOBMON_LOG_LEVEL || env.LOG_LEVEL || (env.JEST_WORKER_ID ? 'silent' : 'info')),
    base: { service: options.service },
  };
  if ((options.format ?? chooseLogFormat()) === 'pretty')
    // In this thread, not a transport worker: a terminal is slow anyway, and lines keep their order.
    return pino(settings, pretty({ colorize: true, sync: true, destination: options.destination ?? 1 }));
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

export const logger = createLogger({ service: 'jobmon-distributor' });
export type Logger = pino.Logger;

/** The ids of a claimed attempt under the log field names shared with the API. */
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
