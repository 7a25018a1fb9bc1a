import { createLogger } from '@jobmon/core/logger';

// The API process's logger: the one logger factory of every Jobmon process (@jobmon/core/logger).
export {
  chooseLogFormat,
  createLogger,
  logLevelFrom,
  type LogFormat,
  type LogIds,
  type Logger,
  type LoggerOptions,
} from '@jobmon/core/logger';

/** The API process's logger. */
export const logger = createLogger({ service: 'jobmon-api' });
