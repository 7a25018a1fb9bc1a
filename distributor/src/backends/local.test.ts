import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProcessMonitor } from '../monitor';
import { groupMembers, parseProcessJobId } from '../proc';
import { logPaths } from '../log-files';
import { describeBackendConformance } from './conformance';
import { LocalBackend, type LocalBackendOptions } from './local';
import { EventRecorder, claimedInstance as instance, jobRef, waitUntil } from './testing';

jest.setTimeout(30_000);

const monitor = new ProcessMonitor({ intervalMs: 50 });
const capabilities = { runsCommands: true, outOfMemory: true, timeout: true, adoption: true };
describeBackendConformance('local', ({ logDir }) => new LocalBackend({ logDir, monitor }), capabilities);
describeBackendConformance(
  'local, started by spawn()',
  ({ logDir }) => new LocalBackend({ logDir, monitor, start: 'spawn' }),
  capabilities,
);
describeBackendConformance(
  'sequential',
  ({ logDir }) => new LocalBackend({ logDir, monitor, kind: 'sequential' }),
  capabilities,
);

// What only the local backend does: slots and machine bounds, its waiting queue, finding commands by
// their files, and the files of other attempts.

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-backends-'));
});
const backends: LocalBackend[] = [];
afterAll(async () => {
  await Promise.all(backends.map((backend) => backend.shutdown('kill')));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A command that records when it started and ended (ns), in files named after the instance. */
const timed = (seconds: number) =>
  `date +%s%N > ${dir}/$JOBMON_TASK_INSTANCE_ID.start; sleep ${seconds}; date +%s%N > ${dir}/$JOBMON_TASK_INSTANCE_ID.end`;

function maxOverlap(ids: string[]): number {
  const events: [number, number][] = [];
  for (const id of ids) {
    events.push([Number(fs.readFileSync(`${dir}/${id}.start`, 'utf8')), 1]);
    events.push([Number(fs.readFileSync(`${dir}/${id}.end`, 'utf8')), -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, delta] of events) max = Math.max(max, (now += delta));
  return max;
}

function local(options: LocalBackendOptions = {}) {
  const backend = new LocalBackend({ logDir: path.join(dir, 'logs'), monitor, ...options });
  backends.push(backend);
  const events = new EventRecorder();
  backend.start(events);
  return { backend, events };
}

describe('LocalBackend', () => {
  it('never runs more than its slots at once, and uses them all', async () => {
    const { backend, events } = local({ slots: 2, prefetch: 4, cores: 8 });
    expect(backend.freeSlots()).toBe(6);
    const batch = Array.from({ length: 6 }, () => instance(timed(0.3)));
    const results = await backend.submit(batch);
    expect(results.every((result) => result.accepted)).toBe(true);
    // Two started at once, four wait.
    expect(backend.load()).toEqual({ running: 2, waiting: 4 });
    expect(backend.freeSlots()).toBe(0);
    await events.waitFor(6);
    expect([...events.finishedReports.values()].every((report) => report.outcome === 'DONE')).toBe(true);
    expect(events.runningReports.map((report) => report.id).sort()).toEqual(batch.map((i) => i.id).sort());
    expect(events.runningReports.every((report) => /^\d+:\d+$/.test(report.backendJobId ?? ''))).toBe(true);
    expect(maxOverlap(batch.map((i) => i.id))).toBe(2);
    expect(backend.freeSlots()).toBe(6);
  });

  it('spawn() (where there is no setsid) gives the job id at once; the launcher gives it once started', async () => {
    const { backend, events } = local({ slots: 2, start: 'spawn' });
    const [result] = await backend.submit([instance('true')]);
    expect(result).toMatchObject({ accepted: true, backendJobId: expect.stringMatching(/^\d+:\d+$/) });
    await events.waitFor(1);
    const launched = local({ slots: 2 });
    const [viaLauncher] = await launched.backend.submit([instance('true')]);
    expect(viaLauncher).toMatchObject({ accepted: true, backendJobId: null });
    await launched.events.waitFor(1);
    expect(launched.events.runningReports[0]!.backendJobId).toMatch(/^\d+:\d+$/);
  });

  it('reports a command the shell cannot take (a NUL byte) as START_FAILED', async () => {
    const { backend, events } = local({ slots: 1 });
    const bad = instance('echo a\u0000b');
    await backend.submit([bad]);
    await events.waitFor(1);
    expect(events.finishedReports.get(bad.id)).toMatchObject({
      outcome: 'UNKNOWN_ERROR',
      errorKind: 'START_FAILED',
    });
  });

  it('bounds the sum of requested memory by the machine memory', async () => {
    const { backend, events } = local({ slots: 4, cores: 4, memoryMb: 1000 });
    const batch = Array.from({ length: 3 }, () => instance(timed(0.2), { memoryMb: 600 }));
    await backend.submit(batch);
    await events.waitFor(3);
    expect(maxOverlap(batch.map((i) => i.id))).toBe(1);
  });

  it('bounds the sum of requested cores by the machine cores', async () => {
    const { backend, events } = local({ slots: 4, cores: 3 });
    const batch = [
      instance(timed(0.2), { cores: 2 }),
      instance(timed(0.2), { cores: 2 }),
      instance(timed(0.2), { cores: 1 }),
    ];
    await backend.submit(batch);
    await events.waitFor(3);
    // Claim order: the second waits for the first; the third fits beside the second.
    expect(maxOverlap(batch.map((i) => i.id))).toBe(2);
    expect(maxOverlap(batch.slice(0, 2).map((i) => i.id))).toBe(1);
  });

  it('runs a task that asks for more than the machine alone rather than never', async () => {
    const { backend, events } = local({ slots: 2, cores: 2, memoryMb: 100 });
    const [big] = await backend.submit([instance('true', { memoryMb: 500 })]);
    expect(big).toMatchObject({ accepted: true });
    await events.waitFor(1);
  });

  it('sequential runs one at a time and claims one at a time', async () => {
    const { backend, events } = local({ kind: 'sequential' });
    expect(backend.capacity).toBe(1);
    expect(backend.freeSlots()).toBe(1);
    const batch = Array.from({ length: 3 }, () => instance(timed(0.1)));
    await backend.submit(batch);
    await events.waitFor(3);
    expect(maxOverlap(batch.map((i) => i.id))).toBe(1);
  });

  it('describes its queue with the machine bounds', () => {
    const { backend } = local();
    expect(backend.queues).toEqual([
      {
        name: 'local',
        minCores: 1,
        maxCores: os.cpus().length,
        maxMemoryMb: Math.floor(os.totalmem() / 1024 / 1024),
      },
    ]);
    expect(backend.capacity).toBe(os.cpus().length);
  });

  it('cancels a waiting instance before it starts, and leaves no process of a running one', async () => {
    const { backend, events } = local({ slots: 1, prefetch: 1 });
    const [first, second] = [instance('sleep 100'), instance('sleep 100')];
    await backend.submit([first!, second!]);
    await waitUntil(() => events.runningReports.length === 1);
    const pid = parseProcessJobId(events.runningReports[0]!.backendJobId)!.pid;
    await backend.cancel([jobRef(first!), jobRef(second!)]);
    await events.waitFor(2);
    expect(events.finishedReports.get(first!.id)?.outcome).toBe('KILLED');
    expect(events.finishedReports.get(second!.id)).toMatchObject({
      outcome: 'KILLED',
      errorMessage: 'killed before it started',
    });
    expect(groupMembers(pid)).toEqual([]);
    // The waiting one never started.
    expect(events.runningReports.map((report) => report.id)).toEqual([first!.id]);
  });

  it('finds a running command whose job id was never recorded by its exit file path', async () => {
    const before = local({ slots: 1 });
    const lost = instance('sleep 0.4; exit 6');
    await before.backend.submit([lost]);
    await before.backend.shutdown('detach');
    // (A new process starts well after the command has: it has exec'ed its wrapper by then.)
    await waitUntil(() => fs.existsSync(path.join(dir, 'logs', '1', `${lost.id}.out`)));
    const after = local({ slots: 1 });
    const [adopted] = await after.backend.adopt([{ ...lost, status: 'LAUNCHED', backendJobId: null }]);
    expect(adopted).toEqual({ id: lost.id, state: 'RUNNING' });
    await after.events.waitFor(1);
    expect(after.events.finishedReports.get(lost.id)).toMatchObject({ outcome: 'ERROR', exitCode: 6 });
  });

  it('takes no result from files another attempt left at its paths (another database, a restored backup)', async () => {
    const { backend } = local({ slots: 1 });
    const [stale, foreign] = [instance('echo new'), instance('echo new')];
    for (const [attempt, exitText] of [
      [stale!, '0\n0m0.01s 0m0.01s\n0m0.00s 0m0.00s\n'], // an exit file of the format before nonces
      [foreign!, 'another-attempts-nonce\n0\n0m0.01s 0m0.01s\n0m0.00s 0m0.00s\n'],
    ] as const) {
      const paths = logPaths(path.join(dir, 'logs'), attempt.workflowId, attempt.id);
      fs.mkdirSync(path.dirname(paths.exitPath), { recursive: true });
      fs.writeFileSync(paths.exitPath, exitText);
      fs.writeFileSync(paths.stdoutPath, 'old output\n');
      fs.writeFileSync(paths.stderrPath, '');
    }
    const adopted = await backend.adopt([
      { ...stale!, status: 'LAUNCHED' },
      { ...foreign!, status: 'INSTANTIATED' },
    ]);
    expect(adopted).toEqual([
      { id: stale!.id, state: 'NOT_STARTED' },
      { id: foreign!.id, state: 'NOT_STARTED' },
    ]);
    const statuses = await backend.status([
      { id: stale!.id, workflowId: '1', backendJobId: null, nonce: stale!.nonce },
    ]);
    expect(statuses.get(stale!.id)).toMatchObject({ state: 'UNKNOWN' });
  });

  it('tells a waiting instance PENDING', async () => {
    const { backend, events } = local({ slots: 1, prefetch: 1 });
    const [a, b] = [instance('sleep 0.3'), instance('sleep 0.3')];
    await backend.submit([a!, b!]);
    const statuses = await backend.status([jobRef(a!), jobRef(b!)]);
    expect(statuses.get(a!.id)).toEqual({ state: 'RUNNING' });
    expect(statuses.get(b!.id)).toEqual({ state: 'PENDING' });
    await events.waitFor(2);
  });
});
