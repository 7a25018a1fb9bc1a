import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClaimedInstance, FinishedReport } from '../../backend';
import { logPaths } from '../../log-files';
import {
  SlurmBackend,
  parseNodes,
  parsePartitions,
  queuesFromPartitions,
  readArrayFileTask,
  reportFilePath,
  writeReportFile,
  type SlurmResult,
  type SlurmRunner,
  type SlurmTool,
} from '.';
import { NODES, PARTITIONS } from './testing';

// The Slurm backend's decisions against a scripted fake of sbatch/squeue/sacct/scancel. The contract
// every backend keeps is checked on a real Slurm in conformance.test.ts; parsing, the sbatch command
// line and outcomes are tested beside their modules.

/** A scripted sbatch/squeue/sacct/scancel: records every call, answers from the test's state. */
class FakeSlurm implements SlurmRunner {
  readonly calls: { tool: SlurmTool; args: readonly string[]; stdin?: string; env?: NodeJS.ProcessEnv }[] =
    [];
  /** Job id → state, as squeue shows it (ended jobs too, until `forget`). */
  readonly queue = new Map<string, string>();
  /** Job id → squeue's reason (%r) for it; 'None' when not set. */
  readonly reasons = new Map<string, string>();
  /** Job id → sacct line fields after the id. */
  readonly accounting = new Map<string, string>();
  nextJobId = 100;
  /** sbatch answers, in order (default: accept). */
  readonly sbatchAnswers: SlurmResult[] = [];

  async run(
    tool: SlurmTool,
    args: readonly string[],
    options: { stdin?: string; env?: NodeJS.ProcessEnv } = {},
  ): Promise<SlurmResult> {
    this.calls.push({ tool, args, stdin: options.stdin, env: options.env });
    const ok = (stdout: string): SlurmResult => ({ code: 0, stdout, stderr: '' });
    switch (tool) {
      case 'sbatch': {
        const answer = this.sbatchAnswers.shift();
        if (answer) return answer;
        const id = String(this.nextJobId++);
        const size = Number(/--array=0-(\d+)/.exec(args.join(' '))![1]) + 1;
        for (let index = 0; index < size; index++) this.queue.set(`${id}_${index}`, 'PENDING');
        return ok(`${id}\n`);
      }
      case 'squeue':
        return ok(
          [...this.queue].map(([id, state]) => `${id}|${state}|${this.reasons.get(id) ?? 'None'}\n`).join(''),
        );
      case 'sacct':
        return ok([...this.accounting].map(([id, rest]) => `${id}|${rest}\n`).join(''));
      case 'scancel':
        for (const id of args) if (this.queue.has(id)) this.queue.set(id, 'CANCELLED');
        return ok('');
      default:
        return ok('');
    }
  }

  count(tool: SlurmTool): number {
    return this.calls.filter((call) => call.tool === tool).length;
  }
}

let nextInstance = 1;
function instance(
  templateName: string,
  resources: Partial<ClaimedInstance['resources']> = {},
  concurrencyLimit: number | null = null,
): ClaimedInstance {
  const id = String(nextInstance++);
  return {
    id,
    taskId: id,
    workflowId: '7',
    workflowRunId: '1',
    attempt: 1,
    name: `task-${id}`,
    command: `echo ${id}`,
    templateName,
    status: 'INSTANTIATED',
    backendJobId: null,
    nonce: `nonce-${id}-${process.pid}`,
    reportToken: `jmi_attempt-${id}`,
    concurrencyLimit,
    resources: { memoryMb: null, cores: null, runtimeSeconds: null, queue: null, extra: null, ...resources },
  } as ClaimedInstance;
}

describe('SlurmBackend against a fake Slurm', () => {
  let logDir: string;
  let slurm: FakeSlurm;
  let finished: FinishedReport[];
  let backend: SlurmBackend;
  const backends: SlurmBackend[] = [];

  const make = (
    options: { maxArraySize?: number; submitLimit?: number | null; workerEnforcesRuntime?: boolean } = {},
    deployment?: { id: string },
  ) => {
    const made = new SlurmBackend(
      {
        serverUrl: 'http://jobmon:4000',
        token: 'secret',
        logDir,
        pollIntervalMs: 10,
        workerCommand: ['/usr/bin/node', '/opt/jobmon/worker.js'],
        runner: slurm,
        ...options,
      },
      {
        partitions: parsePartitions(PARTITIONS),
        queues: queuesFromPartitions(parsePartitions(PARTITIONS), parseNodes(NODES)),
        maxArraySize: 1001,
        submitLimit: null,
      },
    );
    made.start({ running: () => undefined, finished: (report) => finished.push(report) }, deployment);
    backends.push(made);
    return made;
  };
  const until = async (what: string, condition: () => boolean) => {
    const deadline = Date.now() + 5_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  beforeEach(() => {
    logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-slurm-unit-'));
    slurm = new FakeSlurm();
    finished = [];
    backend = make();
  });
  afterEach(async () => {
    for (const made of backends.splice(0)) await made.shutdown('detach');
    fs.rmSync(logDir, { recursive: true, force: true });
  });

  it('sends the instances of one template and resources as one array, each element mapped in its file', async () => {
    const fits = [
      instance('fit', { memoryMb: 1024, queue: 'long' }),
      instance('fit', { memoryMb: 1024, queue: 'long' }),
    ];
    const other = instance('plot');
    const results = await backend.submit([fits[0]!, other, fits[1]!]);
    expect(slurm.count('sbatch')).toBe(2);
    expect(results).toEqual([
      expect.objectContaining({ id: fits[0]!.id, accepted: true, backendJobId: '100_0' }),
      expect.objectContaining({ id: fits[1]!.id, accepted: true, backendJobId: '100_1' }),
      expect.objectContaining({ id: other.id, accepted: true, backendJobId: '101_0' }),
    ]);
    const [fitCall, plotCall] = slurm.calls.filter((call) => call.tool === 'sbatch');
    expect(fitCall!.args).toEqual(
      expect.arrayContaining(['--array=0-1', '--partition=long', '--mem=1152M', '--job-name=jobmon-fit']),
    );
    // No queue: Slurm's default partition.
    expect(plotCall!.args).toEqual(expect.arrayContaining(['--array=0-0', '--partition=short']));
    const arrayFile = /--array-file '([^']+)'/.exec(fitCall!.stdin!)![1]!;
    expect(fitCall!.stdin).toContain(`exec '/usr/bin/node' '/opt/jobmon/worker.js' --array-file`);
    expect(readArrayFileTask(arrayFile, 1).task).toMatchObject({
      taskInstanceId: fits[1]!.id,
      command: fits[1]!.command,
      nonce: fits[1]!.nonce, // the worker writes it into the exit and report files
    });
    expect(readArrayFileTask(arrayFile, 0).file).toMatchObject({ serverUrl: 'http://jobmon:4000', logDir });
    // The distributor's token goes nowhere near the job: not into its environment, files or command line.
    // Each element gets its attempt's own credential, in the array file (only the worker reads it).
    expect(fs.readFileSync(arrayFile, 'utf8')).not.toContain('secret');
    expect(fitCall!.env?.JOBMON_TOKEN).toBeUndefined();
    expect(JSON.stringify(fitCall!.env)).not.toContain('secret');
    expect(readArrayFileTask(arrayFile, 1).task.reportToken).toBe(fits[1]!.reportToken);
    expect(fs.statSync(arrayFile).mode & 0o077).toBe(0);
  });

  it("throttles each array with its instances' concurrency limit (%N)", async () => {
    const limited = Array.from({ length: 6 }, () => instance('fit', {}, 2));
    const few = [instance('plot', {}, 10_000), instance('plot', {}, 10_000)];
    const unlimited = [instance('map'), instance('map')];
    await backend.submit([...limited, ...few, ...unlimited]);
    const arrays = slurm.calls
      .filter((call) => call.tool === 'sbatch')
      .map((call) => call.args.find((arg) => arg.startsWith('--array=')));
    expect(arrays).toEqual(['--array=0-5%2', '--array=0-1%2', '--array=0-1']);
  });

  it('leaves the runtime to Slurm alone when asked: --time is the runtime, the worker gets no limit', async () => {
    const slurmOnly = make({ workerEnforcesRuntime: false });
    await slurmOnly.submit([instance('t', { runtimeSeconds: 90, queue: 'long' })]);
    await backend.submit([instance('t', { runtimeSeconds: 90, queue: 'long' })]);
    const [alone, supervised] = slurm.calls.filter((call) => call.tool === 'sbatch');
    const arrayFileOf = (stdin: string | undefined) => /--array-file '([^']+)'/.exec(stdin!)![1]!;
    expect(alone!.args).toContain('--time=0-00:01:30');
    expect(readArrayFileTask(arrayFileOf(alone!.stdin), 0).task.runtimeSeconds).toBeNull();
    // By default the worker ends the command at its runtime, and Slurm's limit is a minute later
    // (within the partition's MaxTime: on `short`, 2 minutes).
    expect(supervised!.args).toContain('--time=0-00:02:30');
    expect(readArrayFileTask(arrayFileOf(supervised!.stdin), 0).task.runtimeSeconds).toBe(90);
  });

  it('splits a batch larger than MaxArraySize', async () => {
    backend = make({ maxArraySize: 2 });
    const results = await backend.submit([
      instance('t'),
      instance('t'),
      instance('t'),
      instance('t'),
      instance('t'),
    ]);
    expect(slurm.calls.filter((call) => call.tool === 'sbatch').map((call) => call.args[2])).toEqual([
      '--array=0-1',
      '--array=0-1',
      '--array=0-0',
    ]);
    expect(results.map((result) => result.accepted && result.backendJobId)).toEqual([
      '100_0',
      '100_1',
      '101_0',
      '101_1',
      '102_0',
    ]);
  });

  it('keeps squeue’s reason for each PENDING job, and drops it once the job runs', async () => {
    const batch = [instance('t'), instance('t'), instance('t')];
    await backend.submit(batch);
    slurm.reasons.set('100_0', 'Resources');
    slurm.reasons.set('100_1', 'QOSMaxJobsPerUserLimit');
    // 100_2 pending with no reason ('None').
    await until('the reasons', () => backend.pendingReasons().size === 2);
    expect(backend.pendingReasons()).toEqual(
      new Map([
        [batch[0]!.id, 'Resources'],
        [batch[1]!.id, 'QOSMaxJobsPerUserLimit'],
      ]),
    );
    slurm.queue.set('100_0', 'RUNNING');
    await until('100_0 running', () => !backend.pendingReasons().has(batch[0]!.id));
    expect([...backend.pendingReasons().keys()]).toEqual([batch[1]!.id]);
  });

  it('follows every job with one squeue per cycle, and reports the ends the workers could not', async () => {
    const batch = Array.from({ length: 6 }, () => instance('t'));
    await backend.submit(batch);
    const squeueBefore = slurm.count('squeue');
    await until('a few poll cycles', () => slurm.count('squeue') >= squeueBefore + 3);
    // One squeue per cycle for six jobs; no sacct while squeue knows them all.
    expect(slurm.count('sacct')).toBe(0);
    expect(finished).toEqual([]);

    // 100_0 reported by its worker (its report file), 100_1 ran out of memory, 100_2 timed out,
    // 100_3 node failure, 100_4 gone from squeue: sacct says PREEMPTED; 100_5 still runs.
    const paths = logPaths(logDir, '7', batch[0]!.id);
    fs.mkdirSync(path.dirname(paths.exitPath), { recursive: true });
    writeReportFile(
      reportFilePath(paths.exitPath),
      { id: batch[0]!.id, outcome: 'DONE', exitCode: 0 },
      batch[0]!.nonce,
    );
    slurm.queue.set('100_0', 'COMPLETED');
    slurm.queue.set('100_1', 'OUT_OF_MEMORY');
    slurm.queue.set('100_2', 'TIMEOUT');
    slurm.queue.set('100_3', 'NODE_FAIL');
    slurm.queue.delete('100_4');
    slurm.accounting.set('100_4', 'PREEMPTED|0:0|2026-11-26T21:50:01|2026-11-26T21:50:09|8|vm');
    slurm.queue.set('100_5', 'RUNNING');
    await until('five ends', () => finished.length === 5);
    const byId = new Map(finished.map((report) => [report.id, report]));
    expect(byId.get(batch[0]!.id)).toEqual({ id: batch[0]!.id, outcome: 'DONE', exitCode: 0 });
    expect(byId.get(batch[1]!.id)).toMatchObject({ outcome: 'RESOURCE_ERROR', errorKind: 'OUT_OF_MEMORY' });
    expect(byId.get(batch[2]!.id)).toMatchObject({ outcome: 'RESOURCE_ERROR', errorKind: 'TIMEOUT' });
    expect(byId.get(batch[3]!.id)).toMatchObject({ outcome: 'UNKNOWN_ERROR', errorKind: 'NODE_FAIL' });
    expect(byId.get(batch[4]!.id)).toMatchObject({
      outcome: 'UNKNOWN_ERROR',
      errorKind: 'PREEMPTED',
      hostname: 'vm',
    });
    expect(backend.load().tracked).toBe(1);
    // sacct is asked about the array once per cycle, not once per job.
    for (const call of slurm.calls.filter((c) => c.tool === 'sacct'))
      expect(call.args.at(-1)).toBe('--jobs=100');
  });

  it('cancels with one scancel and reports the cancelled jobs KILLED', async () => {
    const batch = [instance('t'), instance('t'), instance('t')];
    await backend.submit(batch);
    await backend.cancel(
      batch.map((i) => ({ id: i.id, workflowId: '7', backendJobId: null, nonce: i.nonce })),
    );
    expect(slurm.calls.filter((call) => call.tool === 'scancel').map((call) => call.args)).toEqual([
      ['100_0', '100_1', '100_2'],
    ]);
    await until('three kills', () => finished.length === 3);
    expect(finished.map((report) => report.outcome)).toEqual(['KILLED', 'KILLED', 'KILLED']);
  });

  it('waits and submits again while the user is at MaxSubmitJobsPerUser; refuses with sbatch message otherwise', async () => {
    slurm.sbatchAnswers.push({
      code: 1,
      stdout: '',
      stderr:
        "sbatch: error: QOSMaxSubmitJobPerUserLimit\nsbatch: error: Batch job submission failed: Job violates accounting/QOS policy (job submit limit, user's size and/or time limits)\n",
    });
    const waiting = backend.submit([instance('t')]);
    await until('the first refusal', () => slurm.count('sbatch') === 1);
    expect(backend.freeSlots()).toBe(0);
    const [result] = await waiting;
    expect(result).toMatchObject({ accepted: true, backendJobId: '100_0' });
    expect(slurm.count('sbatch')).toBe(2);
    expect(backend.calls).toMatchObject({ sbatch: 2, 'sbatch retried': 1 });

    slurm.sbatchAnswers.push({
      code: 1,
      stdout: '',
      stderr: 'sbatch: error: Batch job submission failed: Invalid feature specification\n',
    });
    const [refused] = await backend.submit([instance('t', { extra: { constraint: 'nope' } })]);
    expect(refused).toEqual({
      id: expect.any(String),
      accepted: false,
      reason: 'Batch job submission failed: Invalid feature specification',
    });
  }, 15_000);

  it('cancels the job of an instance killed while its sbatch waited for room', async () => {
    slurm.sbatchAnswers.push({ code: 1, stdout: '', stderr: 'sbatch: error: AssocMaxSubmitJobLimit\n' });
    const [kept, killed] = [instance('t'), instance('t')];
    const waiting = backend.submit([kept!, killed!]);
    await until('the first refusal', () => slurm.count('sbatch') === 1);
    await backend.cancel([{ id: killed!.id, workflowId: '7', backendJobId: null, nonce: killed!.nonce }]);
    expect(finished).toEqual([expect.objectContaining({ id: killed!.id, outcome: 'KILLED' })]);
    await waiting;
    expect(slurm.calls.filter((call) => call.tool === 'scancel').map((call) => call.args)).toEqual([
      ['100_1'],
    ]);
    expect(backend.load().tracked).toBe(1);
  }, 15_000);

  it('claims no more than the submit limit allows', async () => {
    backend = make({ submitLimit: 5 });
    expect(backend.freeSlots()).toBe(5);
    await backend.submit([instance('t'), instance('t'), instance('t')]);
    expect(backend.freeSlots()).toBe(2);
  });

  it('adopts the jobs of a previous process: running ones are followed, ended ones reported, unsent ones resubmitted', async () => {
    const [running, ended, journalled, never] = [instance('t'), instance('t'), instance('t'), instance('t')];
    await backend.submit([running!, ended!, journalled!]);
    slurm.queue.set('100_0', 'RUNNING');
    slurm.queue.set('100_1', 'TIMEOUT');
    await backend.shutdown('detach');

    const next = make();
    const results = await next.adopt([
      { ...running!, status: 'RUNNING', backendJobId: '100_0' },
      { ...ended!, status: 'LAUNCHED', backendJobId: '100_1' },
      // Its launch report never reached the server: the submission journal knows its job.
      { ...journalled!, status: 'INSTANTIATED', backendJobId: null },
      { ...never!, status: 'INSTANTIATED', backendJobId: null },
    ]);
    expect(results).toEqual([
      { id: running!.id, state: 'RUNNING' },
      {
        id: ended!.id,
        state: 'FINISHED',
        report: expect.objectContaining({ outcome: 'RESOURCE_ERROR', errorKind: 'TIMEOUT' }),
      },
      { id: journalled!.id, state: 'RUNNING' },
      { id: never!.id, state: 'NOT_STARTED' },
    ]);
    expect(next.load().tracked).toBe(2);
  });

  it("takes no other attempt's files for this one's: another deployment's, or a restored backup's", async () => {
    const first = make({}, { id: 'deployment-a' });
    const [journalled, reported] = [instance('t'), instance('t')];
    await first.submit([journalled!, reported!]);
    // Its worker reported (and wrote its report file) under deployment-a's directory.
    const paths = logPaths(path.join(logDir, 'deployment-a'), '7', reported!.id);
    fs.mkdirSync(path.dirname(paths.exitPath), { recursive: true });
    writeReportFile(
      reportFilePath(paths.exitPath),
      { id: reported!.id, outcome: 'DONE', exitCode: 0, stdoutTail: 'old' },
      reported!.nonce,
    );
    slurm.queue.set('100_0', 'RUNNING');
    slurm.queue.set('100_1', 'COMPLETED');
    await first.shutdown('detach');

    // A second deployment (another database) in the same log directory, with instances of the same ids:
    // the journal and report files of deployment-a are not in its directory.
    const second = make({}, { id: 'deployment-b' });
    const sameIds = [
      { ...journalled!, nonce: 'another-attempt', status: 'INSTANTIATED' as const },
      { ...reported!, nonce: 'another-attempt-too', status: 'LAUNCHED' as const },
    ];
    expect(await second.adopt(sameIds)).toEqual([
      { id: journalled!.id, state: 'NOT_STARTED' },
      { id: reported!.id, state: 'NOT_STARTED' },
    ]);
    // The same deployment after a restore from a backup: the ids come again, with new nonces. The
    // journal's array names another attempt's job, and the report file is another attempt's.
    const restored = make({}, { id: 'deployment-a' });
    expect(await restored.adopt([sameIds[0]!])).toEqual([{ id: journalled!.id, state: 'NOT_STARTED' }]);
    const status = await restored.status([
      { id: reported!.id, workflowId: '7', backendJobId: '100_1', nonce: 'another-attempt-too' },
    ]);
    expect(status.get(reported!.id)).toMatchObject({ state: 'FINISHED', report: { stdoutTail: '' } });
    expect(status.get(reported!.id)).not.toMatchObject({ report: { outcome: 'DONE' } });
    // The attempt itself still finds both.
    expect(await restored.adopt([{ ...journalled!, status: 'INSTANTIATED' }])).toEqual([
      { id: journalled!.id, state: 'RUNNING' },
    ]);
    const own = await restored.status([
      { id: reported!.id, workflowId: '7', backendJobId: '100_1', nonce: reported!.nonce },
    ]);
    expect(own.get(reported!.id)).toMatchObject({ state: 'FINISHED', report: { outcome: 'DONE' } });
  });

  it('deletes an array file and its journal once all its instances are reported, not before', async () => {
    const arrays = path.join(logDir, 'slurm', 'arrays');
    const batch = [instance('t'), instance('t'), instance('t')];
    const single = instance('u');
    await backend.submit([...batch, single]);
    expect(fs.readdirSync(arrays).sort()).toHaveLength(4); // two arrays: .json and .jobid each
    for (const id of ['100_0', '100_1', '100_2', '101_0']) slurm.queue.set(id, 'TIMEOUT');
    await until('four ends', () => finished.length === 4);
    // Ended, but the server has not taken the reports yet: a restarted process may still need them.
    expect(fs.readdirSync(arrays)).toHaveLength(4);
    backend.delivered([batch[0]!.id, batch[1]!.id, single.id]);
    const left = fs.readdirSync(arrays);
    expect(left).toHaveLength(2);
    expect(backend.keptArrayFiles().map((file) => path.basename(file))).toEqual(
      left.filter((name) => name.endsWith('.json')),
    );
    // The array's last instance is still found through the journal by an adopter.
    const next = make();
    const [adopted] = await next.adopt([{ ...batch[2]!, status: 'INSTANTIATED', backendJobId: null }]);
    expect(adopted).toMatchObject({
      state: 'FINISHED',
      report: expect.objectContaining({ errorKind: 'TIMEOUT' }),
    });
    backend.delivered([batch[2]!.id, batch[2]!.id]);
    expect(fs.readdirSync(arrays)).toEqual([]);
    expect(backend.keptArrayFiles()).toEqual([]);
  });

  it('prunes the arrays of adopted instances once those are reported', async () => {
    const arrays = path.join(logDir, 'slurm', 'arrays');
    const [done, running] = [instance('t'), instance('t')];
    await backend.submit([done!, running!]);
    slurm.queue.set('100_0', 'COMPLETED');
    slurm.queue.set('100_1', 'RUNNING');
    await backend.shutdown('detach');
    // The first process had delivered 100_0's end; the next one adopts what the server still lists.
    const next = make();
    expect(await next.adopt([{ ...running!, status: 'RUNNING', backendJobId: '100_1' }])).toEqual([
      { id: running!.id, state: 'RUNNING' },
    ]);
    slurm.queue.set('100_1', 'TIMEOUT');
    await until('its end', () => finished.length === 1);
    expect(fs.readdirSync(arrays)).toHaveLength(2);
    next.delivered([running!.id]);
    expect(fs.readdirSync(arrays)).toEqual([]);
  });
});
