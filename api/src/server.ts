import { ErrorCode, type GraphQLTransport } from '@jobmon/core';
import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Config } from './config';
import { composeServices, type ComposedServices } from './composition';
import { Database, migrateUp } from './db';
import type { EventHub } from './events';
import { authorizationPlugin } from './graphql/authorization';
import { createContext, type Context } from './graphql/context';
import { formatError } from './graphql/errors';
import { inProcessTransport } from './graphql/in-process';
import { bodyLimitsOf, graphqlHttpHandler } from './graphql/http-handler';
import { createValidationBudgetCheck, queryLimitsPlugin } from './graphql/limits';
import { inputCheckPlugin } from './graphql/input-check';
import { getSchema } from './graphql/schema';
import { attachSubscriptionServer, type SubscriptionServer } from './graphql/subscriptions/ws-server';
import { jsonErrorHandler } from './http-errors';
import { logger } from './logger';
import { JobmonMetrics } from './observability/metrics';
import { metricsPlugin } from './observability/metrics-plugin';
import { metricsHandler } from './observability/metrics-route';
import { flushTracing, graphqlTracingPlugins } from './observability/tracing-state';
import { bearerToken, type TokenVerifier } from './services/auth.service';
import { sweepExpiredBindings } from './services/binding.service';
import { startReaperLoop } from './services';
import { setSecurityHeaders } from './security-headers';
import { webUiHandler } from './web-ui';

export interface JobmonServer {
  url: string;
  port: number;
  db: Database;
  httpServer: http.Server;
  /** The audit log's tailer and the subscription feeds of this process. */
  events: EventHub;
  /** This process's token verifier (pass it to revocations made in this process, so they apply at once). */
  tokens: TokenVerifier;
  /** graphql-ws on /graphql. */
  subscriptions: SubscriptionServer;
  /**
   * GraphQL for a client in this process (the embedded distributor), authenticated with `token` (none in
   * open mode) and executed as an HTTP request would be, without the HTTP round trip.
   */
  inProcess(token: string | undefined): GraphQLTransport;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Use this database instead of connecting to config.databaseUrl. */
  db?: Database;
  /** Apply migrations on start (default true). */
  migrate?: boolean;
  /** Run the reaper (default true; tests of a second replica may turn it off). */
  reaper?: boolean;
}

/** How often expired chunked bindings are looked for. */
const BINDING_SWEEP_INTERVAL_MS = 60_000;

/** Starts the API: GraphQL over HTTP at /graphql, liveness at /healthz. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<JobmonServer> {
  const db = options.db ?? (await Database.connect(config.databaseUrl));
  if (options.migrate ?? true) {
    const applied = await migrateUp(db);
    if (applied.length) logger.info({ migrations: applied }, 'applied migrations');
  }
  const schema = getSchema();
  const composed = await composeServices(db, config);
  try {
    return await serve(config, options, schema, composed);
  } catch (error) {
    await composed.stop();
    throw error;
  }
}

/** The HTTP and WebSocket servers, the background sweeps and the reaper, on the composed services. */
async function serve(
  config: Config,
  options: StartOptions,
  schema: GraphQLSchema,
  composed: ComposedServices,
): Promise<JobmonServer> {
  const { services, authenticate } = composed;
  const { db, events, tokens } = services;
  const metrics = new JobmonMetrics(db, { countsCacheMs: config.metricsCacheMs });
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer();
  const apollo = new ApolloServer<Context>({
    schema,
    formatError,
    introspection: true,
    // Stack traces stay in the server log; clients get the message and code.
    includeStacktraceInErrorResponses: process.env.JOBMON_DEBUG === '1',
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No field carries cache hints, so the default cache-control plugin only ever answered `no-store`,
      // after a hook on every resolved field; the HTTP handler sets that header instead.
      ApolloServerPluginCacheControlDisabled(),
      inputCheckPlugin(config.limits, config.maxItemsPerRequest),
      queryLimitsPlugin(schema, { maxDepth: config.maxQueryDepth, maxCost: config.maxQueryCost }),
      metricsPlugin(metrics),
      ...graphqlTracingPlugins<Context>(),
      authorizationPlugin(),
    ],
  });
  await apollo.start();

  // /graphql is served by its own lean handler; express serves the rest (health, and the web UI).
  const handleGraphql = graphqlHttpHandler(
    apollo,
    async (req) => createContext(services, await authenticate(bearerToken(req.headers.authorization))),
    bodyLimitsOf(config),
    createValidationBudgetCheck(schema, config.validationBudgetMs),
  );
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    setSecurityHeaders(res);
    const path = req.url === undefined ? '' : req.url.split('?', 1)[0];
    if (path === '/graphql' || path === '/graphql/') {
      handleGraphql(req, res).catch((error: unknown) => {
        logger.error({ err: error }, 'GraphQL HTTP request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            errors: [
              { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } },
            ],
          }),
        );
      });
      return;
    }
    app(req, res);
  });

  app.get('/healthz', async (_req, res) => {
    try {
      await db.sequelize.query('SELECT 1');
      res.json({ status: 'ok', database: db.dialect });
    } catch (error) {
      res.status(503).json({ status: 'unavailable', error: (error as Error).message });
    }
  });
  app.get('/metrics', metricsHandler(metrics, config.metricsToken));
  app.use(webUiHandler(config.webDir, { sourceMaps: config.webSourceMaps }));
  app.use(jsonErrorHandler);

  const subscriptions = attachSubscriptionServer(httpServer, { schema, services, authenticate });

  metrics.observeSubscriptions(subscriptions);
  metrics.observeEvents(events.tailer, events.tailer.liveFrom);

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, resolve);
    });
  } catch (error) {
    await subscriptions.close();
    await apollo.stop();
    throw error;
  }
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  logger.info({ url: `${url}/graphql`, database: db.dialect, auth: config.auth }, 'jobmon API listening');
  if (!config.auth)
    logger.warn(
      'authentication is OFF (open mode: JOBMON_AUTH=off, the default of `jobmon server` without --auth): anyone who can reach this port may submit, stop and change every workflow',
    );
  else if ((await db.models.ApiToken.count()) === 0)
    logger.warn(
      'authentication is on and no token exists yet: create one with `jobmon token create --user NAME --role admin`',
    );

  // Expired chunked bindings (an hour after their last chunk) are deleted in the background.
  let sweeping: Promise<void> | null = null;
  const sweeper = setInterval(() => {
    sweeping ??= sweepExpiredBindings(db)
      .then(
        () => undefined,
        (error: unknown) => logger.error({ err: error }, 'sweeping expired workflow bindings failed'),
      )
      .finally(() => (sweeping = null));
  }, BINDING_SWEEP_INTERVAL_MS);
  sweeper.unref();

  const reaper =
    options.reaper === false
      ? null
      : startReaperLoop(db, {
          heartbeatSeconds: config.heartbeatSeconds,
          killTimeoutSeconds: config.killTimeoutSeconds,
        });

  let stopped = false;
  return {
    url,
    port,
    db,
    httpServer,
    events,
    tokens,
    subscriptions,
    inProcess: (token) =>
      inProcessTransport(
        apollo,
        (principal) => createContext(services, principal),
        authenticate,
        token,
        `${url}/graphql (in process)`,
      ),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(sweeper);
      await sweeping;
      // Open sockets would keep the HTTP server from closing: subscriptions end first.
      await subscriptions.close();
      await reaper?.stop();
      await composed.stop();
      await apollo.stop();
      if (!options.db) await db.close();
      await flushTracing();
    },
  };
}
