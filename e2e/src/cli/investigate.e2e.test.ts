import fs from 'node:fs';

import path from 'node:path';
import { testDialects } from '@jobmon/api/testing';
import { Tool } from '@jobmon/client-sdk';
import { JOBMON_CLI as cliJs, runProcess } from '../testing/processes';
import { useCliSession } from '../testing/cli-session';

// "What went wrong" and "why is it waiting" as a user asks them: `jobmon server` (API and a local
// distributor) runs a workflow whose tasks fail in two ways, then `jobmon errors`, `jobmon why` (real
// child processes: their output and exit codes) and the SDK's workflow.getErrors() look at it.

interface Cluster {
  representative: string;
  attempts: number;
  tasks: number;
  templateNames: string[];
  sampleTaskIds: string[];
  firstAt: string;
  lastAt: string;
}

describe.each(testDialects())('jobmon errors, jobmon why and getErrors [%s]', (dialect) => {
  let workflowId: string;
  let blockedTaskId: string;

  const cli = useCliSession(dialect, { scratchPrefix: 'jobmon-investigate-' });
  const { jobmon, json } = cli;

  it('the SDK’s getErrors lists every failed attempt of a workflow that ends FAILED', async () => {
    // Two kinds of failure whose messages differ in numbers and paths only within each kind.
    fs.writeFileSync(
      path.join(cli.dir, 'key.sh'),
      `echo "Traceback (most recent call last):" >&2\necho "  File \\"/home/u$1/fit.py\\", line $1, in main" >&2\necho "KeyError: 'location_$1'" >&2\nexit 1\n`,
    );
    fs.writeFileSync(
      path.join(cli.dir, 'disk.sh'),
      `echo "cp: error writing '/scratch/run_$1/out.tmp': No space left on device" >&2\nexit 1\n`,
    );
    const tool = new Tool(`investigate-${dialect}`);
    const fit = tool.taskTemplate({
      name: 'fit',
      commandTemplate: `sh ${cli.dir}/key.sh {n}`,
      nodeArgs: ['n'],
      defaultResources: { memory: '256M', runtime: '00:05:00' },
    });
    const copy = tool.taskTemplate({
      name: 'copy',
      commandTemplate: `sh ${cli.dir}/disk.sh {n}`,
      nodeArgs: ['n'],
      defaultResources: { memory: '256M', runtime: '00:05:00' },
    });
    const fits = [11, 12, 13].map((n) => fit.createTask({ args: { n }, maxAttempts: 2 }));
    const copies = [21, 22].map((n) => copy.createTask({ args: { n }, maxAttempts: 1 }));
    const after = copy.createTask({ args: { n: 99 }, upstream: [fits[0]!] });
    const workflow = tool.workflow({ workflowArgs: String(Date.now()), name: 'investigate' });
    workflow.addTasks(...fits, ...copies, after);
    const result = await workflow.run({ serverUrl: cli.server.url });
    expect(result.status).toBe('FAILED');
    workflowId = workflow.id!;

    const errors = await workflow.getErrors();
    expect(errors).toHaveLength(3 * 2 + 2);
    expect(errors.filter((e) => e.templateName === 'fit').map((e) => e.attempt)).toEqual([1, 2, 1, 2, 1, 2]);
    expect(errors[0]).toMatchObject({
      templateName: 'fit',
      status: 'ERROR',
      exitCode: 1,
      errorMessage: "exit code 1: KeyError: 'location_11'",
      stderrTail: expect.stringContaining("KeyError: 'location_11'"),
    });
    const copyErrors = await workflow.getErrors({ template: 'copy' });
    expect(copyErrors.map((e) => e.errorMessage)).toEqual([
      "exit code 1: cp: error writing '/scratch/run_21/out.tmp': No space left on device",
      "exit code 1: cp: error writing '/scratch/run_22/out.tmp': No space left on device",
    ]);
    const tasks = await json<{ tasks: { id: string; status: string }[] }>('tasks', workflowId);
    blockedTaskId = tasks.tasks.find((t) => t.status === 'REGISTERING')!.id;
  }, 120_000);

  it('jobmon errors groups them, filters by template, and prints them for people', async () => {
    const all = await json<{ workflowId: string; clusters: Cluster[] }>('errors', workflowId);
    expect(all.workflowId).toBe(workflowId);
    expect(all.clusters.map((c) => [c.attempts, c.tasks, c.templateNames])).toEqual([
      [6, 3, ['fit']],
      [2, 2, ['copy']],
    ]);
    expect(all.clusters[0]!.representative).toContain("KeyError: 'location_");
    expect(all.clusters[0]!.sampleTaskIds).toHaveLength(3);

    const copy = await json<{ clusters: Cluster[] }>('errors', workflowId, '--template', 'copy');
    expect(copy.clusters.map((c) => c.attempts)).toEqual([2]);
    const first = await json<{ clusters: Cluster[] }>('errors', workflowId, '--first', '1');
    expect(first.clusters.map((c) => c.attempts)).toEqual([6]);

    const human = await jobmon('errors', workflowId);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^6 attempts of 3 tasks · fit · /m);
    expect(human.stdout).toMatch(/^ {2}cp: error writing/m);
    const none = await jobmon('errors', workflowId, '--template', 'nothing');
    expect(none.stdout.trim()).toBe(`workflow ${workflowId}: no failed attempt of template nothing`);
    const closed = await runProcess(process.execPath, [cliJs, 'errors', workflowId], {
      env: cli.env,
      cwd: cli.dir,
      closeStdout: true,
    });
    expect(closed.code).toBe(0);
    expect(closed.stderr).toBe('');
  });

  it('jobmon why says why a task waits, and that a finished one does not', async () => {
    const why = await json<{ id: string; status: string; blockedBy: { kind: string; message: string }[] }>(
      'why',
      blockedTaskId,
    );
    expect(why.status).toBe('REGISTERING');
    expect(why.blockedBy.map((b) => b.kind)).toEqual(['WORKFLOW_NOT_RUNNING', 'UPSTREAM_NOT_DONE']);
    const human = await jobmon('why', blockedTaskId);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`task ${blockedTaskId} `);
    expect(human.stdout).toMatch(/^ {2}UPSTREAM_NOT_DONE: 1 of its 1 upstream task is not DONE yet$/m);

    const tasks = await json<{ tasks: { id: string; status: string }[] }>('tasks', workflowId);
    const failed = tasks.tasks.find((t) => t.status === 'ERROR_FATAL')!;
    const done = await jobmon('why', failed.id);
    expect(done.stdout).toMatch(/not waiting on anything/);

    const closed = await runProcess(process.execPath, [cliJs, 'why', blockedTaskId], {
      env: cli.env,
      cwd: cli.dir,
      closeStdout: true,
    });
    expect({ code: closed.code, stderr: closed.stderr }).toEqual({ code: 0, stderr: '' });

    const missing = await jobmon('why', '987654321');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('task 987654321 not found');
  });
});
