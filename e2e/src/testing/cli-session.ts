import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type Dialect, type TestDatabase } from '@jobmon/api/testing';
import {
  JOBMON_CLI,
  killProcessesMentioning,
  runProcess,
  startJobmonServer,
  terminate,
  type JobmonServerProcess,
  type ProcessRun,
} from './processes';

/** `jobmon server` on a fresh database in a scratch directory, and the `jobmon` command line against it. */
export interface CliSession {
  /** The scratch directory: the server's and the commands' working directory (logs under ./logs). */
  readonly dir: string;
  /** The commands' environment: plain output, the server's URL. */
  readonly env: NodeJS.ProcessEnv;
  readonly server: JobmonServerProcess;
  readonly database: TestDatabase;
  /** `jobmon ARGS…` as a child process; NO_COLOR and a pipe: plain output. */
  jobmon(...args: string[]): Promise<ProcessRun>;
  /** `jobmon ARGS… | head -0`: the pipe is closed before jobmon writes. */
  jobmonIntoClosedPipe(...args: string[]): Promise<ProcessRun>;
  /** `jobmon ARGS… --json`, parsed; throws with its stderr when it exits non-zero. */
  json<T>(...args: string[]): Promise<T>;
  /** Writes `value` as JSON to `name` in the scratch directory; returns its path. */
  writeJson(name: string, value: unknown): string;
}

export interface CliSessionOptions {
  /** The scratch directory's name prefix (under the OS temp directory). */
  scratchPrefix: string;
  /** Added to the server's environment only. */
  serverEnv?: NodeJS.ProcessEnv;
}

/**
 * Starts the session before the enclosing describe block's tests (beforeAll) and removes all of it after
 * them (afterAll: the server process, the database and the scratch directory, whatever got started).
 * Its fields may be read once the tests run.
 */
export function useCliSession(dialect: Dialect, options: CliSessionOptions): CliSession {
  let database: TestDatabase | undefined;
  let dir: string | undefined;
  let server: JobmonServerProcess | undefined;
  let env: NodeJS.ProcessEnv | undefined;
  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`the CLI session has no ${name}: read it inside a test`);
    return value;
  };
  const run = (args: string[], closeStdout = false) =>
    runProcess(process.execPath, [JOBMON_CLI, ...args], { env: session.env, cwd: session.dir, closeStdout });

  const session: CliSession = {
    get dir() {
      return started(dir, 'directory');
    },
    get env() {
      return started(env, 'environment');
    },
    get server() {
      return started(server, 'server');
    },
    get database() {
      return started(database, 'database');
    },
    jobmon: (...args) => run(args),
    jobmonIntoClosedPipe: (...args) => run(args, true),
    async json<T>(...args: string[]): Promise<T> {
      const result = await run([...args, '--json']);
      if (result.code !== 0)
        throw new Error(`jobmon ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      return JSON.parse(result.stdout) as T;
    },
    writeJson(name, value) {
      const file = path.join(session.dir, name);
      fs.writeFileSync(file, JSON.stringify(value));
      return file;
    },
  };

  beforeAll(async () => {
    if (!fs.existsSync(JOBMON_CLI)) throw new Error(`${JOBMON_CLI} is missing: build first (npx tsc -b)`);
    database = await createTestDatabase(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), options.scratchPrefix));
    const base = { ...process.env, NO_COLOR: '1', JOBMON_LOG_LEVEL: 'warn' };
    server = await startJobmonServer(['--database-url', database.url, '--log-dir', path.join(dir, 'logs')], {
      env: { ...base, ...options.serverEnv },
      cwd: dir,
    });
    env = { ...base, JOBMON_SERVER_URL: server.url };
  }, 90_000);

  afterAll(async () => {
    await terminate(server?.child);
    // What the server's distributor left running (a test that failed before its command could end).
    if (dir) killProcessesMentioning(dir);
    await database?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  return session;
}
