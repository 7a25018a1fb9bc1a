// The sbatch command line of a job array, from what the backend decided to submit (pure functions).

/** Seconds as sbatch's `--time` (`D-HH:MM:SS`); Slurm rounds it up to whole minutes. */
export function formatSlurmDuration(totalSeconds: number): string {
  const seconds = Math.max(1, Math.ceil(totalSeconds));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const secs = seconds % 60;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${days}-${pad(hours)}:${pad(minutes)}:${pad(secs)}`;
}

/** What one sbatch of an array carries (the same resources for every element). */
export interface ArraySubmission {
  jobName: string;
  partition: string | null;
  /** MiB for the whole job (the command's request plus the worker's own). */
  memoryMb: number | null;
  cores: number | null;
  /** sbatch --time, in seconds. */
  timeLimitSeconds: number | null;
  /** How many elements. */
  size: number;
  /** Elements running at once (`%N`), or null for no throttle. */
  throttle: number | null;
  stdoutPattern: string;
  stderrPattern: string;
  /** `resources.extra` (account, constraint, qos, reservation, ...; see `extraFlags`). */
  extra: Record<string, unknown> | null | undefined;
}

/**
 * Turns `resources.extra` into sbatch flags. Known keys: `account`, `constraint` (or `constraints`,
 * a string or a list joined with `&`), `qos`, `reservation`, `exclusive` (true), `gres`, `nodelist`,
 * `exclude`; `sbatchArgs` (a list of raw flags) goes through as it is; `arrayThrottle` is the `%N` of
 * `--array` (see `arrayThrottleOf`). Other keys are ignored (they may belong to other backends).
 */
export function extraFlags(extra: Record<string, unknown> | null | undefined): string[] {
  if (!extra) return [];
  const flags: string[] = [];
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
  const simple: [string, string][] = [
    ['account', '--account'],
    ['qos', '--qos'],
    ['reservation', '--reservation'],
    ['gres', '--gres'],
    ['nodelist', '--nodelist'],
    ['exclude', '--exclude'],
  ];
  for (const [key, flag] of simple) {
    const value = text(extra[key]);
    if (value) flags.push(`${flag}=${value}`);
  }
  const constraint = extra.constraint ?? extra.constraints;
  if (Array.isArray(constraint) && constraint.length)
    flags.push(`--constraint=${constraint.map(String).join('&')}`);
  else if (text(constraint)) flags.push(`--constraint=${text(constraint)}`);
  if (extra.exclusive === true) flags.push('--exclusive');
  if (Array.isArray(extra.sbatchArgs)) flags.push(...extra.sbatchArgs.map(String));
  return flags;
}

/** `extra.arrayThrottle`: how many elements of one array may run at once (sbatch `--array=...%N`). */
export function arrayThrottleOf(extra: Record<string, unknown> | null | undefined): number | null {
  const value = Number(extra?.arrayThrottle);
  return Number.isInteger(value) && value > 0 ? value : null;
}

/**
 * The `%N` of one array of `size` elements: the smallest of its instances' concurrency limits (the
 * workflow's and template's maxConcurrentlyRunning, as claimed) and `extra.arrayThrottle`, never more
 * than `size`; null when nothing limits it (no `%`). A limit of 0 (a paused workflow) does not apply to
 * instances claimed before the pause, as on every other backend.
 */
export function arrayThrottle(
  size: number,
  concurrencyLimits: readonly (number | null | undefined)[],
  extra: Record<string, unknown> | null | undefined,
): number | null {
  const limits = [...concurrencyLimits, arrayThrottleOf(extra)].filter(
    (limit): limit is number => typeof limit === 'number' && Number.isInteger(limit) && limit > 0,
  );
  return limits.length ? Math.min(size, ...limits) : null;
}

/** The sbatch command line of one array (the job script comes on stdin). */
export function sbatchArgs(submission: ArraySubmission): string[] {
  if (submission.size < 1) throw new Error('an array needs at least one element');
  const args = [
    '--parsable',
    `--job-name=${submission.jobName}`,
    `--array=0-${submission.size - 1}${submission.throttle ? `%${submission.throttle}` : ''}`,
    `--output=${submission.stdoutPattern}`,
    `--error=${submission.stderrPattern}`,
    // Jobmon retries an attempt itself (a new attempt, a new job): Slurm must not run it again.
    '--no-requeue',
    '--nodes=1',
    '--ntasks=1',
  ];
  if (submission.partition) args.push(`--partition=${submission.partition}`);
  if (submission.cores) args.push(`--cpus-per-task=${submission.cores}`);
  if (submission.memoryMb) args.push(`--mem=${Math.ceil(submission.memoryMb)}M`);
  if (submission.timeLimitSeconds) args.push(`--time=${formatSlurmDuration(submission.timeLimitSeconds)}`);
  args.push(...extraFlags(submission.extra));
  return args;
}

/** Splits `count` elements into arrays of at most `maxArraySize`: [start, size] pairs. */
export function arrayChunks(count: number, maxArraySize: number): [number, number][] {
  const chunks: [number, number][] = [];
  const size = Math.max(1, maxArraySize);
  for (let start = 0; start < count; start += size) chunks.push([start, Math.min(size, count - start)]);
  return chunks;
}
