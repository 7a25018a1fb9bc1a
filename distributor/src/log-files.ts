import fs from 'node:fs';
import path from 'node:path';
import { TAIL_BYTES } from '@jobmon/core';

// The files of a supervised command: `<logDir>/<workflowId>/<instanceId>.{out,err,exit}`. The exit file
// is written by the supervisor's shell wrapper: the attempt's nonce first, then, when the command ends,
// its exit status, max RSS and the CPU times of its process tree, from `/usr/bin/time` (into which the
// wrapper exec'd) or, on a host without it, from the wrapper shell itself (`$?` and `times`).

/** How much of the end of stdout and stderr is reported (the CLI knows it too: it says when a tail is cut). */
export { TAIL_BYTES };

export interface LogPaths {
  stdoutPath: string;
  stderrPath: string;
  /** Written by the wrapper when the command ends: exit code and CPU times. */
  exitPath: string;
}

/** Where the files of an instance go: `<logDir>/<workflowId>/<instanceId>.{out,err,exit}`. */
export function logPaths(logDir: string, workflowId: string, instanceId: string): LogPaths {
  const base = path.join(path.resolve(logDir), String(workflowId), String(instanceId));
  return {
    stdoutPath: `${base}.out`,
    stderrPath: `${base}.err`,
    exitPath: `${base}.exit`,
  };
}

export const DEFAULT_LOG_DIR = path.join('.jobmon', 'logs');

/** The last `TAIL_BYTES` of a file as text ('' when it does not exist). */
export function readTail(file: string, bytes = TAIL_BYTES): string {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, bytes);
    if (length === 0) return '';
    const buffer = Buffer.allocUnsafe(length);
    const read = fs.readSync(fd, buffer, 0, length, size - length);
    let start = 0;
    // Do not start in the middle of a UTF-8 character.
    if (size > length) while (start < Math.min(read, 4) && (buffer[start]! & 0xc0) === 0x80) start += 1;
    return buffer.toString('utf8', start, read);
  } finally {
    fs.closeSync(fd);
  }
}

/** When the exit file was last written (the end of the command that wrote its status). */
export function exitFileTime(file: string): Date | undefined {
  try {
    return fs.statSync(file).mtime;
  } catch {
    return undefined;
  }
}

export interface ExitStatus {
  exitCode: number;
  /** User + system CPU of the waited-for process tree (seconds), when the shell printed it. */
  cpuSeconds: number | null;
  /**
   * The largest peak resident memory of one process of the waited-for tree (MiB), from the kernel's
   * rusage of the command (`time -f %M`), when the host has `/usr/bin/time`.
   */
  maxRssMb: number | null;
}

/** The lines of an exit file when its first line is `nonce` (a non-empty one), else undefined. */
function exitFileLines(file: string, nonce: string): string[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return linesWithNonce(text, nonce);
}

function linesWithNonce(text: string, nonce: string): string[] | undefined {
  const lines = text.split('\n');
  return nonce !== '' && lines[0] === nonce ? lines : undefined;
}

/** Whether this attempt's wrapper started: its exit file carries the attempt's nonce. */
export function startedHere(file: string, nonce: string): boolean {
  return exitFileLines(file, nonce) !== undefined;
}

/**
 * Reads the wrapper's exit file; undefined when the command has not ended, was killed with its wrapper,
 * or the file is not this attempt's (it lacks the attempt's nonce).
 */
export function readExitFile(file: string, nonce: string): ExitStatus | undefined {
  const all = exitFileLines(file, nonce);
  return all && (readTimedStatus(all) ?? readShellStatus(all));
}

/** `readExitFile` of the text of an exit file. */
export function parseExitFile(text: string, nonce: string): ExitStatus | undefined {
  const all = linesWithNonce(text, nonce);
  return all && (readTimedStatus(all) ?? readShellStatus(all));
}

/**
 * The lines `/usr/bin/time` appends when the wrapper exec'd into it (`exit %x`, `maxrss %M`, `cpu %U %S`,
 * the last one written last: without it the status is not all there), after its own `Command terminated
 * by signal N` line for a command a signal ended (`%x` is 0 then: the code is 128 + N, as a shell's `$?`).
 */
function readTimedStatus(lines: readonly string[]): ExitStatus | undefined {
  const find = (pattern: RegExp) => lines.map((line) => pattern.exec(line)).find((match) => match);
  const exit = find(/^exit (\d+)$/);
  const cpu = find(/^cpu ([\d.]+) ([\d.]+)$/);
  if (!exit || !cpu) return undefined;
  const signal = find(/^Command terminated by signal (\d+)$/);
  const rss = find(/^maxrss (\d+)$/);
  return {
    exitCode: signal ? 128 + Number(signal[1]) : Number(exit[1]),
    cpuSeconds: Math.round((Number(cpu[1]) + Number(cpu[2])) * 1000) / 1000,
    maxRssMb: rss ? Math.round((Number(rss[1]) / 1024) * 10) / 10 : null,
  };
}

/** What the shell wrapper appends (no `/usr/bin/time` to exec into, or an exit file of an older version). */
function readShellStatus(all: readonly string[]): ExitStatus | undefined {
  // `time` (when the host has it) appends `maxrss KB` and, for a failed command, a `Command ...` line.
  const rss = all.map((line) => /^maxrss (\d+)$/.exec(line)).find((match) => match);
  const lines = all.filter((line) => !line.startsWith('maxrss ') && !line.startsWith('Command '));
  const exitCode = Number(lines[1]);
  if (lines[1] === undefined || lines[1] === '' || !Number.isInteger(exitCode)) return undefined;
  // `times`: the shell's own user and system time, then its children's: "0m0.240000s 0m0.010000s".
  const children = lines[3] ? [...lines[3].matchAll(/(\d+)m([\d.]+)s/g)] : [];
  const cpuSeconds =
    children.length === 2
      ? children.reduce((sum, match) => sum + Number(match[1]) * 60 + Number(match[2]), 0)
      : null;
  const maxRssMb = rss ? Math.round((Number(rss[1]) / 1024) * 10) / 10 : null;
  return { exitCode, cpuSeconds, maxRssMb };
}
