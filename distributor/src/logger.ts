import { createLogger } from '@jobmon/core/logger';

// The distributor's and worker's logger (stderr is left to the commands' own output files): the one logger
// factory of every Jobmon process (@jobmon/core/logger), with the API's names for the id fields.
export {
  chooseLogFormat,
  createLogger,
  instanceLogIds,
  type LogFormat,
  type Logger,
  type LoggerOptions,
} from '@jobmon/core/logger';

export const logger = createLogger({ service: 'jobmon-distributor' });
