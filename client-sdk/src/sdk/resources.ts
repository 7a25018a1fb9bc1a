import type { ResourcesInput } from '../generated/graphql';
import { WorkflowDefinitionError } from './errors';

/**
 * Compute resources as SDK users write them: memory in MiB or as "8G" / "512M" / "1.5T", runtime in
 * seconds or as "2h" / "90m" / "1h30m" / "HH:MM:SS" / "D-HH:MM:SS". `memory` and `runtime` are aliases of
 * `memoryMb` and `runtimeSeconds`.
 */
export interface ResourceSpec {
  memoryMb?: number | string;
  memory?: number | string;
  cores?: number;
  runtimeSeconds?: number | string;
  runtime?: number | string;
  queue?: string;
  extra?: Record<string, unknown>;
}

const MEMORY_UNITS: Record<string, number> = { k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 };

/** MiB from a number of MiB or a string such as "8G", "512M", "512MB", "1.5GiB", "2048". */
export function parseMemoryMb(value: number | string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) throw new Error(`invalid memory ${value}: must be positive`);
    return Math.ceil(value);
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:([kKmMgGtT])(?:i?[bB])?)?\s*$/.exec(value);
  if (!match) throw new Error(`invalid memory "${value}": use MiB or a size such as "8G" or "512M"`);
  const amount = Number(match[1]) * MEMORY_UNITS[(match[2] ?? 'm').toLowerCase()]!;
  if (amount <= 0) throw new Error(`invalid memory "${value}": must be positive`);
  return Math.ceil(amount);
}

const TIME_UNITS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 };

/** Seconds from a number of seconds or a string: "2h", "90m", "1h30m", "45s", "1d", "HH:MM:SS", "D-HH:MM:SS". */
export function parseRuntimeSeconds(value: number | string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) throw new Error(`invalid runtime ${value}: must be positive`);
    return Math.ceil(value);
  }
  const text = value.trim();
  let seconds: number | undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) seconds = Number(text);
  else if (/^(?:\d+-)?\d+(?::\d{1,2}){1,2}$/.test(text)) {
    // [D-]HH:MM:SS or MM:SS (Slurm's forms; "1:30" is one minute thirty).
    const [daysPart, clock] = text.includes('-') ? text.split('-') : ['0', text];
    const parts = clock!.split(':').map(Number);
    while (parts.length < 3) parts.unshift(0);
    const [h, m, s] = parts as [number, number, number];
    if (m >= 60 || s >= 60)
      throw new Error(`invalid runtime "${value}": minutes and seconds must be below 60`);
    seconds = Number(daysPart) * 86_400 + h * 3_600 + m * 60 + s;
  } else if (/^(?:\d+(?:\.\d+)?\s*[dhms]\s*)+$/i.test(text)) {
    seconds = 0;
    for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)\s*([dhms])/gi))
      seconds += Number(amount) * TIME_UNITS[unit!.toLowerCase()]!;
  }
  if (seconds === undefined)
    throw new Error(`invalid runtime "${value}": use seconds, "2h", "90m", "1h30m" or "HH:MM:SS"`);
  if (seconds <= 0) throw new Error(`invalid runtime "${value}": must be positive`);
  return Math.ceil(seconds);
}

/** The GraphQL ResourcesInput of a spec; errors name `where` (a task or template). */
export function toResourcesInput(
  spec: ResourceSpec | ResourcesInput | null | undefined,
  where: string,
): ResourcesInput | undefined {
  if (spec === null || spec === undefined) return undefined;
  const s = spec as ResourceSpec;
  const problems: string[] = [];
  const out: ResourcesInput = {};
  const attempt = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  };
  const memory = s.memoryMb ?? s.memory;
  if (memory !== undefined && memory !== null) attempt(() => (out.memoryMb = parseMemoryMb(memory)));
  if (s.cores !== undefined && s.cores !== null) {
    if (!Number.isInteger(s.cores) || s.cores < 1)
      problems.push(`${where}: invalid cores ${String(s.cores)}: must be a positive integer`);
    else out.cores = s.cores;
  }
  const runtime = s.runtimeSeconds ?? s.runtime;
  if (runtime !== undefined && runtime !== null)
    attempt(() => (out.runtimeSeconds = parseRuntimeSeconds(runtime)));
  if (s.queue !== undefined && s.queue !== null) out.queue = s.queue;
  if (s.extra !== undefined && s.extra !== null) out.extra = s.extra;
  if (problems.length) throw new WorkflowDefinitionError(problems.join('; '), problems);
  return out;
}
