import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { classify, type Classification, type KillReason } from './classify';
import {
  DEFAULT_LOG_DIR,
  exitFileTime,
  logPaths,
  parseExitFile,
  readExitFile,
  readTail,
  startedHere,
  type LogPaths,
} from './log-files';
import type { TaskInstanceFinishedInput } from './generated/graphql';
import type { Launcher } from './launcher';
import { withoutJobmonSecrets } from './secrets';
import type { ExitWatch } from './exit-watch';
import { defaultMonitor, type GroupSample, type ProcessMonitor } from './monitor';
import {
  CLOCK_TICKS,
  bootTime,
  findProcessByArgument,
  groupMembers,
  isAlive,
  killGroup,
  parseProcessJobId,
  processJobId,
  readStat,
} from './proc';

// Supervision of one command: the worker side of a task instance. Its files (paths, exit file, tails)
// are read in log-files.ts, its outcome decided in classify.ts.
//
// The command runs as `/bin/sh -c COMMAND` under a tiny shell wrapper, in a process group of its own
// (a new session), with stdout and stderr written straight to files (no pipe through this process):
//
//   /bin/sh -c 'echo "$5" >"$2"; exec >"$3" 2>"$4" 3>&-;
//               exec /usr/bin/time -f "$5" -f "exit %x..." -a -o "$2" /bin/sh -c "$1"' \
//     jobmon-task COMMAND EXITFILE OUTFILE ERRFILE NONCE [ID]
//
// When the host's `time` does not write the exit file as expected (a trial run decides, see
// `Supervisor.wrapperScript`), the wrapper shell waits for the command instead and appends its status itself:
//
//   /bin/sh -c 'echo "$5" >"$2"; exec >"$3" 2>"$4"; /bin/sh -c "$1" 3>&-; c=$?; { echo "$c"; times; } >>"$2"; ...'
//
// (with `/usr/bin/time -f "maxrss %M" -a -o EXITFILE` in front of the inner `/bin/sh` when `time` takes
// those options). The exec'd form saves a process per command, and the wait of one more parent.
// Why the launcher still exec's a shell for the wrapper rather than running it in the subshell it forks
// (one exec fewer): a process whose command line carries the nonce must exist before the nonce is in the
// exit file. A forked subshell shows only the launcher's command line while it writes the nonce, and a
// distributor looking for the command then (after a kill -9) takes it for one that has ended.
//
// started by spawn() (`supervise`) or, in the local backend, by a `Launcher` (`superviseWithLauncher`:
// a long-lived shell that forks for us; the shell wrapper says `E ID CODE` to it on fd 3 when the command
// ends, the exec'd one's end is seen as its status in the exit file, through inotify: exit-watch.ts).
//
// The wrapper (then `time`, exec'd in its process) is the group leader; its pid and start time
// (`pid:starttime`) are the backend job id. It creates the output files itself (creating files can cost
// more than a short command on some file systems: better in the child than on this process's event
// loop). Its first act is to write the attempt's nonce (random, from the server's claim) to `<id>.exit`
// next to the logs; when the command ends, the exit status, the CPU time of the whole waited-for process
// tree and the max RSS are appended to it (by `time`, or the shell's `$?` and `times`). So the exit code
// survives the supervisor: a distributor restarted while the command ran adopts the process
// (found by its job id, or by the nonce on its command line) and, once it is gone, reads the real exit
// code from that file. Files without the attempt's nonce (another database's attempt with the same id in
// the same log directory, a database restored from a backup) are never taken for its result: the attempt
// counts as never started.
//
// Measurements and their precision:
// - wall time: spawn to exit, from the monotonic clock (sub-millisecond); for an adopted process, from
//   its start time in /proc (clock ticks, 10 ms) to when its end was seen (one sample period late at most).
// - CPU time: user + system of every process of the tree that was waited for, from `time` (%U %S) or
//   the wrapper's `times` (kernel accounting, clock-tick resolution, 10 ms); processes that left the tree
//   (daemonized and re-parented) are not counted. Without the exit file: the last sample's total (a
//   lower bound).
// - max RSS: sampled every monitor period (250 ms; the first sample 50 ms after the start): the sum of
//   the resident memory of the group's live processes, and each process's own peak (VmHWM, exact per
//   process); and at exit, the kernel's rusage of the command (`/usr/bin/time -f %M` between the wrapper
//   and the command: the peak of its biggest waited-for process, written to the exit file). The report
//   gives the largest; a command that ends before the first sample still has the exit figure. Without
//   `/usr/bin/time` on the host, such a command reports none (null, never 0).
// - limits: runtime (`runtimeSeconds`) by a timer; memory (`memoryMb`) against the sampled RSS sum, so
//   an allocation spike shorter than a sample period can pass unseen.
//
// A kill sends SIGTERM to the whole group, then SIGKILL after a grace period (`killGraceMs`); the
// memory kill sends SIGKILL at once. The outcome is reported only once no process of the group is left.
// When the command ends by itself, processes it left behind in its group are killed too.

const MIB = 1024 * 1024;
// $5 is the attempt's nonce; $6 (the instance id) is only given by the launcher, which listens on fd 3
// for the end.
const wrapperWith = (runner: string) =>
  `echo "$5" >"$2"; exec >"$3" 2>"$4"; ${runner}/bin/sh -c "$1" 3>&-; c=$?; { echo "$c"; times; } >>"$2"; ` +
  '[ -n "$6" ] && echo "E $6 $c" >&3; exit $c';

/** The `time` that gives the exit sample of max RSS, if this host's takes `-f %M -a -o FILE`. */
const TIME_PROGRAM = '/usr/bin/time';
/** What `time` appends to the exit file (read by `readExitFile`): `cpu` comes last. */
const TIME_FORMAT = 'exit %x\\nmaxrss %M\\ncpu %U %S';
/**
 * The wrapper that saves a process: after the nonce and the output files it exec's into `time`, which
 * runs the command, then appends its exit status, max RSS and CPU time to the exit file, and exits with
 * the command's status. `time` is the group leader then, so its command line carries the nonce (for
 * adoption without a job id): as a first `-f`, which the second overrides. fd 3 (the launcher's) is
 * closed: the end is seen in the exit file (`ExitWatch`), not told on it.
 */
const TIMED_WRAPPER =
  `echo "$5" >"$2"; exec >"$3" 2>"$4" 3>&-; ` +
  `exec ${TIME_PROGRAM} -f "$5" -f "${TIME_FORMAT}" -a -o "$2" /bin/sh -c "$1"`;

interface Wrapper {
  script: string;
  /** Whether it exec's into `time` (it tells the launcher nothing when the command ends). */
  timed: boolean;
}

/** Whether `time` runs with these arguments, the command `exit 3`, and appends to the file as expected. */
function timeTrial(args: readonly string[], check: (text: string) => boolean): boolean {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-time-trial-'));
  try {
    const file = path.join(dir, 'exit');
    fs.writeFileSync(file, 'trial\n');
    const trial = spawnSync(TIME_PROGRAM, [...args, '-a', '-o', file, '/bin/sh', '-c', 'exit 3'], {
      stdio: 'ignore',
      timeout: 5_000,
    });
    return trial.status === 3 && check(fs.readFileSync(file, 'utf8'));
  } catch {
    return false;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What to run. */
export interface SuperviseRequest {
  instanceId: string;
  workflowId: string;
  taskId?: string;
  command: string;
  /** The attempt's nonce (from its claim): written to its exit file, required of any file read as its. */
  nonce: string;
  /** Kill the process tree when its resident memory goes over this (MiB). */
  memoryMb?: number | null;
  /** Kill the process tree after this long (seconds). */
  runtimeSeconds?: number | null;
}

export interface SupervisorOptions {
  /** Base directory of the log files (default `./.jobmon/logs`). */
  logDir?: string;
  hostname?: string;
  monitor?: ProcessMonitor;
  /** Time between SIGTERM and SIGKILL when killing (ms). */
  killGraceMs?: number;
  /** Enforce `memoryMb` (default true). */
  enforceMemory?: boolean;
  /** Working directory of the commands (default: this process's). */
  cwd?: string;
  /** Extra environment for the commands. */
  env?: Record<string, string>;
}

/** The shell wrapper, with `time` in front of the command for the max RSS or without it. */
const shellWrapper = (withTime: boolean): Wrapper => ({
  script: wrapperWith(withTime ? `${TIME_PROGRAM} -f "maxrss %M" -a -o "$2" ` : ''),
  timed: false,
});

/**
 * What one owner's supervisions share (the local backend's, a worker's): the wrapper script its commands
 * run under, and the log directories it has made. Passed to each supervision, never shared behind its
 * back.
 */
export class Supervisor {
  private wrapper: Wrapper | undefined;
  private readonly madeDirs = new Set<string>();

  /**
   * `shellWrapper` (@internal for tests and benchmarks): the shell wrapper, as on a host whose `time`
   * fails the trial, with `time` in front of the command or without.
   */
  constructor(options: { shellWrapper?: { withTime: boolean } } = {}) {
    if (options.shellWrapper) this.wrapper = shellWrapper(options.shellWrapper.withTime);
  }

  /**
   * The wrapper script, decided once by trial runs of the host's `time` (GNU's and BusyBox's take our
   * options; another variant would fail every command): exec'd into `time` when it writes the exit file
   * as `readExitFile` expects; else the shell wrapper, with `time` in front of the command for the max
   * RSS when it takes `-f "maxrss %M"`, or without it.
   */
  wrapperScript(): Wrapper {
    if (this.wrapper === undefined) {
      if (
        timeTrial(['-f', 'trial', '-f', TIME_FORMAT], (text) => {
          const status = parseExitFile(text, 'trial');
          return status?.exitCode === 3 && status.maxRssMb !== null && status.cpuSeconds !== null;
        })
      )
        this.wrapper = { script: TIMED_WRAPPER, timed: true };
      else this.wrapper = shellWrapper(timeTrial(['-f', 'maxrss %M'], (text) => /\nmaxrss \d+\n/.test(text)));
    }
    return this.wrapper;
  }

  /** Makes `dir` (a log directory) unless it made it before. */
  ensureDir(dir: string): void {
    if (this.madeDirs.has(dir)) return;
    fs.mkdirSync(dir, { recursive: true });
    this.madeDirs.add(dir);
  }
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** How a supervisor learns that the command it started has ended. */
export interface ExitSource {
  /** Calls back once, when the group leader ends: its exit code, or the signal that ended it. */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  /** Stops listening (the supervisor detached). */
  release(): void;
  /** Whether every end is reported (false: an end by a signal is not, and /proc is watched too). */
  readonly complete: boolean;
  /** Called once the end has been handled (the launcher reaps the process then). */
  ended?(): void;
}

function childExitSource(child: ChildProcess): ExitSource {
  return {
    complete: true,
    onExit: (listener) => child.once('exit', listener),
    release: () => {
      child.removeAllListeners('exit');
      child.unref();
    },
  };
}

/** One supervised command (spawned here, or adopted from a previous supervisor). */
export class Supervision {
  readonly instanceId: string;
  /** The attempt's nonce (see SuperviseRequest). */
  readonly nonce: string;
  readonly pid: number;
  readonly starttime: number;
  /** `pid:starttime` of the group leader. */
  readonly backendJobId: string;
  readonly startedAt: Date;
  readonly paths: LogPaths;
  /** Resolves with the report once the command has ended and no process of its group is left. */
  readonly finished: Promise<TaskInstanceFinishedInput>;
  /** Whether it was adopted (its exit is seen through /proc and the exit file, not waited for). */
  readonly adopted: boolean;

  private readonly request: SuperviseRequest;
  private readonly options: SupervisorOptions;
  private readonly hrStart: number | undefined;
  private readonly exits: ExitSource | undefined;
  private detachedFlag = false;
  private killReason: KillReason | undefined;
  private killDeadline = 0;
  private ended = false;
  private maxRssBytes = 0;
  private sampled = false;
  private sampledCpuSeconds = 0;
  private runtimeTimer: NodeJS.Timeout | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private readonly stopSampling: () => void;
  private stopWatching: (() => void) | undefined;
  private resolve!: (report: TaskInstanceFinishedInput) => void;

  /** @internal use `supervise` or `adoptProcess`. */
  constructor(
    request: SuperviseRequest,
    options: SupervisorOptions,
    started: { pid: number; starttime: number; startedAt: Date; hrStart?: number; exits?: ExitSource },
  ) {
    this.request = request;
    this.options = options;
    this.instanceId = request.instanceId;
    this.nonce = request.nonce;
    this.pid = started.pid;
    this.starttime = started.starttime;
    this.backendJobId = processJobId(started.pid, started.starttime);
    this.startedAt = started.startedAt;
    this.hrStart = started.hrStart;
    this.adopted = started.exits === undefined;
    this.exits = started.exits;
    this.paths = logPaths(options.logDir ?? DEFAULT_LOG_DIR, request.workflowId, request.instanceId);
    this.finished = new Promise((resolve) => (this.resolve = resolve));
    const monitor = options.monitor ?? defaultMonitor;
    this.stopSampling = monitor.watchGroup(this.pid, (sample) => this.onSample(sample));
    if (request.runtimeSeconds != null && request.runtimeSeconds > 0) {
      const left = this.startedAt.getTime() + request.runtimeSeconds * 1000 - Date.now();
      this.runtimeTimer = setTimeout(() => this.kill('TIMEOUT'), Math.max(0, left));
    }
    started.exits?.onExit((code, signal) => void this.onExit(code, signal));
    if (!started.exits?.complete)
      this.stopWatching = monitor.watchPid(this.pid, this.starttime, () => void this.onExit(null, null));
  }

  /** Whether the command still runs. */
  get running(): boolean {
    return !this.ended;
  }

  /** Whether `detach` let it go. */
  get detached(): boolean {
    return this.detachedFlag;
  }

  /**
   * Stops supervising without touching the command: it keeps running (in its own session), its exit
   * status still goes to the exit file, and a later supervisor can adopt it. `finished` never resolves.
   */
  detach(): void {
    if (this.ended) return;
    this.ended = true;
    this.detachedFlag = true;
    if (this.runtimeTimer) clearTimeout(this.runtimeTimer);
    if (this.killTimer) clearTimeout(this.killTimer);
    this.stopSampling();
    this.stopWatching?.();
    this.exits?.release();
  }

  /** Ends the command's whole process group; the report says why (the first reason given wins). */
  kill(reason: KillReason): void {
    if (this.ended || this.killReason) return;
    this.killReason = reason;
    const grace = reason === 'OUT_OF_MEMORY' ? 0 : (this.options.killGraceMs ?? 2_000);
    this.killDeadline = Date.now() + grace;
    if (grace === 0) killGroup(this.pid, 'SIGKILL');
    else {
      killGroup(this.pid, 'SIGTERM');
      this.killTimer = setTimeout(() => killGroup(this.pid, 'SIGKILL'), grace);
    }
  }

  private onSample(sample: GroupSample): void {
    if (this.ended || sample.processes === 0) return;
    this.sampled = true;
    this.maxRssBytes = Math.max(this.maxRssBytes, sample.rssBytes, sample.peakProcessBytes);
    this.sampledCpuSeconds = Math.max(this.sampledCpuSeconds, sample.cpuSeconds);
    const limit = this.request.memoryMb;
    if (
      limit != null &&
      limit > 0 &&
      (this.options.enforceMemory ?? true) &&
      sample.rssBytes > limit * MIB &&
      !this.killReason
    )
      this.kill('OUT_OF_MEMORY');
  }

  private async onExit(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const finishedAt = new Date();
    let wallSeconds =
      this.hrStart !== undefined
        ? (performance.now() - this.hrStart) / 1000
        : (finishedAt.getTime() - this.startedAt.getTime()) / 1000;
    if (this.runtimeTimer) clearTimeout(this.runtimeTimer);
    this.stopSampling();
    this.stopWatching?.();
    if (this.killReason) await this.waitForGroupEnd();
    // Whatever the command left behind in its group goes with it.
    else killGroup(this.pid, 'SIGKILL');
    if (this.killTimer) clearTimeout(this.killTimer);
    this.exits?.ended?.();

    const exit = readExitFile(this.paths.exitPath, this.request.nonce);
    if (this.adopted && exit) {
      // Seen through /proc up to a sample period late: the exit file says when it really ended.
      const ended = exitFileTime(this.paths.exitPath);
      if (ended) {
        finishedAt.setTime(Math.min(finishedAt.getTime(), ended.getTime()));
        wallSeconds = Math.max(0, (finishedAt.getTime() - this.startedAt.getTime()) / 1000);
      }
    }
    const stdoutTail = readTail(this.paths.stdoutPath);
    const stderrTail = readTail(this.paths.stderrPath);
    // The samples' largest figure, or the exit sample's (the kernel's peak of the biggest process,
    // which a command shorter than a sample period has too); none when neither is known.
    const sampledMb = this.sampled ? round(this.maxRssBytes / MIB, 1) : null;
    const exitMb = exit?.maxRssMb ?? null;
    const maxRssMb = sampledMb === null && exitMb === null ? null : Math.max(sampledMb ?? 0, exitMb ?? 0);
    // The wrapper writes the nonce first, then creates the output files: without it, nothing ran.
    const startFailed = !exit && !this.killReason && !startedHere(this.paths.exitPath, this.request.nonce);
    const verdict: Classification = startFailed
      ? {
          outcome: 'UNKNOWN_ERROR',
          exitCode: code,
          errorKind: 'START_FAILED',
          errorMessage: `could not create its output files in ${path.dirname(this.paths.stdoutPath)}`,
        }
      : classify({
          killReason: this.killReason,
          exitCode: exit?.exitCode ?? code,
          signal: exit ? null : signal,
          memoryMb: this.request.memoryMb,
          runtimeSeconds: this.request.runtimeSeconds,
          maxRssMb,
          stderrTail,
        });
    this.resolve({
      id: this.instanceId,
      outcome: verdict.outcome,
      exitCode: verdict.exitCode,
      errorKind: verdict.errorKind,
      errorMessage: verdict.errorMessage,
      hostname: this.options.hostname ?? os.hostname(),
      startedAt: this.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      stdoutPath: this.paths.stdoutPath,
      stderrPath: this.paths.stderrPath,
      stdoutTail,
      stderrTail,
      usage: {
        maxRssMb,
        wallSeconds: round(Math.max(0, wallSeconds), 3),
        cpuSeconds: round(exit?.cpuSeconds ?? this.sampledCpuSeconds, 3),
      },
    });
  }

  /** After a kill: waits until no process of the group is left (SIGKILL once the grace period is over). */
  private async waitForGroupEnd(): Promise<void> {
    let forced = false;
    const giveUp = Math.max(this.killDeadline, Date.now()) + 5_000;
    while (groupMembers(this.pid).length > 0) {
      const now = Date.now();
      if (now >= giveUp) return;
      if (now >= this.killDeadline && !forced) {
        killGroup(this.pid, 'SIGKILL');
        forced = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/**
 * Starts `request.command` under supervision, with `supervisor`'s wrapper (its owner's). Throws when it
 * cannot be started (no process).
 */
export function supervise(
  request: SuperviseRequest,
  options: SupervisorOptions,
  supervisor: Supervisor,
): Supervision {
  const paths = logPaths(options.logDir ?? DEFAULT_LOG_DIR, request.workflowId, request.instanceId);
  supervisor.ensureDir(path.dirname(paths.stdoutPath));
  const hrStart = performance.now();
  const startedAt = new Date();
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      supervisor.wrapperScript().script,
      'jobmon-task',
      request.command,
      paths.exitPath,
      paths.stdoutPath,
      paths.stderrPath,
      request.nonce,
    ],
    {
      detached: true,
      stdio: 'ignore',
      cwd: options.cwd,
      env: {
        ...withoutJobmonSecrets({ ...process.env, ...options.env }),
        JOBMON_TASK_INSTANCE_ID: request.instanceId,
        JOBMON_WORKFLOW_ID: request.workflowId,
        ...(request.taskId ? { JOBMON_TASK_ID: request.taskId } : {}),
      },
    },
  );
  child.on('error', () => {
    // reported through the missing pid below, or through the exit
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cannot start /bin/sh for task instance ${request.instanceId}`);
  // The leader cannot have been reaped yet (that happens on this event loop): its stat is there.
  const starttime = readStat(pid)?.starttime ?? 0;
  return new Supervision(request, options, {
    pid,
    starttime,
    startedAt,
    hrStart,
    exits: childExitSource(child),
  });
}

/**
 * Starts `request.command` under supervision through a `Launcher` (a long-lived shell that forks the
 * commands: much cheaper for this process than spawn()). Resolves once the command has started. The
 * end of a command exec'd into `time` is seen through `exitWatch`; `supervisor` gives the wrapper (both its
 * owner's).
 */
export function superviseWithLauncher(
  request: SuperviseRequest,
  options: SupervisorOptions,
  launcher: Launcher,
  exitWatch: ExitWatch,
  supervisor: Supervisor,
): Promise<Supervision> {
  const paths = logPaths(options.logDir ?? DEFAULT_LOG_DIR, request.workflowId, request.instanceId);
  supervisor.ensureDir(path.dirname(paths.stdoutPath));
  const hrStart = performance.now();
  const startedAt = new Date();
  const { script, timed } = supervisor.wrapperScript();
  return new Promise((resolve, reject) => {
    let listener: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined;
    let early: number | undefined;
    let pid = 0;
    const exited = (code: number) => {
      stopWatching();
      if (listener) listener(code, null);
      else early = code;
    };
    // The exec'd wrapper tells the launcher nothing: its end is its status in the exit file, watched
    // from before the start (an end before the start line comes waits in `early`).
    const seeExit = () => {
      const exit = readExitFile(paths.exitPath, request.nonce);
      if (exit) exited(exit.exitCode);
    };
    const stopWatching = timed ? exitWatch.watchFileChanges(paths.exitPath, seeExit) : () => undefined;
    launcher.start({
      id: request.instanceId,
      script,
      args: [
        request.command,
        paths.exitPath,
        paths.stdoutPath,
        paths.stderrPath,
        request.nonce,
        request.instanceId,
      ],
      env: {
        ...withoutJobmonSecrets(options.env ?? {}),
        JOBMON_TASK_INSTANCE_ID: request.instanceId,
        JOBMON_WORKFLOW_ID: request.workflowId,
        ...(request.taskId ? { JOBMON_TASK_ID: request.taskId } : {}),
      },
      onStart: (started) => {
        pid = started;
        const starttime = readStat(pid)?.starttime ?? 0;
        const exits: ExitSource = {
          complete: false,
          onExit: (callback) => {
            listener = callback;
            if (early !== undefined) callback(early, null);
          },
          release: () => {
            stopWatching();
            launcher.forget(request.instanceId);
          },
          ended: () => {
            stopWatching();
            launcher.forget(request.instanceId);
            launcher.reap(pid);
          },
        };
        resolve(new Supervision(request, options, { pid, starttime, startedAt, hrStart, exits }));
      },
      onExit: exited,
      // The launcher may have died after forking the wrapper, before we read its start line: the
      // command then runs (or ran) unwatched. Look for it before calling the attempt unstarted.
      onLost: () => {
        stopWatching();
        void findForkedCommand(request, paths, options).then((found) => {
          if (found instanceof Supervision) resolve(found);
          else if (found) reject(new EndedUnwatched(found));
          else reject(new Error('the command launcher ended before the command started'));
        });
      },
    });
  });
}

/** A command that started and ended while nobody watched it (its launcher died): its report. */
export class EndedUnwatched extends Error {
  constructor(readonly report: TaskInstanceFinishedInput) {
    super('the command ended before its start was seen');
  }
}

/**
 * A command whose launcher died before telling its pid: followed as an adopted process if it runs (found
 * by the nonce on its wrapper's command line), or reported from its files if its exit file carries the
 * nonce; undefined when it never started.
 */
async function findForkedCommand(
  request: SuperviseRequest,
  paths: LogPaths,
  options: SupervisorOptions,
): Promise<Supervision | TaskInstanceFinishedInput | undefined> {
  // Between the fork and the exec of the wrapper its command line does not show the nonce yet, and
  // until setsid() it is not its group's leader: a moment (at most 1 s) to become both.
  for (let tries = 0; tries < 50; tries++) {
    const found = findProcessByArgument(request.nonce, { leaderOnly: false });
    if (found && found.pgrp === found.pid) {
      const adopted = adoptProcess(request, found.pid, found.starttime, options);
      if (adopted) return adopted;
    }
    if (!found && (tries >= 5 || startedHere(paths.exitPath, request.nonce))) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (!startedHere(paths.exitPath, request.nonce)) return undefined;
  return reportFromFiles(request, options);
}

/** When a process with this start time (clock ticks after boot) started. */
export function processStartDate(starttime: number): Date {
  return new Date(bootTime() + (starttime / CLOCK_TICKS) * 1000);
}

/**
 * Takes over a command started by a previous supervisor (a distributor before its restart), if it still
 * runs: undefined when the process named by `pid:starttime` is gone.
 */
export function adoptProcess(
  request: SuperviseRequest,
  pid: number,
  starttime: number,
  options: SupervisorOptions = {},
): Supervision | undefined {
  const stat = readStat(pid);
  if (!stat || stat.state === 'Z' || stat.starttime !== starttime) return undefined;
  return new Supervision(request, options, { pid, starttime, startedAt: processStartDate(starttime) });
}

/**
 * Where a supervised command of an attempt stands, from /proc and the files next to its logs (for a
 * supervisor that did not start it): `running` with its group leader, `ended` (it started: its job id is
 * known, or its exit file carries the attempt's nonce), or `never` (no trace of this attempt: files
 * without its nonce are another attempt's).
 */
export function locateCommand(
  paths: LogPaths,
  backendJobId: string | null | undefined,
  nonce: string,
):
  | { state: 'running'; pid: number; starttime: number }
  | { state: 'ended'; starttime?: number }
  | { state: 'never' } {
  // The wrapper writes its exit status as its last act: a process still there with its exit status
  // written is exiting, and its command has ended.
  const exited = () => readExitFile(paths.exitPath, nonce) !== undefined;
  const known = parseProcessJobId(backendJobId);
  if (known) {
    const stat = readStat(known.pid);
    if (isAlive(stat) && stat.starttime === known.starttime && !exited())
      return { state: 'running', pid: known.pid, starttime: known.starttime };
    return { state: 'ended', starttime: known.starttime };
  }
  const found = nonce ? findProcessByArgument(nonce) : undefined;
  if (found && !exited()) return { state: 'running', pid: found.pid, starttime: found.starttime };
  if (found) return { state: 'ended', starttime: found.starttime };
  if (startedHere(paths.exitPath, nonce)) return { state: 'ended' };
  return { state: 'never' };
}

/**
 * The report for an instance whose command ended while nobody supervised it: the exit file gives the
 * real exit code (and CPU time), the log files the tails; without an exit file it is UNKNOWN_ERROR.
 */
export function reportFromFiles(
  request: SuperviseRequest,
  options: SupervisorOptions & { startedAt?: Date | null },
): TaskInstanceFinishedInput {
  const paths = logPaths(options.logDir ?? DEFAULT_LOG_DIR, request.workflowId, request.instanceId);
  const ours = startedHere(paths.exitPath, request.nonce);
  const exit = readExitFile(paths.exitPath, request.nonce);
  // Output files next to an exit file of another attempt are that attempt's: none of their text.
  const stdoutTail = ours ? readTail(paths.stdoutPath) : '';
  const stderrTail = ours ? readTail(paths.stderrPath) : '';
  let finishedAt: Date | null = null;
  try {
    finishedAt = ours ? fs.statSync(exit ? paths.exitPath : paths.stderrPath).mtime : null;
  } catch {
    finishedAt = null;
  }
  const verdict = classify({ exitCode: exit?.exitCode ?? null, stderrTail });
  const startedAt = options.startedAt ?? null;
  return {
    id: request.instanceId,
    outcome: verdict.outcome,
    exitCode: verdict.exitCode,
    errorKind: verdict.errorKind,
    errorMessage: verdict.errorMessage,
    hostname: options.hostname ?? os.hostname(),
    startedAt: startedAt?.toISOString() ?? null,
    finishedAt: finishedAt?.toISOString() ?? null,
    stdoutPath: paths.stdoutPath,
    stderrPath: paths.stderrPath,
    stdoutTail,
    stderrTail,
    usage: {
      maxRssMb: exit?.maxRssMb ?? null,
      wallSeconds:
        startedAt && finishedAt ? round((finishedAt.getTime() - startedAt.getTime()) / 1000, 3) : null,
      cpuSeconds: exit?.cpuSeconds ?? null,
    },
  };
}
