import { dropLeftoverTestDatabases, mysqlAvailable, testRunId } from './databases';

/** Drops the MySQL databases this run's tests left behind, and names them (each is a test to fix). */
export default async function globalTeardown(): Promise<void> {
  if (!mysqlAvailable() || !process.env.JOBMON_TEST_RUN_ID) return;
  // Only the Jest that started the run: one started by a test (slurm-skip.test.ts) inherits the run's
  // mark, and ends while the run's other tests still use their databases.
  if (process.env.JOBMON_TEST_RUN_OWNER !== String(process.pid)) return;
  const leftovers = await dropLeftoverTestDatabases(testRunId());
  if (leftovers.length > 0)
    console.warn(
      `\n[jobmon tests] dropped ${leftovers.length} database(s) left behind: ${leftovers.join(', ')}\n`,
    );
}
