import fs from 'node:fs';
import path from 'node:path';
import { runProcess } from '../testing/processes';

// `npx jobmon …` (and the other commands) work in the repository after `npm ci && npm run build`: npm
// links each package's bin at install time, so the bin must be a committed file, not a build output.

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const COMMANDS: Record<string, string[]> = {
  jobmon: ['--version'],
  'jobmon-distributor': ['--help'],
  'jobmon-worker': ['--help'],
};

describe('the commands on the repository’s PATH', () => {
  it('are committed launchers that npm links into node_modules/.bin', () => {
    for (const pkg of ['api', 'client-sdk', 'distributor']) {
      const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, pkg, 'package.json'), 'utf8')) as {
        bin: Record<string, string>;
      };
      for (const [name, file] of Object.entries(manifest.bin)) {
        expect({ name, file, committed: !file.startsWith('dist/') }).toEqual({ name, file, committed: true });
        expect(fs.existsSync(path.join(repoRoot, pkg, file))).toBe(true);
        expect(fs.existsSync(path.join(repoRoot, 'node_modules', '.bin', name))).toBe(true);
      }
    }
  });

  it('run from node_modules/.bin', async () => {
    for (const [name, args] of Object.entries(COMMANDS)) {
      const result = await runProcess(path.join(repoRoot, 'node_modules', '.bin', name), args, {
        env: { ...process.env, JOBMON_LOG_LEVEL: 'warn' },
      });
      expect({ name, code: result.code, stderr: result.stderr }).toEqual({ name, code: 0, stderr: '' });
    }
  });
});
