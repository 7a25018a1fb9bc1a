import { dropLeftoverTestDatabases, mysqlAvailable, testRunId } from './databases';

/** Drops the MySQL databases this run's tests left behind, and names them (each is a test to fix). */
export default async function globalTeardown(): Promise<void> {
  if (!mysqlAvailable() || !process.env.JOBMON_TEST_RUN_ID) return;
  const leftovers = await dropLeftoverTestDatabases(testRunId());
  if (leftovers.length > 0)
    console.warn(
      `\n[jobmon tests] dropped ${leftovers.length} database(s) left behind: ${leftovers.join(', ')}\n`,
    );
}
