import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Builds the web UI once per Jest run, into a scratch directory that the e2e tests' API servers serve
// (JOBMON_TEST_WEB_DIR): the tests never depend on a stale or missing web/dist. Then probes MySQL the way
// the other packages' projects do (api's global setup, from its build: the e2e tests start servers from
// @jobmon/api/testing, which needs `tsc -b` anyway), so testDialects() knows whether MySQL is there and
// fails with CI=true when it is not.

const webRoot = path.resolve(__dirname, '..', '..');

export default async function globalSetup(): Promise<void> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-web-dist-'));
  execFileSync(
    path.join(webRoot, '..', 'node_modules', '.bin', 'vite'),
    ['build', '--outDir', outDir, '--emptyOutDir', '--sourcemap', 'false', '--logLevel', 'warn'],
    { cwd: webRoot, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  process.env.JOBMON_TEST_WEB_DIR = outDir;
  const apiGlobalSetup = path.join(webRoot, '..', 'api', 'dist', 'testing', 'global-setup.js');
  // A path, not the package name: @jobmon/api exports only `.` and `./testing`.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const probe = (require(apiGlobalSetup) as { default: () => Promise<void> }).default;
  await probe();
}
