import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, testDialects, type TestDatabase } from '@jobmon/api/testing';
import {
  JOBMON_CLI as cliJs,
  runProcess,
  startJobmonServer,
  terminate,
  type JobmonServerProcess,
} from '../testing/processes';

// `jobmon report` as a child process against a real `jobmon server` (local backend): a saved example
// report by name and a query file, as JSON and CSV, with --var; a name nobody saved exits 4.

describe.each(testDialects())('jobmon report [%s]', (dialect) => {
  let database: TestDatabase;
  let dir: string;
  let server: JobmonServerProcess | undefined;
  let env: NodeJS.ProcessEnv;
  let workflowId: string;

  const jobmon = (...args: string[]) => runProcess(process.execPath, [cliJs, ...args], { env, cwd: dir });
  const jobmonIntoClosedPipe = (...args: string[]) =>
    runProcess(process.execPath, [cliJs, ...args], { env, cwd: dir, closeStdout: true });

  beforeAll(async () => {
    if (!fs.existsSync(cliJs)) throw new Error(`${cliJs} is missing: build first (npx tsc -b)`);
    database = await createTestDatabase(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-report-'));
    const base = { ...process.env, NO_COLOR: '1', JOBMON_LOG_LEVEL: 'warn' };
    server = await startJobmonServer(['--database-url', database.url, '--log-dir', path.join(dir, 'logs')], {
      env: { ...base, JOBMON_HEARTBEAT_SECONDS: '1' },
      cwd: dir,
    });
    env = { ...base, JOBMON_SERVER_URL: server.url };
    // A workflow whose "bad" task fails for good, with a command that prints a comma and a quote.
    const file = path.join(dir, 'fail.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        tool: 'report-e2e',
        workflowArgs: `report-${dialect}`,
        taskTemplates: [
          { name: 'ok', commandTemplate: 'sh -c {code}' },
          { name: 'bad', commandTemplate: 'sh -c {code}' },
        ],
        tasks: [
          { key: 'ok', template: 'ok', args: { code: '"exit 0"' } },
          { key: 'bad', template: 'bad', args: { code: '"exit 3"' }, maxAttempts: 1 },
        ],
      }),
    );
    const submitted = await jobmon('submit', file, '--wait', '--json');
    expect(submitted.code).toBe(1);
    workflowId = (JSON.parse(submitted.stdout) as { workflowId: string }).workflowId;
  }, 120_000);

  afterAll(async () => {
    await terminate(server?.child);
    await database?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs a saved report by name with --var and prints its first list as JSON', async () => {
    const result = await jobmon('report', 'Failed tasks by template', '--var', `workflowId=${workflowId}`);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const rows = JSON.parse(result.stdout) as {
      template: { name: string };
      name: string;
      lastAttempt: { exitCode: number | null };
    }[];
    expect(rows).toEqual([
      expect.objectContaining({
        template: { name: 'bad' },
        lastAttempt: expect.objectContaining({ exitCode: 3 }),
      }),
    ]);
  });

  it('prints CSV of the first list, flattened to dotted columns', async () => {
    const result = await jobmon(
      'report',
      'Failed tasks by template',
      '--var',
      `workflowId=${workflowId}`,
      '--var',
      'template="bad"',
      '--csv',
    );
    expect(result.code).toBe(0);
    const [header, row, end] = result.stdout.split('\r\n');
    expect(header).toBe(
      'template.name,id,name,numAttempts,lastAttempt.exitCode,lastAttempt.errorKind,lastAttempt.errorMessage,lastAttempt.finishedAt',
    );
    expect(row!.startsWith('bad,')).toBe(true);
    expect(row).toContain(',3,');
    expect(end).toBe('');
  });

  it('runs a query file, and the example that reads usage across workflows', async () => {
    const file = path.join(dir, 'templates.graphql');
    fs.writeFileSync(
      file,
      'query ($tool: String) { templateUsage(tool: $tool) { template doneAttempts } }\n',
    );
    const result = await jobmon('report', file, '--var', 'tool=report-e2e', '--csv');
    expect([result.code, result.stdout]).toEqual([0, 'template,doneAttempts\r\nok,1\r\n']);
    const byUser = await jobmon('report', 'Workflows by user and status, last 7 days');
    expect(byUser.code).toBe(0);
    // The SDK records the operating-system user of an open-mode submission.
    expect(JSON.parse(byUser.stdout)).toEqual([{ user: os.userInfo().username, status: 'FAILED', count: 1 }]);
  });

  it('exits 4 for a report nobody saved, 2 for a bad --var, and quietly into a closed pipe', async () => {
    const missing = await jobmon('report', 'no such report');
    expect([missing.code, missing.stderr]).toEqual([
      4,
      'jobmon: no saved report named "no such report" (see the /reports page)\n',
    ]);
    const bad = await jobmon('report', 'Failed tasks by template', '--var', 'novalue');
    expect(bad.code).toBe(2);
    const piped = await jobmonIntoClosedPipe('report', 'Workflows by user and status, last 7 days');
    expect(piped.code).toBe(0);
  });
});
