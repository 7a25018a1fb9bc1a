import pino from 'pino';

/** The distributor's and worker's JSON logger (stderr is left to the commands' own output files). */
export const logger = pino({
  level:
    process.env.JOBMON_LOG_LEVEL || process.env.LOG_LEVEL || (process.env.JEST_WORKER_ID ? 'silent' : 'info'),
  base: { service: 'jobmon-distributor' },
});
export type Logger = pino.Logger;
