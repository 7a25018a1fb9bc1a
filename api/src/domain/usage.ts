/**
 * Resource usage figures and suggestions: pure rules (no I/O), shared by the GraphQL fields that give
 * percentiles of past usage and suggested resources.
 */

/**
 * The `p`-th percentile (0 < p ≤ 100) of `values` by the nearest-rank rule: the smallest value with at
 * least p % of the values at or below it. Null when there is no value: a missing measure is never a 0.
 */
export function percentile(sortedAscending: readonly number[], p: number): number | null {
  const n = sortedAscending.length;
  if (n === 0) return null;
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  return sortedAscending[rank - 1]!;
}

/** The measured values only (nulls dropped: a command with no measure has none), ascending. */
export const measuredAscending = (values: readonly (number | null | undefined)[]): number[] =>
  values
    .filter((value): value is number => typeof value === 'number' && Number.isFinite(value))
    .sort((a, b) => a - b);

/** Memory is suggested in steps of 256 MB up to this, of 1 GB (1024 MB) above. */
export const MEMORY_FINE_STEP_MB = 256;
export const MEMORY_FINE_UP_TO_MB = 4096;
export const MEMORY_COARSE_STEP_MB = 1024;
/** Runtime is suggested in whole minutes. */
export const RUNTIME_STEP_SECONDS = 60;
/** The default margin over the percentile. */
export const DEFAULT_HEADROOM = 1.2;

/** Rounds a memory figure up to the queue's granularity: 256 MB steps up to 4 GB, 1 GB steps above. */
export function roundMemoryUpMb(mb: number): number {
  if (mb <= 0) return MEMORY_FINE_STEP_MB;
  if (mb <= MEMORY_FINE_UP_TO_MB) return Math.ceil(mb / MEMORY_FINE_STEP_MB) * MEMORY_FINE_STEP_MB;
  return Math.ceil(mb / MEMORY_COARSE_STEP_MB) * MEMORY_COARSE_STEP_MB;
}

/** Rounds a runtime up to whole minutes (at least one). */
export function roundRuntimeUpSeconds(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / RUNTIME_STEP_SECONDS)) * RUNTIME_STEP_SECONDS;
}

export interface ResourceSuggestionFigures {
  memoryMb: number | null;
  runtimeSeconds: number | null;
}

/**
 * Suggested resources from a percentile of past usage: `value × headroom`, rounded up to the queue's
 * granularity (memory: 256 MB steps to 4 GB, then 1 GB; runtime: whole minutes). A measure with no
 * past value gives no suggestion (null), never a 0.
 */
export function suggestResources(
  usage: { maxRssMb: number | null; runtimeSeconds: number | null },
  headroom: number = DEFAULT_HEADROOM,
): ResourceSuggestionFigures {
  return {
    memoryMb: usage.maxRssMb === null ? null : roundMemoryUpMb(usage.maxRssMb * headroom),
    runtimeSeconds:
      usage.runtimeSeconds === null ? null : roundRuntimeUpSeconds(usage.runtimeSeconds * headroom),
  };
}

/** Keeps at most `cap` items, evenly spaced over the list (first and last kept): a bounded sample. */
export function evenSample<T>(items: readonly T[], cap: number): T[] {
  if (items.length <= cap) return [...items];
  if (cap <= 0) return [];
  if (cap === 1) return [items[0]!];
  const out: T[] = [];
  for (let i = 0; i < cap; i++) out.push(items[Math.round((i * (items.length - 1)) / (cap - 1))]!);
  return out;
}

/**
 * The number running over time from +1/-1 changes in time order: a step series (`running[i]` holds from
 * `at[i]` on), changes at the same instant merged, never below 0 (a change from RUNNING whose start is
 * older than what was read). Past `maxPoints` steps, consecutive steps are merged into buckets of equal
 * count keeping each bucket's highest value (peaks survive the reduction).
 */
export function concurrencySteps(
  changes: readonly { at: number; delta: number }[],
  maxPoints: number,
): { at: number[]; running: number[] } {
  const at: number[] = [];
  const running: number[] = [];
  let current = 0;
  for (const change of changes) {
    current = Math.max(0, current + change.delta);
    if (at.length && at[at.length - 1] === change.at) running[running.length - 1] = current;
    else {
      at.push(change.at);
      running.push(current);
    }
  }
  if (at.length <= maxPoints || maxPoints < 2) return { at, running };
  const size = Math.ceil(at.length / (maxPoints - 1));
  const outAt: number[] = [];
  const outRunning: number[] = [];
  for (let start = 0; start < at.length - 1; start += size) {
    const end = Math.min(start + size, at.length - 1);
    let peak = 0;
    for (let i = start; i < end; i++) peak = Math.max(peak, running[i]!);
    outAt.push(at[start]!);
    outRunning.push(peak);
  }
  // The last value (usually 0 once everything ended) stays as it is.
  outAt.push(at[at.length - 1]!);
  outRunning.push(running[running.length - 1]!);
  return { at: outAt, running: outRunning };
}
