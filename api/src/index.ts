export { loadConfig, type Config } from './config';
export { startServer, type JobmonServer, type StartOptions } from './server';
export { Database, migrateUp } from './db';
export { printSchemaSdl, getSchema } from './graphql/schema';
export * from './domain';
export {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  type ApiTokenInfo,
  type CreateApiTokenInput,
} from './services/auth.service';
export { logger } from './logger';
