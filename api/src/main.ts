#!/usr/bin/env node
// First: tracing (when OTEL_EXPORTER_OTLP_ENDPOINT is set) must hook http before anything loads it.
import { shutdownTracing } from './observability/register-tracing';
import { loadConfig } from './config';
import { logger } from './logger';
import { startServer } from './server';

// `npm start`: the API on the embedded SQLite default (the distributor and UI join as they land).
async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server
      .stop()
      // Spans still buffered are sent before the process ends.
      .then(() => shutdownTracing())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'jobmon server failed to start');
  process.exit(1);
});
