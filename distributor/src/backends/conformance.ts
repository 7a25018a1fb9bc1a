import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Backend, ClaimedInstance, FinishedReport, SubmitResult } from '../backend';
import { EventRecorder, claimedInstance, jobRef, waitUntil } from './testing';

// The contract every `Backend` keeps, as one Jest suite that each backend's test file runs against
// its own backend (`describeBackendConformance`). What only some backends can do is switched on by
// their capabilities; what is particular to one backend is tested beside it.

export interface BackendCapabilities {
  /** It runs the commands (false: the dummy backend, which finishes every instance DONE at once). */
  runsCommands: boolean;
  /** It ends a command whose processes use more than its `memoryMb`: RESOURCE_ERROR OUT_OF_MEMORY. */
  outOfMemory: boolean;
  /** It ends a command that runs longer than its `runtimeSeconds`: RESOURCE_ERROR TIMEOUT. */
  timeout: boolean;
  /** A new backend of its kind takes over what a detached one left running (after a restart). */
  adoption: boolean;
}

export interface ConformanceOptions {
  /** How long a test waits for an end (ms, default 20 s); also bounds each test (× 3). */
  timeoutMs?: number;
}

/** Makes a backend writing its files under `logDir` (not started: the suite starts it). */
export type BackendFactory = (context: { logDir: string }) => Backend | Promise<Backend>;

const notApplicable = (): void => undefined;

/** Runs the contract of `Backend` against the backends `factory` makes. */
export function describeBackendConformance(
  name: string,
  factory: BackendFactory,
  capabilities: BackendCapabilities,
  options: ConformanceOptions = {},
): void {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const testTimeoutMs = timeoutMs * 3;
  // A case a backend cannot meet is not registered at all (rather than skipped): a skip in CI means a
  // missing service.
  const when = (enabled: boolean | undefined): jest.It =>
    enabled ? it : (notApplicable as unknown as jest.It);
  const whenRunning = when(capabilities.runsCommands);

  describe(`Backend conformance: ${name}`, () => {
    let dir: string;
    let logDir: string;
    const made: Backend[] = [];

    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-conformance-'));
      logDir = path.join(dir, 'logs');
    });
    afterEach(async () => {
      await Promise.all(made.splice(0).map((backend) => backend.shutdown('kill')));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** A started backend and what it reports. */
    const start = async () => {
      const backend = await factory({ logDir });
      made.push(backend);
      const events = new EventRecorder();
      backend.start(events);
      return { backend, events };
    };
    /** A file the command creates: the evidence that it ran (and when it has started). */
    const marker = (label: string) => path.join(dir, `${label}-${Math.random().toString(36).slice(2)}`);
    /** A command that says it started, then waits until the test creates its gate file. */
    const gated = (started: string, gate: string, end = 'exit 0') =>
      `touch '${started}'; while [ ! -e '${gate}' ]; do sleep 0.05; done; ${end}`;
    const accepted = (results: SubmitResult[], instance: ClaimedInstance) => {
      const result = results.find((candidate) => candidate.id === instance.id);
      if (!result?.accepted)
        throw new Error(`instance ${instance.id} was not accepted: ${JSON.stringify(result)}`);
      return result;
    };
    const isDate = (value: unknown) => typeof value === 'string' && !Number.isNaN(Date.parse(value));

    it('describes itself: a kind, a capacity, its queues and free slots', async () => {
      const { backend } = await start();
      expect(backend.kind).toEqual(expect.any(String));
      expect(backend.capacity).toBeGreaterThanOrEqual(1);
      expect(backend.queues.length).toBeGreaterThanOrEqual(1);
      for (const queue of backend.queues) expect(queue.name).toEqual(expect.any(String));
      expect(backend.freeSlots()).toBeGreaterThanOrEqual(1);
    });

    it(
      'takes a batch: one accepted result per instance, and each instance ends DONE',
      async () => {
        const { backend, events } = await start();
        const batch = Array.from({ length: 3 }, () => claimedInstance('true'));
        const results = await backend.submit(batch);
        expect(results.map((result) => result.id).sort()).toEqual(
          batch.map((instance) => instance.id).sort(),
        );
        expect(results.every((result) => result.accepted)).toBe(true);
        const reports = await events.waitForIds(
          batch.map((instance) => instance.id),
          timeoutMs,
        );
        expect(reports.map((report) => report.outcome)).toEqual(['DONE', 'DONE', 'DONE']);
      },
      testTimeoutMs,
    );

    it(
      'reports a command that exits 0 as DONE, with its evidence',
      async () => {
        const { backend, events } = await start();
        const ran = marker('ran');
        const done = claimedInstance(`touch '${ran}'; echo out; echo err >&2; exit 0`);
        const results = await backend.submit([done]);
        accepted(results, done);
        const [report] = await events.waitForIds([done.id], timeoutMs);
        expect(report).toMatchObject({ id: done.id, outcome: 'DONE', exitCode: 0 });
        expect(report!.hostname).toEqual(expect.any(String));
        expect(isDate(report!.startedAt)).toBe(true);
        expect(isDate(report!.finishedAt)).toBe(true);
        expect(Date.parse(report!.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(report!.startedAt!));
        expect(report!.usage?.wallSeconds).toBeGreaterThanOrEqual(0);
        if (!capabilities.runsCommands) return;
        expect(fs.existsSync(ran)).toBe(true);
        // Its output is in its log files, and their tails are in the report.
        expect(report).toMatchObject({ stdoutTail: 'out\n', stderrTail: 'err\n' });
        expect(fs.readFileSync(report!.stdoutPath!, 'utf8')).toBe('out\n');
        expect(fs.readFileSync(report!.stderrPath!, 'utf8')).toBe('err\n');
      },
      testTimeoutMs,
    );

    whenRunning(
      'reports a non-zero exit as ERROR with its exit code and output',
      async () => {
        const { backend, events } = await start();
        const failing = claimedInstance('echo hi; echo why >&2; exit 3');
        accepted(await backend.submit([failing]), failing);
        const [report] = await events.waitForIds([failing.id], timeoutMs);
        expect(report).toMatchObject({
          outcome: 'ERROR',
          exitCode: 3,
          stdoutTail: 'hi\n',
          stderrTail: 'why\n',
        });
        expect(report!.errorMessage).toMatch(/exit code 3/);
      },
      testTimeoutMs,
    );

    whenRunning(
      'runs any command text verbatim (quotes, newlines, $, backslashes), with its instance id',
      async () => {
        const { backend, events } = await start();
        const command = [
          `x='it'"'"'s'; echo "$x \\$HOME"' $HOME \`a\`'`,
          `printf '%s\\n' 'line two' "$JOBMON_TASK_INSTANCE_ID"; exit 2`,
        ].join('\n');
        const tricky = claimedInstance(command);
        await backend.submit([tricky]);
        const [report] = await events.waitForIds([tricky.id], timeoutMs);
        expect(report).toMatchObject({
          outcome: 'ERROR',
          exitCode: 2,
          stdoutTail: `it's $HOME $HOME \`a\`\nline two\n${tricky.id}\n`,
        });
      },
      testTimeoutMs,
    );

    whenRunning(
      "gives the command none of the distributor's secrets",
      async () => {
        const saved = process.env.JOBMON_TOKEN;
        process.env.JOBMON_TOKEN = 'jm_the-distributors-own-token';
        try {
          const { backend, events } = await start();
          const echo = claimedInstance('echo "token=$JOBMON_TOKEN"; env');
          await backend.submit([echo]);
          const [report] = await events.waitForIds([echo.id], timeoutMs);
          expect(report!.stdoutTail).toMatch(/^token=\n/);
          expect(report!.stdoutTail).not.toContain('jm_the-distributors-own-token');
        } finally {
          if (saved === undefined) delete process.env.JOBMON_TOKEN;
          else process.env.JOBMON_TOKEN = saved;
        }
      },
      testTimeoutMs,
    );

    whenRunning(
      'cancel ends a running command: KILLED',
      async () => {
        const { backend, events } = await start();
        const started = marker('started');
        const running = claimedInstance(gated(started, marker('never')));
        const results = await backend.submit([running]);
        const { backendJobId } = accepted(results, running);
        await waitUntil(() => fs.existsSync(started), timeoutMs, 'the command to start');
        await backend.cancel([jobRef(running, backendJobId)]);
        const [report] = await events.waitForIds([running.id], timeoutMs);
        expect(report!.outcome).toBe('KILLED');
      },
      testTimeoutMs,
    );

    it('cancel of an instance it does not run reports it KILLED', async () => {
      const { backend, events } = await start();
      const stranger = claimedInstance('true');
      await backend.cancel([jobRef(stranger)]);
      const [report] = await events.waitForIds([stranger.id], timeoutMs);
      expect(report!.outcome).toBe('KILLED');
    });

    it('tells the status of an instance it has no trace of: UNKNOWN', async () => {
      const { backend } = await start();
      const stranger = claimedInstance('true');
      const statuses = await backend.status([jobRef(stranger)]);
      expect(statuses.get(stranger.id)).toMatchObject({ state: 'UNKNOWN', reason: expect.any(String) });
    });

    whenRunning(
      'tells a running command RUNNING (or PENDING), and a new backend tells it FINISHED once it ended',
      async () => {
        const { backend, events } = await start();
        const [started, gate] = [marker('started'), marker('gate')];
        const running = claimedInstance(gated(started, gate, 'exit 0'));
        const { backendJobId } = accepted(await backend.submit([running]), running);
        const during = await backend.status([jobRef(running, backendJobId)]);
        expect(['PENDING', 'RUNNING']).toContain(during.get(running.id)?.state);
        await waitUntil(() => fs.existsSync(started), timeoutMs, 'the command to start');
        expect((await backend.status([jobRef(running, backendJobId)])).get(running.id)).toEqual({
          state: 'RUNNING',
        });
        fs.writeFileSync(gate, '');
        await events.waitForIds([running.id], timeoutMs);
        const jobId = backendJobId ?? runningJobId(events, running.id);
        const later = await start();
        const after = await later.backend.status([jobRef(running, jobId)]);
        expect(after.get(running.id)).toMatchObject({
          state: 'FINISHED',
          report: { outcome: 'DONE', exitCode: 0 },
        });
      },
      testTimeoutMs,
    );

    when(capabilities.outOfMemory)(
      'ends a command over its memory: RESOURCE_ERROR OUT_OF_MEMORY',
      async () => {
        const { backend, events } = await start();
        // Grows by 20 MiB every 20 ms (touched pages, so resident) until it is killed.
        const grow = `node -e "const a=[];setInterval(()=>a.push(Buffer.alloc(20*1024*1024,1)),20)"`;
        const hungry = claimedInstance(grow, { memoryMb: 150, runtimeSeconds: 60 });
        await backend.submit([hungry]);
        const [report] = await events.waitForIds([hungry.id], timeoutMs);
        expect(report).toMatchObject({ outcome: 'RESOURCE_ERROR', errorKind: 'OUT_OF_MEMORY' });
      },
      testTimeoutMs,
    );

    when(capabilities.timeout)(
      'ends a command over its runtime: RESOURCE_ERROR TIMEOUT',
      async () => {
        const { backend, events } = await start();
        const slow = claimedInstance('sleep 100', { runtimeSeconds: 1 });
        await backend.submit([slow]);
        const [report] = await events.waitForIds([slow.id], timeoutMs);
        expect(report).toMatchObject({ outcome: 'RESOURCE_ERROR', errorKind: 'TIMEOUT' });
      },
      testTimeoutMs,
    );

    it('adopts an instance it never ran as NOT_STARTED (it may be submitted again)', async () => {
      const { backend } = await start();
      const never = claimedInstance('true');
      expect(await backend.adopt([{ ...never, status: 'LAUNCHED' }])).toEqual([
        { id: never.id, state: 'NOT_STARTED' },
      ]);
    });

    when(capabilities.adoption)(
      'a new backend adopts what a detached one left running (and reports its real exit), and what ended meanwhile',
      async () => {
        const before = await start();
        const [started, gate] = [marker('started'), marker('gate')];
        const running = claimedInstance(gated(started, gate, 'echo done; exit 4'));
        const endedEarly = claimedInstance('exit 5');
        const neverStarted = claimedInstance('true');
        // One after the other: a backend of one slot runs them so too.
        await before.backend.submit([endedEarly]);
        await before.events.waitForIds([endedEarly.id], timeoutMs);
        const { backendJobId } = accepted(await before.backend.submit([running]), running);
        await waitUntil(() => fs.existsSync(started), timeoutMs, 'the command to start');
        await before.backend.shutdown('detach');

        const after = await start();
        const jobId = backendJobId ?? runningJobId(before.events, running.id);
        const adopted = await after.backend.adopt([
          { ...running, status: 'RUNNING', backendJobId: jobId },
          // Its start never reached the server (no job id): the backend finds it by its own records.
          { ...endedEarly, status: 'LAUNCHED', backendJobId: null },
          { ...neverStarted, status: 'LAUNCHED' },
        ]);
        expect(adopted).toEqual([
          { id: running.id, state: 'RUNNING' },
          {
            id: endedEarly.id,
            state: 'FINISHED',
            report: expect.objectContaining({ outcome: 'ERROR', exitCode: 5 }),
          },
          { id: neverStarted.id, state: 'NOT_STARTED' },
        ]);
        fs.writeFileSync(gate, '');
        const [report] = await after.events.waitForIds([running.id], timeoutMs);
        expect(report).toMatchObject({ outcome: 'ERROR', exitCode: 4, stdoutTail: 'done\n' });
      },
      testTimeoutMs,
    );

    it(
      'shutdown(kill) ends what runs as UNKNOWN_ERROR DISTRIBUTOR_STOPPED (to be retried), and takes no more',
      async () => {
        const { backend, events } = await start();
        let report: FinishedReport | undefined;
        if (capabilities.runsCommands) {
          const started = marker('started');
          const running = claimedInstance(gated(started, marker('never')));
          await backend.submit([running]);
          await waitUntil(() => fs.existsSync(started), timeoutMs, 'the command to start');
          await backend.shutdown('kill');
          [report] = await events.waitForIds([running.id], timeoutMs);
          expect(report).toMatchObject({ outcome: 'UNKNOWN_ERROR', errorKind: 'DISTRIBUTOR_STOPPED' });
        } else await backend.shutdown('kill');
        expect(backend.freeSlots()).toBe(0);
      },
      testTimeoutMs,
    );
  });
}

/** The job id a backend gave in its RUNNING report (the local launcher knows it only once started). */
function runningJobId(events: EventRecorder, id: string): string | null {
  return events.runningReports.find((report) => report.id === id)?.backendJobId ?? null;
}
