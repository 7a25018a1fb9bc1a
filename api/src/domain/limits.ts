import { BadUserInputError, exceedsCodePoints, MAX_NAME_LENGTH, nameProblem } from '@jobmon/core';

/**
 * Input limits: the one place that says how big each kind of free text may be (docs/operations.md,
 * "Input limits"). Each limit has a default, may be lowered by an environment variable, and never exceeds
 * what its database column stores (MySQL VARCHAR(255) counts characters, TEXT holds 65,535 bytes): a value
 * the database would refuse is refused here first, with BAD_USER_INPUT, instead of failing a transaction.
 */

/** What the columns hold: the ceilings of the configurable limits. */
export const COLUMN_CAPACITY = {
  /** VARCHAR(255): names, keys, tool, hostname, backend job id, queue names (characters; the core's rule). */
  name: MAX_NAME_LENGTH,
  /** VARCHAR(1024): log paths (characters). */
  path: 1024,
  /** VARCHAR(64): errorKind (characters). */
  errorKind: 64,
  /** TEXT on MySQL: 65,535 bytes (commands, args, attributes, error messages, output tails). */
  textBytes: 65_535,
} as const;

export interface InputLimits {
  /** Names and keys (tool, workflow, template, task key and name, queue, hostname), in characters. */
  maxNameLength: number;
  /** Other free text (commandTemplate, rendered command, args, attributes, workflowArgs, description, errorMessage), in UTF-8 bytes. */
  maxTextBytes: number;
  /** The stored tail of an attempt's stdout and stderr, in UTF-8 bytes (longer tails keep their end). */
  maxTailBytes: number;
  /** Nesting depth of any JSON value in a request (attributes, args, extra resources). */
  maxJsonDepth: number;
  /** A search filter, in characters. */
  maxSearchLength: number;
}

export const DEFAULT_INPUT_LIMITS: Readonly<InputLimits> = Object.freeze({
  maxNameLength: COLUMN_CAPACITY.name,
  maxTextBytes: COLUMN_CAPACITY.textBytes,
  maxTailBytes: COLUMN_CAPACITY.textBytes,
  maxJsonDepth: 32,
  maxSearchLength: 1000,
});

/** The environment variable of each limit (documented in docs/operations.md). */
export const INPUT_LIMIT_VARIABLES: Readonly<Record<keyof InputLimits, string>> = {
  maxNameLength: 'JOBMON_MAX_NAME_LENGTH',
  maxTextBytes: 'JOBMON_MAX_TEXT_BYTES',
  maxTailBytes: 'JOBMON_MAX_TAIL_BYTES',
  maxJsonDepth: 'JOBMON_MAX_JSON_DEPTH',
  maxSearchLength: 'JOBMON_MAX_SEARCH_LENGTH',
};

const CEILINGS: Readonly<Partial<Record<keyof InputLimits, number>>> = {
  maxNameLength: COLUMN_CAPACITY.name,
  maxTextBytes: COLUMN_CAPACITY.textBytes,
  maxTailBytes: COLUMN_CAPACITY.textBytes,
};

/** The limits from the environment; a value above its column's capacity or below 1 is a start-up error. */
export function inputLimitsFromEnv(env: NodeJS.ProcessEnv): InputLimits {
  const limits = { ...DEFAULT_INPUT_LIMITS };
  for (const key of Object.keys(INPUT_LIMIT_VARIABLES) as (keyof InputLimits)[]) {
    const name = INPUT_LIMIT_VARIABLES[key];
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    const ceiling = CEILINGS[key] ?? Number.MAX_SAFE_INTEGER;
    if (!/^\d+$/.test(raw.trim()) || value < 1 || value > ceiling)
      throw new Error(`${name} must be an integer from 1 to ${ceiling}, got "${raw}"`);
    limits[key] = value;
  }
  return limits;
}

/**
 * name, path, errorKind: characters; text: UTF-8 bytes; output: UTF-8 bytes of what a command printed or
 * a backend said (an error message), where a NUL is part of the text.
 */
export type TextKind = 'name' | 'path' | 'errorKind' | 'text' | 'output';

/**
 * Why `value` cannot be stored as `field`, or null. NUL is refused in every field: SQLite reads SQL text
 * only up to one, and no command, name or path can hold one.
 */
export function textProblem(
  value: string | null | undefined,
  field: string,
  kind: TextKind,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return `${field} must be a string`;
  // Names are the clients' rule too (the core's), so that they refuse what the server would.
  if (kind === 'name') return nameProblem(value, field, limits.maxNameLength);
  if (kind === 'text' || kind === 'output') {
    // A UTF-8 byte is at most 3 per UTF-16 unit: most values need no count.
    if (value.length * 3 > limits.maxTextBytes && Buffer.byteLength(value, 'utf8') > limits.maxTextBytes)
      return `${field} is longer than ${limits.maxTextBytes} bytes`;
  } else {
    const max = kind === 'path' ? COLUMN_CAPACITY.path : COLUMN_CAPACITY.errorKind;
    if (exceedsCodePoints(value, max)) return `${field} is longer than ${max} characters`;
  }
  if (kind !== 'output' && value.includes('\0')) return `${field} contains a NUL character`;
  return null;
}

/** textProblem as a BadUserInputError, for a single argument. */
export function assertText(
  value: string | null | undefined,
  field: string,
  kind: TextKind,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): void {
  const problem = textProblem(value, field, kind, limits);
  if (problem) throw new BadUserInputError(problem, [problem]);
}

const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether `value` holds half of a UTF-16 surrogate pair: not text, and no UTF-8 column can store it. */
export const hasLoneSurrogate = (value: string): boolean =>
  // Most text has no surrogate at all: the cheap test first (every request's variables are walked).
  SURROGATE.test(value) && LONE_SURROGATE.test(value);

/**
 * Why a request's JSON value (its variables, a JSON argument) cannot be taken, or null: nested deeper than
 * `maxDepth`, or holding a lone surrogate in a string or a key. Iterative, so that a hostile depth costs no
 * stack; values and their depths on two plain stacks, so that a 100,000-task submission costs little.
 */
export function jsonValueProblem(value: unknown, maxDepth: number, where = 'the request'): string | null {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const current = values.pop();
    const depth = depths.pop()!;
    if (typeof current === 'string') {
      if (hasLoneSurrogate(current)) return `${where} holds a string with a lone UTF-16 surrogate`;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= maxDepth) return `${where} nests JSON deeper than ${maxDepth} levels`;
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        values.push(current[i]);
        depths.push(depth + 1);
      }
      continue;
    }
    for (const key in current) {
      if (!Object.prototype.hasOwnProperty.call(current, key)) continue;
      if (hasLoneSurrogate(key)) return `${where} holds a key with a lone UTF-16 surrogate`;
      values.push((current as Record<string, unknown>)[key]);
      depths.push(depth + 1);
    }
  }
  return null;
}

/**
 * The end of `text` that fits in `maxBytes` UTF-8 bytes, cut on a character boundary (an output tail keeps
 * its newest bytes). Lone surrogates become U+FFFD, as UTF-8 stores them.
 */
export function utf8Tail(text: string, maxBytes: number): string {
  // Every UTF-16 unit is at most 3 UTF-8 bytes: a short text fits without being encoded.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return bytes.toString('utf8');
  let start = bytes.length - maxBytes;
  // Skip continuation bytes (10xxxxxx): the tail starts at the first byte of a character.
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start += 1;
  return bytes.subarray(start).toString('utf8');
}
