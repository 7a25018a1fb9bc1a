import fs from 'node:fs';
import os from 'node:os';

import path from 'node:path';
import { testDialects } from '@jobmon/api/testing';
import { graphqlAt, waitFor } from '../testing/e2e';
import { JOBMON_CLI as cliJs, freePort, runProcess } from '../testing/processes';
import { useCliSession } from '../testing/cli-session';

// The built `jobmon` command line (dist/, from `npx tsc -b`) as real child processes, so that output and
// exit codes are what a script sees: `jobmon server` on a fresh database, then every client command
// against it, human and --json. The examples of examples/ run here too.

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const examples = path.join(repoRoot, 'examples');

describe.each(testDialects())('the jobmon CLI [%s]', (dialect) => {
  // `jobmon server` itself, in the scratch directory (the flaky example keeps its marker under ./.jobmon).
  const cli = useCliSession(dialect, {
    scratchPrefix: 'jobmon-cli-',
    serverEnv: { JOBMON_HEARTBEAT_SECONDS: '1', JOBMON_KILL_TIMEOUT_SECONDS: '10' },
  });
  const { jobmon, jobmonIntoClosedPipe, json, writeJson } = cli;

  let sweepId: string;
  let collectTaskId: string;

  it('submit --wait runs the parameter-sweep example (its flaky step retried) and exits 0', async () => {
    // The example as shipped, with workflowArgs of this test's own.
    const sweep = JSON.parse(fs.readFileSync(path.join(examples, 'parameter-sweep', 'sweep.json'), 'utf8'));
    const file = writeJson('sweep.json', { ...sweep, workflowArgs: `cli-${dialect}` });
    const result = await jobmon('submit', file, '--wait');
    expect(result.stderr).not.toMatch(/jobmon: /);
    expect(result.code).toBe(0);
    const submitted = result.stdout.match(/^Submitted workflow (\d+) \(run (\d+)\)/m);
    expect(submitted).not.toBeNull();
    sweepId = submitted![1]!;
    expect(result.stdout).toContain(`workflow ${sweepId} DONE: 10/10 done, 0 running, 0 waiting, 0 failed`);
    // Not a terminal: plain progress lines on stderr, the last one final.
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      `workflow ${sweepId}: DONE 10/10 done, 0 running, 0 waiting, 0 failed`,
    );

    // The same file again finds the same workflow.
    const again = await json<{
      workflowId: string;
      created: boolean;
      status: string;
      counts: { DONE: number };
    }>('submit', file);
    expect(again).toMatchObject({
      workflowId: sweepId,
      created: false,
      status: 'DONE',
      counts: { DONE: 10 },
    });
  });

  it('status lists workflows and shows one with per-template counts, human and --json', async () => {
    const list = await jobmon('status');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(`│ ${sweepId}\\s+│ example-parameter-sweep\\s+│.*│ DONE\\s+│ 10/10`),
    );
    const listed = await json<{
      totalCount: number;
      workflows: { id: string; status: string; tool: string }[];
    }>('status', '--status', 'DONE');
    expect(listed.workflows).toContainEqual(
      expect.objectContaining({ id: sweepId, status: 'DONE', tool: 'example-parameter-sweep' }),
    );

    const one = await jobmon('status', sweepId);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/status:\s+DONE/);
    expect(one.stdout).toMatch(/│ fit\s+│ 9\s+│ 9\s+│/);
    expect(one.stdout).toMatch(/│ collect\s+│ 1\s+│ 1\s+│/);
    const shown = await json<{
      id: string;
      status: string;
      latestRun: { status: string };
      templates: { name: string; counts: { total: number; DONE: number } }[];
    }>('status', sweepId);
    expect(shown).toMatchObject({ id: sweepId, status: 'DONE', latestRun: { status: 'DONE' } });
    expect(shown.templates.map((t) => [t.name, t.counts.total, t.counts.DONE])).toEqual([
      ['fit', 9, 9],
      ['collect', 1, 1],
    ]);
  });

  it('tasks lists a workflow’s tasks, filtered by status', async () => {
    const all = await json<{
      totalCount: number;
      tasks: { id: string; key: string; status: string; template: string; numAttempts: number }[];
    }>('tasks', sweepId, '--status', 'DONE');
    expect(all.totalCount).toBe(10);
    const collect = all.tasks.find((task) => task.key === 'collect')!;
    expect(collect).toMatchObject({ template: 'collect', status: 'DONE', numAttempts: 2 });
    collectTaskId = collect.id;
    const human = await jobmon('tasks', sweepId);
    expect(human.stdout).toMatch(
      new RegExp(`│ ${collectTaskId}\\s+│ collect\\s+│ collect\\s+│ DONE\\s+│ 2/3`),
    );
    const none = await jobmon('tasks', sweepId, '--status', 'ERROR_FATAL,RUNNING');
    expect(none).toMatchObject({ code: 0, stdout: 'No tasks.\n' });
  });

  it('task shows the attempts with their errors; logs prints an attempt’s stored output', async () => {
    const task = await json<{
      key: string;
      instances: {
        id: string;
        attempt: number;
        status: string;
        errorMessage: string | null;
        stderrPath: string;
      }[];
    }>('task', collectTaskId);
    expect(task.key).toBe('collect');
    expect(task.instances.map((i) => [i.attempt, i.status])).toEqual([
      [1, 'ERROR'],
      [2, 'DONE'],
    ]);
    const [failed, succeeded] = task.instances as [(typeof task.instances)[0], (typeof task.instances)[0]];
    const human = await jobmon('task', collectTaskId);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/attempts:\s+2 of 3/);
    expect(human.stdout).toContain(
      'attempt 1: ERROR: exit code 1: flaky: the first attempt fails on purpose',
    );

    const stderrLog = await jobmon('logs', failed.id, '--stderr');
    expect(stderrLog).toMatchObject({ code: 0, stdout: 'flaky: the first attempt fails on purpose\n' });
    expect(stderrLog.stderr).toContain(failed.stderrPath);
    const stdoutLog = await jobmon('logs', succeeded.id);
    expect(stdoutLog.stdout).toBe('collected 9 fits after a retry\n');
    const logJson = await json<{ stream: string; tail: string; truncated: boolean; path: string }>(
      'logs',
      succeeded.id,
    );
    expect(logJson).toMatchObject({
      stream: 'stdout',
      tail: 'collected 9 fits after a retry\n',
      truncated: false,
    });
  });

  it('status and task take several ids: each shown in turn, --json an array, a missing one said and exit 4', async () => {
    const shown = await json<{ id: string }[]>('status', sweepId, sweepId);
    expect(shown.map((workflow) => workflow.id)).toEqual([sweepId, sweepId]);
    const tasks = await json<{ key: string }[]>('task', collectTaskId, collectTaskId);
    expect(tasks.map((task) => task.key)).toEqual(['collect', 'collect']);
    const human = await jobmon('task', collectTaskId, '999999', collectTaskId);
    expect(human.code).toBe(4);
    expect(human.stdout.match(/^key:\s+collect$/gm)).toHaveLength(2);
    expect(human.stderr).toBe('jobmon: task 999999 not found\n');
    const one = await jobmon('status', '999999');
    expect(one).toMatchObject({ code: 4, stderr: expect.stringContaining('workflow 999999 not found') });
  });

  it('output into a closed pipe ends quietly with exit 0, in every command', async () => {
    for (const args of [
      ['tasks', sweepId],
      ['status'],
      ['status', sweepId],
      ['task', collectTaskId],
      ['--help'],
    ]) {
      const result = await jobmonIntoClosedPipe(...args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
  });

  it('config shows the settings in use, where each comes from, and what the server says', async () => {
    const shown = await json<{
      server: { value: string; from: string };
      token: { value: string | null; from: string };
      answer: { reachable: boolean; authRequired: boolean };
      defaultUser: { value: string | null; from: string };
    }>('config');
    expect(shown.server).toEqual({ value: `${cli.server.url}/graphql`, from: 'JOBMON_SERVER_URL' });
    expect(shown.token.value).toBeNull();
    expect(shown.answer).toMatchObject({ reachable: true, authRequired: false });
    // Open mode: the default user of `status` is this operating-system user, as status lists it.
    const me = os.userInfo().username;
    expect(shown.defaultUser).toEqual({ value: me, from: 'the operating-system user: open mode, no token' });
    expect((await json<{ user: string }>('status')).user).toBe(me);
    const human = await jobmon('config');
    expect(human.stdout).toContain(
      `default user: ${me} (the operating-system user: open mode, no token); jobmon status lists theirs\n`,
    );

    const withToken = await runProcess(
      process.execPath,
      [cliJs, 'config', '--server', 'http://127.0.0.1:1'],
      {
        env: { ...cli.env, JOBMON_TOKEN: 'jm_abcdefghijklmnopqrstuvwxyz' },
        cwd: cli.dir,
      },
    );
    expect(withToken.code).toBe(3);
    expect(withToken.stdout).toMatch(/server:\s+http:\/\/127\.0\.0\.1:1\/graphql \(--server\)/);
    expect(withToken.stdout).toMatch(/token:\s+jm_abcd… \(JOBMON_TOKEN\)/);
    expect(withToken.stdout).not.toContain('efghijklmnop');
    expect(withToken.stdout).toMatch(/server says:\s+unreachable/);
    expect(withToken.stdout).toMatch(
      /default user:\s+unknown \(unknown: the server did not say who you are\)/,
    );
  });

  it('--version prints the version', async () => {
    const { version } = JSON.parse(
      fs.readFileSync(path.join(repoRoot, 'client-sdk', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(await jobmon('--version')).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('a workflow that ends FAILED: submit --wait exits 1; set-status overrides a task', async () => {
    const file = writeJson('fail.json', {
      tool: 'cli-e2e',
      workflowArgs: `fail-${dialect}`,
      taskTemplates: [{ name: 'sh', commandTemplate: 'sh -c {code}' }],
      tasks: [
        { key: 'ok', template: 'sh', args: { code: '"exit 0"' } },
        { key: 'bad', template: 'sh', args: { code: '"exit 3"' }, maxAttempts: 1, upstream: ['ok'] },
      ],
    });
    const result = await jobmon('submit', file, '--wait', '--json');
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout) as {
      workflowId: string;
      status: string;
      counts: Record<string, number>;
    };
    expect(output).toMatchObject({ status: 'FAILED', counts: { DONE: 1, ERROR_FATAL: 1 } });
    const { tasks } = await json<{ tasks: { id: string; key: string }[] }>('tasks', output.workflowId);
    const bad = tasks.find((task) => task.key === 'bad')!;

    const overridden = await json<{ status: string; tasks: { id: string; status: string }[] }>(
      'set-status',
      bad.id,
      'DONE',
    );
    expect(overridden).toMatchObject({ status: 'DONE', tasks: [{ id: bad.id, status: 'DONE' }] });
    // Recursive: the task and its downstream subtree.
    const ok = tasks.find((task) => task.key === 'ok')!;
    const rerun = await json<{ recursive: boolean; tasks: { key: string }[] }>(
      'set-status',
      ok.id,
      'QUEUED',
      '--recursive',
    );
    expect(rerun.recursive).toBe(true);
    expect(rerun.tasks.map((task) => task.key).sort()).toEqual(['bad', 'ok']);
    const human = await jobmon('set-status', bad.id, 'not-a-status');
    expect(human.code).toBe(2);
    expect(human.stderr).toContain('"not-a-status" is not a task status');
  });

  it('shows control characters in names, errors and output tails as visible escapes, never raw', async () => {
    // What another user may put in a name or print from a command: a title change (OSC ... BEL), a
    // screen clear (CSI), a carriage return that overwrites the line, C1 CSI and a bidi override.
    const hostile = 'x\u001b]0;pwned\u0007\u001b[2J\rover\u009b31m\u202eevil';
    const file = writeJson('hostile.json', {
      tool: 'cli-e2e',
      name: `name ${hostile}`,
      workflowArgs: `hostile-${dialect}`,
      taskTemplates: [{ name: 'sh', commandTemplate: 'sh -c {code}' }],
      tasks: [
        {
          key: 'loud',
          name: `task ${hostile}`,
          template: 'sh',
          // printf turns the octal escapes into the raw bytes, on stdout and stderr; then it fails.
          args: {
            code: '\'printf "out \\033]0;pwned\\007 \\033[2J\\n"; printf "err \\033[2J\\n" >&2; exit 3\'',
          },
          maxAttempts: 1,
        },
      ],
    });
    const submitted = await jobmon('submit', file, '--wait', '--json');
    expect(submitted.code).toBe(1);
    const { workflowId } = JSON.parse(submitted.stdout) as { workflowId: string };
    const { tasks } = await json<{ tasks: { id: string }[] }>('tasks', workflowId);
    const task = await json<{ instances: { id: string }[] }>('task', tasks[0]!.id);
    // eslint-disable-next-line no-control-regex -- the characters that must not reach a terminal
    const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;
    const outputs = [
      await jobmon('status', workflowId),
      await jobmon('status'),
      await jobmon('tasks', workflowId),
      await jobmon('task', tasks[0]!.id),
      await jobmon('logs', task.instances[0]!.id),
      await jobmon('logs', task.instances[0]!.id, '--stderr'),
    ];
    for (const output of outputs) {
      expect(output.code).toBe(0);
      expect(output.stdout).not.toMatch(raw);
      expect(output.stderr).not.toMatch(raw);
    }
    expect(outputs[0]!.stdout).toContain('name x\\x1b]0;pwned\\x07\\x1b[2J\\rover\\x9b31m\\u202eevil');
    expect(outputs[4]!.stdout).toBe('out \\x1b]0;pwned\\x07 \\x1b[2J\n');
    expect(outputs[5]!.stdout).toBe('err \\x1b[2J\n');
    // --json keeps the exact text (JSON escapes it).
    const exact = await json<{ tail: string }>('logs', task.instances[0]!.id);
    expect(exact.tail).toBe('out \u001b]0;pwned\u0007 \u001b[2J\n');
  });

  it('submit --resume reruns a FAILED workflow’s unfinished tasks; submit alone only finds it', async () => {
    const marker = path.join(cli.dir, `resume-${dialect}.ok`);
    const file = writeJson('resume.json', {
      tool: 'cli-e2e',
      workflowArgs: `resume-${dialect}`,
      taskTemplates: [{ name: 'sh', commandTemplate: 'sh -c {code}' }],
      tasks: [
        { key: 'ok', template: 'sh', args: { code: '"exit 0"' } },
        {
          key: 'gate',
          template: 'sh',
          args: { code: `"test -f ${marker}"` },
          maxAttempts: 1,
          upstream: ['ok'],
        },
      ],
    });
    expect((await jobmon('submit', file, '--wait')).code).toBe(1);
    const again = await jobmon('submit', file, '--wait');
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/^Found existing workflow \d+/);
    fs.writeFileSync(marker, '');
    const resumed = await jobmon('submit', file, '--resume', '--wait', '--json');
    expect(resumed.code).toBe(0);
    const result = JSON.parse(resumed.stdout) as { workflowId: string; resumed: boolean; status: string };
    expect(result).toMatchObject({ resumed: true, status: 'DONE' });
    // The resume ran the failed task again and left the done one alone: attempts per task.
    const { tasks } = await json<{ tasks: { id: string; key: string }[] }>('tasks', result.workflowId);
    const shown = await json<{ key: string; instances: unknown[] }[]>(
      'task',
      ...tasks.map((task) => task.id),
    );
    expect(Object.fromEntries(shown.map((task) => [task.key, task.instances.length]))).toEqual({
      ok: 1,
      gate: 2,
    });
  });

  it('set-resources changes what the next attempts ask for; nothing to change is a usage error', async () => {
    const changed = await json<{
      tasks: { id: string; resources: { memoryMb: number; runtimeSeconds: number; cores: number } }[];
    }>('set-resources', collectTaskId, '--memory', '3G', '--runtime', '1h30m');
    expect(changed.tasks).toEqual([
      expect.objectContaining({
        id: collectTaskId,
        resources: expect.objectContaining({ memoryMb: 3072, runtimeSeconds: 5400 }),
      }),
    ]);
    const human = await jobmon('set-resources', collectTaskId, '--cores', '2');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      new RegExp(`│ ${collectTaskId}\\s+│ collect\\s+│ DONE\\s+│ 3G\\s+│ 1h 30m\\s+│ 2`),
    );
    expect((await jobmon('set-resources', collectTaskId)).code).toBe(2);
    expect((await jobmon('set-resources', collectTaskId, '--memory', 'lots')).code).toBe(2);
    expect((await jobmon('set-resources', '999999', '--cores', '2')).code).toBe(4);
  });

  it('tasks --retrying lists a task on its second attempt, not one running its first', async () => {
    const marker = path.join(cli.dir, 'retrying.failed-once');
    const gate = path.join(cli.dir, 'retrying.gate');
    // f1's first attempt fails and its second runs until the gate opens; f2's first runs until then.
    const file = writeJson('retrying.json', {
      tool: 'cli-e2e',
      workflowArgs: `retrying-${dialect}`,
      taskTemplates: [
        {
          name: 'flaky',
          commandTemplate: `sh -c "if [ ! -f ${marker} ]; then touch ${marker}; exit 1; fi; while [ ! -f ${gate} ]; do sleep 0.1; done; echo {n}"`,
        },
        { name: 'steady', commandTemplate: `sh -c "while [ ! -f ${gate} ]; do sleep 0.1; done; echo {n}"` },
      ],
      tasks: [
        { key: 'f1', template: 'flaky', args: { n: 1 }, maxAttempts: 3 },
        { key: 'f2', template: 'steady', args: { n: 2 }, maxAttempts: 3 },
      ],
    });
    const { workflowId } = await json<{ workflowId: string }>('submit', file);
    type Listing = { totalCount: number; tasks: { key: string; status: string; numAttempts: number }[] };
    const running = await waitFor('f1’s second attempt and f2’s first to run', async () => {
      const { tasks } = await json<Listing>('tasks', workflowId, '--status', 'RUNNING');
      return tasks.length === 2 ? tasks : undefined;
    });
    expect(running.map((t) => [t.key, t.numAttempts])).toEqual([
      ['f1', 2],
      ['f2', 1],
    ]);
    const retrying = await json<Listing>('tasks', workflowId, '--retrying');
    expect(retrying.totalCount).toBe(1);
    expect(retrying.tasks.map((t) => [t.key, t.status])).toEqual([['f1', 'RUNNING']]);
    const human = await jobmon('tasks', workflowId, '--retrying', '--status', 'RUNNING');
    expect(human.stdout).toMatch(/│ f1\s+│ flaky\s+│ RUNNING\s+│ 2\/3/);
    expect(human.stdout).not.toContain('f2');

    fs.writeFileSync(gate, '');
    await waitFor('the workflow to finish', async () => {
      const shown = await json<{ status: string }>('status', workflowId);
      return shown.status === 'DONE' ? true : undefined;
    });
    expect(await jobmon('tasks', workflowId, '--retrying')).toMatchObject({ code: 0, stdout: 'No tasks.\n' });
  });

  it('set-resources --workflow --template changes every task of the template there and nothing else', async () => {
    // The sweep again, paused (nothing runs): its fit template is the same as the first sweep's.
    const sweep = JSON.parse(fs.readFileSync(path.join(examples, 'parameter-sweep', 'sweep.json'), 'utf8'));
    const file = writeJson('paused-sweep.json', {
      ...sweep,
      workflowArgs: `template-resources-${dialect}`,
      maxConcurrentlyRunning: 0,
    });
    const { workflowId } = await json<{ workflowId: string }>('submit', file);
    type Tasks = {
      workflow: {
        tasks: {
          nodes: {
            template: { name: string };
            resources: { memoryMb: number; runtimeSeconds: number; cores: number };
            resourceScales: { memory: number | null; memoryFactors: number[] | null } | null;
          }[];
        };
      };
    };
    const tasksOf = async (id: string) =>
      (
        await graphqlAt<Tasks>(
          cli.server.url,
          `query ($id: ID!) { workflow(id: $id) { tasks(first: 20) { nodes {
            template { name } resources { memoryMb runtimeSeconds cores } resourceScales { memory memoryFactors }
          } } } }`,
          { id },
        )
      ).workflow.tasks.nodes;
    const firstSweep = await tasksOf(sweepId);

    const human = await jobmon(
      'set-resources',
      '--workflow',
      workflowId,
      '--template',
      'fit',
      '--memory',
      '4G',
      '--memory-scale',
      '0.5,1,2',
    );
    expect(human.stderr).toBe('');
    expect(human.code).toBe(0);
    expect(human.stdout).toBe(
      `workflow ${workflowId}, template fit: 9 tasks changed; their next attempts ask for memory 4G, ` +
        'memory scales 0.5,1,2 (the rest as before)\n',
    );
    const tasks = await tasksOf(workflowId);
    const fits = tasks.filter((t) => t.template.name === 'fit');
    expect(fits).toHaveLength(9);
    for (const fit of fits) {
      expect(fit.resources).toEqual({ memoryMb: 4096, runtimeSeconds: 300, cores: 1 });
      expect(fit.resourceScales?.memoryFactors).toEqual([0.5, 1, 2]);
    }
    const collect = tasks.find((t) => t.template.name === 'collect')!;
    expect(collect.resources).toEqual({ memoryMb: 256, runtimeSeconds: 300, cores: 1 });
    // The first sweep's fit tasks (same tool, same template) are another workflow's: untouched.
    expect(await tasksOf(sweepId)).toEqual(firstSweep);

    const changed = await json<{ workflowId: string; template: string; taskCount: number }>(
      'set-resources',
      '--workflow',
      workflowId,
      '--template',
      'collect',
      '--cores',
      '2',
      '--runtime-scale',
      '0.25',
    );
    expect(changed).toMatchObject({ workflowId, template: 'collect', taskCount: 1 });
    // Usage errors (exit 2) change nothing; an unknown template exits 4.
    for (const args of [
      ['--workflow', workflowId, '--memory', '1G'],
      ['--template', 'fit', '--memory', '1G'],
      ['1', '--workflow', workflowId, '--template', 'fit', '--memory', '1G'],
      ['--workflow', workflowId, '--template', 'fit'],
      ['--workflow', workflowId, '--template', 'fit', '--memory-scale', '0.5,,1'],
    ])
      expect({ args, code: (await jobmon('set-resources', ...args)).code }).toEqual({ args, code: 2 });
    const unknown = await jobmon(
      'set-resources',
      '--workflow',
      workflowId,
      '--template',
      'nope',
      '--cores',
      '2',
    );
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/nope/);
    expect((await tasksOf(workflowId)).filter((t) => t.template.name === 'fit')[0]!.resources.memoryMb).toBe(
      4096,
    );
  });

  it('status counts a task on its second attempt as RETRYING, not RUNNING, and none once it is DONE', async () => {
    const marker = path.join(cli.dir, 'retry.failed-once');
    const gate = path.join(cli.dir, 'retry.gate');
    // The first attempt fails; the second runs until the gate opens.
    const file = writeJson('retry.json', {
      tool: 'cli-e2e',
      workflowArgs: `retry-${dialect}`,
      taskTemplates: [
        {
          name: 'flaky',
          commandTemplate: `sh -c "if [ ! -f ${marker} ]; then touch ${marker}; exit 1; fi; while [ ! -f ${gate} ]; do sleep 0.1; done; echo {n}"`,
        },
      ],
      tasks: [{ key: 'f1', template: 'flaky', args: { n: 1 }, maxAttempts: 3 }],
    });
    const { workflowId } = await json<{ workflowId: string }>('submit', file);
    type View = {
      counts: { RUNNING: number; retrying: number };
      templates: { counts: { retrying: number } }[];
    };
    const view = await waitFor('the second attempt to run', async () => {
      const shown = await json<View>('status', workflowId);
      return shown.counts.RUNNING > 0 && shown.counts.retrying > 0 ? shown : undefined;
    });
    expect(view.counts).toMatchObject({ RUNNING: 1, retrying: 1 });
    expect(view.templates[0]!.counts.retrying).toBe(1);
    const human = await jobmon('status', workflowId);
    expect(human.stdout).toMatch(/RUNNING\s+│ SUBMITTED\s+│ WAITING\s+│ RETRYING\s+│ FAILED/);
    // TEMPLATE TOTAL DONE RUNNING SUBMITTED WAITING RETRYING FAILED: retrying, not running.
    expect(human.stdout).toMatch(/│ flaky\s+│ 1\s+│ 0\s+│ 0\s+│ 0\s+│ 0\s+│ 1\s+│ 0\s+│/);
    expect(human.stdout).toMatch(/tasks:\s+0\/1 done, 0 running, 0 waiting, 1 retrying, 0 failed/);

    fs.writeFileSync(gate, '');
    const done = await waitFor('the retry to finish', async () => {
      const shown = await json<View & { status: string }>('status', workflowId);
      return shown.status === 'DONE' ? shown : undefined;
    });
    expect(done.counts.retrying).toBe(0);
    expect(done.templates[0]!.counts.retrying).toBe(0);
  });

  it('concurrency, stop and resume --wait on a running workflow', async () => {
    const gate = path.join(cli.dir, 'control.gate');
    const file = writeJson('control.json', {
      tool: 'cli-e2e',
      workflowArgs: `control-${dialect}`,
      taskTemplates: [
        { name: 'wait', commandTemplate: `sh -c "while [ ! -f ${gate} ]; do sleep 0.1; done; echo {n}"` },
      ],
      tasks: [1, 2, 3].map((n) => ({ key: `w${n}`, template: 'wait', args: { n } })),
    });
    const { workflowId } = await json<{ workflowId: string }>('submit', file);
    await waitFor('a task to run', async () => {
      const view = await json<{ counts: { RUNNING: number } }>('status', workflowId);
      return view.counts.RUNNING > 0 ? true : undefined;
    });

    const limited = await jobmon('concurrency', workflowId, '2');
    expect(limited).toMatchObject({ code: 0, stdout: `workflow ${workflowId}: at most 2 at once\n` });
    const perTemplate = await json<{ templates: { name: string; maxConcurrentlyRunning: number | null }[] }>(
      'concurrency',
      workflowId,
      '1',
      '--template',
      'wait',
    );
    expect(perTemplate.templates).toEqual([{ name: 'wait', maxConcurrentlyRunning: 1 }]);
    expect((await jobmon('concurrency', workflowId, 'none')).code).toBe(2);

    const stopped = await jobmon('stop', workflowId, '--reason', 'cli test');
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(new RegExp(`^workflow ${workflowId} stopped: HALTED`));
    // Stopping it again is refused by the server (exit 5, its code on stderr).
    const again = await jobmon('stop', workflowId);
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/\[ILLEGAL_TRANSITION\]/);
    expect(again.stderr).toMatch(
      new RegExp(
        `workflow ${workflowId} is not running \\(its latest run \\d+ is STOPPED\\): nothing to stop`,
      ),
    );

    fs.writeFileSync(gate, '');
    const resumed = await jobmon('resume', workflowId, '--wait');
    expect(resumed.stderr).not.toMatch(/jobmon: /);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`workflow ${workflowId} resumed (COLD)`);
    expect(resumed.stdout).toContain(`workflow ${workflowId} DONE: 3/3 done`);
  });

  it('exit codes: usage 2, unreachable 3, not found 4, refused 5 (with the server’s problems on stderr)', async () => {
    expect((await jobmon('status', 'abc')).code).toBe(2);
    expect((await jobmon('frobnicate')).code).toBe(2);
    expect((await jobmon('tasks')).code).toBe(2);
    const missing = await jobmon('submit', path.join(cli.dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^jobmon: cannot read .*nope\.json/);
    const invalid = await jobmon(
      'submit',
      writeJson('invalid.json', {
        tool: 't',
        workflowArgs: 'x',
        taskTemplates: [{ name: 'e', commandTemplate: 'echo {a}' }],
        tasks: [{ key: 'k', template: 'e', args: {} }],
      }),
    );
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('missing argument "a"');

    const closedPort = await freePort();
    const unreachable = await jobmon('status', '--server', `http://127.0.0.1:${closedPort}`);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(
      /^jobmon: cannot reach http:\/\/127\.0\.0\.1:\d+\/graphql: ECONNREFUSED/,
    );
    // Connection options before the command name work too; --json errors are JSON on stderr.
    const unreachableJson = await runProcess(
      process.execPath,
      [cliJs, '--server', `http://127.0.0.1:${closedPort}`, '--json', 'status'],
      { env: cli.env, cwd: cli.dir },
    );
    expect(unreachableJson.code).toBe(3);
    expect(JSON.parse(unreachableJson.stderr)).toMatchObject({ exitCode: 3, error: { codes: [] } });

    for (const args of [
      ['status', '999999'],
      ['task', '999999'],
      ['logs', '999999'],
      ['stop', '999999'],
    ]) {
      const notFound = await jobmon(...args);
      expect({ args, code: notFound.code }).toEqual({ args, code: 4 });
    }

    const refused = await jobmon(
      'submit',
      writeJson('refused.json', {
        tool: 't',
        workflowArgs: 'refused',
        maxAttempts: -1,
        taskTemplates: [{ name: 'e', commandTemplate: 'echo hi' }],
        tasks: [{ key: 'k', template: 'e', args: {} }],
      }),
    );
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('[BAD_USER_INPUT]');
    expect(refused.stderr).toContain('  - maxAttempts must be an integer ≥ 1 (got -1)');
  }, 180_000); // a dozen jobmon processes one after another: minutes on a loaded machine

  it('the TypeScript fan-out/fan-in example runs against the server (npx ts-node)', async () => {
    const tsNode = path.join(repoRoot, 'node_modules', '.bin', 'ts-node');
    const result = await runProcess(
      tsNode,
      [path.join(examples, 'fan-out-fan-in', 'pipeline.ts'), `cli-${dialect}`],
      {
        env: cli.env,
        cwd: cli.dir,
      },
    );
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^workflow \d+ ended DONE\n6 locations, total estimate \d+\n$/);
    expect(result.stderr).toMatch(/: DONE 7\/7 done/);
  }, 120_000);
});
