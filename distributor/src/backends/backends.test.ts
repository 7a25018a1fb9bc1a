import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackendEvents, ClaimedInstance, FinishedReport, RunningReport } from '../backend';
import { ProcessMonitor } from '../monitor';
import { groupMembers, parseProcessJobId } from '../proc';
import { DummyBackend } from './dummy';
import { LocalBackend, type LocalBackendOptions } from './local';
import { logPaths } from '../supervisor';

jest.setTimeout(30_000);

let dir: string;
let nextId = 1000;
const monitor = new ProcessMonitor({ intervalMs: 50 });

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-backends-'));
});
const backends: LocalBackend[] = [];
afterAll(async () => {
  await Promise.all(backends.map((backend) => backend.shutdown('kill')));
  fs.rmSync(dir, { recursive: true, force: true });
});

function instance(command: string, resources: Partial<ClaimedInstance['resources']> = {}): ClaimedInstance {
  const id = String(nextId++);
  return {
    id,
    taskId: id,
    workflowId: '1',
    workflowRunId: '1',
    attempt: 1,
    name: `task-${id}`,
    command,
    templateName: 't',
    concurrencyLimit: null,
    nonce: `nonce-${id}-${process.pid}`,
    status: 'INSTANTIATED',
    backendJobId: null,
    reportToken: null,
    resources: { memoryMb: null, cores: null, runtimeSeconds: null, queue: null, extra: null, ...resources },
  };
}

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

class Recorder implements BackendEvents {
  readonly runningReports: RunningReport[] = [];
  readonly finishedReports = new Map<string, FinishedReport>();
  private waiters: (() => void)[] = [];
  running(report: RunningReport): void {
    this.runningReports.push(report);
  }
  finished(report: FinishedReport): void {
    this.finishedReports.set(report.id, report);
    for (const waiter of this.waiters.splice(0)) waiter();
  }
  async waitFor(count: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.finishedReports.size < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.finishedReports.size} of ${count} finished`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function local(options: LocalBackendOptions = {}) {
  const backend = new LocalBackend({ logDir: path.join(dir, 'logs'), monitor, ...options });
  backends.push(backend);
  const events = new Recorder();
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

  it('starts commands with spawn() too (where there is no setsid), with the same results', async () => {
    const { backend, events } = local({ slots: 2, prefetch: 2, start: 'spawn' });
    const batch = [instance(timed(0.2)), instance(timed(0.2)), instance('echo hi; exit 3')];
    const results = await backend.submit(batch);
    // spawn() gives the job id at once.
    expect(results.filter((result) => result.accepted && result.backendJobId).length).toBe(2);
    await events.waitFor(3);
    expect(maxOverlap(batch.slice(0, 2).map((i) => i.id))).toBe(2);
    expect(events.finishedReports.get(batch[2]!.id)).toMatchObject({
      outcome: 'ERROR',
      exitCode: 3,
      stdoutTail: 'hi\n',
    });
  });

  it("gives commands started by the launcher or spawn() none of the distributor's secrets", async () => {
    const saved = process.env.JOBMON_TOKEN;
    process.env.JOBMON_TOKEN = 'jm_the-distributors-own-token';
    try {
      for (const start of ['launcher', 'spawn'] as const) {
        const { backend, events } = local({ slots: 1, start });
        const echo = instance('echo "token=$JOBMON_TOKEN"; env');
        await backend.submit([echo]);
        await events.waitFor(1);
        const tail = events.finishedReports.get(echo.id)!.stdoutTail ?? '';
        expect(tail).toMatch(/^token=\n/);
        expect(tail).not.toContain('jm_the-distributors-own-token');
      }
    } finally {
      if (saved === undefined) delete process.env.JOBMON_TOKEN;
      else process.env.JOBMON_TOKEN = saved;
    }
  });

  it('passes any command text through the launcher verbatim: quotes, newlines, $, backslashes', async () => {
    const { backend, events } = local({ slots: 1 });
    const command = [
      `x='it'"'"'s'; echo "$x \\$HOME"' $HOME \`a\`'`,
      `printf '%s\\n' 'line two' "$JOBMON_TASK_INSTANCE_ID"; exit 2`,
    ].join('\n');
    const tricky = instance(command);
    const bad = instance('echo a\u0000b');
    await backend.submit([tricky, bad]);
    await events.waitFor(2);
    expect(events.finishedReports.get(tricky.id)).toMatchObject({
      outcome: 'ERROR',
      exitCode: 2,
      stdoutTail: `it's $HOME $HOME \`a\`\nline two\n${tricky.id}\n`,
    });
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

  it('cancels running and waiting instances: KILLED, and no process is left', async () => {
    const { backend, events } = local({ slots: 1, prefetch: 1 });
    const [first, second] = [instance('sleep 100'), instance('sleep 100')];
    await backend.submit([first!, second!]);
    await waitUntil(() => events.runningReports.length === 1);
    const pid = parseProcessJobId(events.runningReports[0]!.backendJobId)!.pid;
    await backend.cancel([
      { id: first!.id, workflowId: '1', backendJobId: null, nonce: first!.nonce },
      { id: second!.id, workflowId: '1', backendJobId: null, nonce: second!.nonce },
    ]);
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

  it('a new backend adopts what a detached one left running, and reports its real exit', async () => {
    const before = local({ slots: 2 });
    // It waits for a gate file rather than a fixed time, so that it is surely still running when adopted
    // on a loaded machine.
    const gate = path.join(dir, 'adopt-gate');
    const running = instance(`while [ ! -e '${gate}' ]; do sleep 0.02; done; echo done; exit 4`);
    const finishedEarly = instance('exit 5');
    const neverStarted = instance('true');
    await before.backend.submit([running]);
    await before.backend.submit([finishedEarly]);
    await before.events.waitFor(1);
    await waitUntil(() => before.events.runningReports.some((report) => report.id === running.id));
    await before.backend.shutdown('detach');

    const after = local({ slots: 2 });
    const jobId = before.events.runningReports.find((report) => report.id === running.id)!.backendJobId!;
    const adopted = await after.backend.adopt([
      { ...running, status: 'RUNNING', backendJobId: jobId },
      // Its RUNNING report never arrived (no job id): its files tell it ran and how it ended.
      { ...finishedEarly, status: 'LAUNCHED', backendJobId: null },
      { ...neverStarted, status: 'LAUNCHED' },
    ]);
    expect(adopted[0]).toEqual({ id: running.id, state: 'RUNNING' });
    expect(adopted[1]).toMatchObject({
      id: finishedEarly.id,
      state: 'FINISHED',
      report: { outcome: 'ERROR', exitCode: 5 },
    });
    expect(adopted[2]).toEqual({ id: neverStarted.id, state: 'NOT_STARTED' });
    fs.writeFileSync(gate, '');
    await after.events.waitFor(1);
    expect(after.events.finishedReports.get(running.id)).toMatchObject({
      outcome: 'ERROR',
      exitCode: 4,
      stdoutTail: 'done\n',
    });
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

  it('status tells running, waiting, finished (from the files) and unknown', async () => {
    const { backend, events } = local({ slots: 1, prefetch: 1 });
    const [a, b] = [instance('sleep 0.3'), instance('sleep 0.3')];
    await backend.submit([a!, b!]);
    const statuses = await backend.status([
      { id: a!.id, workflowId: '1', backendJobId: null, nonce: a!.nonce },
      { id: b!.id, workflowId: '1', backendJobId: null, nonce: b!.nonce },
      { id: 'nope', workflowId: '1', backendJobId: null, nonce: 'nope' },
    ]);
    expect(statuses.get(a!.id)).toEqual({ state: 'RUNNING' });
    expect(statuses.get(b!.id)).toEqual({ state: 'PENDING' });
    expect(statuses.get('nope')).toMatchObject({ state: 'UNKNOWN' });
    await events.waitFor(2);
    const later = await new LocalBackend({ logDir: path.join(dir, 'logs') }).status([
      { id: a!.id, workflowId: '1', backendJobId: null, nonce: a!.nonce },
    ]);
    expect(later.get(a!.id)).toMatchObject({ state: 'FINISHED', report: { outcome: 'DONE', exitCode: 0 } });
  });

  it('shutdown(kill) ends running commands and reports them for a retry', async () => {
    const { backend, events } = local({ slots: 1 });
    await backend.submit([instance('sleep 100')]);
    await backend.shutdown('kill');
    await events.waitFor(1);
    expect([...events.finishedReports.values()][0]).toMatchObject({
      outcome: 'UNKNOWN_ERROR',
      errorKind: 'DISTRIBUTOR_STOPPED',
    });
    expect(backend.freeSlots()).toBe(0);
  });
});

describe('DummyBackend', () => {
  it('completes every instance at once without running anything', async () => {
    const backend = new DummyBackend({ slots: 50 });
    const events = new Recorder();
    backend.start(events);
    expect(backend.freeSlots()).toBe(50);
    const marker = path.join(dir, 'dummy-ran');
    const batch = Array.from({ length: 5 }, () => instance(`touch ${marker}`));
    const results = await backend.submit(batch);
    expect(results.every((result) => result.accepted)).toBe(true);
    expect(events.finishedReports.size).toBe(5);
    expect([...events.finishedReports.values()].every((r) => r.outcome === 'DONE' && r.exitCode === 0)).toBe(
      true,
    );
    expect(fs.existsSync(marker)).toBe(false);
    expect(backend.queues).toEqual([{ name: 'dummy' }]);
  });
});
