import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { signalGroup, spawnTracked } from '@jobmon/api/testing';
import { waitFor } from './e2e';
import { packageDir } from './packages';

// The API server and the distributor as real child processes (built from dist), so that a test can
// kill -9 them and start them again. Each runs in a process group of its own, and is signalled as a group
// (whatever it started goes with it); whatever is left when the test process exits is killed with it.

export { spawnTracked };

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** A free TCP port (so that a restarted server gets the same one and its clients keep their URL). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Kills `child`'s process group by SIGKILL and waits until `child` has exited. */
export async function kill9(child: ChildProcess | undefined): Promise<void> {
  if (!child) return;
  signalGroup(child, 'SIGKILL');
  await exited(child);
}

/** Asks `child`'s process group to stop (SIGTERM) and waits; SIGKILL after `graceMs`. */
export async function terminate(child: ChildProcess | undefined, graceMs = 15_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

/** Waits until `url`/healthz answers; kills `child` (and fails) if it exits first or `timeoutMs` passes. */
async function waitUntilHealthy(
  what: string,
  child: ChildProcess,
  url: string,
  timeoutMs: number,
  log: () => string = () => '',
): Promise<void> {
  try {
    await waitFor(
      `${what} to answer /healthz`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}: ${log()}`);
        try {
          return (await fetch(`${url}/healthz`)).ok ? true : undefined;
        } catch {
          return undefined;
        }
      },
      timeoutMs,
    );
  } catch (error) {
    await kill9(child); // a test that gives up on it leaves nothing running
    throw error;
  }
}

export interface ApiProcessOptions {
  databaseUrl: string;
  /** Default: a free port, kept across restarts. */
  port?: number;
  heartbeatSeconds?: number;
  env?: Record<string, string>;
  /** Node's own options before the script (e.g. --cpu-prof, which NODE_OPTIONS does not take). */
  nodeArgs?: string[];
}

/** `jobmon-server` (api/dist/main.js) as a child process that can be killed and started again. */
export class ApiProcess {
  child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly options: ApiProcessOptions,
  ) {}

  static async start(options: ApiProcessOptions): Promise<ApiProcess> {
    const api = new ApiProcess(options.port ?? (await freePort()), options);
    await api.start();
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) and waits until /healthz answers 200. */
  async start(): Promise<void> {
    const mainJs = require.resolve('@jobmon/api').replace(/index\.js$/, 'main.js');
    const child = spawnTracked(process.execPath, [...(this.options.nodeArgs ?? []), mainJs], {
      env: {
        ...process.env,
        PORT: String(this.port),
        JOBMON_DATABASE_URL: this.options.databaseUrl,
        JOBMON_HEARTBEAT_SECONDS: String(this.options.heartbeatSeconds ?? 1),
        JOBMON_LOG_LEVEL: 'warn',
        JOBMON_AUTH: 'off', // open mode: these tests are about faults, not tokens
        ...this.options.env,
      },
      stdio: 'ignore',
    });
    this.child = child;
    await waitUntilHealthy('the API server', child, this.url, 45_000);
  }

  async kill9(): Promise<void> {
    await kill9(this.child);
  }

  async stop(): Promise<void> {
    await terminate(this.child);
  }
}

export interface DistributorProcessOptions {
  serverUrl: string;
  name: string;
  slots?: number;
  logDir: string;
  heartbeatSeconds?: number;
  /** Working directory (the commands run there). */
  cwd?: string;
}

/** A standalone `jobmon-distributor --backend local` child process. */
export function startDistributorProcess(options: DistributorProcessOptions): ChildProcess {
  const cli = require.resolve('@jobmon/distributor').replace(/index\.js$/, 'cli/distributor.js');
  const heartbeat = String(options.heartbeatSeconds ?? 1);
  const child = spawnTracked(
    process.execPath,
    [
      cli,
      ...['--server', options.serverUrl, '--backend', 'local', '--name', options.name],
      ...['--slots', String(options.slots ?? 4), '--log-dir', options.logDir],
      ...['--heartbeat-seconds', heartbeat, '--poll-interval-ms', '100'],
    ],
    {
      env: { ...process.env, JOBMON_LOG_LEVEL: 'warn', JOBMON_HEARTBEAT_SECONDS: heartbeat },
      cwd: options.cwd,
      stdio: 'ignore',
    },
  );
  return child;
}

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, collecting its output (what a script calling it sees). */
export function runProcess(
  command: string,
  args: readonly string[],
  /** closeStdout: the reader of stdout is gone before the child writes (as `| head` ends early). */
  options: { env?: NodeJS.ProcessEnv; cwd?: string; closeStdout?: boolean } = {},
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawnTracked(command, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (options.closeStdout) child.stdout!.destroy();
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The built `jobmon` command line (client-sdk/dist, from `npx tsc -b`). */
export const JOBMON_CLI = path.join(packageDir('client-sdk'), 'dist', 'cli', 'jobmon.js');

export interface JobmonServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything it wrote so far (stdout and stderr). */
  log(): string;
}

/**
 * `jobmon server ARGS… --port <free port>` as a child process, once /healthz answers; killed with the test
 * process if the test does not stop it.
 */
export async function startJobmonServer(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<JobmonServerProcess> {
  const port = await freePort();
  const child = spawnTracked(process.execPath, [JOBMON_CLI, 'server', ...args, '--port', String(port)], {
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilHealthy('jobmon server', child, url, options.timeoutMs ?? 60_000, () => log);
  return { child, url, log: () => log };
}

/**
 * Kills, by process group, every process whose command line mentions `text` (a test's scratch directory):
 * the commands a local backend started there run in sessions of their own and outlive their server by
 * design (a restarted distributor adopts them), so a test that stops its server removes them itself.
 * Returns how many process groups it signalled.
 */
export function killProcessesMentioning(text: string): number {
  const groups = new Set<number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) continue;
      // The group is the 5th field of stat, after the parenthesised command name.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (group > 1 && group !== process.pid) groups.add(group);
    } catch {
      // Gone meanwhile.
    }
  }
  for (const group of groups) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  return groups.size;
}
