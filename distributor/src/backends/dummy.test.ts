import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeBackendConformance } from './conformance';
import { DummyBackend } from './dummy';
import { EventRecorder, claimedInstance, jobRef } from './testing';

describeBackendConformance('dummy', () => new DummyBackend(), {
  runsCommands: false,
  outOfMemory: false,
  timeout: false,
  adoption: false,
});

describe('DummyBackend', () => {
  it('completes every instance at once without running anything', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-dummy-'));
    try {
      const backend = new DummyBackend({ slots: 50 });
      const events = new EventRecorder();
      backend.start(events);
      expect(backend.freeSlots()).toBe(50);
      const marker = path.join(dir, 'dummy-ran');
      const batch = Array.from({ length: 5 }, () => claimedInstance(`touch ${marker}`));
      await backend.submit(batch);
      // At once: reported before submit returned.
      expect(events.finishedReports.size).toBe(5);
      expect(fs.existsSync(marker)).toBe(false);
      expect(backend.queues).toEqual([{ name: 'dummy' }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeBackendConformance('dummy holding for 0 s', () => new DummyBackend({ hold: { seconds: 0 } }), {
  runsCommands: false,
  outOfMemory: false,
  timeout: false,
  adoption: false,
});

describe('DummyBackend with hold', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reports each instance RUNNING and holds it until its time is over, then DONE', async () => {
    const backend = new DummyBackend({ slots: 3, hold: { seconds: 60 } });
    const events = new EventRecorder();
    backend.start(events);
    const batch = [claimedInstance('x'), claimedInstance('y')];
    const results = await backend.submit(batch);
    expect(results.every((result) => result.accepted && result.backendJobId)).toBe(true);
    expect(events.runningReports.map((report) => report.id)).toEqual(batch.map((instance) => instance.id));
    expect(backend.holding()).toBe(2);
    // It holds `slots` at once: one more fits.
    expect(backend.freeSlots()).toBe(1);
    expect(await backend.status(batch.map((instance) => jobRef(instance)))).toEqual(
      new Map(batch.map((instance) => [instance.id, { state: 'RUNNING' }])),
    );
    jest.advanceTimersByTime(59_999);
    expect(events.finishedReports.size).toBe(0);
    jest.advanceTimersByTime(1);
    expect([...events.finishedReports.values()].map((report) => report.outcome)).toEqual(['DONE', 'DONE']);
    expect(backend.holding()).toBe(0);
    expect(backend.freeSlots()).toBe(3);
  });

  it('without a time, holds until cancelled (KILLED) or stopped (UNKNOWN_ERROR, to be retried)', async () => {
    const backend = new DummyBackend({ hold: {} });
    const events = new EventRecorder();
    backend.start(events);
    const [cancelled, stopped] = [claimedInstance('x'), claimedInstance('y')];
    await backend.submit([cancelled!, stopped!]);
    jest.advanceTimersByTime(365 * 86_400_000);
    expect(events.finishedReports.size).toBe(0);
    await backend.cancel([jobRef(cancelled!)]);
    expect(events.finishedReports.get(cancelled!.id)?.outcome).toBe('KILLED');
    await backend.shutdown('kill');
    expect(events.finishedReports.get(stopped!.id)).toMatchObject({
      outcome: 'UNKNOWN_ERROR',
      errorKind: 'DISTRIBUTOR_STOPPED',
    });
    expect(backend.freeSlots()).toBe(0);
  });

  it('heartbeats each held instance by itself once per interval, spread over it, with its credential', async () => {
    const sent: { id: string; token: string | null }[] = [];
    const kill = new Set<string>();
    const backend = new DummyBackend({
      hold: {
        workerHeartbeats: {
          heartbeatSeconds: 30,
          send: async (id, token) => {
            sent.push({ id, token });
            return [...kill];
          },
        },
      },
    });
    const events = new EventRecorder();
    backend.start(events);
    const batch = Array.from({ length: 50 }, (_, i) =>
      claimedInstance('x', {}, { reportToken: `token-${i}` }),
    );
    // Spread over the interval, from its very start (0 ms) to near its end, so that the window's
    // edges are checked every run, not once in hundreds.
    let call = 0;
    const random = jest.spyOn(Math, 'random').mockImplementation(() => (call++ % 50) / 50);
    try {
      await backend.submit(batch);
    } finally {
      random.mockRestore();
    }
    // Within the first interval, [0, 30 s), every instance has sent exactly one heartbeat, at its own moment
    // (the one that started at 0 ms sends its second at 30,000 ms: the next interval's).
    jest.advanceTimersByTime(29_999);
    expect(sent.map((beat) => beat.id).sort()).toEqual(batch.map((instance) => instance.id).sort());
    expect(sent.map((beat) => beat.token).sort()).toEqual(
      batch.map((instance) => instance.reportToken).sort(),
    );
    jest.advanceTimersByTime(30_000);
    expect(sent).toHaveLength(100);
    // The server's answer kills: that instance ends KILLED and heartbeats no more.
    kill.add(batch[0]!.id);
    await jest.advanceTimersByTimeAsync(30_000);
    expect(events.finishedReports.get(batch[0]!.id)?.outcome).toBe('KILLED');
    expect(backend.holding()).toBe(49);
    const after = sent.length;
    kill.clear();
    jest.advanceTimersByTime(30_000);
    expect(sent.length - after).toBe(49);
    await backend.shutdown('detach');
    // Detached: nothing reported, nothing sent any more.
    jest.advanceTimersByTime(60_000);
    expect(sent.length - after).toBe(49);
    expect(events.finishedReports.size).toBe(1);
  });
});
