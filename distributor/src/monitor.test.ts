import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { ProcessMonitor, type GroupSample } from './monitor';
import { killGroup } from './proc';

jest.setTimeout(30_000);

const groups: ChildProcess[] = [];
afterEach(() => {
  for (const child of groups.splice(0)) if (child.pid) killGroup(child.pid, 'SIGKILL');
});

/** A process group (leader `sh -c script`) whose script has printed `ready`. */
async function startGroup(script: string): Promise<number> {
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  groups.push(child);
  child.stdout!.setEncoding('utf8');
  let out = '';
  while (!out.includes('ready')) out += String((await once(child.stdout!, 'data'))[0]);
  return child.pid!;
}

/** The first sample of group `pgid` that satisfies `wanted`. */
function sampleWhere(
  monitor: ProcessMonitor,
  pgid: number,
  wanted: (sample: GroupSample) => boolean,
): Promise<GroupSample> {
  return new Promise((resolve) => {
    const stop = monitor.watchGroup(pgid, (sample) => {
      if (!wanted(sample)) return;
      stop();
      resolve(sample);
    });
  });
}

describe('ProcessMonitor', () => {
  it("finds a new group's processes in its leader's tree, without scanning all of /proc", async () => {
    const monitor = new ProcessMonitor({ intervalMs: 60_000, firstSampleMs: 1 });
    const pgid = await startGroup('sleep 30 & sleep 30 & echo ready; wait');
    const first = await sampleWhere(monitor, pgid, () => true);
    expect(first.processes).toBe(3);
    expect(monitor.fullScans).toBe(0);
  });

  it('finds a process that left the tree (re-parented) by its next full scan', async () => {
    const monitor = new ProcessMonitor({ intervalMs: 5, firstSampleMs: 1, fullScanEvery: 2 });
    // The subshell ends at once: its sleep is re-parented, out of the leader's tree but in its group.
    const pgid = await startGroup('(sleep 30 &); echo ready; sleep 30');
    const all = await sampleWhere(monitor, pgid, (sample) => sample.processes === 3);
    expect(all.processes).toBe(3);
    expect(monitor.fullScans).toBeGreaterThan(0);
  });
});
