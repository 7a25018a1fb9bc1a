import type { QueueInput } from '../../generated/graphql';

// What the Slurm backend reads from Slurm's command-line tools (scontrol, sacctmgr, sbatch, squeue,
// sacct), as pure functions: no process is started here (`commands.ts` does that), the sbatch command
// line is built in `sbatch-args.ts` and the outcome of an ended job decided in `outcome.ts`. Formats are
// those of Slurm 22.05 and later.

// ---------------------------------------------------------------------------------------------------
// Durations

/**
 * A Slurm duration (`MaxTime`, `TimeLimit`, sbatch `--time`) in seconds: `MM`, `MM:SS`, `HH:MM:SS`,
 * `D-HH`, `D-HH:MM`, `D-HH:MM:SS`. `UNLIMITED`, `INFINITE`, `NONE` and anything unreadable: null.
 */
export function parseSlurmDuration(text: string | undefined): number | null {
  if (!text) return null;
  const match = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const [, days, first, second, third] = match;
  const parts = [first, second, third].filter((part): part is string => part !== undefined).map(Number);
  let seconds: number;
  if (days !== undefined) {
    // With days the fields are hours[:minutes[:seconds]].
    const [hours = 0, minutes = 0, secs = 0] = parts;
    seconds = ((Number(days) * 24 + hours) * 60 + minutes) * 60 + secs;
  } else if (parts.length === 1) seconds = parts[0]! * 60;
  else if (parts.length === 2) seconds = parts[0]! * 60 + parts[1]!;
  else seconds = (parts[0]! * 60 + parts[1]!) * 60 + parts[2]!;
  return seconds;
}

// ---------------------------------------------------------------------------------------------------
// scontrol

/** `KEY=VALUE KEY=VALUE ...` of `scontrol show ... --oneliner` (values have no spaces there, except
 * a few free-text fields at the end, such as `Reason=`, which keep the rest of the line). */
export function parseKeyValues(line: string): Map<string, string> {
  const values = new Map<string, string>();
  const pattern = /(\w+(?:\/\w+)?)=(\S*)/g;
  for (const match of line.matchAll(pattern)) {
    const key = match[1]!;
    if (key === 'Reason' || key === 'Comment') {
      values.set(key, line.slice(match.index! + key.length + 1).trim());
      break;
    }
    values.set(key, match[2]!);
  }
  return values;
}

const oneliners = (output: string) =>
  output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map(parseKeyValues);

const limitNumber = (value: string | undefined): number | null => {
  if (!value || /^(UNLIMITED|INFINITE|NONE|N\/A|\(null\))$/i.test(value)) return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
};

export interface SlurmNode {
  name: string;
  cpus: number;
  realMemoryMb: number;
  partitions: string[];
  state: string;
}

/** `scontrol show node --oneliner`. */
export function parseNodes(output: string): SlurmNode[] {
  return oneliners(output)
    .filter((values) => values.has('NodeName'))
    .map((values) => ({
      name: values.get('NodeName')!,
      cpus: limitNumber(values.get('CPUTot')) ?? 1,
      realMemoryMb: limitNumber(values.get('RealMemory')) ?? 0,
      partitions: (values.get('Partitions') ?? '').split(',').filter(Boolean),
      state: values.get('State') ?? 'UNKNOWN',
    }));
}

export interface SlurmPartition {
  name: string;
  default: boolean;
  state: string;
  maxTimeSeconds: number | null;
  maxCpusPerNode: number | null;
  maxMemPerNodeMb: number | null;
  minNodes: number | null;
}

/** `scontrol show partition --oneliner`. */
export function parsePartitions(output: string): SlurmPartition[] {
  return oneliners(output)
    .filter((values) => values.has('PartitionName'))
    .map((values) => ({
      name: values.get('PartitionName')!,
      default: values.get('Default') === 'YES',
      state: values.get('State') ?? 'UP',
      maxTimeSeconds: parseSlurmDuration(values.get('MaxTime')),
      maxCpusPerNode: limitNumber(values.get('MaxCPUsPerNode')),
      maxMemPerNodeMb: limitNumber(values.get('MaxMemPerNode')),
      minNodes: limitNumber(values.get('MinNodes')),
    }));
}

/**
 * The queues a Slurm backend serves, one per partition, with the bounds a single-node job can have
 * there: cores and memory of its largest node (within MaxCPUsPerNode / MaxMemPerNode) and MaxTime.
 * `only` keeps the named partitions (in that order).
 */
export function queuesFromPartitions(
  partitions: readonly SlurmPartition[],
  nodes: readonly SlurmNode[],
  only?: readonly string[],
): QueueInput[] {
  const chosen = only?.length
    ? only.map((name) => {
        const partition = partitions.find((candidate) => candidate.name === name);
        if (!partition)
          throw new Error(
            `Slurm has no partition "${name}" (it has ${partitions.map((p) => p.name).join(', ') || 'none'})`,
          );
        return partition;
      })
    : partitions;
  return chosen.map((partition) => {
    const members = nodes.filter((node) => node.partitions.includes(partition.name));
    const cpus = Math.max(1, ...members.map((node) => node.cpus));
    const memory = Math.max(0, ...members.map((node) => node.realMemoryMb));
    const queue: QueueInput = {
      name: partition.name,
      minCores: 1,
      maxCores: partition.maxCpusPerNode === null ? cpus : Math.min(cpus, partition.maxCpusPerNode),
    };
    const maxMemory = partition.maxMemPerNodeMb ?? (memory > 0 ? memory : null);
    if (maxMemory !== null) queue.maxMemoryMb = Math.min(maxMemory, memory > 0 ? memory : maxMemory);
    if (partition.maxTimeSeconds !== null) queue.maxRuntimeSeconds = partition.maxTimeSeconds;
    return queue;
  });
}

/** `scontrol show config`: `Key = value` lines. */
export function parseConfig(output: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match = /^(\w+)\s+=\s+(.*)$/.exec(line.trim());
    if (match) values.set(match[1]!, match[2]!.trim());
  }
  return values;
}

/** The largest array index + 1 (`MaxArraySize`, default 1001): how many tasks one sbatch may carry. */
export function maxArraySizeOf(config: Map<string, string>): number {
  const value = Number(config.get('MaxArraySize'));
  return Number.isInteger(value) && value > 0 ? value : 1001;
}

/**
 * The smallest `MaxSubmitJobsPerUser`-like limit that applies, from `sacctmgr -nP show assoc ...
 * format=MaxSubmit` and `show qos ... format=MaxSubmitPU` (one number or nothing per line); null: none.
 */
export function parseSubmitLimit(...outputs: string[]): number | null {
  const limits = outputs
    .flatMap((output) => output.split('\n'))
    .flatMap((line) => line.split('|'))
    .map((value) => value.trim())
    .filter((value) => /^\d+$/.test(value))
    .map(Number)
    .filter((value) => value > 0);
  return limits.length ? Math.min(...limits) : null;
}

// ---------------------------------------------------------------------------------------------------
// sbatch

/** `sbatch --parsable` prints `jobid` or `jobid;cluster`. */
export function parseSbatchJobId(stdout: string): string {
  const line = stdout.trim().split('\n').pop()?.trim() ?? '';
  const id = line.split(';')[0]!;
  if (!/^\d+$/.test(id)) throw new Error(`sbatch printed no job id: "${stdout.trim().slice(0, 200)}"`);
  return id;
}

/** sbatch refused because the user has as many jobs as a limit allows: wait and submit again. */
export function isSubmitLimitError(message: string): boolean {
  return /MaxSubmit|AssocMaxSubmitJob|QOSMaxSubmitJob|job submit limit|MaxJobCount|Slurm temporarily unable to accept job/i.test(
    message,
  );
}

/** sbatch could not talk to slurmctld (busy, restarting): submit again later. */
export function isTransientSbatchError(message: string): boolean {
  return /Socket timed out|Unable to contact slurm controller|Connection refused|Resource temporarily unavailable|Zero Bytes were transmitted|slurm_persist_conn/i.test(
    message,
  );
}

/** The message of a failed Slurm command, without its `sbatch: error: ` prefixes. */
export function slurmErrorMessage(stderr: string, fallback: string): string {
  const text = stderr
    .split('\n')
    .map((line) => line.replace(/^\w+: (error|fatal): /, '').trim())
    .filter(Boolean)
    .join('; ');
  return text || fallback;
}

// ---------------------------------------------------------------------------------------------------
// squeue and sacct

/** Job states that are over (squeue keeps them for MinJobAge, sacct for good). */
export const ENDED_STATES = new Set([
  'COMPLETED',
  'FAILED',
  'TIMEOUT',
  'OUT_OF_MEMORY',
  'CANCELLED',
  'NODE_FAIL',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
  'REVOKED',
  'SPECIAL_EXIT',
]);

/** `squeue --array --states=all --noheader --format=%i|%T|%r`: state and reason per job id. */
export const SQUEUE_FORMAT = '%i|%T|%r';

export interface QueuedJob {
  state: string;
  reason: string;
}

/**
 * Expands a job id as squeue and sacct print it: `12_3` → [`12_3`]; a pending array not split yet,
 * `12_[4-6,9%2]` → [`12_4`, `12_5`, `12_6`, `12_9`]; a plain job `12` → [`12`].
 */
export function expandJobIds(id: string): string[] {
  const match = /^(\d+)_\[([^\]]+)\]$/.exec(id);
  if (!match) return [id];
  const [, jobId, ranges] = match;
  const ids: string[] = [];
  for (const part of ranges!.split('%')[0]!.split(',')) {
    const [from, to] = part.split('-').map(Number);
    if (from === undefined || !Number.isInteger(from)) continue;
    for (let index = from; index <= (to ?? from); index++) ids.push(`${jobId}_${index}`);
  }
  return ids;
}

export function parseSqueue(output: string): Map<string, QueuedJob> {
  const jobs = new Map<string, QueuedJob>();
  for (const line of output.split('\n')) {
    if (!line.trim()) continue;
    const [id = '', state = '', reason = ''] = line.trim().split('|');
    for (const jobId of expandJobIds(id)) jobs.set(jobId, { state: state.trim(), reason: reason.trim() });
  }
  return jobs;
}

/** `sacct --noheader --parsable2 --format=...` (steps listed too: MaxRSS is a step's measure). */
export const SACCT_FORMAT = 'JobID,State,ExitCode,Start,End,ElapsedRaw,NodeList,MaxRSS';

export interface AccountedJob {
  /** The first word of sacct's state (`CANCELLED by 0` → `CANCELLED`). */
  state: string;
  /** Who cancelled it (the uid of `CANCELLED by 0`). */
  cancelledBy: string | null;
  exitCode: number | null;
  /** The signal that ended the job's script, if any. */
  signal: number | null;
  start: Date | null;
  end: Date | null;
  elapsedSeconds: number | null;
  nodeList: string | null;
  /** The largest MaxRSS of its steps (MiB); null when no step has one. */
  maxRssMb: number | null;
}

/** sacct's MaxRSS (`204800K`, `12.5M`, `1.5G`, a bare number of KiB) in MiB; null when empty. */
export function parseSacctMemoryMb(value: string | undefined): number | null {
  const match = /^([\d.]+)([KMGT]?)$/i.exec(value?.trim() ?? '');
  if (!match) return null;
  const scale = { '': 1 / 1024, K: 1 / 1024, M: 1, G: 1024, T: 1024 * 1024 }[match[2]!.toUpperCase()] ?? 1;
  return Math.round(Number(match[1]) * scale * 10) / 10;
}

const sacctDate = (value: string | undefined): Date | null => {
  if (!value || /^(Unknown|None)$/i.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

export function parseSacct(output: string): Map<string, AccountedJob> {
  const jobs = new Map<string, AccountedJob>();
  const stepRss = new Map<string, number>();
  for (const line of output.split('\n')) {
    if (!line.trim()) continue;
    const [id = '', stateText = '', exit = '', start, end, elapsed, nodeList, maxRss] = line
      .trim()
      .split('|');
    if (id.includes('.')) {
      // A step (`.batch`, `.extern`): the allocation's line says the rest; its MaxRSS is the job's.
      const rss = parseSacctMemoryMb(maxRss);
      const job = id.slice(0, id.indexOf('.'));
      if (rss !== null) stepRss.set(job, Math.max(stepRss.get(job) ?? 0, rss));
      continue;
    }
    const [state = '', , cancelledBy] = stateText.trim().split(/\s+/);
    const [code, signal] = exit.split(':').map((part) => (part === '' ? null : Number(part)));
    const job: AccountedJob = {
      state,
      cancelledBy: cancelledBy ?? null,
      exitCode: code ?? null,
      signal: signal ?? null,
      start: sacctDate(start),
      end: sacctDate(end),
      elapsedSeconds: elapsed && /^\d+$/.test(elapsed) ? Number(elapsed) : null,
      nodeList: nodeList && nodeList !== 'None assigned' ? nodeList : null,
      maxRssMb: null,
    };
    // sacct lists a job once per requeue; the last line is the newest.
    for (const jobId of expandJobIds(id)) jobs.set(jobId, { ...job });
  }
  for (const [jobId, rss] of stepRss) {
    const job = jobs.get(jobId);
    if (job) job.maxRssMb = rss;
  }
  return jobs;
}

/** `12_3` → `12` (what squeue/sacct/scancel take for a whole array). */
export const arrayJobIdOf = (jobId: string) => jobId.split('_')[0]!;
