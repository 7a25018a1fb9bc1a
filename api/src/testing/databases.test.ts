import { spawnSync } from 'node:child_process';
import { mysqlIdentifier, onMysqlServer } from '../db/connection';
import { dropOrphanedTestDatabases, MYSQL_TEST_URL, testDialects } from './databases';
import globalTeardown from './global-teardown';

// A Jest run that is itself killed reaches neither its tests' afterAll nor its global teardown: the
// next run's global setup drops the test databases whose creating process is gone, and only those.

const maybe = testDialects().includes('mysql') ? describe : describe.skip;

const create = (name: string) => onMysqlServer(MYSQL_TEST_URL, `CREATE DATABASE ${mysqlIdentifier(name)}`);
const drop = (name: string) =>
  onMysqlServer(MYSQL_TEST_URL, `DROP DATABASE IF EXISTS ${mysqlIdentifier(name)}`);
const exists = async (name: string) => {
  try {
    await onMysqlServer(MYSQL_TEST_URL, `USE ${mysqlIdentifier(name)}`);
    return true;
  } catch {
    return false;
  }
};

maybe('orphaned test databases [mysql]', () => {
  // A pid that was alive and is not any more: a process that has exited.
  const deadPid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  }).stdout;
  const orphan = `jobmon_test_orphan_${deadPid}_0badc0de`;
  const live = `jobmon_test_orphan_${process.pid}_0badc0de`;

  afterAll(async () => {
    await drop(orphan);
    await drop(live);
  });

  it("drops the databases of a process that is gone, and keeps a live process's", async () => {
    expect(deadPid).toMatch(/^\d+$/);
    await create(orphan);
    await create(live);
    const dropped = await dropOrphanedTestDatabases();
    expect(dropped).toContain(orphan);
    expect(dropped).not.toContain(live);
    expect([await exists(orphan), await exists(live)]).toEqual([false, true]);
  });
});

maybe("a run's global teardown [mysql]", () => {
  // A Jest that a test starts (slurm-skip.test.ts runs one) inherits the run's id: its teardown ended
  // while the outer run's tests were still using their databases, and dropped them (a 100k-task bind
  // then failed with an internal error halfway through).
  const runId = `t${process.pid}`;
  const name = `jobmon_test_${runId}_${process.pid}_0badc0de`;
  const saved = { id: process.env.JOBMON_TEST_RUN_ID, owner: process.env.JOBMON_TEST_RUN_OWNER };

  afterAll(async () => {
    process.env.JOBMON_TEST_RUN_ID = saved.id;
    if (saved.owner === undefined) delete process.env.JOBMON_TEST_RUN_OWNER;
    else process.env.JOBMON_TEST_RUN_OWNER = saved.owner;
    await drop(name);
  });

  it("drops the run's databases only in the process that started the run", async () => {
    await create(name);
    process.env.JOBMON_TEST_RUN_ID = runId;
    process.env.JOBMON_TEST_RUN_OWNER = String(process.ppid); // a run started by another process
    await globalTeardown();
    expect(await exists(name)).toBe(true);
    process.env.JOBMON_TEST_RUN_OWNER = String(process.pid);
    await globalTeardown();
    expect(await exists(name)).toBe(false);
  });
});
