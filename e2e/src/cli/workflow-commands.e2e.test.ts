import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDialects } from '@jobmon/api/testing';
import { graphqlAt, waitFor } from '../testing/e2e';

import { useCliSession } from '../testing/cli-session';

// What Jobmon users expect of the command line (issue M), as real child processes against `jobmon server`
// on a fresh database: workflow reset, attributes, status --user, logs --workflow.

describe.each(testDialects())('jobmon workflow commands [%s]', (dialect) => {
  /** Attempts per task key of a workflow. */
  const attemptsOf = async (workflowId: string) => {
    const { tasks } = await json<{ tasks: { id: string }[] }>('tasks', workflowId);
    const shown = await json<{ key: string; instances: unknown[] }[]>('task', ...tasks.map((t) => t.id));
    return Object.fromEntries(shown.map((task) => [task.key, task.instances.length]));
  };

  const cli = useCliSession(dialect, {
    scratchPrefix: 'jobmon-wfcmd-',
    serverEnv: { JOBMON_HEARTBEAT_SECONDS: '1', JOBMON_KILL_TIMEOUT_SECONDS: '10' },
  });
  const { jobmon, json, writeJson } = cli;

  it('workflow reset: refused while it runs, needs --yes without a terminal, then reruns every task', async () => {
    const gate = path.join(cli.dir, `reset-${dialect}.gate`);
    const file = writeJson('reset.json', {
      tool: 'cli-m',
      workflowArgs: `reset-${dialect}`,
      taskTemplates: [
        { name: 'wait', commandTemplate: `sh -c "while [ ! -f ${gate} ]; do sleep 0.1; done; echo {n}"` },
      ],
      tasks: [1, 2].map((n) => ({ key: `w${n}`, template: 'wait', args: { n } })),
    });
    const { workflowId } = await json<{ workflowId: string }>('submit', file);
    await waitFor('a task to run', async () => {
      const view = await json<{ counts: { RUNNING: number } }>('status', workflowId);
      return view.counts.RUNNING > 0 ? true : undefined;
    });
    const whileRunning = await jobmon('workflow', 'reset', workflowId, '--yes');
    expect(whileRunning.code).toBe(5);
    expect(whileRunning.stderr).toMatch(/\[ILLEGAL_TRANSITION\]/);
    expect(whileRunning.stderr).toMatch(
      new RegExp(`workflow ${workflowId} is still running \\(run \\d+ is RUNNING\\): stop it or wait`),
    );
    fs.writeFileSync(gate, '');
    await waitFor('the workflow to end DONE', async () => {
      const view = await json<{ status: string }>('status', workflowId);
      return view.status === 'DONE' ? true : undefined;
    });
    expect(await attemptsOf(workflowId)).toEqual({ w1: 1, w2: 1 });

    // stdin is not a terminal here: no question can be asked, so --yes is needed (a usage error, nothing reset).
    const unconfirmed = await jobmon('workflow', 'reset', workflowId);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/confirm with --yes/);
    expect(await attemptsOf(workflowId)).toEqual({ w1: 1, w2: 1 });

    const reset = await jobmon('workflow', 'reset', workflowId, '--yes', '--wait');
    expect(reset.stderr).not.toMatch(/jobmon: /);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(new RegExp(`^workflow ${workflowId} reset: run \\d+ QUEUED`));
    expect(reset.stdout).toContain(`workflow ${workflowId} DONE: 2/2 done`);
    // Every task ran again, DONE ones included.
    expect(await attemptsOf(workflowId)).toEqual({ w1: 2, w2: 2 });
    const partial = await json<{ status: string; partial: boolean }>(
      'workflow',
      'reset',
      workflowId,
      '--partial',
      '--yes',
    );
    expect(partial).toMatchObject({ partial: true, status: 'DONE' });
    expect((await jobmon('workflow', 'reset', '999999', '--yes')).code).toBe(4);
  });

  it('stop, resume and workflow reset take several ids: each in turn, a failing one reported, the rest done', async () => {
    const gate = path.join(cli.dir, `several-${dialect}.gate`);
    const submitGated = async (name: string) =>
      (
        await json<{ workflowId: string }>(
          'submit',
          writeJson(`${name}.json`, {
            tool: 'cli-m',
            workflowArgs: `${name}-${dialect}`,
            taskTemplates: [
              {
                name: 'wait',
                commandTemplate: `sh -c "while [ ! -f ${gate} ]; do sleep 0.1; done; echo {n}"`,
              },
            ],
            tasks: [{ key: 'w', template: 'wait', args: { n: 1 } }],
          }),
        )
      ).workflowId;
    const first = await submitGated('several-a');
    const second = await submitGated('several-b');
    const statusOf = async (id: string) => (await json<{ status: string }>('status', id)).status;

    const stopped = await jobmon('stop', first, '999999', second);
    // The missing id is said on stderr; the ids after it are still stopped; the exit code is its (4).
    expect(stopped.code).toBe(4);
    expect(stopped.stderr).toMatch(/^jobmon: .*999999.*\[NOT_FOUND\]$/m);
    expect(stopped.stdout).toMatch(new RegExp(`^workflow ${first} stopped: HALTED`, 'm'));
    expect(stopped.stdout).toMatch(new RegExp(`^workflow ${second} stopped: HALTED`, 'm'));
    expect([await statusOf(first), await statusOf(second)]).toEqual(['HALTED', 'HALTED']);

    fs.writeFileSync(gate, '');
    const resumed = await jobmon('resume', first, second, '--wait', '--json');
    expect(resumed.stderr).not.toMatch(/jobmon: /);
    expect(resumed.code).toBe(0);
    expect(
      (JSON.parse(resumed.stdout) as { workflowId: string; status: string }[]).map((r) => [
        r.workflowId,
        r.status,
      ]),
    ).toEqual([
      [first, 'DONE'],
      [second, 'DONE'],
    ]);

    // Both DONE: a second resume of each is refused (5), each said on stderr.
    const again = await jobmon('resume', first, second);
    expect(again.code).toBe(5);
    expect(again.stderr.match(/already DONE: nothing to resume/g)).toHaveLength(2);

    const reset = await json<{ workflowId: string; partial: boolean }[]>(
      'workflow',
      'reset',
      first,
      second,
      '--yes',
    );
    expect(reset.map((r) => [r.workflowId, r.partial])).toEqual([
      [first, false],
      [second, false],
    ]);
    const unconfirmed = await jobmon('workflow', 'reset', first, second);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain(`of workflows ${first}, ${second}: confirm with --yes`);
    for (const id of [first, second])
      await waitFor(`workflow ${id} to end DONE again`, async () =>
        (await statusOf(id)) === 'DONE' ? true : undefined,
      );
  });

  it('status --user and --attribute, tasks --attribute, logs --workflow', async () => {
    const me = os.userInfo().username;
    const file = writeJson('attributes.json', {
      tool: 'cli-m',
      workflowArgs: `attributes-${dialect}`,
      attributes: { release: `r-${dialect}`, stage: 'final' },
      taskTemplates: [{ name: 'say', commandTemplate: 'sh -c {code}' }],
      tasks: [
        {
          key: 'one',
          template: 'say',
          args: { code: '"echo first line; echo one"' },
          attributes: { part: 'a' },
        },
        {
          key: 'two',
          template: 'say',
          args: { code: '"echo two; echo oops >&2; exit 1"' },
          attributes: { part: 'b' },
          maxAttempts: 2,
        },
      ],
    });
    const submitted = await jobmon('submit', file, '--wait', '--json');
    expect(submitted.code).toBe(1);
    const { workflowId, failedTaskIds } = JSON.parse(submitted.stdout) as {
      workflowId: string;
      failedTaskIds: string[];
    };
    // --wait --json names the tasks that failed.
    const failing = await json<{ tasks: { id: string; key: string }[] }>(
      'tasks',
      workflowId,
      '--status',
      'ERROR_FATAL',
    );
    expect(failing.tasks.map((t) => t.key)).toEqual(['two']);
    expect(failedTaskIds).toEqual([failing.tasks[0]!.id]);
    // A workflow submitted without the client (plain GraphQL, open mode): no user recorded.
    const anonymous = await graphqlAt<{ submitWorkflow: { workflow: { id: string } } }>(
      cli.server.url,
      'mutation ($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }',
      {
        input: {
          tool: 'cli-m',
          workflowArgs: `anonymous-${dialect}`,
          attributes: { release: `r-${dialect}` },
          taskTemplates: [{ name: 'say', commandTemplate: 'echo {x}' }],
          tasks: [{ key: 'x', template: 'say', args: { x: 1 } }],
        },
      },
    );
    const anonymousId = anonymous.submitWorkflow.workflow.id;

    type List = { user: string | null; workflows: { id: string }[] };
    const mine = await json<List>('status');
    expect(mine.user).toBe(me);
    expect(mine.workflows.map((w) => w.id)).toContain(workflowId);
    expect(mine.workflows.map((w) => w.id)).not.toContain(anonymousId);
    const everyone = await json<List>('status', '--user', 'all');
    expect(everyone.user).toBeNull();
    expect(everyone.workflows.map((w) => w.id)).toEqual(expect.arrayContaining([workflowId, anonymousId]));
    expect((await json<List>('status', '--user', 'someone-else')).workflows).toEqual([]);
    const human = await jobmon('status', '--user', 'someone-else');
    expect(human.stdout).toBe("No workflows of someone-else (--user all: everyone's).\n");

    const byAttribute = await json<List>('status', '--user', 'all', '--attribute', `release=r-${dialect}`);
    expect(byAttribute.workflows.map((w) => w.id)).toEqual([anonymousId, workflowId]);
    const both = await json<List>(
      'status',
      '--attribute',
      `release=r-${dialect}`,
      '--attribute',
      'stage=final',
    );
    expect(both.workflows.map((w) => w.id)).toEqual([workflowId]);
    expect((await jobmon('status', '--attribute', 'novalue')).code).toBe(2);
    const tasks = await json<{ tasks: { key: string }[] }>('tasks', workflowId, '--attribute', 'part=b');
    expect(tasks.tasks.map((t) => t.key)).toEqual(['two']);

    const logs = await json<{
      attempts: {
        taskName: string;
        attempt: number;
        status: string;
        stdoutPath: string | null;
        stdoutTail: string | null;
        stderrTail: string | null;
      }[];
    }>('logs', '--workflow', workflowId, '--lines', '1');
    expect(logs.attempts.map((a) => [a.attempt, a.status, a.stdoutTail, a.stderrTail])).toEqual([
      [1, 'DONE', 'one', ''],
      [1, 'ERROR', 'two', 'oops'],
      [2, 'ERROR', 'two', 'oops'],
    ]);
    for (const attempt of logs.attempts) expect(attempt.stdoutPath).toMatch(/\S/);
    const humanLogs = await jobmon('logs', '--workflow', workflowId);
    expect(humanLogs.code).toBe(0);
    expect(humanLogs.stdout).toMatch(/^== task \d+ \S+, attempt 1 \(instance \d+\) DONE/m);
    expect(humanLogs.stdout).toContain('first line\none\n');
    expect((await jobmon('logs')).code).toBe(2);
    expect((await jobmon('logs', '--workflow', '999999')).code).toBe(4);
  });
});
