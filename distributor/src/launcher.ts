import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { logger } from './logger';
import { withoutJobmonSecrets } from './secrets';

// Starting many short commands from Node is dominated by spawn(): it forks this (large) process and waits
// for the child's exec, a few milliseconds each on the event loop. The launcher is one long-lived
// `/bin/sh` (small, so its forks are cheap) that starts the commands for us, each through `setsid` into
// a session and process group of its own, and tells us on its stdout:
//   S <instance id> <pid>        started (pid of the group leader, the wrapper)
//   E <instance id> <exit code>  the command ended (written by the shell wrapper itself, on fd 3)
// A wrapper killed by a signal writes no E line, nor does the wrapper that exec's into `time` (its end is
// its status in the exit file, watched: see supervisor.ts); a missed end is seen through /proc. The
// launcher reaps what ended when told (`wait PID`), so that no zombie is left behind.

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

let setsidAvailable: boolean | undefined;

/** Whether the launcher can run here (`setsid` from util-linux or busybox is on the PATH). */
export function launcherAvailable(): boolean {
  if (setsidAvailable === undefined) {
    try {
      execFileSync('/bin/sh', ['-c', 'command -v setsid'], { stdio: 'ignore' });
      setsidAvailable = true;
    } catch {
      setsidAvailable = false;
    }
  }
  return setsidAvailable;
}

export interface LaunchRequest {
  id: string;
  /** The wrapper script (see supervisor.ts) and its arguments after $0. */
  script: string;
  args: readonly string[];
  env: Record<string, string>;
  onStart(pid: number): void;
  onExit(code: number): void;
  /** The launcher died before it said the command started. */
  onLost(): void;
}

export class Launcher {
  private readonly shell: ChildProcess;
  private buffer = '';
  private readonly waiting = new Map<string, LaunchRequest>();
  private readonly started = new Map<string, LaunchRequest>();
  /** E lines that came before their S line (a very short command). */
  private readonly earlyExits = new Map<string, number>();
  private reapList: number[] = [];
  private reapScheduled = false;
  private alive = true;

  constructor(options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    this.shell = spawn('/bin/sh', ['-s'], {
      cwd: options.cwd,
      // The shell's environment is every command's: without Jobmon's secrets.
      env: withoutJobmonSecrets(options.env ?? process.env),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.shell.stdout!.setEncoding('utf8');
    this.shell.stdout!.on('data', (chunk: string) => this.onData(chunk));
    this.shell.stdin!.on('error', () => undefined);
    this.shell.on('exit', (code, signal) => this.onShellExit(code, signal));
    this.shell.on('error', (error) => logger.error({ err: error }, 'the command launcher failed'));
    // It keeps this process alive only while commands it started run (as child processes would); idle,
    // it lets it end: the launcher then reads the end of its input and ends too.
    this.refresh();
  }

  private refreshed: boolean | undefined;
  private refresh(): void {
    const busy = this.waiting.size + this.started.size > 0;
    if (busy === this.refreshed) return;
    this.refreshed = busy;
    for (const handle of [this.shell, this.shell.stdin, this.shell.stdout] as unknown as {
      ref?: () => void;
      unref?: () => void;
    }[])
      if (busy) handle.ref?.();
      else handle.unref?.();
  }

  get running(): boolean {
    return this.alive;
  }

  /** Throws when the request cannot be written as shell input (a NUL byte, a bad variable name). */
  start(request: LaunchRequest): void {
    if (
      [request.script, ...request.args, ...Object.values(request.env)].some((value) => value.includes('\0'))
    )
      throw new Error('a command or argument holds a NUL byte');
    const badName = Object.keys(request.env).find((key) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key));
    if (badName !== undefined) throw new Error(`"${badName}" is not an environment variable name`);
    if (!this.alive) {
      request.onLost();
      return;
    }
    this.waiting.set(request.id, request);
    this.refresh();
    const env = Object.entries(request.env)
      .map(([key, value]) => `${key}=${quote(value)}`)
      .join(' ');
    const args = request.args.map(quote).join(' ');
    // fd 3 (this pipe) is how the wrapper says it ended; the command itself gets /dev/null for stdin.
    this.shell.stdin!.write(
      `${env} setsid /bin/sh -c ${quote(request.script)} jobmon-task ${args} 3>&1 </dev/null >/dev/null 2>&1 &\n` +
        `echo "S ${request.id} $!"\n`,
    );
  }

  /** Stops listening for `id` (its supervisor detached from it). */
  forget(id: string): void {
    this.started.delete(id);
    this.waiting.delete(id);
    this.earlyExits.delete(id);
    this.refresh();
  }

  /** Lets the launcher reap `pid` (a wrapper that has ended). */
  reap(pid: number): void {
    if (!this.alive) return;
    this.reapList.push(pid);
    if (this.reapScheduled) return;
    this.reapScheduled = true;
    setImmediate(() => {
      this.reapScheduled = false;
      const pids = this.reapList;
      this.reapList = [];
      if (this.alive && pids.length) this.shell.stdin!.write(`wait ${pids.join(' ')} 2>/dev/null\n`);
    });
  }

  /** Ends the launcher; the commands it started keep running (they are in sessions of their own). */
  close(): void {
    if (!this.alive) return;
    this.shell.stdin!.end();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      const [kind, id, value] = line.split(' ');
      if (id === undefined || value === undefined) continue;
      if (kind === 'S') {
        const request = this.waiting.get(id);
        if (!request) continue;
        this.waiting.delete(id);
        this.started.set(id, request);
        request.onStart(Number(value));
        const early = this.earlyExits.get(id);
        if (early !== undefined) {
          this.earlyExits.delete(id);
          this.exited(id, early);
        }
      } else if (kind === 'E') {
        if (this.started.has(id)) this.exited(id, Number(value));
        else if (this.waiting.has(id)) this.earlyExits.set(id, Number(value));
      }
    }
  }

  private exited(id: string, code: number): void {
    const request = this.started.get(id);
    if (!request) return;
    this.started.delete(id);
    request.onExit(code);
    this.refresh();
  }

  private onShellExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.alive = false;
    if (this.waiting.size) logger.error({ code, signal }, 'the command launcher ended early');
    for (const request of this.waiting.values()) request.onLost();
    this.waiting.clear();
    // Started commands go on; their supervisors see them end through /proc.
    this.started.clear();
    this.refresh();
  }
}
