/**
 * Compute resources as people write them: memory in MiB or with a unit ("8G"), runtime in seconds or as a
 * duration ("1h30m", Slurm's "D-HH:MM:SS"). One rule for the server (which validates what it stores) and
 * the SDK and CLI (which refuse a bad value before sending it).
 */
import { BadUserInputError } from './errors';

/** A value as a message quotes it: numbers and strings as written, other things by their kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value); // JSON.stringify would print NaN as null
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

// The tables and patterns below are also the Python and R clients' (generated from here by
// scripts/core-rules.mjs): they keep to the regular-expression syntax the three languages share.

/** MiB per unit. Binary units whatever the spelling: "8G", "8GB" and "8GiB" are all 8192 MiB, as in Slurm. */
export const MEMORY_UNITS: Readonly<Record<string, number>> = Object.freeze({
  k: 1 / 1024,
  m: 1,
  g: 1024,
  t: 1024 * 1024,
});
/** An amount (group 1) and an optional unit letter (group 2), any case; applied to the trimmed text. */
export const MEMORY_PATTERN = /^(\d+(?:\.\d+)?|\.\d+)\s*(?:([kmgt])(?:i?b)?)?$/i;

/** The largest amount of MiB or seconds taken: what is still a whole number exactly in every client. */
export const MAX_RESOURCE_AMOUNT = Number.MAX_SAFE_INTEGER;

function positiveWhole(amount: number): number | undefined {
  // Round up: a task must get at least what it asked for.
  const whole = Math.ceil(amount);
  return amount > 0 && whole <= MAX_RESOURCE_AMOUNT ? whole : undefined;
}

/**
 * Memory in whole MiB (rounded up). Numbers are MiB; strings are a number with an optional unit
 * K/M/G/T (optionally followed by B or iB, any case), a bare number being MiB: "512M", "8GB", "1.5G".
 */
export function parseMemory(value: string | number): number {
  let mib: number | undefined;
  if (typeof value === 'number') {
    mib = positiveWhole(value);
  } else if (typeof value === 'string') {
    const match = MEMORY_PATTERN.exec(value.trim());
    if (match) mib = positiveWhole(Number(match[1]) * MEMORY_UNITS[(match[2] ?? 'm').toLowerCase()]!);
  }
  if (mib === undefined) {
    const message = `Invalid memory ${describeValue(value)}: expected a positive amount such as 512M, 8G or 1.5T`;
    throw new BadUserInputError(message, [message]);
  }
  return mib;
}

/** Seconds per duration unit, in the order the parts of a duration must come ("1h30m", not "30m1h"). */
export const SECONDS_PER_UNIT: Readonly<Record<string, number>> = Object.freeze({
  d: 86400,
  h: 3600,
  m: 60,
  s: 1,
});
const UNIT_ORDER = Object.keys(SECONDS_PER_UNIT).join('');
/** A bare amount: seconds for a runtime, MiB for a memory. */
export const AMOUNT_PATTERN = /^(\d+(?:\.\d+)?|\.\d+)$/;
/** One part of a duration, an amount (group 1) and its unit (group 2), matched where the last part ended. */
export const DURATION_PART_PATTERN = /(\d+(?:\.\d+)?|\.\d+)\s*([dhms])\s*/iy;
/** Slurm's clock forms: optional days (group 1), then one to three fields (groups 2-4). */
export const CLOCK_PATTERN = /^(?:(\d+)-)?(\d+)(?::(\d{1,2}))?(?::(\d{1,2}))?$/;

/** "1h30m", "90s", "1.5h": parts in decreasing unit order, each unit at most once. */
function parseUnitDuration(text: string): number | undefined {
  let total = 0;
  let lastRank = -1;
  const part = new RegExp(DURATION_PART_PATTERN); // a copy: the sticky pattern keeps its position
  while (part.lastIndex < text.length) {
    const match = part.exec(text);
    if (!match) return undefined;
    const unit = match[2]!.toLowerCase();
    const rank = UNIT_ORDER.indexOf(unit);
    if (rank <= lastRank) return undefined;
    lastRank = rank;
    total += Number(match[1]) * SECONDS_PER_UNIT[unit]!;
  }
  return total;
}

/**
 * Slurm clock forms: "MM:SS", "HH:MM:SS", "D-HH", "D-HH:MM", "D-HH:MM:SS". The leading field is
 * unbounded ("90:00" is 90 minutes); later fields must be in range.
 */
function parseClock(text: string): number | undefined {
  const match = CLOCK_PATTERN.exec(text);
  if (!match) return undefined;
  const [, days, first, second, third] = match;
  if (days === undefined) {
    if (second === undefined) return undefined; // a bare number is handled as seconds by the caller
    const hours = third === undefined ? 0 : Number(first);
    const minutes = third === undefined ? Number(first) : Number(second);
    const seconds = Number(third ?? second);
    if ((third !== undefined && minutes >= 60) || seconds >= 60) return undefined;
    return hours * 3600 + minutes * 60 + seconds;
  }
  const hours = Number(first);
  const minutes = Number(second ?? 0);
  const seconds = Number(third ?? 0);
  if (hours >= 24 || minutes >= 60 || seconds >= 60) return undefined;
  return Number(days) * 86400 + hours * 3600 + minutes * 60 + seconds;
}

/**
 * Runtime in whole seconds (rounded up). Numbers and bare numeric strings are seconds (unlike Slurm,
 * where a bare number means minutes: Jobmon has always counted seconds). Also accepts "90s", "30m", "2h",
 * "1d", "1h30m" and the Slurm clock forms "MM:SS", "HH:MM:SS", "D-HH:MM:SS".
 */
export function parseRuntime(value: string | number): number {
  let seconds: number | undefined;
  if (typeof value === 'number') {
    seconds = positiveWhole(value);
  } else if (typeof value === 'string') {
    const text = value.trim();
    let amount: number | undefined;
    if (AMOUNT_PATTERN.test(text)) amount = Number(text);
    else if (text.includes(':') || text.includes('-')) amount = parseClock(text);
    else if (text !== '') amount = parseUnitDuration(text);
    if (amount !== undefined) seconds = positiveWhole(amount);
  }
  if (seconds === undefined) {
    const message =
      `Invalid runtime ${describeValue(value)}: expected a positive duration such as 3600, 90s, 30m, 1h30m, ` +
      '2:30:00 or 1-12:00:00';
    throw new BadUserInputError(message, [message]);
  }
  return seconds;
}

// The checks on a resource layer and on resource scales: one rule for the server and the clients.

export interface Resources {
  memoryMb?: number | null;
  cores?: number | null;
  runtimeSeconds?: number | null;
  queue?: string | null;
  extra?: Record<string, unknown> | null;
}

/**
 * Fractions by which memory/runtime grow after a task ran out of them (0.5 = +50%): one factor for every
 * resource failure, or (Jobmon's list of scales) a factor per resource failure — the first for the first,
 * and so on, the last one repeating once the list is used up. A list wins over the single factor.
 */
export interface ResourceScales {
  memory?: number | null;
  runtime?: number | null;
  memoryFactors?: readonly number[] | null;
  runtimeFactors?: readonly number[] | null;
}

/**
 * A task's scales once a person sets some (updateTaskResources): a measure given replaces the task's
 * whole scale for it, one factor or a list, whichever was given (a list left from before would win over a
 * new single factor); the measures not given are kept. Null when no scale is left.
 */
export function mergeScales(current: ResourceScales | null, given: ResourceScales): ResourceScales | null {
  const out: Record<string, unknown> = { ...(current ?? {}) };
  for (const measure of ['memory', 'runtime'] as const) {
    const factor = given[measure];
    const factors = given[`${measure}Factors`];
    if (factor == null && factors == null) continue;
    delete out[measure];
    delete out[`${measure}Factors`];
    if (factors != null) out[`${measure}Factors`] = [...factors];
    else out[measure] = factor;
  }
  for (const [key, value] of Object.entries(out)) if (value == null) delete out[key];
  return Object.keys(out).length ? (out as ResourceScales) : null;
}

/** Longest list of per-failure factors. */
export const MAX_SCALE_FACTORS = 100;

export const DEFAULT_RESOURCE_SCALES: Readonly<{ memory: number; runtime: number }> = Object.freeze({
  memory: 0.5,
  runtime: 0.5,
});

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const MAX_QUEUE_LENGTH = 255;

/**
 * Problems with one resource layer, each prefixed with `where` (e.g. `task "fit-1"`). Null = not set.
 * Amounts (memoryMb, cores, runtimeSeconds) are whole numbers here: units are read by parseMemory and
 * parseRuntime before. Held to core/conformance/resources.json (cores, scales) in every client.
 */
export function validateResources(r: Resources | null | undefined, where: string): string[] {
  if (r == null) return [];
  const problems: string[] = [];
  for (const field of ['memoryMb', 'cores', 'runtimeSeconds'] as const) {
    const value: unknown = r[field];
    // Safe integers only: anything larger cannot be stored or compared exactly.
    if (value != null && !(Number.isSafeInteger(value) && (value as number) > 0)) {
      problems.push(`${where}: ${field} must be a positive integer (got ${describeValue(value)})`);
    }
  }
  const queue: unknown = r.queue;
  if (queue != null) {
    if (typeof queue !== 'string' || queue.trim() === '') {
      problems.push(`${where}: queue must be a non-empty string (got ${describeValue(queue)})`);
    } else if (queue.length > MAX_QUEUE_LENGTH) {
      problems.push(`${where}: queue must be at most ${MAX_QUEUE_LENGTH} characters (got ${queue.length})`);
    }
  }
  if (r.extra != null && !isPlainObject(r.extra)) {
    problems.push(`${where}: extra must be a plain object (got ${describeValue(r.extra)})`);
  }
  return problems;
}

/** Problems with resource scales: each must be a finite number >= 0 when set. */
export function validateScales(s: ResourceScales | null | undefined, where: string): string[] {
  if (s == null) return [];
  const problems: string[] = [];
  const isScale = (value: unknown) => typeof value === 'number' && isFinite(value) && value >= 0;
  for (const field of ['memory', 'runtime'] as const) {
    const value: unknown = s[field];
    if (value != null && !isScale(value)) {
      problems.push(`${where}: ${field} scale must be a finite number >= 0 (got ${describeValue(value)})`);
    }
    const list: unknown = s[`${field}Factors`];
    if (list == null) continue;
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_SCALE_FACTORS)
      problems.push(`${where}: ${field}Factors must be a list of 1 to ${MAX_SCALE_FACTORS} scales`);
    else if (!list.every(isScale))
      problems.push(`${where}: ${field}Factors must hold finite numbers >= 0 (got ${describeValue(list)})`);
  }
  return problems;
}
