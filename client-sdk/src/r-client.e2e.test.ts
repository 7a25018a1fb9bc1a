import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, Relay, testDialects, type TestDatabase } from '@jobmon/api/testing';
import { waitFor } from './testing/e2e';
import { runProcess, startJobmonServer, terminate, type JobmonServerProcess } from './testing/processes';

// The R client (client-sdk/r, the jobmonr package): installed into a scratch library with R CMD INSTALL,
// then its testthat suite runs against a real `jobmon server` on a fresh database of each dialect: the
// definition checks (no server), the quickstart example, a failure, its fix and the resume.
// Needs R with httr2, jsonlite, R6 and testthat (scripts/r-up.sh installs Debian's packages).

const packageDir = path.resolve(__dirname, '..', 'r');
const testsDir = path.join(packageDir, 'tests', 'testthat');

let library: string;

beforeAll(async () => {
  library = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmonr-lib-'));
  const install = await runProcess('R', ['CMD', 'INSTALL', `--library=${library}`, packageDir], {
    env: { ...process.env, LANG: 'C.UTF-8' },
  }).catch((error: unknown) => {
    throw new Error(`R is missing (bash scripts/r-up.sh installs it): ${String(error)}`);
  });
  const output = `${install.stdout}\n${install.stderr}`;
  if (install.code !== 0) throw new Error(`R CMD INSTALL failed (${install.code}):\n${output}`);
  // A clean install: no warning or note from R about the package.
  expect(output).not.toMatch(/warning|note:|no man pages/i);
  expect(fs.existsSync(path.join(library, 'jobmonr', 'graphql', 'SubmitWorkflow.graphql'))).toBe(true);
}, 300_000);

afterAll(() => {
  if (library) fs.rmSync(library, { recursive: true, force: true });
});

describe.each(testDialects())('the R client jobmonr [%s]', (dialect) => {
  let database: TestDatabase;
  let dir: string;
  let server: JobmonServerProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmonr-'));
    server = await startJobmonServer(['--database-url', database.url, '--log-dir', path.join(dir, 'logs')], {
      env: { ...process.env, JOBMON_LOG_LEVEL: 'warn', JOBMON_HEARTBEAT_SECONDS: '1' },
      cwd: dir,
    });
  }, 120_000);

  afterAll(async () => {
    await terminate(server?.child);
    await database?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes its testthat suite against the server', async () => {
    const script = `testthat::test_dir(${JSON.stringify(testsDir)}, reporter = "summary", stop_on_failure = TRUE)`;
    const result = await runProcess('Rscript', ['-e', script], {
      env: { ...process.env, R_LIBS: library, JOBMON_SERVER_URL: server!.url, LANG: 'C.UTF-8' },
      cwd: dir,
    });
    if (result.code !== 0)
      throw new Error(
        `testthat exited ${result.code}\n--- R output\n${result.stdout}\n${result.stderr}\n--- server log\n${server!.log()}`,
      );
    // The server tests ran (they skip without JOBMON_SERVER_URL).
    expect(result.stdout).not.toMatch(/no JOBMON_SERVER_URL/);
  }, 300_000);

  it('run() outlives a dropped connection: it retries until the server answers again', async () => {
    // R reaches the server through a relay that the test cuts while the run's one task waits for a marker.
    const relay = new Relay({ host: '127.0.0.1', port: Number(new URL(server!.url).port) });
    await relay.open();
    const marker = path.join(dir, 'dropped-connection.marker');
    const script = `
      library(jobmonr)
      options(jobmonr.poll_seconds = 0.2)
      t <- tool("r_dropped_connection")
      tt <- task_template(t, "wait", "while [ ! -f {marker} ]; do sleep 0.1; done", op_args = list("marker"))
      wf <- add_tasks(workflow(t, "dropped"), list(task(tt, marker = Sys.getenv("MARKER"))))
      cat("status", run(wf, seconds_until_timeout = 240), "\n")`;
    const child = spawn('Rscript', ['-e', script], {
      env: {
        ...process.env,
        R_LIBS: library,
        JOBMON_SERVER_URL: `http://127.0.0.1:${relay.port}`,
        MARKER: marker,
        LANG: 'C.UTF-8',
      },
      cwd: dir,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const output = () => `--- R stdout\n${stdout}\n--- R stderr\n${stderr}`;
    try {
      await waitFor(
        'the task to run',
        async () => {
          if (child.exitCode !== null) throw new Error(`R exited ${child.exitCode}\n${output()}`);
          return /1 running/.test(stderr) ? true : undefined;
        },
        120_000,
      );
      await relay.cut();
      await waitFor(
        'R to see the connection gone',
        async () => {
          if (child.exitCode !== null) throw new Error(`R exited ${child.exitCode}\n${output()}`);
          return /retrying/.test(stderr) ? true : undefined;
        },
        60_000,
      );
      fs.writeFileSync(marker, '');
      await relay.open();
      const code = await exited;
      if (code !== 0) throw new Error(`R exited ${code}\n${output()}`);
      expect(stdout).toContain('status D');
    } finally {
      child.kill('SIGKILL');
      await relay.cut();
    }
  }, 300_000);
});
