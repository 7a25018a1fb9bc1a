import crypto from 'node:crypto';
import { onMysqlServer } from '../db/connection';
import { dropOrphanedTestDatabases, MYSQL_TEST_URL } from './databases';
import { probeRedis, REDIS_TEST_URL } from './redis';

/** Probes the MySQL test server (and Redis) once for the whole run; in CI their absence fails the run. */
export default async function globalSetup(): Promise<void> {
  // One mark for the whole run (several projects run this setup): see testRunId(). A Jest that a test
  // starts inherits both: the run's owner is the process that made the mark (see the teardown).
  if (!process.env.JOBMON_TEST_RUN_ID) {
    process.env.JOBMON_TEST_RUN_ID = crypto.randomBytes(4).toString('hex');
    process.env.JOBMON_TEST_RUN_OWNER = String(process.pid);
  }
  try {
    await onMysqlServer(MYSQL_TEST_URL, 'SELECT 1', { connectTimeoutMs: 5000 });
    process.env.JOBMON_TEST_MYSQL_AVAILABLE = '1';
    // Once per run: each project runs this setup, and so does a Jest that a test starts (which inherits
    // the run's environment); dropping a large orphan again there only waits on the server.
    if (process.env.JOBMON_TEST_ORPHANS_DROPPED !== process.env.JOBMON_TEST_RUN_ID) {
      process.env.JOBMON_TEST_ORPHANS_DROPPED = process.env.JOBMON_TEST_RUN_ID;
      const orphans = await dropOrphanedTestDatabases();
      if (orphans.length > 0)
        console.warn(
          `\n[jobmon tests] dropped ${orphans.length} database(s) of killed runs: ${orphans.join(', ')}\n`,
        );
    }
  } catch (error) {
    process.env.JOBMON_TEST_MYSQL_AVAILABLE = '0';
    if (process.env.CI === 'true') {
      throw new Error(`CI=true and MySQL at ${MYSQL_TEST_URL} is unreachable: ${(error as Error).message}`);
    }
    console.warn(`\n[jobmon tests] MySQL at ${MYSQL_TEST_URL} unreachable: MySQL variants are skipped.\n`);
  }
  try {
    await probeRedis();
    process.env.JOBMON_TEST_REDIS_AVAILABLE = '1';
  } catch (error) {
    process.env.JOBMON_TEST_REDIS_AVAILABLE = '0';
    if (process.env.CI === 'true') {
      throw new Error(`CI=true and Redis at ${REDIS_TEST_URL} is unreachable: ${(error as Error).message}`);
    }
    console.warn(`\n[jobmon tests] Redis at ${REDIS_TEST_URL} unreachable: Redis tests are skipped.\n`);
  }
}
