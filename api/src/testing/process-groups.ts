import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

// Child processes of tests lead process groups of their own and are signalled as groups, so whatever they
// started goes with them; whatever is left when the test process exits is killed with it.

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Sends `signal` to `child`'s process group (it leads one: spawned by spawnTracked). */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

/** `spawn`, the child leading a new process group, killed (as a group) when the test process exits. */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  running.add(child);
  child.once('exit', () => {
    running.delete(child);
    signalGroup(child, 'SIGKILL'); // what it started and left in its group
  });
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const left of running) signalGroup(left, 'SIGKILL');
    });
  }
  return child;
}
