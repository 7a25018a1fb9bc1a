import fs from 'node:fs';
import path from 'node:path';
import { shellSubmission, shellTask, type SubmissionFixture } from '@jobmon/api/testing';
import { readLines, waitFor, type WorkflowView } from './e2e';

// The workload of the fault tests: a layered DAG of short shell commands, each of which writes its pid,
// then its name to started.log, sleeps, and appends its name to ended.log. So every start and every
// completed run of a command is visible on disk, whatever the server says. A task named in `hold` waits,
// instead of sleeping, until the test releases it (so that a test can kill it while it surely runs).

export interface FaultDag {
  keys: string[];
  /** The submission (unique workflowArgs). */
  input: SubmissionFixture;
  /** How many times each command started / ran to its end. */
  started(): Map<string, number>;
  ended(): Map<string, number>;
  /** The pid of the shell running command `key` (its latest start). */
  pidOf(key: string): number | undefined;
  /** Lets the held task `key` (and every later attempt of it) end. */
  release(key: string): void;
  /** Waits until at least `ended` commands have ended and at least `running` run now. */
  waitForProgress(ended: number, running: number, timeoutMs?: number): Promise<void>;
}

const count = (names: string[]) => {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
};

/**
 * `tasks` commands of `seconds` each in layers of `width`: each task after the first layer waits for
 * two tasks of the layer before it.
 */
export function faultDag(
  dir: string,
  options: { tasks?: number; width?: number; seconds?: number; hold?: string[] } = {},
): FaultDag {
  const tasks = options.tasks ?? 30;
  const width = options.width ?? 5;
  const pids = path.join(dir, 'pids');
  const held = path.join(dir, 'held');
  fs.mkdirSync(pids, { recursive: true });
  fs.mkdirSync(held, { recursive: true });
  for (const key of options.hold ?? []) fs.writeFileSync(path.join(held, key), '');
  fs.writeFileSync(
    path.join(dir, 'step.sh'),
    `echo $$ > ${pids}/"$1"; echo "$1" >> ${dir}/started.log\n` +
      `if [ -f ${held}/"$1" ]; then while [ -f ${held}/"$1" ]; do sleep 0.05; done; ` +
      `else sleep ${options.seconds ?? 0.5}; fi\n` +
      `echo "$1" >> ${dir}/ended.log\n`,
  );
  const keys = Array.from({ length: tasks }, (_, i) => `t${String(i).padStart(2, '0')}`);
  const dag = keys.map((key, i) => {
    const layerStart = Math.floor(i / width) * width;
    const upstream =
      layerStart === 0 ? [] : [keys[i - width]!, keys[layerStart - width + ((i + 1) % width)]!];
    return shellTask(key, 'step.sh', { upstream: [...new Set(upstream)] });
  });
  const started = () => count(readLines(path.join(dir, 'started.log')));
  const ended = () => count(readLines(path.join(dir, 'ended.log')));
  const total = (counts: Map<string, number>) => [...counts.values()].reduce((sum, n) => sum + n, 0);
  return {
    keys,
    input: shellSubmission(dir, dag),
    started,
    ended,
    release(key) {
      fs.rmSync(path.join(held, key), { force: true });
    },
    pidOf(key) {
      const text = fs.existsSync(path.join(pids, key)) ? fs.readFileSync(path.join(pids, key), 'utf8') : '';
      return text.trim() ? Number(text) : undefined;
    },
    async waitForProgress(endedAtLeast, runningAtLeast, timeoutMs = 60_000) {
      await waitFor(
        `${endedAtLeast} commands ended and ${runningAtLeast} running`,
        async () => {
          const done = total(ended());
          return done >= endedAtLeast && total(started()) - done >= runningAtLeast ? true : undefined;
        },
        timeoutMs,
      );
    },
  };
}

/**
 * What every fault test asserts at the end: the run is DONE with every task DONE, every command ran to
 * its end exactly once, and a command started more than once only for a task with as many attempts.
 * Returns the keys of the tasks that needed more than one attempt.
 */
export function expectRunIntact(dag: FaultDag, view: WorkflowView): string[] {
  const problems: string[] = [];
  if (view.status !== 'DONE') problems.push(`the workflow is ${view.status}`);
  const started = dag.started();
  const ended = dag.ended();
  const retried: string[] = [];
  for (const key of dag.keys) {
    const task = view.tasks[key];
    if (task?.status !== 'DONE') problems.push(`${key} is ${task?.status}`);
    if (ended.get(key) !== 1) problems.push(`${key} ran to its end ${ended.get(key) ?? 0} times`);
    const attempts = task?.instances.length ?? 0;
    if ((started.get(key) ?? 0) > attempts)
      problems.push(`${key} started ${started.get(key)} times in ${attempts} attempts`);
    if (attempts > 1) retried.push(key);
  }
  if (problems.length) {
    // Each attempt of the tasks concerned, to tell why.
    const concerned = [...new Set(problems.map((problem) => problem.split(' ')[0]!))];
    const attempts = concerned.flatMap((key) =>
      (view.tasks[key]?.instances ?? []).map(
        (i, n) => `${key} attempt ${n + 1}: ${i.status} ${i.errorKind ?? ''} ${i.errorMessage ?? ''}`,
      ),
    );
    throw new Error(`the run is not intact:\n  ${[...problems, ...attempts].join('\n  ')}`);
  }
  return retried;
}
