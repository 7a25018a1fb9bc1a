/**
 * Compute resources of a task: layering (task > template > workflow > defaults), validation, parsing of
 * human units, scaling after a resource failure, and placement into cluster queues.
 */
import { createHash } from 'node:crypto';
import { BadUserInputError, canonicalJson, describeValue as describe } from '@jobmon/core';

export interface Resources {
  memoryMb?: number | null;
  cores?: number | null;
  runtimeSeconds?: number | null;
  queue?: string | null;
  extra?: Record<string, unknown> | null;
}

export interface ResolvedResources {
  memoryMb: number;
  cores: number;
  runtimeSeconds: number;
  queue: string | null;
  extra: Record<string, unknown>;
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

/** Longest list of per-failure factors. */
export const MAX_SCALE_FACTORS = 100;

export const DEFAULT_RESOURCES: Readonly<ResolvedResources> = Object.freeze({
  memoryMb: 1024,
  cores: 1,
  runtimeSeconds: 3600,
  queue: null,
  extra: Object.freeze({}),
});

export const DEFAULT_RESOURCE_SCALES: Readonly<{ memory: number; runtime: number }> = Object.freeze({
  memory: 0.5,
  runtime: 0.5,
});

/**
 * Layers resources: for each field the FIRST layer that sets it (non-null) wins, e.g.
 * mergeResources(task, template, workflow, DEFAULT_RESOURCES). `extra` is merged key by key with the same
 * precedence (a key set to null counts as set; only undefined does not). Fields no layer sets fall back
 * to DEFAULT_RESOURCES, so the result is always complete.
 */
export function mergeResources(...layers: (Resources | null | undefined)[]): ResolvedResources {
  const pick = <K extends keyof Resources>(field: K): Resources[K] | undefined => {
    for (const layer of layers) {
      const value = layer?.[field];
      if (value != null) return value;
    }
    return undefined;
  };
  const extra: [string, unknown][] = [];
  const seen = new Set<string>();
  for (const layer of layers) {
    const layerExtra = layer?.extra;
    if (layerExtra == null) continue;
    for (const key of Object.keys(layerExtra)) {
      const value = layerExtra[key];
      if (value !== undefined && !seen.has(key)) {
        seen.add(key);
        extra.push([key, value]);
      }
    }
  }
  return {
    memoryMb: pick('memoryMb') ?? DEFAULT_RESOURCES.memoryMb,
    cores: pick('cores') ?? DEFAULT_RESOURCES.cores,
    runtimeSeconds: pick('runtimeSeconds') ?? DEFAULT_RESOURCES.runtimeSeconds,
    queue: pick('queue') ?? null,
    // fromEntries defines own properties, so a `__proto__` key stays plain data.
    extra: Object.fromEntries(extra),
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const MAX_QUEUE_LENGTH = 255;

/** Problems with one resource layer, each prefixed with `where` (e.g. `task "fit-1"`). Null = not set. */
export function validateResources(r: Resources | null | undefined, where: string): string[] {
  if (r == null) return [];
  const problems: string[] = [];
  for (const field of ['memoryMb', 'cores', 'runtimeSeconds'] as const) {
    const value: unknown = r[field];
    // Safe integers only: anything larger cannot be stored or compared exactly.
    if (value != null && !(Number.isSafeInteger(value) && (value as number) > 0)) {
      problems.push(`${where}: ${field} must be a positive integer (got ${describe(value)})`);
    }
  }
  const queue: unknown = r.queue;
  if (queue != null) {
    if (typeof queue !== 'string' || queue.trim() === '') {
      problems.push(`${where}: queue must be a non-empty string (got ${describe(queue)})`);
    } else if (queue.length > MAX_QUEUE_LENGTH) {
      problems.push(`${where}: queue must be at most ${MAX_QUEUE_LENGTH} characters (got ${queue.length})`);
    }
  }
  if (r.extra != null && !isPlainObject(r.extra)) {
    problems.push(`${where}: extra must be a plain object (got ${describe(r.extra)})`);
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
      problems.push(`${where}: ${field} scale must be a finite number >= 0 (got ${describe(value)})`);
    }
    const list: unknown = s[`${field}Factors`];
    if (list == null) continue;
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_SCALE_FACTORS)
      problems.push(`${where}: ${field}Factors must be a list of 1 to ${MAX_SCALE_FACTORS} scales`);
    else if (!list.every(isScale))
      problems.push(`${where}: ${field}Factors must hold finite numbers >= 0 (got ${describe(list)})`);
  }
  return problems;
}

/**
 * The scale of the `failure`-th resource failure (1-based) of a task for one measure: the list's factor
 * for it (its last once used up), else the single factor, else the default. The one escalation rule.
 */
export function scaleFor(scales: ResourceScales, measure: 'memory' | 'runtime', failure: number): number {
  const list = scales[`${measure}Factors`];
  if (list && list.length) return list[Math.min(Math.max(failure, 1), list.length) - 1]!;
  return scales[measure] ?? DEFAULT_RESOURCE_SCALES[measure];
}

/** sha256 (hex) of the canonical JSON of the five resource fields, so equal resources share one row. */
export function resourcesHash(r: ResolvedResources): string {
  const { memoryMb, cores, runtimeSeconds, queue, extra } = r;
  return createHash('sha256')
    .update(canonicalJson({ memoryMb, cores, runtimeSeconds, queue, extra }))
    .digest('hex');
}

/** value * (1 + scale) rounded up, ignoring floating-point dust (3600 * 1.1 is 3960, not 3961). */
function scaleUp(value: number, scale: number): number {
  const exact = value * (1 + scale);
  const nearest = Math.round(exact);
  return Math.abs(exact - nearest) <= 1e-9 * Math.max(1, exact) ? nearest : Math.ceil(exact);
}

/**
 * Raises memory and/or runtime by (1 + scale) after the `failure`-th resource failure (scaleFor),
 * rounding up. An unset scale uses DEFAULT_RESOURCE_SCALES. Throws BadUserInputError for a negative or
 * non-finite scale (that would shrink the task).
 */
export function scaleResources(
  r: ResolvedResources,
  scales: ResourceScales,
  kind: 'memory' | 'runtime' | 'both',
  failure = 1,
): ResolvedResources {
  const problems = validateScales(scales, 'resource scales');
  if (problems.length > 0) throw new BadUserInputError(problems.join('; '), problems);
  const memoryScale = scaleFor(scales, 'memory', failure);
  const runtimeScale = scaleFor(scales, 'runtime', failure);
  return {
    ...r,
    memoryMb: kind === 'runtime' ? r.memoryMb : scaleUp(r.memoryMb, memoryScale),
    runtimeSeconds: kind === 'memory' ? r.runtimeSeconds : scaleUp(r.runtimeSeconds, runtimeScale),
    extra: { ...r.extra },
  };
}

/** Limits of a cluster queue; null/undefined means unbounded. */
export interface QueueBounds {
  name: string;
  minCores?: number | null;
  maxCores?: number | null;
  maxMemoryMb?: number | null;
  maxRuntimeSeconds?: number | null;
}

export function fitsQueue(r: ResolvedResources, q: QueueBounds): boolean {
  return (
    (q.minCores == null || r.cores >= q.minCores) &&
    (q.maxCores == null || r.cores <= q.maxCores) &&
    (q.maxMemoryMb == null || r.memoryMb <= q.maxMemoryMb) &&
    (q.maxRuntimeSeconds == null || r.runtimeSeconds <= q.maxRuntimeSeconds)
  );
}

export interface Placement {
  resources: ResolvedResources;
  queue: string;
  /** True when no queue fit and the resources were clamped to the last queue's bounds. */
  coerced: boolean;
}

/**
 * Picks the first queue the resources fit (the task's own queue, then the fallbacks, in the order given).
 * If none fits, clamps the resources to the LAST queue's bounds instead of failing the task.
 */
export function placeInQueues(r: ResolvedResources, queues: QueueBounds[]): Placement {
  const last = queues[queues.length - 1];
  if (last === undefined) throw new BadUserInputError('No queue to place the task in', ['no queue given']);
  for (const q of queues) {
    if (fitsQueue(r, q)) {
      return { resources: { ...r, queue: q.name, extra: { ...r.extra } }, queue: q.name, coerced: false };
    }
  }
  let cores = r.cores;
  if (last.minCores != null) cores = Math.max(cores, last.minCores);
  if (last.maxCores != null) cores = Math.min(cores, last.maxCores);
  return {
    resources: {
      ...r,
      cores,
      memoryMb: last.maxMemoryMb == null ? r.memoryMb : Math.min(r.memoryMb, last.maxMemoryMb),
      runtimeSeconds:
        last.maxRuntimeSeconds == null
          ? r.runtimeSeconds
          : Math.min(r.runtimeSeconds, last.maxRuntimeSeconds),
      queue: last.name,
      extra: { ...r.extra },
    },
    queue: last.name,
    coerced: true,
  };
}
