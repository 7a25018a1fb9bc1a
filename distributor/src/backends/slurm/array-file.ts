import fs from 'node:fs';
import path from 'node:path';
import type { FinishedReport } from '../../backend';

// The file that maps the elements of one Slurm job array to their task instances. The distributor
// writes it before sbatch; each array element's `jobmon-worker --array-file FILE` reads its own entry
// (SLURM_ARRAY_TASK_ID) and runs that instance. It must be on a file system that the compute nodes see
// (the log directory: jobs write their output there too).

export const ARRAY_FILE_VERSION = 1;

/** One array element: what `jobmon-worker` needs to run and report one instance. */
export interface ArrayFileTask {
  taskInstanceId: string;
  workflowId: string;
  taskId: string;
  command: string;
  /** The attempt's nonce: the worker writes it into the exit file and its report file. */
  nonce: string;
  /** The worker's memory limit (MiB). */
  memoryMb: number | null;
  /** The worker's runtime limit (s); null: none (Slurm's --time alone, or no runtime asked). */
  runtimeSeconds: number | null;
  /**
   * The attempt's own credential (reports on this attempt only): the worker reports with it; the job
   * never gets the distributor's token. Absent from files of older distributors.
   */
  reportToken?: string | null;
}

export interface ArrayFile {
  version: number;
  serverUrl: string;
  logDir: string;
  heartbeatSeconds: number | null;
  /** Whether the worker kills the command over its memoryMb (false: Slurm's cgroup alone does). */
  enforceMemory: boolean;
  tasks: ArrayFileTask[];
}

export function writeArrayFile(file: string, content: ArrayFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written whole before sbatch: a job never sees half a file.
  const partial = `${file}.${process.pid}.tmp`;
  // Readable by the distributor's user only: it holds the attempts' credentials.
  fs.writeFileSync(partial, JSON.stringify(content), { mode: 0o600 });
  fs.renameSync(partial, file);
}

// The submission journal: next to each submitted array file, `<name>.jobid` holds the array's Slurm job
// id (written right after sbatch). Together they say which job runs which instance, for an adopter whose
// server never received the launch report. Both are deleted once the array's instances are all reported.

/** The job id file of an array file. */
export function arrayJobIdPath(arrayFile: string): string {
  return arrayFile.replace(/\.json$/, '') + '.jobid';
}

export function writeArrayJobId(arrayFile: string, arrayJobId: string): void {
  const file = arrayJobIdPath(arrayFile);
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, `${arrayJobId}\n`);
  fs.renameSync(partial, file);
}

/** Deletes an array file and its job id file (those that exist). */
export function removeArrayFiles(arrayFile: string): void {
  fs.rmSync(arrayJobIdPath(arrayFile), { force: true });
  fs.rmSync(arrayFile, { force: true });
}

export interface SubmittedArray {
  arrayFile: string;
  arrayJobId: string;
  /** The instance of each element, by index. */
  instanceIds: string[];
  /** The attempt's nonce of each element, by index. */
  nonces: string[];
}

/** Every submitted array of a state directory (`<log-dir>/slurm`) that has a job id file. */
export function readSubmittedArrays(stateDir: string): SubmittedArray[] {
  const dir = path.join(stateDir, 'arrays');
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const arrays: SubmittedArray[] = [];
  for (const name of names) {
    if (!name.endsWith('.jobid')) continue;
    const arrayFile = path.join(dir, name.replace(/\.jobid$/, '.json'));
    try {
      const arrayJobId = fs.readFileSync(path.join(dir, name), 'utf8').trim();
      const content = JSON.parse(fs.readFileSync(arrayFile, 'utf8')) as ArrayFile;
      if (!/^\d+$/.test(arrayJobId)) continue;
      arrays.push({
        arrayFile,
        arrayJobId,
        instanceIds: content.tasks.map((task) => String(task.taskInstanceId)),
        nonces: content.tasks.map((task) => String(task.nonce ?? '')),
      });
    } catch {
      // Deleted meanwhile (its array is over), or unreadable: it names no job to adopt.
    }
  }
  return arrays;
}

/** The entry of array element `index`; throws with a clear message when there is none. */
export function readArrayFileTask(file: string, index: number): { file: ArrayFile; task: ArrayFileTask } {
  const content = JSON.parse(fs.readFileSync(file, 'utf8')) as ArrayFile;
  if (content.version !== ARRAY_FILE_VERSION)
    throw new Error(
      `${file}: array file version ${content.version}, this worker reads ${ARRAY_FILE_VERSION}`,
    );
  const task = content.tasks[index];
  if (!task) throw new Error(`${file}: no task at array index ${index} (it has ${content.tasks.length})`);
  return { file: content, task };
}

/** The worker's finished report, next to the command's logs (`<logDir>/<workflowId>/<id>.report.json`). */
export function reportFilePath(exitPath: string): string {
  return exitPath.replace(/\.exit$/, '') + '.report.json';
}

/**
 * Writes the worker's finished report with its attempt's nonce (atomically: the distributor never reads
 * half of it).
 */
export function writeReportFile(file: string, report: FinishedReport, nonce: string): void {
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, JSON.stringify({ nonce, report }));
  fs.renameSync(partial, file);
}

/** The worker's finished report, if it wrote one for the attempt of this nonce (another's is ignored). */
export function readReportFile(file: string, nonce: string): FinishedReport | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const content = JSON.parse(text) as { nonce?: unknown; report?: FinishedReport };
    return nonce !== '' && content.nonce === nonce ? content.report : undefined;
  } catch {
    return undefined;
  }
}

/** The batch script of every array: the worker reads its element from the array file. */
export function jobScript(workerCommand: readonly string[], arrayFile: string): string {
  const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
  return [
    '#!/bin/sh',
    '# jobmon: one task instance per array element (see the array file).',
    `exec ${workerCommand.map(quote).join(' ')} --array-file ${quote(arrayFile)} --array-index "$SLURM_ARRAY_TASK_ID"`,
    '',
  ].join('\n');
}
