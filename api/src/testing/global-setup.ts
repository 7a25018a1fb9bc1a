import { onMysqlServer } from '../db/connection';
import { MYSQL_TEST_URL } from './databases';

/** Probes the MySQL test server once for the whole run; in CI its absence fails the run. */
export default async function globalSetup(): Promise<void> {
  try {
    await onMysqlServer(MYSQL_TEST_URL, 'SELECT 1', { connectTimeoutMs: 5000 });
    process.env.JOBMON_TEST_MYSQL_AVAILABLE = '1';
  } catch (error) {
    process.env.JOBMON_TEST_MYSQL_AVAILABLE = '0';
    if (process.env.CI === 'true') {
      throw new Error(`CI=true and MySQL at ${MYSQL_TEST_URL} is unreachable: ${(error as Error).message}`);
    }
    console.warn(`\n[jobmon tests] MySQL at ${MYSQL_TEST_URL} unreachable: MySQL variants are skipped.\n`);
  }
}
