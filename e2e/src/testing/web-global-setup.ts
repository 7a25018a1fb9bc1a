import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageDir } from './packages';

// Jest project `e2e-web` (the browser tests, src/web): Jest runs a project's global setup only when some of
// its tests are selected, so the UI is built (by the web package's own Vite, about 10 s) only for them.
// It is built once per run into a scratch directory that the tests' API servers serve
// (JOBMON_TEST_WEB_DIR): the tests never depend on a stale or missing web/dist. Then probes MySQL and
// Redis as the other projects do (api's global setup, from its build like @jobmon/api/testing), so
// testDialects() knows whether MySQL is there and fails with CI=true when it is not.

export default async function globalSetup(): Promise<void> {
  const webRoot = packageDir('web');
  const vite = path.join(
    path.dirname(require.resolve('vite/package.json', { paths: [webRoot] })),
    'bin',
    'vite.js',
  );
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-web-dist-'));
  try {
    execFileSync(
      process.execPath,
      [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--sourcemap', 'false', '--logLevel', 'warn'],
      { cwd: webRoot, stdio: ['ignore', 'inherit', 'inherit'] },
    );
  } catch (error) {
    fs.rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
  process.env.JOBMON_TEST_WEB_DIR = outDir;
  await apiGlobalHook('global-setup')();
}

/** api's global setup or teardown, from its build, next to @jobmon/api/testing's (which does not export them). */
export function apiGlobalHook(name: 'global-setup' | 'global-teardown'): () => Promise<void> {
  const file = path.join(path.dirname(require.resolve('@jobmon/api/testing')), `${name}.js`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(file) as { default: () => Promise<void> }).default;
}
