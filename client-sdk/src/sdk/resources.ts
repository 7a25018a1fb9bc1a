import { parseMemory, parseRuntime, validateResources } from '@jobmon/core';
import type { ResourceScalesInput, ResourcesInput } from '../generated/graphql';
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

/** MiB from a number of MiB or a string such as "8G", "512M", "512MB", "1.5GiB", "2048" (the server's rule). */
export const parseMemoryMb: (value: number | string) => number = parseMemory;

/** Seconds from a number of seconds or a string: "2h", "90m", "1h30m", "45s", "1d", "HH:MM:SS", "D-HH:MM:SS". */
export const parseRuntimeSeconds: (value: number | string) => number = parseRuntime;

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
    // The core's rule (held to core/conformance/resources.json), with this SDK's message.
    if (validateResources({ cores: s.cores }, where).length > 0)
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

/** Resource scales as SDK users write them: a number, or a list of factors (one per resource failure). */
export type ResourceScalesSpec =
  ResourceScalesInput | { memory?: number | readonly number[]; runtime?: number | readonly number[] };

/** The ResourceScalesInput of a spec: a list becomes memoryFactors/runtimeFactors (the server's escalation). */
export function toResourceScalesInput(spec: ResourceScalesSpec | undefined): ResourceScalesInput | undefined {
  if (!spec) return undefined;
  const out: ResourceScalesInput = { ...(spec as ResourceScalesInput) };
  for (const measure of ['memory', 'runtime'] as const) {
    const value: unknown = (spec as Record<string, unknown>)[measure];
    if (Array.isArray(value)) {
      delete out[measure];
      out[`${measure}Factors`] = [...(value as number[])];
    }
  }
  return out;
}
