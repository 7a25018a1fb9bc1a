import { BadUserInputError, ErrorCode, JobmonError } from '@jobmon/core';
import Table from 'cli-table3';
import { Command, InvalidArgumentError } from 'commander';
import { createColors } from 'picocolors';
import { TaskStatus, WorkflowStatus } from '../generated/graphql';
import {
  JobmonClient,
  JobmonRequestError,
  WorkflowDefinitionError,
  describeSummary,
  summarizeCounts,
  type StatusCounts,
} from '../sdk';
import { terminalSafe, terminalSafeClient } from './terminal-safe';

// What every `jobmon` command shares: the connection options, the exit codes, error reporting on stderr,
// and the formatting of tables and values. Commands stay thin: parse, call JobmonClient, print.

type Colors = ReturnType<typeof createColors>;

/** Exit codes scripts can rely on (documented in docs/cli.md). */
export const EXIT = {
  /** The command did what was asked; with --wait, the workflow ended DONE. */
  OK: 0,
  /** With --wait: the workflow ended FAILED or HALTED. */
  WORKFLOW_NOT_DONE: 1,
  /** Bad arguments or options, an unreadable submission file, or a definition the SDK refuses. */
  USAGE: 2,
  /** No answer from the server (down, wrong URL, something other than Jobmon answered), or its database is. */
  UNREACHABLE: 3,
  /** The workflow, task or instance does not exist. */
  NOT_FOUND: 4,
  /** The server refused the request (BAD_USER_INPUT, ILLEGAL_TRANSITION, FORBIDDEN, …) or failed on it. */
  REFUSED: 5,
  /** The command needs the server package (@jobmon/api), which is not installed (`jobmon server`). */
  UNAVAILABLE: 69,
  /** Something unexpected in jobmon itself (a bug: please report it with the message). */
  INTERNAL: 70,
  /** Interrupted (Ctrl-C) while waiting; the workflow itself goes on. */
  INTERRUPTED: 130,
} as const;

/** An error the CLI reports itself, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    /** Printed one per line under the message. */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface ConnectionOptions {
  server?: string;
  json?: boolean;
  color?: boolean;
}

/** What a command's action gets: the client and the printing helpers. */
export class CliContext {
  readonly client: JobmonClient;
  /** The client as is, for output that is data (a report's JSON or CSV), never shown escaped. */
  readonly dataClient: JobmonClient;
  readonly json: boolean;
  readonly colors: Colors;

  constructor(options: ConnectionOptions) {
    // The token comes from JOBMON_TOKEN (the client's default), never from the command line (`ps` shows it).
    const client = new JobmonClient({ serverUrl: options.server });
    this.json = Boolean(options.json);
    // Human output shows control characters in server data as visible escapes; JSON escapes them itself.
    this.client = this.json ? client : terminalSafeClient(client);
    this.dataClient = client;
    this.colors = createColors(
      options.color !== false && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    );
  }

  /** A line (or block) of human output on stdout. */
  print(text = ''): void {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** The machine output of --json: one JSON document on stdout. */
  printJson(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A table with a header row (cells already formatted). */
  table(head: string[], rows: (string | number)[][]): string {
    const table = new Table({
      head: head.map((cell) => this.colors.bold(cell)),
      style: { head: [], border: [], compact: true },
    });
    table.push(...rows.map((row) => row.map((cell) => String(cell))));
    return table.toString();
  }

  /** `key: value` lines, aligned. */
  fields(entries: [string, string | number | null | undefined][]): string {
    const width = Math.max(...entries.map(([key]) => key.length));
    return entries
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${this.colors.dim(`${key}:`.padEnd(width + 1))} ${value ?? '-'}`)
      .join('\n');
  }

  /** A status word, coloured by what it means. */
  status(status: string): string {
    const c = this.colors;
    if (status === 'DONE') return c.green(status);
    if (/FAIL|FATAL|ERROR/.test(status)) return c.red(status);
    if (status === 'HALTED' || status.includes('RESUME') || status === 'STOPPED') return c.yellow(status);
    if (['RUNNING', 'LAUNCHED', 'INSTANTIATING', 'INSTANTIATED'].includes(status)) return c.cyan(status);
    return status;
  }

  /** `12/30 done, 3 running, …` */
  counts(counts: StatusCounts): string {
    return describeSummary(summarizeCounts(counts), this.colors.red);
  }
}

/** The connection and output options every client command takes. */
export function clientCommand(name: string, description: string): Command {
  return addConnectionOptions(new Command(name).description(description));
}

export function addConnectionOptions(command: Command): Command {
  return command
    .option('--server <url>', 'Jobmon server (default env JOBMON_SERVER_URL or http://localhost:4000)')
    .option('--json', 'machine-readable output: one JSON document on stdout')
    .option('--no-color', 'no colours (also off when stdout is not a terminal or NO_COLOR is set)');
}

/**
 * Runs a command's action with its context; any error is printed on stderr (as JSON with --json) and
 * becomes the process's exit code.
 */
export function action<Args extends unknown[]>(
  run: (context: CliContext, ...args: Args) => Promise<number | void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    // commander passes the positional arguments, then the options, then the command; the connection
    // options may be given before the command name too (the program's).
    const options = (args.at(-1) as Command).optsWithGlobals<ConnectionOptions>();
    const context = new CliContext(options);
    try {
      process.exitCode = (await run(context, ...(args.slice(0, -1) as Args))) ?? EXIT.OK;
    } catch (error) {
      process.exitCode = reportError(error, context.json);
    }
  };
}

/** Prints an error on stderr and returns its exit code. */
export function reportError(error: unknown, json: boolean): number {
  const { message, exitCode, codes, problems } = describeError(error);
  if (json) {
    process.stderr.write(
      `${JSON.stringify({ error: { message, codes, ...(problems.length ? { problems } : {}) }, exitCode })}\n`,
    );
  } else {
    // Server messages quote user data (names, keys): shown terminal-safe like every other output.
    const code = codes.length ? ` [${[...new Set(codes)].join(', ')}]` : '';
    process.stderr.write(`jobmon: ${terminalSafe(`${message}${code}`)}\n`);
    for (const problem of problems) process.stderr.write(`  - ${terminalSafe(problem)}\n`);
  }
  return exitCode;
}

function describeError(error: unknown): {
  message: string;
  exitCode: number;
  codes: string[];
  problems: string[];
} {
  if (error instanceof CliError)
    return { message: error.message, exitCode: error.exitCode, codes: [], problems: [...error.problems] };
  if (error instanceof InvalidArgumentError)
    return { message: error.message, exitCode: EXIT.USAGE, codes: [], problems: [] };
  if (error instanceof WorkflowDefinitionError) {
    const problems = error.problems.length > 1 ? [...error.problems] : [];
    return {
      message: problems.length ? 'invalid workflow definition' : error.message,
      exitCode: EXIT.USAGE,
      codes: [],
      problems,
    };
  }
  // The server's own refusal, raised in this process by the commands that work on the database directly
  // (`jobmon token … --database-url`): the same exit codes as when the server sends it.
  if (error instanceof JobmonError) {
    const problems =
      error instanceof BadUserInputError && error.problems.length > 1 ? [...error.problems] : [];
    const exitCode = error.code === ErrorCode.NOT_FOUND ? EXIT.NOT_FOUND : EXIT.REFUSED;
    return { message: error.message, exitCode, codes: [error.code], problems };
  }
  if (error instanceof JobmonRequestError) {
    const codes = [...error.codes];
    const problems = error.errors.flatMap((detail) => detail.problems ?? []);
    const exitCode =
      error.unreachable || codes.includes(ErrorCode.SERVICE_UNAVAILABLE)
        ? EXIT.UNREACHABLE
        : codes.length && codes.every((code) => code === ErrorCode.NOT_FOUND)
          ? EXIT.NOT_FOUND
          : EXIT.REFUSED;
    return { message: error.message, exitCode, codes, problems };
  }
  return {
    message: error instanceof Error ? error.message : String(error),
    exitCode: EXIT.INTERNAL,
    codes: [],
    problems: [],
  };
}

/**
 * `jobmon status 3 4 5`, `jobmon task 10 11`: each id loaded and shown in order, a blank line between
 * them (--json: one document for one id, an array for several). A missing id is said on stderr and the
 * others are still shown; the exit code is then NOT_FOUND.
 */
export async function showEach<T>(
  context: CliContext,
  what: string,
  ids: readonly string[],
  load: (id: string) => Promise<T | null | undefined>,
  show: { human(item: T): void; json(item: T): unknown },
): Promise<number> {
  const found: T[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    let item: T | null | undefined;
    try {
      item = await load(id);
    } catch (error) {
      // The server answers a missing id with null or with NOT_FOUND, depending on the field.
      const notFound =
        error instanceof JobmonRequestError &&
        error.codes.length > 0 &&
        error.codes.every((code) => code === ErrorCode.NOT_FOUND);
      if (!notFound) throw error;
    }
    if (item == null) missing.push(id);
    else found.push(item);
  }
  if (ids.length === 1 && missing.length === 1)
    throw new CliError(`${what} ${ids[0]} not found`, EXIT.NOT_FOUND);
  if (context.json) context.printJson(ids.length === 1 ? show.json(found[0]!) : found.map(show.json));
  else
    found.forEach((item, index) => {
      if (index > 0) context.print();
      show.human(item);
    });
  for (const id of missing) process.stderr.write(`jobmon: ${what} ${id} not found\n`);
  return missing.length ? EXIT.NOT_FOUND : EXIT.OK;
}

/** What an action did to one id (actOnEach): its exit code and its --json document. */
export interface ActedOn {
  exitCode: number;
  json: unknown;
}

/**
 * `jobmon stop 3 4 5`, `jobmon resume 3 4`, `jobmon workflow reset 3 4`: `act` on each id in turn (it
 * prints its own human lines). An id that fails (not found, refused…) is reported on stderr as the command
 * with that id alone would report it, and the ids after it are still done. The exit code is the first
 * non-zero one in the order of the ids (a failed id's, or with --wait 1 for a workflow that did not end
 * DONE), else 0. --json: one document for one id, an array for several (failed ids are not in it: their
 * errors are on stderr). One id alone behaves exactly as before several were taken.
 */
export async function actOnEach(
  context: CliContext,
  ids: readonly string[],
  act: (id: string) => Promise<ActedOn>,
): Promise<number> {
  if (ids.length === 1) {
    const acted = await act(ids[0]!);
    if (context.json) context.printJson(acted.json);
    return acted.exitCode;
  }
  const documents: unknown[] = [];
  let exitCode: number = EXIT.OK;
  for (const id of ids) {
    let code: number;
    try {
      const acted = await act(id);
      documents.push(acted.json);
      code = acted.exitCode;
    } catch (error) {
      code = reportError(error, context.json);
    }
    if (exitCode === EXIT.OK) exitCode = code;
  }
  if (context.json) context.printJson(documents);
  return exitCode;
}

/** A commander parser collecting several ids (`<workflows...>`, `<tasks...>`). */
export const collectIds = (value: string, previous: string[] = []): string[] => [...previous, parseId(value)];

// --- argument parsers (commander calls them; an InvalidArgumentError is a usage error) ---

/** An entity id: a positive integer. */
export function parseId(value: string): string {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError(`expected an id (a positive integer)`);
  return value;
}

export function parseNonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a non-negative integer');
  return Number(value);
}

const TASK_STATUSES = Object.values(TaskStatus) as string[];
const WORKFLOW_STATUSES = Object.values(WorkflowStatus) as string[];

/** A comma-separated list of statuses (repeatable): `--status RUNNING,QUEUED --status DONE`. */
function statusList(allowed: string[], what: string) {
  return (value: string, previous: string[] = []): string[] => {
    const statuses = value
      .split(',')
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean);
    const unknown = statuses.filter((status) => !allowed.includes(status));
    if (unknown.length)
      throw new InvalidArgumentError(`unknown ${what} ${unknown.join(', ')} (one of ${allowed.join(', ')})`);
    return [...previous, ...statuses];
  };
}

/** `--attribute key=value` (repeatable): the value is everything after the first `=`. */
export function parseAttribute(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('expected key=value');
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

export const parseTaskStatuses = statusList(TASK_STATUSES, 'task status');
export const parseWorkflowStatuses = statusList(WORKFLOW_STATUSES, 'workflow status');

export function isTaskStatus(value: string): value is TaskStatus {
  return TASK_STATUSES.includes(value);
}

// --- value formatting ---

/** `2026-11-26 21:50:03` (UTC), or '-'. */
export function formatTime(iso: string | null | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '-';
}

/** `1h 02m`, `3m 05s`, `4.2s`, `35ms`, or '-'. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds == null) return '-';
  // Short tasks are common: `0s` would say nothing.
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 60) return `${Number(seconds.toFixed(1))}s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `512M`, `1.5G`, or '-' (MiB in). */
export function formatMemory(mb: number | null | undefined): string {
  if (mb == null) return '-';
  if (mb >= 1024) return `${Number((mb / 1024).toFixed(1))}G`;
  return `${Number(mb.toFixed(mb < 10 ? 1 : 0))}M`;
}

/** The object without GraphQL's __typename fields, recursively (stable --json output). */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === '__typename' ? undefined : v))) as T;
}
