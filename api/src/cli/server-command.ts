import '../observability/register-tracing'; // first: OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set
import os from 'node:os';
import { SERVER_BACKEND_NAMES, type ServerCommandModule, type ServerCommandOptions } from '@jobmon/core';
import {
  DEFAULT_LOG_DIR,
  createSlurmBackend,
  startDistributor,
  type Backend,
  type BackendName,
  type Distributor,
} from '@jobmon/distributor';
import { loadConfig } from '../config';
import { Role } from '../domain';
import { startServer, type JobmonServer } from '../server';
import { createApiToken, listApiTokens, revokeApiToken } from '../services/auth.service';

// `jobmon server` (the client's command line loads this module only inside that command: see
// ServerCommandModule in @jobmon/core) and `npm start`.

export { SERVER_BACKEND_NAMES, type ServerCommandOptions };

const EMBEDDED_TOKEN_NAME = 'embedded distributor';

export interface RunningServer {
  server: JobmonServer;
  distributor: Distributor | null;
  stop(): Promise<void>;
}

/**
 * `jobmon server`: the API (scheduler, reaper, event bus) and, unless turned off, a distributor in the same
 * process — the single-user start that needs nothing installed. The distributor talks to the API in
 * GraphQL like any other (the same operations, token and authorization, so the same code runs standalone as
 * `jobmon-distributor`), executed in this process instead of over HTTP. With `slurm`, its
 * jobs' workers report to this server's URL (localhost): that suits a Slurm whose jobs run on this
 * machine; on a cluster, run `jobmon-distributor --backend slurm --server <url the nodes reach>`.
 */
export async function runServer(options: ServerCommandOptions = {}): Promise<RunningServer> {
  const backendName = options.backend ?? 'local';
  if (backendName !== false && !SERVER_BACKEND_NAMES.includes(backendName))
    throw new Error(`Unknown backend "${String(backendName)}" (one of ${SERVER_BACKEND_NAMES.join(', ')})`);
  const config = {
    ...loadConfig(process.env, { authDefault: false }),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.auth !== undefined ? { auth: options.auth } : {}),
  };
  const server = await startServer(config);
  let distributor: Distributor | null = null;
  try {
    if (backendName !== false) {
      const owner = options.owner ?? os.userInfo().username;
      const token = config.auth ? await embeddedDistributorToken(server, owner) : undefined;
      // Slurm is asked for its partitions (the queues) before the distributor registers.
      const backend: BackendName | Backend =
        backendName === 'slurm'
          ? await createSlurmBackend({
              serverUrl: server.url,
              logDir: options.logDir ?? DEFAULT_LOG_DIR,
              partitions: options.partitions,
              capacity: options.slots,
              heartbeatSeconds: config.heartbeatSeconds,
              token,
            })
          : backendName;
      distributor = startDistributor({
        serverUrl: server.url,
        backend,
        // With tokens, its own name per owner: one registered in open mode (nobody's) is not taken over.
        ...(config.auth ? { name: `${os.hostname()}-${backendName}-${owner}` } : {}),
        slots: options.slots,
        logDir: options.logDir,
        heartbeatSeconds: config.heartbeatSeconds,
        token,
        // Its reports and claims go straight into this process's API (same authorization, no HTTP).
        transport: server.inProcess(token),
      });
      await distributor.ready;
    }
  } catch (error) {
    await distributor?.stop();
    await server.stop();
    throw new Error(
      `cannot start the ${String(backendName)} distributor: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return {
    server,
    distributor,
    async stop() {
      await distributor?.stop();
      await server.stop();
    },
  };
}

/**
 * A fresh distributor token of the owner's for the in-process distributor; the previous starts' ones are revoked, so
 * that restarts do not pile tokens up. The token never leaves this process.
 */
async function embeddedDistributorToken(server: JobmonServer, owner: string): Promise<string> {
  for (const old of await listApiTokens(server.db, null, { user: owner }))
    if (old.name === EMBEDDED_TOKEN_NAME) await revokeApiToken(server.db, old.id, null, server.tokens);
  const created = await createApiToken(server.db, {
    user: owner,
    role: Role.DISTRIBUTOR,
    name: EMBEDDED_TOKEN_NAME,
  });
  return created.token;
}

export default { runServer } satisfies ServerCommandModule;
