import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, Relay, testDialects, type TestDatabase } from '@jobmon/api/testing';
import { gqlClient, graphqlAt, waitFor } from './testing/e2e';
import {
  kill9,
  runProcess,
  spawnTracked,
  startJobmonServer,
  terminate,
  type JobmonServerProcess,
} from './testing/processes';

// The R client (client-sdk/r, the jobmonr package): installed into a scratch library with R CMD INSTALL,
// then its testthat suite runs against a real `jobmon server` on a fresh database of each dialect: the
// definition checks (no server), the quickstart example, a failure, its fix and the resume.
// Needs R with httr2, jsonlite, R6 and testthat (scripts/r-up.sh installs Debian's packages).

const packageDir = path.resolve(__dirname, '..', '..', 'client-sdk', 'r');
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
    // An open-mode server recorded who submitted, as the client said (Sys.info()[["user"]]).
    const { workflows } = await graphqlAt<{ workflows: { nodes: { createdBy: string | null }[] } }>(
      server!.url,
      `{ workflows(first: 100, filter: { user: ${JSON.stringify(os.userInfo().username)} }) { nodes { createdBy } } }`,
    );
    expect(workflows.nodes.length).toBeGreaterThan(0);
  }, 300_000);

  /** Rscript -e SCRIPT as a child process, its output collected as it comes (to wait on it). */
  function startR(script: string, env: Record<string, string>) {
    const child = spawnTracked(
      'Rscript',
      ['-e', `library(jobmonr); options(jobmonr.poll_seconds = 0.2)\n${script}`],
      {
        env: { ...process.env, R_LIBS: library, LANG: 'C.UTF-8', ...env },
        cwd: dir,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const output = () => `--- R stdout\n${stdout}\n--- R stderr\n${stderr}`;
    return {
      child,
      stdout: () => stdout,
      output,
      /** Waits until R's messages (stderr) match `pattern`; returns the match. */
      waitForMessage: (what: string, pattern: RegExp) =>
        waitFor(
          what,
          async () => {
            if (child.exitCode !== null) throw new Error(`R exited ${child.exitCode}\n${output()}`);
            return pattern.exec(stderr) ?? undefined;
          },
          120_000,
        ),
      /** Waits for R to end; throws with its output unless it exits 0. */
      succeeds: async () => {
        const code = await exited;
        if (code !== 0) throw new Error(`R exited ${code}\n${output()}`);
      },
    };
  }

  /** One task that waits for the file MARKER; run() prints its status code. */
  const waitingWorkflow = (name: string) => `
    t <- tool("r_${name}")
    tt <- task_template(t, "wait", "while [ ! -f {marker} ]; do sleep 0.1; done", op_args = list("marker"))
    wf <- add_tasks(workflow(t, "${name}"), list(task(tt, marker = Sys.getenv("MARKER"))))
    cat("status", run(wf, seconds_until_timeout = 240), "\n")`;

  it('run() outlives a dropped connection: it retries until the server answers again', async () => {
    // R reaches the server through a relay that the test cuts while the run's one task waits for a marker.
    const relay = new Relay({ host: '127.0.0.1', port: Number(new URL(server!.url).port) });
    await relay.open();
    const marker = path.join(dir, 'dropped-connection.marker');
    const r = startR(waitingWorkflow('dropped_connection'), {
      JOBMON_SERVER_URL: `http://127.0.0.1:${relay.port}`,
      MARKER: marker,
    });
    try {
      await r.waitForMessage('the task to run', /1 running/);
      await relay.cut();
      await r.waitForMessage('R to see the connection gone', /retrying/);
      fs.writeFileSync(marker, '');
      await relay.open();
      await r.succeeds();
      expect(r.stdout()).toContain('status D');
    } finally {
      // The task's command outlives the server (commands run in their own sessions): let it end.
      fs.writeFileSync(marker, '');
      await kill9(r.child);
      await relay.cut();
    }
  }, 300_000);

  it('run() returns S when the workflow is stopped while it runs', async () => {
    const marker = path.join(dir, 'stopped.marker');
    const r = startR(waitingWorkflow('stopped'), { JOBMON_SERVER_URL: server!.url, MARKER: marker });
    try {
      const [, id] = await r.waitForMessage(
        'the task to run',
        /workflow (\d+) RUNNING: 0\/1 done, 1 running/,
      );
      await gqlClient(server!.url)('mutation($id: ID!) { stopWorkflow(id: $id, reason: "test") { id } }', {
        id,
      });
      await r.succeeds();
      expect(r.stdout()).toContain('status S');
    } finally {
      // Created only now: the stop must be what ended the task. If the test failed first, this ends it.
      fs.writeFileSync(marker, '');
      await kill9(r.child);
    }
  }, 300_000);
});
