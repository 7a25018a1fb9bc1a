import { MYSQL_TEST_URL } from './databases';

/** Probes the MySQL test server once for the whole run; in CI its absence fails the run. */
export default async function globalSetup(): Promise<void> {
  const mysql = await import('mysql2/promise');
  const parsed = new URL(MYSQL_TEST_URL);
  try {
    const connection = await mysql.createConnection({
      host: parsed.hostname,
      port: Number(parsed.port || 3306),
      user: decodeURIComponent(parsed.username || 'root'),
      password: decodeURIComponent(parsed.password),
      connectTimeout: 5000,
    });
    await connection.query('SELECT 1');
    await connection.end();
    process.env.JOBMON_TEST_MYSQL_AVAILABLE = '1';
  } catch (error) {
    process.env.JOBMON_TEST_MYSQL_AVAILABLE = '0';
    if (process.env.CI === 'true') {
      throw new Error(`CI=true and MySQL at ${MYSQL_TEST_URL} is unreachable: ${(error as Error).message}`);
    }
    console.warn(`\n[jobmon tests] MySQL at ${MYSQL_TEST_URL} unreachable: MySQL variants are skipped.\n`);
  }
}
