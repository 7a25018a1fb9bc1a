import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { signalGroup, spawnTracked } from './process-groups';

// The API server as a child process (its build, api/dist/main.js, from `tsc -b`), for the tests that need
// separate processes. It leads a process group of its own, signalled as a group; one that does not come up
// is killed before the test hears of it, and whatever is left when the test process exits is killed too.

export const API_MAIN_JS = path.resolve(__dirname, '..', '..', 'dist', 'main.js');

export interface ApiChild {
  child: ChildProcess;
  /** Its base URL (http://127.0.0.1:port). */
  url: string;
  /** Its exit code, once it exited. */
  exited: Promise<number | null>;
  /** What it wrote to stderr, and its stdout lines, so far. */
  output(): string;
}

/** Sends `signal` to `child`'s process group. */
export const signalApiChild = signalGroup;

/**
 * Starts the API server with `env` (on top of the test process's, PORT=0, JSON logs at info) and waits
 * until it logs that it listens; after `timeoutMs`, or if it exits first, kills it and throws.
 */
export async function startApiChild(env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<ApiChild> {
  const { JEST_WORKER_ID: _worker, ...inherited } = process.env;
  const child = spawnTracked(process.execPath, [API_MAIN_JS], {
    env: { ...inherited, PORT: '0', JOBMON_LOG_FORMAT: 'json', JOBMON_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const output: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const lines = readline.createInterface({ input: child.stdout! });
  let timer: NodeJS.Timeout | undefined;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the API did not listen within ${timeoutMs} ms:\n${output.join('\n')}`)),
        timeoutMs,
      );
      lines.on('line', (line) => {
        output.push(line);
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === 'jobmon API listening' && entry.url) resolve(entry.url.replace(/\/graphql$/, ''));
        } catch {
          // Not a log line.
        }
      });
      void exited.then((code) => reject(new Error(`the API exited with ${code}:\n${output.join('\n')}`)));
    });
    return { child, url, exited, output: () => output.join('\n') };
  } catch (error) {
    signalApiChild(child, 'SIGKILL');
    await exited;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** SIGTERM to its group; its exit code once it exited. */
export async function stopApiChild(api: ApiChild): Promise<number | null> {
  if (api.child.exitCode === null && api.child.signalCode === null) signalApiChild(api.child, 'SIGTERM');
  return api.exited;
}

/** SIGKILL to its group, if it still runs; resolves once it exited. */
export async function killApiChild(api: ApiChild): Promise<void> {
  if (api.child.exitCode === null && api.child.signalCode === null) signalApiChild(api.child, 'SIGKILL');
  await api.exited;
}
