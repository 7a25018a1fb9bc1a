import fs from 'node:fs';
import { apiGlobalHook } from './web-global-setup';

/** Removes the UI the global setup built, and drops the MySQL databases the tests left behind (api's sweep). */
export default async function globalTeardown(): Promise<void> {
  const dir = process.env.JOBMON_TEST_WEB_DIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await apiGlobalHook('global-teardown')();
}
