import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeBackendConformance } from '../conformance';
import { createSlurmBackend } from '.';

// The Backend contract on a real Slurm (scripts/slurm/up.sh: one node, partitions `short`, the
// default, and `long`). Each job runs the built jobmon-worker (`npx tsc -b`), which reports to a stub
// GraphQL server here that takes every report; the backend learns the outcomes from the workers'
// report files and from squeue/sacct, as it does in production. Without Slurm this skips, except
// under CI=true, where it fails.

const slurmProbe = spawnSync('sinfo', ['--noheader', '--format=%P'], { encoding: 'utf8' });
const slurmUp = slurmProbe.status === 0 && slurmProbe.stdout.includes('short');
if (!slurmUp && process.env.CI !== 'true')
  console.warn(
    `Skipping the Slurm conformance tests: no usable Slurm (sinfo: ${
      slurmProbe.error?.message ?? (slurmProbe.stderr || slurmProbe.stdout).trim()
    }); start one with \`bash scripts/slurm/up.sh\` (docs/slurm.md)`,
  );

/** Answers every request of a worker (RUNNING, heartbeat, finished) as accepted. */
const stubServer = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ data: { heartbeatTaskInstances: [] } }));
  });
});
let serverUrl = '';

(slurmUp || process.env.CI === 'true' ? describe : describe.skip)('on a real Slurm', () => {
  beforeAll(async () => {
    await new Promise<void>((resolve) => stubServer.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(stubServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => stubServer.close(resolve));
  });

  describeBackendConformance(
    'slurm',
    ({ logDir }) => createSlurmBackend({ serverUrl, logDir, pollIntervalMs: 250, heartbeatSeconds: 5 }),
    { runsCommands: true, outOfMemory: true, timeout: true, adoption: true },
    // A job waits for slurmctld to schedule it and for its worker (a Node process) to start.
    { timeoutMs: 60_000 },
  );
});
