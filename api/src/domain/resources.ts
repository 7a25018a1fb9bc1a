/**
 * Compute resources of a task: layering (task > template > workflow > defaults), scaling after a resource
 * failure, and placement into cluster queues. What a valid value is, is the core's rule (@jobmon/core).
 */
import { createHash } from 'node:crypto';
import {
  BadUserInputError,
  canonicalJson,
  DEFAULT_RESOURCE_SCALES,
  validateScales,
  type Resources,
  type ResourceScales,
} from '@jobmon/core';

export interface ResolvedResources {
  memoryMb: number;
  cores: number;
  runtimeSeconds: number;
  queue: string | null;
  extra: Record<string, unknown>;
}

export const DEFAULT_RESOURCES: Readonly<ResolvedResources> = Object.freeze({
  memoryMb: 1024,
  cores: 1,
  runtimeSeconds: 3600,
  queue: null,
  extra: Object.freeze({}),
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
