import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

// Reading Linux /proc: process state, process groups, memory and CPU of a process tree.
// Everything here is synchronous and cheap (one small read per process); callers batch it per tick.

/** Kernel clock ticks per second (the unit of utime/stime/starttime in /proc/<pid>/stat). */
export const CLOCK_TICKS = readConfNumber('CLK_TCK', 100);
/** Bytes per page (the unit of rss in /proc/<pid>/stat). */
export const PAGE_SIZE = readConfNumber('PAGESIZE', 4096);

function readConfNumber(name: string, fallback: number): number {
  try {
    const value = Number(
      execFileSync('getconf', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
    return Number.isInteger(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

let bootTimeMs: number | undefined;
/**
 * When the machine booted (ms since the epoch): now minus /proc/uptime (10 ms resolution; /proc/stat's
 * `btime` is whole seconds).
 */
export function bootTime(): number {
  if (bootTimeMs === undefined) {
    const uptime = Number((readText('/proc/uptime') ?? '').split(' ')[0]);
    if (Number.isFinite(uptime) && uptime > 0) bootTimeMs = Date.now() - uptime * 1000;
    else {
      const match = /^btime (\d+)$/m.exec(readText('/proc/stat') ?? '');
      bootTimeMs = match ? Number(match[1]) * 1000 : Date.now() - process.uptime() * 1000;
    }
  }
  return bootTimeMs;
}

export interface ProcStat {
  pid: number;
  /** R, S, D, Z (zombie: ended, not yet reaped), T, ... */
  state: string;
  ppid: number;
  pgrp: number;
  /** CPU of the process itself, in clock ticks. */
  utime: number;
  stime: number;
  /** CPU of its children that it waited for (recursively), in clock ticks. */
  cutime: number;
  cstime: number;
  /** Start time in clock ticks after boot: with the pid, it identifies a process across pid reuse. */
  starttime: number;
  /** Resident set size in pages. */
  rss: number;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
}

/** Parses /proc/<pid>/stat; undefined when the process does not exist (any more). */
export function readStat(pid: number): ProcStat | undefined {
  const text = readText(`/proc/${pid}/stat`);
  if (text === undefined) return undefined;
  return parseStat(pid, text);
}

export function parseStat(pid: number, text: string): ProcStat | undefined {
  // The command name is in parentheses and may itself hold spaces and parentheses: split after the last ')'.
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = text.slice(close + 2).split(' ');
  if (f.length < 22) return undefined;
  const n = (i: number) => Number(f[i]);
  return {
    pid,
    state: f[0] ?? '?',
    ppid: n(1),
    pgrp: n(2),
    utime: n(11),
    stime: n(12),
    cutime: n(13),
    cstime: n(14),
    starttime: n(19),
    rss: n(21),
  };
}

/** A process is alive if it exists and is not a zombie (a zombie has ended; only its exit status is left). */
export function isAlive(stat: ProcStat | undefined): stat is ProcStat {
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** Peak resident set size of one process (VmHWM) in KiB, or 0 when unknown. */
export function readPeakRssKb(pid: number): number {
  const text = readText(`/proc/${pid}/status`);
  const match = text === undefined ? null : /^VmHWM:\s+(\d+) kB$/m.exec(text);
  return match ? Number(match[1]) : 0;
}

/** Every pid currently in /proc. */
export function listPids(): number[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const name of names) {
    const code = name.charCodeAt(0);
    if (code >= 48 && code <= 57) pids.push(Number(name));
  }
  return pids;
}

/**
 * The pids of `pid` and of its descendants, from the kernel's list of each thread's children (reads only
 * that tree, not all of /proc); undefined when this kernel does not keep those lists.
 */
export function processTree(pid: number): number[] | undefined {
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const next = queue.shift()!;
    tree.push(next);
    let threads: string[];
    try {
      threads = fs.readdirSync(`/proc/${next}/task`);
    } catch {
      continue; // ended meanwhile
    }
    for (const thread of threads) {
      const children = readText(`/proc/${next}/task/${thread}/children`);
      if (children === undefined) {
        if (fs.existsSync(`/proc/${next}/task/${thread}`)) return undefined; // no children lists here
        continue;
      }
      for (const child of children.split(' ')) if (child) queue.push(Number(child));
    }
  }
  return tree;
}

/** The live (non-zombie) members of process group `pgid`, by a scan of /proc. */
export function groupMembers(pgid: number): ProcStat[] {
  const members: ProcStat[] = [];
  for (const pid of listPids()) {
    const stat = readStat(pid);
    if (isAlive(stat) && stat.pgrp === pgid) members.push(stat);
  }
  return members;
}

/** Sends `signal` to every process of group `pgid`; false when the group has no process left. */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** `pid:starttime`: names a process so that a reused pid is not mistaken for it. */
export function processJobId(pid: number, starttime: number): string {
  return `${pid}:${starttime}`;
}

export function parseProcessJobId(
  jobId: string | null | undefined,
): { pid: number; starttime: number } | null {
  const match = jobId ? /^(\d+):(\d+)$/.exec(jobId) : null;
  return match ? { pid: Number(match[1]), starttime: Number(match[2]) } : null;
}

/**
 * The group leader among the live processes whose command line has `arg` as one of its arguments (a
 * supervised command's wrapper carries its attempt's nonce): how a restarted supervisor finds a command
 * whose job id it never recorded. One scan of /proc; only used when adopting. `leaderOnly: false` also
 * finds it in the moment between its fork and its setsid().
 */
export function findProcessByArgument(
  arg: string,
  { leaderOnly = true }: { leaderOnly?: boolean } = {},
): ProcStat | undefined {
  for (const pid of listPids()) {
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.split('\0').includes(arg)) continue;
    const stat = readStat(pid);
    if (isAlive(stat) && (stat.pgrp === pid || !leaderOnly)) return stat;
  }
  return undefined;
}
