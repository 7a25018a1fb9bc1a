import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, type TestServer } from '@jobmon/api/testing';
import { startDistributor, type Backend, type Distributor } from '@jobmon/distributor';

export interface LocalStack {
  server: TestServer;
  distributor: Distributor;
  /** The distributor's name (a second distributor of this name adopts its instances). */
  distributorName: string;
  /** A scratch directory for the tests' scripts and files (and the commands' logs). */
  dir: string;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Another backend than `local` (e.g. Slurm), made once the server runs. */
  backend?: (context: { serverUrl: string; logDir: string }) => Backend | Promise<Backend>;
  /** Server settings besides the short heartbeat and kill timeout (e.g. a small maxTasksPerSubmission). */
  serverConfig?: Parameters<typeof startTestServer>[1];
}

/**
 * A real API server on a fresh database of `dialect` and a local distributor with 4 slots (or the
 * backend of `options.backend`). The distributor beats every second (kills and triage within a test's
 * time); the server waits 3 × 5 s before it calls a distributor lost, since on a loaded machine a test
 * process can be starved of CPU for 3 s and its work would be retried while it still runs.
 */
export async function startLocalStack(
  dialect: 'sqlite' | 'mysql',
  name: string,
  options: LocalStackOptions = {},
): Promise<LocalStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jobmon-${name}-`));
  const server = await startTestServer(dialect, {
    heartbeatSeconds: 5,
    killTimeoutSeconds: 10,
    ...options.serverConfig,
  });
  const logDir = path.join(dir, 'logs');
  const distributorName = `${name}-${dialect}-${process.pid}`;
  let backend: Backend | 'local' = 'local';
  try {
    if (options.backend) backend = await options.backend({ serverUrl: server.url, logDir });
  } catch (error) {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const distributor = startDistributor({
    serverUrl: server.url,
    backend,
    name: distributorName,
    slots: 4,
    pollIntervalMs: 100,
    heartbeatSeconds: 1,
    logDir,
  });
  await distributor.ready;
  return {
    server,
    distributor,
    distributorName,
    dir,
    async stop() {
      await distributor.stop();
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
