import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Builds the web UI once per Jest run, into a scratch directory that the e2e tests' API servers serve
// (JOBMON_TEST_WEB_DIR): the tests never depend on a stale or missing web/dist.

const webRoot = path.resolve(__dirname, '..', '..');

export default function globalSetup(): void {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-web-dist-'));
  execFileSync(
    path.join(webRoot, '..', 'node_modules', '.bin', 'vite'),
    ['build', '--outDir', outDir, '--emptyOutDir', '--sourcemap', 'false', '--logLevel', 'warn'],
    { cwd: webRoot, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  process.env.JOBMON_TEST_WEB_DIR = outDir;
}
