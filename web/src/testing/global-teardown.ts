import fs from 'node:fs';
import path from 'node:path';

export default async function globalTeardown(): Promise<void> {
  const dir = process.env.JOBMON_TEST_WEB_DIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  // The MySQL databases the tests left behind, as the other projects drop them (api's build, as in setup).
  const apiGlobalTeardown = path.resolve(
    __dirname,
    '..',
    '..',
    '..',
    'api',
    'dist',
    'testing',
    'global-teardown.js',
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sweep = (require(apiGlobalTeardown) as { default: () => Promise<void> }).default;
  await sweep();
}
