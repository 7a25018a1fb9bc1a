import path from 'node:path';
import { DEFAULT_MAX_ITEMS_PER_REQUEST, DEFAULT_PORT } from '@jobmon/core';
import { inputLimitsFromEnv, type InputLimits } from './domain/limits';

/** Runtime settings, all from the environment so that every process of a deployment agrees. */
export interface Config {
  databaseUrl: string;
  port: number;
  heartbeatSeconds: number;
  /** How long a kill (stop, cold resume) may go unconfirmed before the instance is given up. */
  killTimeoutSeconds: number;
  /** Largest DAG one `submitWorkflow` request may carry; larger ones use the chunked binding. */
  maxTasksPerSubmission: number;
  /**
   * Items (tasks + upstream references) one submitWorkflow or addWorkflowTasks request may carry
   * (JOBMON_MAX_ITEMS_PER_REQUEST): bounds the synchronous work of reading one request, so that a big DAG
   * sent at once cannot stall everyone else's queries. Larger DAGs go through the chunked binding.
   */
  maxItemsPerRequest: number;
  /** How long a chunked binding stays open after its last chunk. */
  bindingTtlSeconds: number;
  /** HTTP body limit (JOBMON_BODY_LIMIT): bounds the JSON parse of one request, whatever its items hold. */
  bodyLimit: string;
  /** Bytes of large bodies read at once (JOBMON_BODY_BUDGET; null: two bodies at the limit). */
  bodyBudget: string | null;
  /** One client's share of it (JOBMON_BODY_BUDGET_PER_CLIENT; null: one body at the limit). */
  bodyBudgetPerClient: string | null;
  /** A body still arriving after uploadGraceMs slower than this on average is cut with 408. */
  minUploadBytesPerSecond: number;
  uploadGraceMs: number;
  maxQueryDepth: number;
  maxQueryCost: number;
  /** How long GraphQL validation of one document may run (JOBMON_VALIDATION_BUDGET_MS). */
  validationBudgetMs: number;
  /** Values (items × fields asked of each) of lists whose size only the answer knows, per request. */
  maxResponseSize: number;
  maxPageSize: number;
  logLevel: string;
  /** Redis for the event bus shared by several API replicas; null: in-process bus (one API process). */
  redisUrl: string | null;
  /** The Redis pub/sub channel of this deployment (replicas of one deployment must agree on it). */
  redisChannel: string;
  /** graphql-ws operations in flight on one socket, on all of one user's sockets; a user's open sockets. */
  maxSubscriptionsPerSocket: number;
  maxSubscriptionsPerUser: number;
  maxSocketsPerUser: number;
  /** How many live events one subscriber may have waiting before it is ended as too slow. */
  subscriptionBufferSize: number;
  /** How often each API process reads the audit log even without a wake-up (covers missed ones). */
  eventPollMs: number;
  /** The built web UI served at `/` (JOBMON_WEB_DIR; default web/dist of this repository). */
  webDir: string;
  /** Serve the UI's source maps (`*.map`): off by default, they show the source to anyone. */
  webSourceMaps: boolean;
  /** JOBMON_METRICS_TOKEN: when set, GET /metrics needs `Authorization: Bearer <it>`; otherwise it is open. */
  metricsToken: string | null;
  /** How long /metrics reuses the status counts it read from the database (JOBMON_METRICS_CACHE_MS). */
  metricsCacheMs: number;
  /**
   * Bearer tokens required (JOBMON_AUTH, default on). `JOBMON_AUTH=off` is the open mode of a single-user
   * start: everyone may do everything, and the server says so in its log.
   */
  auth: boolean;
  /** Sizes of free text, names and JSON a request may carry (domain/limits.ts; JOBMON_MAX_* variables). */
  limits: InputLimits;
}

function authFromEnv(env: NodeJS.ProcessEnv, fallback: boolean): boolean {
  const raw = (env.JOBMON_AUTH ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (['on', 'true', '1', 'token'].includes(raw)) return true;
  if (['off', 'false', '0', 'open'].includes(raw)) return false;
  throw new Error(`JOBMON_AUTH must be "on" or "off", got "${env.JOBMON_AUTH}"`);
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

export function defaultSqliteUrl(cwd = process.cwd()): string {
  return `sqlite:${path.join(cwd, '.jobmon', 'jobmon.sqlite')}`;
}

/** web/dist next to api/ (from api/dist or api/src alike). */
export function defaultWebDir(): string {
  return path.resolve(__dirname, '..', '..', 'web', 'dist');
}

/**
 * `authDefault` applies when JOBMON_AUTH is not set: on for the API server; `jobmon server`, the
 * single-user start, passes false.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: { authDefault?: boolean } = {},
): Config {
  return {
    databaseUrl: env.JOBMON_DATABASE_URL || defaultSqliteUrl(),
    port: intFromEnv(env, 'PORT', DEFAULT_PORT),
    heartbeatSeconds: intFromEnv(env, 'JOBMON_HEARTBEAT_SECONDS', 30),
    killTimeoutSeconds: intFromEnv(env, 'JOBMON_KILL_TIMEOUT_SECONDS', 60),
    maxTasksPerSubmission: intFromEnv(env, 'JOBMON_MAX_TASKS_PER_SUBMISSION', 100_000),
    maxItemsPerRequest: Math.max(
      2,
      intFromEnv(env, 'JOBMON_MAX_ITEMS_PER_REQUEST', DEFAULT_MAX_ITEMS_PER_REQUEST),
    ),
    bindingTtlSeconds: intFromEnv(env, 'JOBMON_BINDING_TTL_SECONDS', 3600),
    bodyLimit: env.JOBMON_BODY_LIMIT || '256mb',
    bodyBudget: env.JOBMON_BODY_BUDGET || null,
    bodyBudgetPerClient: env.JOBMON_BODY_BUDGET_PER_CLIENT || null,
    minUploadBytesPerSecond: intFromEnv(env, 'JOBMON_MIN_UPLOAD_BYTES_PER_SECOND', 256 * 1024),
    uploadGraceMs: intFromEnv(env, 'JOBMON_UPLOAD_GRACE_MS', 10_000),
    maxQueryDepth: intFromEnv(env, 'JOBMON_MAX_QUERY_DEPTH', 12),
    maxQueryCost: intFromEnv(env, 'JOBMON_MAX_QUERY_COST', 100_000),
    validationBudgetMs: intFromEnv(env, 'JOBMON_VALIDATION_BUDGET_MS', 500),
    maxResponseSize: intFromEnv(env, 'JOBMON_MAX_RESPONSE_SIZE', 500_000),
    maxPageSize: intFromEnv(env, 'JOBMON_MAX_PAGE_SIZE', 1000),
    logLevel: env.JOBMON_LOG_LEVEL || env.LOG_LEVEL || 'info',
    redisUrl: env.JOBMON_REDIS_URL || null,
    redisChannel: env.JOBMON_REDIS_CHANNEL || 'jobmon:events',
    maxSubscriptionsPerSocket: intFromEnv(env, 'JOBMON_MAX_SUBSCRIPTIONS_PER_SOCKET', 100),
    maxSubscriptionsPerUser: intFromEnv(env, 'JOBMON_MAX_SUBSCRIPTIONS_PER_USER', 1000),
    maxSocketsPerUser: intFromEnv(env, 'JOBMON_MAX_SOCKETS_PER_USER', 50),
    subscriptionBufferSize: Math.max(1, intFromEnv(env, 'JOBMON_SUBSCRIPTION_BUFFER', 10_000)),
    eventPollMs: Math.max(10, intFromEnv(env, 'JOBMON_EVENT_POLL_MS', 1000)),
    webDir: env.JOBMON_WEB_DIR || defaultWebDir(),
    webSourceMaps: /^(1|on|true|yes)$/i.test(env.JOBMON_WEB_SOURCE_MAPS ?? ''),
    metricsToken: env.JOBMON_METRICS_TOKEN || null,
    metricsCacheMs: intFromEnv(env, 'JOBMON_METRICS_CACHE_MS', 5000),
    auth: authFromEnv(env, options.authDefault ?? true),
    limits: inputLimitsFromEnv(env),
  };
}
