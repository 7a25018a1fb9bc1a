import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from './e2e';
import { killProcessesMentioning, spawnTracked } from './processes';

// What a CLI session's teardown relies on: the commands a local backend left running under its scratch
// directory go, each with its whole process group, and nothing else does.

/** Resolves with the first line `child` writes to stdout. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    };
    child.stdout!.on('data', onData);
    child.once('exit', () => reject(new Error(`exited before writing a line: ${text}`)));
  });
}

/** Whether process `pid` is gone (a zombie counts: it runs no more). */
function isGone(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

describe('killProcessesMentioning', () => {
  it('kills the process groups of the processes whose command line mentions the text, and no other', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-kill-mentioning-'));
    let holder: ChildProcess | undefined;
    let grandchildPid: number | undefined;
    let bystander: ChildProcess | undefined;
    try {
      // A command as a local backend starts it: a session of its own, its script under the scratch
      // directory, and a child in its group whose command line does not mention that directory.
      const script = path.join(dir, 'hold.js');
      fs.writeFileSync(
        script,
        `const child = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)']);
         console.log(child.pid);
         setInterval(() => {}, 1 << 30);`,
      );
      // Not spawnTracked: its exit hook kills the group of a child that exits, which would kill the
      // grandchild whether or not the function under test did.
      holder = spawn(process.execPath, [script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
      const holderExited = once(holder, 'exit');
      // Elsewhere: echoes its input, so that its answer after the kill shows it still runs.
      bystander = spawnTracked(process.execPath, ['-e', 'process.stdin.pipe(process.stdout)'], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      grandchildPid = Number(await firstLine(holder));
      expect(isGone(grandchildPid)).toBe(false);

      expect(killProcessesMentioning(dir)).toBe(1);

      const [code, signal] = (await holderExited) as [number | null, NodeJS.Signals | null];
      expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
      const grandchild = grandchildPid;
      await waitFor(
        'the holder’s child to be gone',
        async () => (isGone(grandchild) ? true : undefined),
        15_000,
      );
      bystander.stdin!.write('still here\n');
      expect(await firstLine(bystander)).toBe('still here');
    } finally {
      killGroup(holder?.pid);
      if (grandchildPid !== undefined && !isGone(grandchildPid)) process.kill(grandchildPid, 'SIGKILL');
      killGroup(bystander?.pid);
      holder?.stdout?.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
