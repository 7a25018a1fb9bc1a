import { loadConfig, startServer, type JobmonServer } from '@jobmon/api';
import { BACKEND_NAMES, startDistributor, type BackendName, type Distributor } from '@jobmon/distributor';

export interface ServerCommandOptions {
  port?: number;
  databaseUrl?: string;
  /** The embedded distributor's backend, or false for none (a separate jobmon-distributor runs the work). */
  backend?: BackendName | false;
  slots?: number;
  logDir?: string;
}

export interface RunningServer {
  server: JobmonServer;
  distributor: Distributor | null;
  stop(): Promise<void>;
}

/**
 * `jobmon server`: the API (scheduler, reaper, event bus) and, unless turned off, a distributor in the same
 * process — the single-user start that needs nothing installed. The distributor talks to the API over
 * GraphQL like any other, so the same code runs standalone as `jobmon-distributor`.
 */
export async function runServer(options: ServerCommandOptions = {}): Promise<RunningServer> {
  const config = {
    ...loadConfig(),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
  };
  const server = await startServer(config);
  const backend = options.backend ?? 'local';
  if (backend !== false && !BACKEND_NAMES.includes(backend)) {
    await server.stop();
    throw new Error(`Unknown backend "${String(backend)}" (one of ${BACKEND_NAMES.join(', ')})`);
  }
  const distributor =
    backend === false
      ? null
      : startDistributor({
          serverUrl: server.url,
          backend,
          slots: options.slots,
          logDir: options.logDir,
          heartbeatSeconds: config.heartbeatSeconds,
        });
  if (distributor) await distributor.ready;
  return {
    server,
    distributor,
    async stop() {
      await distributor?.stop();
      await server.stop();
    },
  };
}
