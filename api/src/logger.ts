import pino from 'pino';

/** One JSON logger for the process; children carry workflow/run/task ids. */
export const logger = pino({
  level:
    process.env.JOBMON_LOG_LEVEL || process.env.LOG_LEVEL || (process.env.JEST_WORKER_ID ? 'silent' : 'info'),
  base: { service: 'jobmon-api' },
});
export type Logger = pino.Logger;
