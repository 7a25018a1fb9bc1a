import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, testDialects, type TestDatabase } from '@jobmon/api/testing';
import {
  JOBMON_CLI,
  runProcess,
  startJobmonServer,
  terminate,
  type JobmonServerProcess,
} from './testing/processes';

// The Python client (client-sdk/python) against a real `jobmon server` on a fresh database per dialect:
// its unittest suite (unit tests, then the server tests of tests/test_server.py) as a child process,
// with JOBMON_SERVER_URL pointing at the server. Its whole output is shown when it fails.

const repoRoot = path.resolve(__dirname, '..', '..');
const pythonRoot = path.join(repoRoot, 'client-sdk', 'python');

describe.each(testDialects())('the Python client [%s]', (dialect) => {
  let database: TestDatabase;
  let dir: string;
  let server: JobmonServerProcess | undefined;

  beforeAll(async () => {
    if (!fs.existsSync(JOBMON_CLI)) throw new Error(`${JOBMON_CLI} is missing: build first (npx tsc -b)`);
    database = await createTestDatabase(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-python-'));
    server = await startJobmonServer(['--database-url', database.url, '--log-dir', path.join(dir, 'logs')], {
      env: { ...process.env, JOBMON_LOG_LEVEL: 'warn', JOBMON_HEARTBEAT_SECONDS: '1' },
      cwd: dir,
    });
  }, 90_000);

  afterAll(async () => {
    await terminate(server?.child);
    await database?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes its unittest suite against the server', async () => {
    const result = await runProcess(
      'python3',
      ['-m', 'unittest', 'discover', '-s', path.join(pythonRoot, 'tests'), '-t', pythonRoot, '-v'],
      {
        // As a user without pip runs it: the package on PYTHONPATH, nothing else installed.
        env: {
          ...process.env,
          PYTHONPATH: pythonRoot,
          PYTHONDONTWRITEBYTECODE: '1',
          JOBMON_SERVER_URL: server!.url,
        },
        cwd: dir,
      },
    );
    const output = `${result.stdout}\n${result.stderr}`;
    // The server's own log (warnings and errors) says why a request failed with a 500.
    if (result.code !== 0)
      throw new Error(
        `python3 -m unittest exited ${result.code}:\n${output}\n--- jobmon server log (tail) ---\n${server!
          .log()
          .slice(-20_000)}`,
      );
    // The server tests ran (not skipped for want of a server).
    expect(output).toMatch(/test_a_100k_task_200k_edge_workflow_is_bound_in_chunks \(.*\) \.\.\. ok/);
    // unittest's marks of a skipped test (`... skipped 'why'`, `OK (skipped=N)`), not a test's name.
    expect(output).not.toMatch(/\.\.\. skipped|skipped=\d/);
  }, 600_000);
});
