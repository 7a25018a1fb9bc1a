import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  shellSubmission,
  shellTask,
  testDialects,
  type SubmissionFixture,
  type TaskFixture,
} from '@jobmon/api/testing';
import { createSlurmBackend, startDistributor, type SlurmBackend } from '@jobmon/distributor';
import { JobmonClient, Tool } from '@jobmon/client-sdk';
import { waitFor } from './testing/e2e';
import { startLocalStack, type LocalStack } from './testing/local-stack';
import { JOBMON_CLI, startJobmonServer, terminate, type JobmonServerProcess } from './testing/processes';

// The `slurm` backend on a real Slurm (scripts/slurm/up.sh: one node, partitions `short` with a
// 2-minute limit and `long`): a real API server, a distributor with the Slurm backend, jobs that run
// jobmon-worker, and the outcomes seen through the server and squeue. One stack per database, the
// tests in order. Without Slurm they skip, except under CI=true, where they fail.

const slurmProbe = spawnSync('sinfo', ['--noheader', '--format=%P'], { encoding: 'utf8' });
const slurmUp = slurmProbe.status === 0 && slurmProbe.stdout.includes('short');
const slurmMissing = slurmUp
  ? ''
  : `no usable Slurm (sinfo: ${slurmProbe.error?.message ?? (slurmProbe.stderr || slurmProbe.stdout).trim()}); ` +
    'start one with `bash scripts/slurm/up.sh` (docs/slurm.md)';

if (!slurmUp && process.env.CI !== 'true') console.warn(`Skipping the Slurm tests: ${slurmMissing}`);

interface InstanceView {
  status: string;
  backendJobId: string | null;
  errorKind: string | null;
  errorMessage: string | null;
  resources: { queue: string | null; memoryMb: number | null; runtimeSeconds: number | null };
}
interface TaskView {
  key: string;
  status: string;
  instances: InstanceView[];
}

const SUBMIT = `mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }`;
const VIEW = `query($id: ID!) { workflow(id: $id) { status
  tasks(first: 100) { nodes { key status instances { status backendJobId errorKind errorMessage
    resources { queue memoryMb runtimeSeconds } } } } } }`;
const TERMINAL = new Set(['DONE', 'FAILED', 'HALTED']);

/** A one-line summary of a workflow's tasks for failure messages. */
function describeView(current: { status: string; tasks: Record<string, TaskView> } | undefined): string {
  if (!current) return 'nothing';
  const unfinished = Object.values(current.tasks)
    .filter((task) => task.status !== 'DONE')
    .map(
      (task) =>
        `${task.key}:${task.status}[${task.instances
          .map(
            (i) =>
              `${i.status}${i.backendJobId ? `@${i.backendJobId}` : ''}${i.errorKind ? `/${i.errorKind}` : ''}`,
          )
          .join(',')}]`,
    );
  return `${current.status}, not DONE: ${unfinished.join(' ') || 'none'}`;
}

/** The ids of the user's jobs that squeue lists as pending or running. */
function liveSlurmJobs(): Set<string> {
  const result = spawnSync('squeue', ['--noheader', '--array', '--format=%i'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`squeue failed: ${result.stderr}`);
  return new Set(
    result.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  );
}

/** The `%N` of each element of a job array, as slurmctld keeps it (scontrol knows ended jobs for MinJobAge). */
function arrayThrottles(arrayJobId: string): number[] {
  const result = spawnSync('scontrol', ['show', 'job', '--oneliner', arrayJobId], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`scontrol show job ${arrayJobId} failed: ${result.stderr}`);
  return [...result.stdout.matchAll(/\bArrayTaskThrottle=(\d+)/g)].map((match) => Number(match[1]));
}

/** The final state of a job as sacct records it (`TIMEOUT`, `COMPLETED`, ...). */
function accountedState(jobId: string): string {
  const result = spawnSync(
    'sacct',
    ['--noheader', '--parsable2', '--allocations', '--format=State', `--jobs=${jobId}`],
    {
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`sacct failed: ${result.stderr}`);
  return result.stdout.trim().split('\n')[0]?.split(' ')[0] ?? '';
}

/** Whether Slurm itself ends jobs over their --mem (task/cgroup with ConstrainRAMSpace). */
const slurmEnforcesMemory =
  slurmUp &&
  /^TaskPlugin\s*=.*cgroup/m.test(
    spawnSync('scontrol', ['show', 'config'], { encoding: 'utf8' }).stdout ?? '',
  );

const describeSlurm = slurmUp || process.env.CI === 'true' ? describe : describe.skip;

// One dialect after the other, in the SQLite project: the two at once would not fit Slurm's 4 CPUs.
describeSlurm.each(testDialects({ inOneFile: true }))('the slurm backend on a real Slurm [%s]', (dialect) => {
  let stack: LocalStack;
  let backend: SlurmBackend;
  let jobmon: JobmonClient;
  let dir: string;

  const gql = (query: string, variables: Record<string, unknown> = {}) =>
    jobmon.query<Record<string, unknown>, Record<string, unknown>>(query, variables);
  const script = (name: string, body: string) => fs.writeFileSync(path.join(dir, name), body);
  const submit = async (tasks: TaskFixture[], extra: Partial<SubmissionFixture> = {}) => {
    const input = shellSubmission(dir, tasks, { tool: 'slurm-e2e', ...extra });
    const data = (await gql(SUBMIT, { input })) as { submitWorkflow: { workflow: { id: string } } };
    return data.submitWorkflow.workflow.id;
  };
  const task = shellTask;
  const view = async (id: string) => {
    const data = (await gql(VIEW, { id })) as { workflow: { status: string; tasks: { nodes: TaskView[] } } };
    return {
      status: data.workflow.status,
      tasks: Object.fromEntries(data.workflow.tasks.nodes.map((node) => [node.key, node])),
    };
  };
  /** Waits until the workflow's view satisfies `done`; on timeout says where it stood. */
  const untilView = async (
    id: string,
    what: string,
    done: (current: Awaited<ReturnType<typeof view>>) => boolean,
    timeoutMs: number,
  ) => {
    let last: Awaited<ReturnType<typeof view>> | undefined;
    try {
      return await waitFor(
        what,
        async () => {
          last = await view(id);
          return done(last) ? last : undefined;
        },
        timeoutMs,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}; last seen: ${describeView(last)}`);
    }
  };
  const finalView = (id: string, timeoutMs: number) =>
    untilView(id, `workflow ${id} to end`, (current) => TERMINAL.has(current.status), timeoutMs);
  const allRunning = (id: string, count: number) =>
    waitFor(
      `${count} tasks of workflow ${id} to run`,
      async () => {
        const current = await view(id);
        const running = Object.values(current.tasks).filter((t) => t.instances.at(-1)?.status === 'RUNNING');
        return running.length === count ? current : undefined;
      },
      60_000,
    );

  beforeAll(async () => {
    if (!slurmUp) throw new Error(`CI=true and ${slurmMissing}`);
    stack = await startLocalStack(dialect, 'slurm', {
      backend: async ({ serverUrl, logDir }) =>
        (backend = await createSlurmBackend({ serverUrl, logDir, pollIntervalMs: 500, heartbeatSeconds: 1 })),
    });
    dir = stack.dir;
    jobmon = new JobmonClient({ serverUrl: stack.server.url });
    script('ok.sh', 'echo "ran $1"\n');
    script('sleep.sh', 'sleep "${SLEEP:-300}"\n');
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('runs a 20-task DAG to DONE, each task a Slurm array element', async () => {
    // Four layers of five; each task of a layer depends on the task with the same index above.
    const tasks = Array.from({ length: 20 }, (_, i) =>
      task(`t${i}`, 'ok.sh', i >= 5 ? { upstream: [`t${i - 5}`] } : {}),
    );
    const id = await submit(tasks);
    const result = await finalView(id, 150_000);
    expect(result.status).toBe('DONE');
    for (const current of Object.values(result.tasks)) {
      expect(current.status).toBe('DONE');
      expect(current.instances).toHaveLength(1);
      expect(current.instances[0]!.backendJobId).toMatch(/^\d+_\d+$/);
    }
  }, 180_000);

  // 16 tasks: more than any claim or array chunk smaller than the defaults would carry at once, and each
  // element starts a worker process (50 took 2 minutes on a loaded machine).
  it('sends 16 ready tasks of one template as ONE job array', async () => {
    const before = backend.calls.sbatch ?? 0;
    const retriedBefore = backend.calls['sbatch retried'] ?? 0;
    const id = await submit(Array.from({ length: 16 }, (_, i) => task(`a${i}`, 'ok.sh')));
    const result = await finalView(id, 150_000);
    expect(result.status).toBe('DONE');
    const jobIds = Object.values(result.tasks).map((current) => current.instances[0]!.backendJobId!);
    const arrays = new Set(jobIds.map((jobId) => jobId.split('_')[0]));
    expect(arrays.size).toBe(1);
    expect(new Set(jobIds.map((jobId) => jobId.split('_')[1])).size).toBe(16);
    // One sbatch, and more only when slurmctld refused one for a moment (busy, timed out) and it was made
    // again: a refused sbatch makes no job.
    const retried = (backend.calls['sbatch retried'] ?? 0) - retriedBefore;
    expect((backend.calls.sbatch ?? 0) - before - retried).toBe(1);
  }, 180_000);

  it("puts the workflow's concurrency limit on each job array as its %N throttle", async () => {
    const id = await submit(
      Array.from({ length: 6 }, (_, i) => task(`c${i}`, 'ok.sh')),
      { maxConcurrentlyRunning: 2 },
    );
    const result = await finalView(id, 120_000);
    expect(result.status).toBe('DONE');
    const jobIds = Object.values(result.tasks).map((current) => current.instances[0]!.backendJobId!);
    const sizes = new Map<string, number>();
    for (const jobId of jobIds) {
      const arrayJobId = jobId.split('_')[0]!;
      sizes.set(arrayJobId, (sizes.get(arrayJobId) ?? 0) + 1);
    }
    // The claims hand out two tasks at a time, so no array has more than two elements; each carries
    // `%min(2, its size)`, as slurmctld recorded it.
    for (const [arrayJobId, size] of sizes) {
      const recorded = arrayThrottles(arrayJobId);
      expect(recorded).toHaveLength(size);
      expect(new Set(recorded)).toEqual(new Set([Math.min(2, size)]));
    }
    // The first claim takes two tasks at once: an `--array=0-1%2`.
    expect(Math.max(...sizes.values())).toBe(2);
  }, 150_000);

  it('reports a submission that sbatch refuses as NO_DISTRIBUTOR_ID with its message', async () => {
    const id = await submit([
      task('refused', 'ok.sh', { maxAttempts: 1, resources: { extra: { constraint: 'no-such-feature' } } }),
    ]);
    const result = await finalView(id, 60_000);
    expect(result.status).toBe('FAILED');
    const [instance] = result.tasks.refused!.instances;
    expect(instance!.status).toBe('NO_DISTRIBUTOR_ID');
    expect(instance!.errorMessage).toMatch(/feature/i);
  }, 90_000);

  it('times a task out on `short`, raises its runtime past the partition and succeeds on `long`', async () => {
    script('slow.sh', 'sleep 15\n');
    const id = await submit([
      task('slow', 'slow.sh', {
        maxAttempts: 3,
        resources: { queue: 'short', runtimeSeconds: 10 },
        // 10 s × 13 = 130 s: over short's 2 minutes, so the fallback queue takes it.
        resourceScales: { runtime: 12 },
        fallbackQueues: ['long'],
      }),
    ]);
    const result = await finalView(id, 150_000);
    expect(result.status).toBe('DONE');
    const attempts = result.tasks.slow!.instances;
    expect(attempts.map((i) => [i.status, i.errorKind, i.resources.queue])).toEqual([
      ['RESOURCE_ERROR', 'TIMEOUT', 'short'],
      ['DONE', null, 'long'],
    ]);
    expect(attempts[1]!.resources.runtimeSeconds).toBeGreaterThan(120);
  }, 180_000);

  it('raises the memory of a task killed for using more than it asked, until it fits', async () => {
    // Node with 100 MiB more for two seconds: over 64 MiB, within 64 × 4 = 256 MiB.
    script(
      'hungry.sh',
      `exec '${process.execPath}' -e 'const b = Buffer.alloc(100 * 1048576, 1); setTimeout(() => b.length, 2000)'\n`,
    );
    const id = await submit([
      task('hungry', 'hungry.sh', {
        maxAttempts: 3,
        resources: { memoryMb: 64 },
        resourceScales: { memory: 3 },
      }),
    ]);
    const result = await finalView(id, 120_000);
    expect(result.status).toBe('DONE');
    const attempts = result.tasks.hungry!.instances;
    expect(attempts.map((i) => [i.status, i.errorKind, i.resources.memoryMb])).toEqual([
      ['RESOURCE_ERROR', 'OUT_OF_MEMORY', 64],
      ['DONE', null, 256],
    ]);
  }, 150_000);

  it('stopWorkflow cancels the running jobs: squeue lists none of them afterwards', async () => {
    const id = await submit([task('s1', 'sleep.sh'), task('s2', 'sleep.sh'), task('s3', 'sleep.sh')]);
    const running = await allRunning(id, 3);
    const jobIds = Object.values(running.tasks).map((current) => current.instances.at(-1)!.backendJobId!);
    for (const jobId of jobIds) expect(liveSlurmJobs()).toContain(jobId);
    await gql(`mutation($id: ID!) { stopWorkflow(id: $id, reason: "test") { id } }`, { id });
    await waitFor(
      'the cancelled jobs to leave squeue',
      async () => {
        const live = liveSlurmJobs();
        return jobIds.every((jobId) => !live.has(jobId)) ? true : undefined;
      },
      60_000,
    );
    const result = await finalView(id, 60_000);
    expect(result.status).toBe('HALTED');
    for (const current of Object.values(result.tasks)) expect(current.status).toBe('ERROR_FATAL');
  }, 150_000);

  it('a COLD resume cancels the running jobs and runs the tasks again as new jobs', async () => {
    script('gated.sh', `[ -f ${dir}/gate.open ] || sleep 300\n`);
    const id = await submit([task('g1', 'gated.sh'), task('g2', 'gated.sh')]);
    const running = await allRunning(id, 2);
    const firstJobs = Object.values(running.tasks).map((current) => current.instances[0]!.backendJobId!);
    fs.writeFileSync(path.join(dir, 'gate.open'), '');
    await gql(`mutation($id: ID!) { resumeWorkflow(id: $id, mode: COLD) { id } }`, { id });
    await waitFor(
      'the first jobs to leave squeue',
      async () => {
        const live = liveSlurmJobs();
        return firstJobs.every((jobId) => !live.has(jobId)) ? true : undefined;
      },
      60_000,
    );
    const result = await untilView(
      id,
      'the resumed run to finish',
      (current) => current.status === 'DONE',
      90_000,
    );
    for (const current of Object.values(result.tasks)) {
      expect(current.instances).toHaveLength(2);
      expect(current.instances[1]!.status).toBe('DONE');
      expect(firstJobs).not.toContain(current.instances[1]!.backendJobId);
    }
  }, 150_000);

  it('a restarted distributor adopts the jobs its previous process left running', async () => {
    script('nap.sh', 'sleep 12; echo "napped $1"\n');
    const id = await submit([task('n1', 'nap.sh'), task('n2', 'nap.sh'), task('n3', 'nap.sh')]);
    const running = await allRunning(id, 3);
    const jobIds = Object.values(running.tasks).map((current) => current.instances[0]!.backendJobId);
    // The first process stops (detaching its jobs); a second one with the same name takes over.
    await stack.distributor.stop();
    const second = await createSlurmBackend({
      serverUrl: stack.server.url,
      logDir: path.join(dir, 'logs'),
      pollIntervalMs: 500,
      heartbeatSeconds: 1,
    });
    const distributor = startDistributor({
      serverUrl: stack.server.url,
      backend: second,
      name: stack.distributorName,
      pollIntervalMs: 100,
      heartbeatSeconds: 1,
      logDir: path.join(dir, 'logs'),
    });
    try {
      await distributor.ready;
      // Adopted as running Slurm jobs (no new submission), and followed to their end.
      expect(second.load().tracked).toBe(3);
      const result = await finalView(id, 90_000);
      expect(result.status).toBe('DONE');
      for (const [index, current] of Object.values(result.tasks).entries()) {
        expect(current.instances).toHaveLength(1);
        expect(current.instances[0]!.backendJobId).toBe(jobIds[index]);
      }
      expect(second.calls.sbatch ?? 0).toBe(0);
      await waitFor(
        'the adopted jobs to be followed to their end',
        async () => (second.load().tracked === 0 ? true : undefined),
        30_000,
      );
    } finally {
      await distributor.stop();
    }
  }, 150_000);

  // Without cgroups the worker's own limit (above) is what ends a hungry command; with them, Slurm does.
  (slurmEnforcesMemory ? it : it.skip)(
    "with the worker's memory limit off, Slurm's cgroup kills the command and the memory escalates too",
    async () => {
      // The stack's distributor stopped in the test above; this one leaves memory to Slurm alone.
      const cgroupOnly = await createSlurmBackend({
        serverUrl: stack.server.url,
        logDir: path.join(dir, 'logs'),
        pollIntervalMs: 500,
        heartbeatSeconds: 1,
        workerEnforcesMemory: false,
      });
      const distributor = startDistributor({
        serverUrl: stack.server.url,
        backend: cgroupOnly,
        name: `${stack.distributorName}-cgroup`,
        pollIntervalMs: 100,
        heartbeatSeconds: 1,
        logDir: path.join(dir, 'logs'),
      });
      try {
        await distributor.ready;
        // 300 MiB: over the job's 64 + 128 MiB (the worker's share), within (64 × 6) + 128 MiB.
        script(
          'greedy.sh',
          `exec '${process.execPath}' -e 'const b = Buffer.alloc(300 * 1048576, 1); setTimeout(() => b.length, 2000)'\n`,
        );
        const id = await submit([
          task('greedy', 'greedy.sh', {
            maxAttempts: 3,
            resources: { memoryMb: 64 },
            resourceScales: { memory: 5 },
          }),
        ]);
        const result = await finalView(id, 120_000);
        expect(result.status).toBe('DONE');
        const attempts = result.tasks.greedy!.instances;
        expect(attempts.map((i) => [i.status, i.errorKind, i.resources.memoryMb])).toEqual([
          ['RESOURCE_ERROR', 'OUT_OF_MEMORY', 64],
          ['DONE', null, 384],
        ]);
        // Killed by the kernel in the job's cgroup, not by the worker's own limit.
        expect(attempts[0]!.errorMessage).not.toMatch(/over the limit/);
      } finally {
        await distributor.stop();
      }
    },
    150_000,
  );

  it("with the worker's runtime limit off, Slurm itself ends the job TIMEOUT on `short`; it succeeds on `long`", async () => {
    // Without `workerEnforcesRuntime`, the worker never stops the command at its runtime: sbatch's
    // --time (the runtime itself, which Slurm rounds up to a minute) does. ~60-90 s: the one slow test.
    const slurmTimed = await createSlurmBackend({
      serverUrl: stack.server.url,
      logDir: path.join(dir, 'logs'),
      pollIntervalMs: 500,
      heartbeatSeconds: 1,
      workerEnforcesRuntime: false,
    });
    const distributor = startDistributor({
      serverUrl: stack.server.url,
      backend: slurmTimed,
      name: `${stack.distributorName}-timelimit`,
      pollIntervalMs: 100,
      heartbeatSeconds: 1,
      logDir: path.join(dir, 'logs'),
    });
    try {
      await distributor.ready;
      // The first attempt runs far past its runtime; the next one (the marker exists) is quick.
      script(
        'overtime.sh',
        `if [ -f ${dir}/overtime.ran ]; then echo "second try"; else touch ${dir}/overtime.ran; sleep 600; fi\n`,
      );
      const id = await submit([
        task('overtime', 'overtime.sh', {
          maxAttempts: 2,
          resources: { queue: 'short', runtimeSeconds: 30 },
          // 30 s × 5 = 150 s: over short's 2 minutes, so the fallback queue takes it.
          resourceScales: { runtime: 4 },
          fallbackQueues: ['long'],
        }),
      ]);
      const result = await finalView(id, 200_000);
      expect(result.status).toBe('DONE');
      const attempts = result.tasks.overtime!.instances;
      expect(
        attempts.map((i) => [i.status, i.errorKind, i.resources.queue, i.resources.runtimeSeconds]),
      ).toEqual([
        ['RESOURCE_ERROR', 'TIMEOUT', 'short', 30],
        ['DONE', null, 'long', 150],
      ]);
      // Slurm's verdict (the worker reported nothing: it was ended with its job).
      expect(attempts[0]!.errorMessage).toMatch(/reached its time limit \(TIMEOUT\)/);
      // slurmdbd records the end a moment after slurmctld knows it.
      const firstJob = attempts[0]!.backendJobId!;
      await waitFor(
        `sacct to record job ${firstJob}`,
        async () => (accountedState(firstJob) === 'TIMEOUT' ? true : undefined),
        30_000,
      );
    } finally {
      await distributor.stop();
    }
  }, 240_000);
});

describeSlurm('jobmon server --backend slurm', () => {
  let cwd: string;
  let serverUrl: string;
  let server: JobmonServerProcess | undefined;

  beforeAll(async () => {
    if (!slurmUp) throw new Error(`CI=true and ${slurmMissing}`);
    if (!fs.existsSync(JOBMON_CLI)) throw new Error(`${JOBMON_CLI} is missing: build first (npx tsc -b)`);
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-server-slurm-'));
    // The single-process start, on Slurm: partitions from scontrol, logs under ./.jobmon/logs.
    server = await startJobmonServer(
      ['--backend', 'slurm', '--database-url', `sqlite:${cwd}/jobmon.sqlite`],
      {
        cwd,
        env: { ...process.env, JOBMON_HEARTBEAT_SECONDS: '1', JOBMON_LOG_LEVEL: 'warn' },
      },
    );
    serverUrl = server.url;
  }, 90_000);

  afterAll(async () => {
    await terminate(server?.child);
    if (cwd) fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('runs a 3-task workflow from the SDK as Slurm jobs, then prunes its array files', async () => {
    fs.writeFileSync(path.join(cwd, 'step.sh'), 'echo "step $1"\n');
    const tool = new Tool('server-slurm');
    const sh = tool.taskTemplate({
      name: 'sh',
      commandTemplate: `sh ${cwd}/step.sh {name}`,
      nodeArgs: ['name'],
    });
    const first = sh.createTask({ args: { name: 'first' } });
    const second = sh.createTask({ args: { name: 'second' }, upstream: [first] });
    const third = sh.createTask({ args: { name: 'third' }, upstream: [first] });
    const workflow = tool.workflow({ workflowArgs: path.basename(cwd) }).addTasks(first, second, third);
    const result = await workflow.run({ serverUrl });
    expect(result).toMatchObject({ status: 'DONE', counts: expect.objectContaining({ total: 3, DONE: 3 }) });

    const client = new JobmonClient({ serverUrl });
    const data = await client.query<
      {
        workflow: {
          tasks: { nodes: { instances: { backendJobId: string | null; stdoutTail: string | null }[] }[] };
        };
      },
      { id: string }
    >(
      'query($id: ID!) { workflow(id: $id) { tasks(first: 10) { nodes { instances { backendJobId stdoutTail } } } } }',
      {
        id: workflow.id!,
      },
    );
    const instances = data.workflow.tasks.nodes.flatMap((node) => node.instances);
    expect(instances).toHaveLength(3);
    for (const instance of instances) expect(instance.backendJobId).toMatch(/^\d+_\d+$/);
    expect(instances.map((instance) => instance.stdoutTail?.trim()).sort()).toEqual([
      'step first',
      'step second',
      'step third',
    ]);
    // Default log directory: ./.jobmon/logs/<deployment id>, shared with the jobs on this machine. Once
    // the ends are reported, the array files and their journal entries go away.
    const deployments = fs.readdirSync(path.join(cwd, '.jobmon', 'logs'));
    expect(deployments).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/)]);
    const arrays = path.join(cwd, '.jobmon', 'logs', deployments[0]!, 'slurm', 'arrays');
    expect(fs.existsSync(arrays)).toBe(true);
    await waitFor(
      'the array files to be pruned',
      async () => (fs.readdirSync(arrays).length === 0 ? true : undefined),
      30_000,
    );
  }, 120_000);
});
