import { describeEachDatabase } from '../testing/databases';
import { independent, submission, task } from '../testing/fixtures';
import { taskCountMismatches, templateUsageMismatches } from '../testing/task-counts';
import type { Database } from '../db';
import { readStatusCounts, readTemplateStatusCounts } from '../db/ops/reads';
import { readStatusCounts as readMetricCounts } from '../observability/metrics';
import { toStatusCounts } from './status-counts';
import { submitWorkflow } from './submission.service';
import type { WorkflowSubmission } from './submission.types';
import {
  claimTaskInstances,
  distributorTaskInstances,
  heartbeatDistributor,
  heartbeatTaskInstances,
  reap,
  registerDistributor,
  reportFinished,
  reportLaunched,
  reportRunning,
  resetWorkflow,
  resumeWorkflow,
  setMaxConcurrentlyRunning,
  setTaskStatus,
  stopWorkflow,
  type ClaimedInstance,
} from '.';

// The server's transactions, driven directly (the distributor's part played by the test): scheduling,
// claims, reports, retries, escalation, limits, run control (stop, resume, overrides) and the reaper, on
// SQLite and MySQL.

async function statuses(db: Database, workflowId: number): Promise<Record<string, string>> {
  const rows = await db.select<{ task_key: string; status: string }>(
    'SELECT task_key, status FROM task WHERE workflow_id = ? ORDER BY id',
    [workflowId],
  );
  return Object.fromEntries(rows.map((row) => [row.task_key, row.status]));
}

async function runOf(db: Database, workflowId: number) {
  const rows = await db.select<{ id: number; status: string }>(
    'SELECT id, status FROM workflow_run WHERE workflow_id = ? ORDER BY id DESC LIMIT 1',
    [workflowId],
  );
  const workflow = await db.select<{ status: string }>('SELECT status FROM workflow WHERE id = ?', [
    workflowId,
  ]);
  return { id: Number(rows[0]!.id), status: rows[0]!.status, workflowStatus: workflow[0]!.status };
}

async function instanceStatus(db: Database, id: number) {
  const rows = await db.select<{ status: string }>('SELECT status FROM task_instance WHERE id = ?', [id]);
  return rows[0]?.status;
}

const keyOf = (claimed: ClaimedInstance) => claimed.name;

describeEachDatabase('scheduling, claims, reports, reaper and run control', (ctx) => {
  let distributorId: number;
  // Open mode: owner-less, like the distributors below (a distributor runs only its owner's work).
  const submit = async (s: WorkflowSubmission) =>
    (await submitWorkflow(ctx.db, s, { user: null, maxTasks: 1000 })).workflowId;
  /** Claims everything claimable of one workflow (other test workflows are finished or stopped). */
  const claim = async (limit = 100) => claimTaskInstances(ctx.db, distributorId, limit);
  const finish = (id: number, outcome: 'DONE' | 'ERROR' | 'RESOURCE_ERROR' | 'KILLED', more = {}) =>
    reportFinished(ctx.db, [{ id, outcome, ...more }], { distributorId });

  // Every transition below keeps the task counts (per workflow, template and status) equal to a recount.
  afterEach(async () => {
    expect(await taskCountMismatches(ctx.db)).toEqual([]);
    expect(await templateUsageMismatches(ctx.db)).toEqual([]);
  });

  beforeAll(async () => {
    distributorId = (
      await registerDistributor(ctx.db, {
        name: 'test-distributor',
        backend: 'dummy',
        queues: [
          { name: 'short', maxRuntimeSeconds: 120, maxMemoryMb: 4096 },
          { name: 'long', maxRuntimeSeconds: 86400, maxMemoryMb: 4096 },
        ],
      })
    ).id;
  });

  it('runs a DAG in dependency order and ends the run DONE in the same transaction as the last task', async () => {
    const id = await submit(
      submission([task('a'), task('b', ['a']), task('c', ['a']), task('d', ['b', 'c'])]),
    );
    let claimed = await claim();
    expect(claimed.map(keyOf)).toEqual(['a']);
    expect(claimed[0]).toMatchObject({
      attempt: 1,
      command: 'echo step --name a',
      templateName: 'step',
      workflowId: id,
    });
    expect((await runOf(ctx.db, id)).status).toBe('RUNNING');
    await reportLaunched(ctx.db, distributorId, [{ id: claimed[0]!.id, backendJobId: 'job-a' }]);
    await reportRunning(ctx.db, [{ id: claimed[0]!.id, hostname: 'here' }]);
    expect((await statuses(ctx.db, id)).a).toBe('RUNNING');
    // It queues b and c but claims nothing: their QUEUED events must wake its distributor.
    const noted: (readonly number[])[] = [];
    await reportFinished(ctx.db, [{ id: claimed[0]!.id, outcome: 'DONE' }], {
      distributorId,
      onQueuedWithClaim: (taskIds) => noted.push(taskIds),
    });
    expect(noted).toEqual([]);
    expect(await statuses(ctx.db, id)).toEqual({ a: 'DONE', b: 'QUEUED', c: 'QUEUED', d: 'REGISTERING' });
    claimed = await claim();
    expect(claimed.map(keyOf).sort()).toEqual(['b', 'c']);
    await finish(claimed[0]!.id, 'DONE');
    expect((await statuses(ctx.db, id)).d).toBe('REGISTERING'); // one upstream is not DONE yet
    // The last report also claims the next task in the same round trip; once committed, it names the
    // task it queued (that claim saw it: its QUEUED event need not wake this distributor).
    const queuedWithClaim: (readonly number[])[] = [];
    const result = await reportFinished(ctx.db, [{ id: claimed[1]!.id, outcome: 'DONE' }], {
      distributorId,
      claimLimit: 5,
      onQueuedWithClaim: (taskIds) => queuedWithClaim.push(taskIds),
    });
    expect(result.claimed.map(keyOf)).toEqual(['d']);
    expect(queuedWithClaim).toEqual([[result.claimed[0]!.taskId]]);
    await finish(result.claimed[0]!.id, 'DONE');
    expect(await runOf(ctx.db, id)).toMatchObject({ status: 'DONE', workflowStatus: 'DONE' });
    const audit = await ctx.db.select<{ n: number }>(
      "SELECT COUNT(*) AS n FROM audit_event WHERE workflow_id = ? AND entity_type = 'TASK' AND to_status = 'DONE'",
      [id],
    );
    expect(Number(audit[0]!.n)).toBe(4);
  });

  it('retries a failed task up to maxAttempts, then gives up and leaves its subtree unrun', async () => {
    const id = await submit(submission([task('a', [], { maxAttempts: 2 }), task('b', ['a'])]));
    const first = await claim();
    const failed = await finish(first[0]!.id, 'ERROR', { exitCode: 3, errorMessage: 'boom' });
    expect(failed.accepted).toEqual([first[0]!.id]);
    expect((await statuses(ctx.db, id)).a).toBe('QUEUED');
    const second = await claim();
    expect(second[0]).toMatchObject({ taskId: first[0]!.taskId, attempt: 2 });
    await finish(second[0]!.id, 'ERROR', { exitCode: 3 });
    expect(await statuses(ctx.db, id)).toEqual({ a: 'ERROR_FATAL', b: 'REGISTERING' });
    expect(await runOf(ctx.db, id)).toMatchObject({ status: 'ERROR', workflowStatus: 'FAILED' });
    const instance = await ctx.db.select<{ exit_code: number; error_message: string; status: string }>(
      'SELECT exit_code, error_message, status FROM task_instance WHERE id = ?',
      [first[0]!.id],
    );
    expect(instance[0]).toMatchObject({ exit_code: 3, error_message: 'boom', status: 'ERROR' });
    // A repeated report changes nothing and is no error.
    const again = await finish(second[0]!.id, 'DONE');
    expect(again.accepted).toEqual([]);
    expect(again.ignored[0]!.reason).toMatch(/ERROR/);
  });

  it('counts a task as retrying from its failed attempt until its retry is DONE, in the workflow and its template', async () => {
    const id = await submit(submission([task('a', [], { maxAttempts: 3 }), task('b')]));
    /** The workflow's kept counts and its template's recount: [retrying, retrying per status]. */
    const retrying = async () => {
      const kept = toStatusCounts(await readStatusCounts(ctx.db, [id]));
      const template = toStatusCounts(await readTemplateStatusCounts(ctx.db, id));
      expect(template.retrying).toBe(kept.retrying);
      expect(template.byStatus).toEqual(kept.byStatus);
      return [kept.retrying, kept.byStatus.filter((s) => s.retrying > 0).map((s) => s.status)];
    };
    const first = new Map((await claim()).map((c) => [keyOf(c), c]));
    expect(await retrying()).toEqual([0, []]);
    await finish(first.get('a')!.id, 'ERROR', { exitCode: 1 });
    expect(await taskCountMismatches(ctx.db)).toEqual([]);
    expect(await retrying()).toEqual([1, ['QUEUED']]);
    const second = await claim();
    expect(second[0]).toMatchObject({ name: 'a', attempt: 2 });
    expect(await retrying()).toEqual([1, ['INSTANTIATING']]);
    await reportLaunched(ctx.db, distributorId, [{ id: second[0]!.id, backendJobId: 'job-a2' }]);
    expect(await retrying()).toEqual([1, ['LAUNCHED']]);
    await reportRunning(ctx.db, [{ id: second[0]!.id, hostname: 'here' }]);
    expect(await taskCountMismatches(ctx.db)).toEqual([]);
    expect(await retrying()).toEqual([1, ['RUNNING']]);
    // The metrics' gauges read the same kept counts (this is the one unfinished workflow here).
    const gauges = await readMetricCounts(ctx.db);
    expect(gauges.retryingTasks.get('RUNNING')).toBe(1);
    expect(gauges.tasks.get('RUNNING')).toBe(1);
    await finish(second[0]!.id, 'DONE');
    await finish(first.get('b')!.id, 'DONE');
    expect(await retrying()).toEqual([0, []]);
    expect((await runOf(ctx.db, id)).status).toBe('DONE');
  });

  it('a task whose last attempt ran out of memory reruns with its resources raised on resume', async () => {
    const id = await submit(
      submission([
        task('oom', [], {
          maxAttempts: 1,
          resources: { memoryMb: 1000, runtimeSeconds: 100, queue: 'short' },
          resourceScales: { memory: 0.5 },
        }),
      ]),
    );
    const first = await claim();
    await finish(first[0]!.id, 'RESOURCE_ERROR', { errorKind: 'OUT_OF_MEMORY' });
    expect(await statuses(ctx.db, id)).toEqual({ oom: 'ERROR_FATAL' });
    expect((await runOf(ctx.db, id)).workflowStatus).toBe('FAILED');
    await resumeWorkflow(ctx.db, id, 'COLD', { actor: null });
    const rerun = await claim();
    expect(rerun.map(keyOf)).toEqual(['oom']);
    expect(rerun[0]!.resources).toMatchObject({ memoryMb: 1500, runtimeSeconds: 100, queue: 'short' });
    await finish(rerun[0]!.id, 'DONE');
    expect((await runOf(ctx.db, id)).status).toBe('DONE');
  });

  it('a resubmission with changed resources applies them on resume; unchanged ones keep what escalation raised', async () => {
    const tasks = (memoryMb: number) => [
      task('changed', [], { maxAttempts: 1, resources: { memoryMb, runtimeSeconds: 100, queue: 'short' } }),
      task('kept', [], {
        maxAttempts: 1,
        resources: { memoryMb: 1000, runtimeSeconds: 100, queue: 'short' },
        resourceScales: { memory: 0.5 },
      }),
    ];
    const first = submission(tasks(1000));
    const id = await submit(first);
    const claimed = new Map((await claim()).map((c) => [keyOf(c), c]));
    expect(claimed.get('changed')!.resources).toMatchObject({ memoryMb: 1000 });
    await finish(claimed.get('changed')!.id, 'ERROR', { exitCode: 1 });
    await finish(claimed.get('kept')!.id, 'RESOURCE_ERROR', { errorKind: 'OUT_OF_MEMORY' });
    expect((await runOf(ctx.db, id)).workflowStatus).toBe('FAILED');

    // The same workflow again (same tool, workflowArgs and tasks), one task asking for more memory.
    const again = await submitWorkflow(
      ctx.db,
      { ...first, tasks: tasks(3000) },
      { user: null, maxTasks: 1000 },
    );
    expect(again).toMatchObject({ workflowId: id, created: false });
    await resumeWorkflow(ctx.db, id, 'COLD', { actor: null });
    const rerun = new Map((await claim()).map((c) => [keyOf(c), c]));
    expect(rerun.get('changed')!.resources).toMatchObject({ memoryMb: 3000, runtimeSeconds: 100 });
    expect(rerun.get('kept')!.resources).toMatchObject({ memoryMb: 1500 });
    for (const c of rerun.values()) await finish(c.id, 'DONE');
    expect((await runOf(ctx.db, id)).status).toBe('DONE');
  });

  it('a list of scales gives each resource failure its own factor, the last repeating', async () => {
    const id = await submit(
      submission([
        task('listed', [], {
          maxAttempts: 4,
          resources: { memoryMb: 500, runtimeSeconds: 100, queue: 'short' },
          resourceScales: { memoryFactors: [0.5, 1] },
        }),
      ]),
    );
    const given: (number | null)[] = [];
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const [claimed] = await claim();
      given.push(claimed!.resources.memoryMb);
      await finish(claimed!.id, attempt < 4 ? 'RESOURCE_ERROR' : 'DONE', { errorKind: 'OUT_OF_MEMORY' });
    }
    // 500, then +50% (first failure), then +100% twice (the list's last factor repeats).
    expect(given).toEqual([500, 750, 1500, 3000]);
    expect((await runOf(ctx.db, id)).status).toBe('DONE');
  });

  it('escalates memory and runtime after resource errors, and moves to the fallback queue when short is too small', async () => {
    const id = await submit(
      submission([
        task('a', [], {
          maxAttempts: 5,
          resources: { memoryMb: 1000, runtimeSeconds: 100, queue: 'short' },
          resourceScales: { memory: 0.5, runtime: 1 },
          fallbackQueues: ['long'],
        }),
      ]),
    );
    const first = await claim();
    expect(first[0]!.resources).toMatchObject({ memoryMb: 1000, runtimeSeconds: 100, queue: 'short' });
    await finish(first[0]!.id, 'RESOURCE_ERROR', { errorKind: 'OUT_OF_MEMORY' });
    const second = await claim();
    expect(second[0]!.resources).toMatchObject({ memoryMb: 1500, runtimeSeconds: 100, queue: 'short' });
    await finish(second[0]!.id, 'RESOURCE_ERROR', { errorKind: 'TIMEOUT' });
    const third = await claim();
    // 200 s no longer fits short (120 s): the request moves to long.
    expect(third[0]!.resources).toMatchObject({ memoryMb: 1500, runtimeSeconds: 200, queue: 'long' });
    await finish(third[0]!.id, 'DONE');
    expect((await runOf(ctx.db, id)).status).toBe('DONE');
    const audit = await ctx.db.select<{ to_status: string }>(
      "SELECT to_status FROM audit_event WHERE workflow_id = ? AND entity_type = 'TASK' ORDER BY id",
      [id],
    );
    expect(audit.map((row) => row.to_status)).toEqual([
      'QUEUED',
      'INSTANTIATING',
      'ADJUSTING_RESOURCES',
      'QUEUED',
      'INSTANTIATING',
      'ADJUSTING_RESOURCES',
      'QUEUED',
      'INSTANTIATING',
      'DONE',
    ]);
    // Each attempt keeps what it was given.
    const given = await ctx.db.select<{ memory_mb: number; runtime_seconds: number }>(
      `SELECT r.memory_mb, r.runtime_seconds FROM task_instance i JOIN task_resources r ON r.id = i.task_resources_id
        WHERE i.task_id = ? ORDER BY i.id`,
      [first[0]!.taskId],
    );
    expect(given.map((row) => [Number(row.memory_mb), Number(row.runtime_seconds)])).toEqual([
      [1000, 100],
      [1500, 100],
      [1500, 200],
    ]);
  });

  it('gives an attempt at most what its queue allows (a request over the bounds is coerced, not stuck)', async () => {
    const id = await submit(
      submission([
        task('big', [], { resources: { memoryMb: 100_000, cores: 64, runtimeSeconds: 60, queue: 'short' } }),
      ]),
    );
    const claimed = await claim();
    expect(claimed[0]!.resources).toMatchObject({
      memoryMb: 4096,
      cores: 64,
      runtimeSeconds: 60,
      queue: 'short',
    });
    const requested = await ctx.db.select<{ memory_mb: number }>(
      'SELECT r.memory_mb FROM task t JOIN task_resources r ON r.id = t.task_resources_id WHERE t.id = ?',
      [claimed[0]!.taskId],
    );
    expect(Number(requested[0]!.memory_mb)).toBe(100_000); // the task keeps its request
    await finish(claimed[0]!.id, 'DONE');
    expect((await runOf(ctx.db, id)).status).toBe('DONE');
  });

  it('honours workflow and template limits, and a raised limit while it runs', async () => {
    const tasks = [
      ...independent(6, 's'),
      ...Array.from({ length: 4 }, (_, i) => task(`o${i}`, [], { template: 'other' })),
    ];
    const id = await submit(
      submission(tasks, {
        maxConcurrentlyRunning: 3,
        taskTemplates: [
          { name: 'step', commandTemplate: 'echo {name}', nodeArgs: ['name'] },
          {
            name: 'other',
            commandTemplate: 'echo other {name}',
            nodeArgs: ['name'],
            maxConcurrentlyRunning: 1,
          },
        ],
      }),
    );
    const first = await claim();
    expect(first).toHaveLength(3);
    expect(first.filter((c) => c.templateName === 'other')).toHaveLength(1);
    // Each claimed instance carries the limit that applies to it (a Slurm array's `%N`).
    const limitOf = (claimed: ClaimedInstance[]) =>
      Object.fromEntries(claimed.map((c) => [c.templateName, c.concurrencyLimit]));
    expect(limitOf(first)).toEqual({ step: 3, other: 1 });
    expect(await claim()).toHaveLength(0);
    await setMaxConcurrentlyRunning(ctx.db, id, null, 8);
    const second = await claim();
    // 5 more slots: the 4 step tasks left; 'other' is still held to one at a time.
    expect(second).toHaveLength(4);
    expect(second.filter((c) => c.templateName === 'other')).toHaveLength(0);
    expect(limitOf(second)).toEqual({ step: 8 });
    await setMaxConcurrentlyRunning(ctx.db, id, 'other', 2);
    const third = await claim();
    expect(third.map((c) => c.templateName)).toEqual(['other']);
    expect(limitOf(third)).toEqual({ other: 2 });
    await setMaxConcurrentlyRunning(ctx.db, id, null, 0); // pauses: nothing new starts
    const all = [...first, ...second];
    for (const claimed of all) await finish(claimed.id, 'DONE');
    expect(await claim()).toHaveLength(0);
    await stopWorkflow(ctx.db, id, 'test over', { actor: 'tester' });
  });

  it("claims the oldest QUEUED tasks first, of the oldest run first, within the claimer's queues and template limits", async () => {
    // The pick reads QUEUED tasks along a forced index in id order (MySQL) and stops at the count: the
    // tasks it takes must be exactly the lowest ids that qualify, whatever is queued after or between.
    const elsewhere = { resources: { queue: 'gpu' } };
    const older = await submit(
      submission([task('a0'), task('a1', [], elsewhere), task('a2', ['a0']), task('a3')]),
    );
    const newer = await submit(
      submission(
        [
          task('b0', [], { template: 'other' }),
          task('b1'),
          task('b2', [], { template: 'other' }),
          task('b3', [], elsewhere),
          task('b4'),
          task('b5'),
          task('b6', [], { template: 'other' }),
          task('b7'),
        ],
        {
          taskTemplates: [
            { name: 'step', commandTemplate: 'echo {name}', nodeArgs: ['name'] },
            {
              name: 'other',
              commandTemplate: 'echo other {name}',
              nodeArgs: ['name'],
              maxConcurrentlyRunning: 1,
            },
          ],
        },
      ),
    );
    const idsOf = async (workflowId: number) =>
      Object.fromEntries(
        (
          await ctx.db.select<{ task_key: string; id: number }>(
            'SELECT task_key, id FROM task WHERE workflow_id = ?',
            [workflowId],
          )
        ).map((row) => [row.task_key, Number(row.id)]),
      );
    const ids = { ...(await idsOf(older)), ...(await idsOf(newer)) };
    const taken = (claimed: ClaimedInstance[]) => claimed.map((c) => c.taskId).sort((x, y) => x - y);
    const idsOfKeys = (...keys: string[]) => keys.map((key) => ids[key]!).sort((x, y) => x - y);

    // The older run's QUEUED tasks in the served queues (a1 is in gpu, a2 waits for a0), then the newer
    // run's: its one 'other' allowed (the oldest, b0) and the oldest tasks of the other template.
    const first = await claim(5);
    expect(taken(first)).toEqual(idsOfKeys('a0', 'a3', 'b0', 'b1', 'b4'));
    const second = await claim(2);
    expect(taken(second)).toEqual(idsOfKeys('b5', 'b7'));
    expect(await claim(5)).toHaveLength(0); // 'other' is at its limit, gpu is not served
    await finish(first.find((c) => c.name === 'b0')!.id, 'DONE');
    const fourth = await claim(5);
    expect(taken(fourth)).toEqual(idsOfKeys('b2'));
    // Their attempts end before the stop: a stop would leave their kills to the tests that follow.
    for (const c of [...first, ...second, ...fourth]) if (c.name !== 'b0') await finish(c.id, 'DONE');
    await stopWorkflow(ctx.db, older, null, { actor: 'tester' });
    await stopWorkflow(ctx.db, newer, null, { actor: 'tester' });
  });

  it('a claim of more attempts than one read holds returns each attempt once, in id order, with its task', async () => {
    // The claimed attempts are read back in chunks of 500 ids (MariaDB's IN-list threshold): 1,200 span 3.
    const ids = [
      await submit(submission(independent(600, 'x'))),
      await submit(submission(independent(600, 'y'))),
    ];
    const claimed = await claim(1200);
    expect(claimed).toHaveLength(1200);
    expect(claimed.map((c) => c.id)).toEqual([...claimed.map((c) => c.id)].sort((a, b) => a - b));
    expect(new Set(claimed.map((c) => c.taskId)).size).toBe(1200);
    const names = await ctx.db.select<{ id: number; name: string }>(
      `SELECT id, name FROM task WHERE workflow_id IN (${ids.join(',')})`,
    );
    const nameOf = new Map(names.map((row) => [Number(row.id), row.name]));
    expect(claimed.every((c) => c.name === nameOf.get(c.taskId) && c.templateName === 'step')).toBe(true);
    await reportFinished(
      ctx.db,
      claimed.map((c) => ({ id: c.id, outcome: 'DONE' as const })),
      { distributorId },
    );
    for (const id of ids) expect((await runOf(ctx.db, id)).status).toBe('DONE');
  });

  it('never gives one task to two claimers claiming at the same time', async () => {
    const id = await submit(submission(independent(60)));
    const others = await Promise.all(
      [1, 2, 3].map((n) => registerDistributor(ctx.db, { name: `claimer-${n}`, backend: 'dummy' })),
    );
    // Rounds of 12 simultaneous claims (on MySQL a claimer skips a workflow another one holds).
    const taskIds: number[] = [];
    for (let round = 0; round < 50 && taskIds.length < 60; round += 1) {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => claimTaskInstances(ctx.db, others[i % 3]!.id, 7)),
      );
      taskIds.push(...results.flat().map((c) => c.taskId));
    }
    expect(new Set(taskIds).size).toBe(taskIds.length);
    expect(taskIds.length).toBe(60);
    const instances = await ctx.db.select<{ n: number }>(
      'SELECT COUNT(*) AS n FROM task_instance WHERE workflow_id = ?',
      [id],
    );
    expect(Number(instances[0]!.n)).toBe(60);
    await stopWorkflow(ctx.db, id, null, { actor: 'tester' });
  });

  it('ends the run when its last tasks finish in concurrent transactions (workers reporting each for itself)', async () => {
    // Each transaction sees the other's task as still running until it commits: without one of them
    // waiting for the other, neither would end the run (seen with Slurm workers on MariaDB).
    for (let round = 0; round < 8; round += 1) {
      const id = await submit(submission(independent(6, 'p')));
      const claimed = await claim();
      expect(claimed).toHaveLength(6);
      await Promise.all(claimed.map((instance) => finish(instance.id, 'DONE')));
      expect(await runOf(ctx.db, id)).toMatchObject({ status: 'DONE', workflowStatus: 'DONE' });
    }
  });

  it('stops a workflow: kills are asked for, unfinished tasks become ERROR_FATAL (stopped), kills are confirmed', async () => {
    const id = await submit(submission([task('a'), task('b'), task('c', ['a'])]));
    const claimed = await claim();
    expect(claimed).toHaveLength(2);
    await reportRunning(ctx.db, [{ id: claimed[0]!.id }]);
    await stopWorkflow(ctx.db, id, 'enough', { actor: 'tester' });
    expect(await statuses(ctx.db, id)).toEqual({ a: 'ERROR_FATAL', b: 'ERROR_FATAL', c: 'ERROR_FATAL' });
    expect(await runOf(ctx.db, id)).toMatchObject({ status: 'STOPPED', workflowStatus: 'HALTED' });
    const heartbeat = await heartbeatDistributor(ctx.db, distributorId, [claimed[0]!.id]);
    expect(heartbeat.killInstanceIds).toEqual(expect.arrayContaining(claimed.map((c) => c.id)));
    await finish(claimed[0]!.id, 'KILLED');
    expect(await instanceStatus(ctx.db, claimed[0]!.id)).toBe('ERROR_FATAL');
    const reasons = await ctx.db.select<{ reason: string }>(
      "SELECT DISTINCT reason FROM audit_event WHERE workflow_id = ? AND entity_type = 'TASK' AND to_status = 'ERROR_FATAL'",
      [id],
    );
    expect(reasons.map((row) => row.reason)).toEqual(['stopped']);
    // Stopping again is an illegal transition, not a silent no-op.
    await expect(stopWorkflow(ctx.db, id, null, { actor: 'tester' })).rejects.toMatchObject({
      code: 'ILLEGAL_TRANSITION',
    });
    // The unconfirmed kill of b is given up by the reaper after the kill timeout.
    await reap(ctx.db, { heartbeatSeconds: 3600, killTimeoutSeconds: 0, now: new Date(Date.now() + 1000) });
    expect(await instanceStatus(ctx.db, claimed[1]!.id)).toBe('ERROR_FATAL');
  });

  it('resumes cold: DONE tasks are kept, the rest rerun; a cold resume waits for its kills', async () => {
    const id = await submit(
      submission([task('a'), task('b', [], { maxAttempts: 1 }), task('c', ['a', 'b'])]),
    );
    const claimed = await claim();
    const byKey = new Map(claimed.map((c) => [keyOf(c), c]));
    await finish(byKey.get('a')!.id, 'DONE');
    await finish(byKey.get('b')!.id, 'ERROR');
    expect(await runOf(ctx.db, id)).toMatchObject({ status: 'ERROR', workflowStatus: 'FAILED' });
    const oldRun = (await runOf(ctx.db, id)).id;
    await resumeWorkflow(ctx.db, id, 'COLD', { actor: 'tester' });
    const run = await runOf(ctx.db, id);
    expect(run.id).toBeGreaterThan(oldRun);
    expect(run).toMatchObject({ status: 'BOUND', workflowStatus: 'QUEUED' });
    expect(await statuses(ctx.db, id)).toEqual({ a: 'DONE', b: 'QUEUED', c: 'REGISTERING' });
    const again = await claim();
    expect(again.map(keyOf)).toEqual(['b']);
    expect(again[0]!.attempt).toBe(1); // a new run has a fresh attempt budget
    // Cold resume while b runs: b is killed first, and the new run starts once the kill is confirmed.
    await resumeWorkflow(ctx.db, id, 'COLD', { actor: 'tester' });
    expect((await runOf(ctx.db, id)).status).toBe('COLD_RESUME');
    expect(await instanceStatus(ctx.db, again[0]!.id)).toBe('KILL_SELF');
    await finish(again[0]!.id, 'KILLED');
    await reap(ctx.db, { heartbeatSeconds: 3600, killTimeoutSeconds: 3600 });
    expect(await runOf(ctx.db, id)).toMatchObject({ status: 'BOUND', workflowStatus: 'QUEUED' });
    const last = await claim();
    expect(last.map(keyOf)).toEqual(['b']);
    await finish(last[0]!.id, 'DONE');
    const final = await claim();
    expect(final.map(keyOf)).toEqual(['c']);
    await finish(final[0]!.id, 'DONE');
    expect(await runOf(ctx.db, id)).toMatchObject({ status: 'DONE', workflowStatus: 'DONE' });
    // a ran once in all.
    const aRuns = await ctx.db.select<{ n: number }>(
      'SELECT COUNT(*) AS n FROM task_instance WHERE task_id = ?',
      [byKey.get('a')!.taskId],
    );
    expect(Number(aRuns[0]!.n)).toBe(1);
  });

  it('resumes hot: a running attempt carries on under the new run and its result counts', async () => {
    const id = await submit(submission([task('a'), task('b', [], { maxAttempts: 1 }), task('c', ['a'])]));
    const claimed = await claim();
    const byKey = new Map(claimed.map((c) => [keyOf(c), c]));
    await reportRunning(ctx.db, [{ id: byKey.get('a')!.id }]);
    await finish(byKey.get('b')!.id, 'ERROR');
    expect((await runOf(ctx.db, id)).status).toBe('RUNNING'); // a still runs
    await resumeWorkflow(ctx.db, id, 'HOT', { actor: 'tester' });
    expect(await runOf(ctx.db, id)).toMatchObject({ status: 'RUNNING', workflowStatus: 'RUNNING' });
    expect(await statuses(ctx.db, id)).toMatchObject({ a: 'RUNNING', b: 'QUEUED' });
    await finish(byKey.get('a')!.id, 'DONE');
    expect((await statuses(ctx.db, id)).c).toBe('QUEUED');
    for (const next of await claim()) await finish(next.id, 'DONE');
    expect(await runOf(ctx.db, id)).toMatchObject({ status: 'DONE', workflowStatus: 'DONE' });
  });

  it('keeps the task counts of each template through claims, retries, stop, resumes, status set by hand and reset', async () => {
    // Three templates, so that a change counted against the wrong template shows.
    const id = await submit(
      submission([
        task('a1', [], { template: 'a', maxAttempts: 3 }),
        task('a2', [], { template: 'a' }),
        task('b1', ['a1'], { template: 'b', maxAttempts: 2 }),
        task('b2', ['a2'], { template: 'b' }),
        task('c1', ['b1', 'b2'], { template: 'c' }),
      ]),
    );
    const same = async () => expect(await taskCountMismatches(ctx.db)).toEqual([]);
    const byName = async () => new Map((await claim()).map((c) => [keyOf(c), c]));
    let claimed = await byName();
    await same();
    await reportLaunched(ctx.db, distributorId, [{ id: claimed.get('a1')!.id, backendJobId: 'j' }]);
    await reportRunning(ctx.db, [{ id: claimed.get('a1')!.id }]);
    await finish(claimed.get('a1')!.id, 'ERROR'); // a1 on a retry
    await finish(claimed.get('a2')!.id, 'DONE');
    await same();
    claimed = await byName(); // a1's second attempt and b2
    await same();
    await stopWorkflow(ctx.db, id, null, { actor: 'tester' });
    for (const c of claimed.values()) await finish(c.id, 'KILLED');
    await reap(ctx.db, { heartbeatSeconds: 3600, killTimeoutSeconds: 0, now: new Date(Date.now() + 1000) });
    await same();
    await resumeWorkflow(ctx.db, id, 'COLD', { actor: 'tester' });
    await same();
    claimed = await byName();
    // Usage measured, partly (an unmeasured value is no 0 in the mean).
    for (const c of claimed.values())
      await finish(c.id, 'DONE', {
        usage: { maxRssMb: 100 + c.taskId, wallSeconds: c.name === 'a1' ? null : 2.5 },
      });
    expect(await templateUsageMismatches(ctx.db)).toEqual([]);
    await resumeWorkflow(ctx.db, id, 'HOT', { actor: 'tester' }).catch(() => undefined); // refused or not: counts hold
    await same();
    claimed = await byName();
    await finish(claimed.get('b1')!.id, 'ERROR');
    for (const [name, c] of claimed) if (name !== 'b1') await finish(c.id, 'DONE');
    await same();
    await setTaskStatus(ctx.db, [claimed.get('b1')!.taskId], 'DONE', false, { actor: 'person' });
    await same();
    await setTaskStatus(ctx.db, [claimed.get('b1')!.taskId], 'QUEUED', true, { actor: 'person' });
    await same();
    for (let round = 0; round < 10; round += 1)
      for (const c of (await claim()).values()) await finish(c.id, 'DONE');
    expect(await statuses(ctx.db, id)).toEqual({
      a1: 'DONE',
      a2: 'DONE',
      b1: 'DONE',
      b2: 'DONE',
      c1: 'DONE',
    });
    await same();
    await resetWorkflow(ctx.db, id, { actor: 'tester' });
    await same();
    await stopWorkflow(ctx.db, id, null, { actor: 'tester' });
  });

  it('resets a finished workflow: a fresh run of every task, attempts counted afresh; refused while a run is active', async () => {
    const id = await submit(submission([task('a'), task('b', ['a'], { maxAttempts: 2 }), task('c', ['b'])]));
    // Active: the reset is refused in the user's terms and nothing changes.
    const before = await statuses(ctx.db, id);
    await expect(resetWorkflow(ctx.db, id, { actor: 'tester' })).rejects.toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      message: expect.stringMatching(/^workflow \d+ is still running \(run \d+ is BOUND\): stop it or wait/),
    });
    expect(await statuses(ctx.db, id)).toEqual(before);
    const [a] = await claim();
    await finish(a!.id, 'DONE');
    for (let attempt = 0; attempt < 2; attempt += 1) await finish((await claim())[0]!.id, 'ERROR');
    expect(await runOf(ctx.db, id)).toMatchObject({ status: 'ERROR', workflowStatus: 'FAILED' });
    const oldRun = (await runOf(ctx.db, id)).id;

    await resetWorkflow(ctx.db, id, { actor: 'tester' });
    const run = await runOf(ctx.db, id);
    expect(run.id).toBeGreaterThan(oldRun);
    expect(run).toMatchObject({ status: 'BOUND', workflowStatus: 'QUEUED' });
    // Every task again, the DONE one too; only the root is ready.
    expect(await statuses(ctx.db, id)).toEqual({ a: 'QUEUED', b: 'REGISTERING', c: 'REGISTERING' });
    const attempts = await ctx.db.select<{ n: number }>(
      'SELECT MAX(num_attempts) AS n FROM task WHERE workflow_id = ?',
      [id],
    );
    expect(Number(attempts[0]!.n)).toBe(0);
    const old = await ctx.db.select<{ status: string }>('SELECT status FROM workflow_run WHERE id = ?', [
      oldRun,
    ]);
    expect(old[0]!.status).toBe('TERMINATED');
    const reasons = await ctx.db.select<{ entity_type: string; reason: string; actor: string }>(
      "SELECT DISTINCT entity_type, reason, actor FROM audit_event WHERE workflow_id = ? AND reason = 'workflow reset' ORDER BY entity_type",
      [id],
    );
    expect(reasons.map((row) => row.entity_type)).toEqual(['TASK', 'WORKFLOW', 'WORKFLOW_RUN']);
    expect(new Set(reasons.map((row) => row.actor))).toEqual(new Set(['tester']));

    // The fresh run: b gets both its attempts again (attempt numbers start at 1).
    await finish((await claim())[0]!.id, 'DONE');
    const b = await claim();
    expect(b[0]).toMatchObject({ name: 'b', attempt: 1 });
    await finish(b[0]!.id, 'DONE');
    await finish((await claim())[0]!.id, 'DONE');
    expect(await runOf(ctx.db, id)).toMatchObject({ status: 'DONE', workflowStatus: 'DONE' });

    // A DONE workflow may be reset too; partial keeps DONE tasks (nothing left: the new run is DONE at once).
    await resetWorkflow(ctx.db, id, { actor: 'tester', partial: true });
    expect(await runOf(ctx.db, id)).toMatchObject({ status: 'DONE', workflowStatus: 'DONE' });
    expect(await statuses(ctx.db, id)).toEqual({ a: 'DONE', b: 'DONE', c: 'DONE' });
    await resetWorkflow(ctx.db, id, { actor: 'tester' });
    expect(await statuses(ctx.db, id)).toEqual({ a: 'QUEUED', b: 'REGISTERING', c: 'REGISTERING' });
    await stopWorkflow(ctx.db, id, null, { actor: 'tester' });
    await expect(resetWorkflow(ctx.db, 999_999, { actor: 'tester' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('lets a person mark a failed task DONE so that its downstream runs, and rerun a subtree', async () => {
    const id = await submit(submission([task('a', [], { maxAttempts: 1 }), task('b', ['a']), task('z')]));
    const claimed = await claim();
    const byKey = new Map(claimed.map((c) => [keyOf(c), c]));
    await reportRunning(ctx.db, [{ id: byKey.get('z')!.id }]);
    await finish(byKey.get('a')!.id, 'ERROR');
    await setTaskStatus(ctx.db, [byKey.get('a')!.taskId], 'DONE', false, { actor: 'person' });
    expect(await statuses(ctx.db, id)).toMatchObject({ a: 'DONE', b: 'QUEUED' });
    const override = await ctx.db.select<{ actor: string; reason: string; from_status: string }>(
      "SELECT actor, reason, from_status FROM audit_event WHERE entity_type = 'TASK' AND entity_id = ? AND to_status = 'DONE'",
      [byKey.get('a')!.taskId],
    );
    expect(override).toEqual([{ actor: 'person', reason: 'set by hand', from_status: 'ERROR_FATAL' }]);
    const b = await claim();
    await finish(b[0]!.id, 'DONE');
    // Rerun a and its subtree: b goes back to REGISTERING, a is queued again.
    await setTaskStatus(ctx.db, [byKey.get('a')!.taskId], 'QUEUED', true, { actor: 'person' });
    expect(await statuses(ctx.db, id)).toMatchObject({ a: 'QUEUED', b: 'REGISTERING', z: 'RUNNING' });
    // Unknown ids and impossible moves change nothing.
    await expect(setTaskStatus(ctx.db, [99999999], 'DONE', false, { actor: 'person' })).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
    await stopWorkflow(ctx.db, id, null, { actor: 'tester' });
  });

  it('stops a fail-fast run at its first ERROR_FATAL and kills what still runs', async () => {
    const id = await submit(
      submission([task('a', [], { maxAttempts: 1 }), task('b'), task('c')], { failFast: true }),
    );
    const claimed = await claim(2);
    const byKey = new Map(claimed.map((c) => [keyOf(c), c]));
    await finish(byKey.get('a')!.id, 'ERROR');
    expect(await runOf(ctx.db, id)).toMatchObject({ status: 'ERROR', workflowStatus: 'FAILED' });
    expect(await instanceStatus(ctx.db, byKey.get('b')!.id)).toBe('KILL_SELF');
    expect(await claim()).toEqual([]); // c is not started by an ended run
  });

  it('reaps: silent instances are triaged, a heartbeat revives them, a lost distributor means a retry', async () => {
    const id = await submit(submission([task('a'), task('b')]));
    const lonely = await registerDistributor(ctx.db, { name: 'lonely', backend: 'dummy' });
    const claimed = await claimTaskInstances(ctx.db, lonely.id, 2);
    await reportRunning(
      ctx.db,
      claimed.map((c) => ({ id: c.id })),
    );
    const later = new Date(Date.now() + 10_000);
    // Heartbeats are 1 s apart; after 10 s of silence both instances are triaged, then one answers.
    await ctx.db.execute('UPDATE distributor SET last_heartbeat_at = ? WHERE id = ?', [later, lonely.id]);
    const sweep = await reap(ctx.db, { heartbeatSeconds: 1, killTimeoutSeconds: 60, now: later });
    expect(sweep.triaged).toBe(2);
    const answer = await heartbeatDistributor(ctx.db, lonely.id, [claimed[0]!.id]);
    expect(answer.triageInstanceIds).toEqual([claimed[1]!.id]);
    expect(await instanceStatus(ctx.db, claimed[0]!.id)).toBe('RUNNING');
    // A server that has just started does not count silence it could not have heard through.
    await ctx.db.execute('UPDATE distributor SET last_heartbeat_at = ? WHERE id = ?', [
      new Date(0),
      lonely.id,
    ]);
    const fresh = await reap(ctx.db, { heartbeatSeconds: 1, killTimeoutSeconds: 60, upSince: new Date() });
    expect(fresh.lost).toBe(0);
    expect(await instanceStatus(ctx.db, claimed[0]!.id)).toBe('RUNNING');
    // The distributor goes silent: its instances are lost and their tasks retried.
    await ctx.db.execute('UPDATE distributor SET last_heartbeat_at = ? WHERE id = ?', [
      new Date(0),
      lonely.id,
    ]);
    const lost = await reap(ctx.db, { heartbeatSeconds: 1, killTimeoutSeconds: 60 });
    expect(lost.lost).toBe(2);
    expect(await instanceStatus(ctx.db, claimed[0]!.id)).toBe('UNKNOWN_ERROR');
    // If the distributor was only slow and still runs them, its next heartbeat is told to kill them.
    const late = await heartbeatDistributor(ctx.db, lonely.id, [claimed[0]!.id, claimed[1]!.id]);
    expect(late.killInstanceIds).toEqual([claimed[0]!.id, claimed[1]!.id]);
    expect(await statuses(ctx.db, id)).toEqual({ a: 'QUEUED', b: 'QUEUED' });
    await stopWorkflow(ctx.db, id, null, { actor: 'tester' });
  });

  it('a distributor back from a silence kills its given-up attempts before it claims; their late results are recorded, the retry stands', async () => {
    const id = await submit(submission([task('a'), task('b'), task('c')]));
    const silent = await registerDistributor(ctx.db, { name: 'silent', backend: 'dummy' });
    expect(silent.deploymentId).toMatch(/^[0-9a-f]{32}$/);
    const first = await claimTaskInstances(ctx.db, silent.id, 2);
    expect(first.map(keyOf)).toEqual(['a', 'b']);
    // Every attempt has a nonce of its own: adoption takes a result only from files that carry it.
    for (const instance of first) expect(instance.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(first[0]!.nonce).not.toBe(first[1]!.nonce);
    await reportRunning(
      ctx.db,
      first.map((c) => ({ id: c.id })),
      { distributorId: silent.id },
    );
    await ctx.db.execute('UPDATE distributor SET last_heartbeat_at = ? WHERE id = ?', [
      new Date(0),
      silent.id,
    ]);
    expect((await reap(ctx.db, { heartbeatSeconds: 1, killTimeoutSeconds: 60 })).lost).toBe(2);
    expect(await statuses(ctx.db, id)).toEqual({ a: 'QUEUED', b: 'QUEUED', c: 'QUEUED' });
    const [a1, b1] = first.map((instance) => instance.id) as [number, number];

    // Back (its commands may have run all along): its heartbeat, even one that lists nothing (a restarted
    // process), names the given-up attempts; its adoption list has them; it claims nothing meanwhile.
    expect((await heartbeatDistributor(ctx.db, silent.id, [])).killInstanceIds).toEqual([a1, b1]);
    const adopt = await distributorTaskInstances(ctx.db, silent.id);
    expect(adopt.map((instance) => [instance.id, instance.status])).toEqual([
      [a1, 'UNKNOWN_ERROR'],
      [b1, 'UNKNOWN_ERROR'],
    ]);
    expect(adopt[0]!.nonce).toBe(first[0]!.nonce);
    expect(await claimTaskInstances(ctx.db, silent.id, 10)).toEqual([]);
    // A worker of one of them (a Slurm job) that still heartbeats is told to end it, distributor or not.
    expect(await heartbeatTaskInstances(ctx.db, [a1, b1])).toEqual([a1, b1]);

    // a's command had ended well meanwhile: recorded on the given-up attempt, the task stays retried.
    const late = await reportFinished(
      ctx.db,
      [{ id: a1, outcome: 'DONE', exitCode: 0, stdoutTail: 'late a\n' }],
      { distributorId: silent.id, claimLimit: 10 },
    );
    expect(late.accepted).toEqual([]);
    expect(late.ignored).toEqual([{ id: a1, reason: expect.stringContaining('late outcome') }]);
    expect(late.claimed).toEqual([]); // b's command is not settled yet
    const [recorded] = await ctx.db.select<Record<string, unknown>>(
      'SELECT status, late_outcome, exit_code, stdout_tail, given_up_at FROM task_instance WHERE id = ?',
      [a1],
    );
    expect(recorded).toMatchObject({
      status: 'UNKNOWN_ERROR',
      late_outcome: 'DONE',
      exit_code: 0,
      stdout_tail: 'late a\n',
      given_up_at: null,
    });
    expect(await statuses(ctx.db, id)).toEqual({ a: 'QUEUED', b: 'QUEUED', c: 'QUEUED' });
    // b's command is killed on the heartbeat's word: settled too, and claims resume.
    await reportFinished(ctx.db, [{ id: b1, outcome: 'KILLED' }], { distributorId: silent.id });
    expect((await heartbeatDistributor(ctx.db, silent.id, [])).killInstanceIds).toEqual([]);
    const retries = await claimTaskInstances(ctx.db, silent.id, 10);
    expect(retries.map((instance) => [instance.name, instance.attempt])).toEqual([
      ['a', 2],
      ['b', 2],
      ['c', 1],
    ]);
    expect(retries[0]!.nonce).not.toBe(first[0]!.nonce);
    await reportFinished(
      ctx.db,
      retries.map((instance) => ({ id: instance.id, outcome: 'DONE' as const })),
      { distributorId: silent.id },
    );
    expect((await runOf(ctx.db, id)).status).toBe('DONE');
  });

  it("refuses reports about another distributor's instances and unknown ids without failing the batch", async () => {
    const id = await submit(submission([task('a')]));
    const claimed = await claim();
    const stranger = await registerDistributor(ctx.db, { name: 'stranger', backend: 'dummy' });
    const result = await reportFinished(
      ctx.db,
      [
        { id: claimed[0]!.id, outcome: 'DONE' },
        { id: 987654321, outcome: 'DONE' },
      ],
      { distributorId: stranger.id },
    );
    expect(result.accepted).toEqual([]);
    expect(result.ignored.map((i) => i.reason)).toEqual([
      'the instance belongs to another distributor',
      'unknown task instance',
    ]);
    const mine = await finish(claimed[0]!.id, 'DONE');
    expect(mine.accepted).toEqual([claimed[0]!.id]);
    expect((await runOf(ctx.db, id)).status).toBe('DONE');
  });
});
