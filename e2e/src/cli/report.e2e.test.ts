import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDialects } from '@jobmon/api/testing';

import { useCliSession } from '../testing/cli-session';

// `jobmon report` as a child process against a real `jobmon server` (local backend): a saved example
// report by name and a query file, as JSON and CSV, with --var; a name nobody saved exits 4.

describe.each(testDialects())('jobmon report [%s]', (dialect) => {
  let workflowId: string;

  const cli = useCliSession(dialect, {
    scratchPrefix: 'jobmon-report-',
    serverEnv: { JOBMON_HEARTBEAT_SECONDS: '1' },
  });
  const { jobmon, jobmonIntoClosedPipe } = cli;

  beforeAll(async () => {
    // A workflow whose "bad" task fails for good, with a command that prints a comma and a quote.
    const file = path.join(cli.dir, 'fail.json');
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
    const file = path.join(cli.dir, 'templates.graphql');
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
