import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runProcess } from './testing/processes';

// What the README promises about the Slurm tests without Slurm, outside CI: they skip, and say why with
// the message it quotes. Jest itself runs the two Slurm test files here with a PATH that has node and
// no sinfo (and CI unset); the message is read from README.md, so the test fails if either drifts.

const repoRoot = path.resolve(__dirname, '..', '..');
const jestBin = path.join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js');

/** The quoted skip message of the README: its fixed beginning, and the command it names. */
function promisedMessage(): { start: string; command: string } {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8').replace(/\s+/g, ' ');
  const quoted = readme.match(/\("(Skipping the Slurm tests: [^"]*)"\)/);
  if (!quoted) throw new Error('README.md no longer quotes the Slurm skip message');
  const [start, command] = quoted[1]!.split('…');
  return { start: start!.trim(), command: command!.replace(/^\);?\s*/, '').trim() };
}

describe('the Slurm tests without Slurm, outside CI', () => {
  let bin: string;
  beforeAll(() => {
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-no-slurm-'));
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  });
  afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

  it.each([
    ['e2e', 'e2e/src/slurm.e2e.test.ts'],
    ['distributor', 'distributor/src/backends/slurm/conformance.test.ts'],
  ])('[%s] %s skips with the message the README quotes', async (project, file) => {
    const { start, command } = promisedMessage();
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: bin, NO_COLOR: '1' };
    delete env.CI;
    const result = await runProcess(
      process.execPath,
      [jestBin, '--selectProjects', project, '--maxWorkers=1', '--', file],
      { env, cwd: repoRoot },
    );
    const output = result.stdout + result.stderr;
    expect(result.code).toBe(0);
    expect(output).toContain(
      start.replace('Slurm tests', project === 'e2e' ? 'Slurm tests' : 'Slurm conformance tests'),
    );
    expect(output).toContain(command);
    expect(output).toMatch(/Tests:\s+\d+ skipped, \d+ total/);
    expect(output).not.toMatch(/\d+ passed|\d+ failed/);
  });
});
