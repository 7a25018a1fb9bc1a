import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, type TestServer } from '@jobmon/api/testing';
import { startDistributor, type Distributor } from '@jobmon/distributor';

export interface LocalStack {
  server: TestServer;
  distributor: Distributor;
  /** A scratch directory for the tests' scripts and files (and the commands' logs). */
  dir: string;
  stop(): Promise<void>;
}

/**
 * A real API server on a fresh database of `dialect` and a local distributor with 4 slots, both with
 * 1 s heartbeats (so that kills and triage happen within a test's time).
 */
export async function startLocalStack(dialect: 'sqlite' | 'mysql', name: string): Promise<LocalStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jobmon-${name}-`));
  const server = await startTestServer(dialect, { heartbeatSeconds: 1, killTimeoutSeconds: 10 });
  const distributor = startDistributor({
    serverUrl: server.url,
    backend: 'local',
    name: `${name}-${dialect}-${process.pid}`,
    slots: 4,
    pollIntervalMs: 100,
    heartbeatSeconds: 1,
    logDir: path.join(dir, 'logs'),
  });
  await distributor.ready;
  return {
    server,
    distributor,
    dir,
    async stop() {
      await distributor.stop();
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
