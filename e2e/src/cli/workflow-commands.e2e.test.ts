import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, testDialects, type TestDatabase } from '@jobmon/api/testing';
import { waitFor } from '../testing/e2e';
import {
  JOBMON_CLI as cliJs,
  runProcess,
  startJobmonServer,
  terminate,
  type JobmonServerProcess,
} from '../testing/processes';

// What Jobmon users expect of the command line (issue M), as real child processes against `jobmon server`
// on a fresh database: workflow reset, attributes, status --user, logs --workflow.

describe.each(testDialects())('jobmon workflow commands [%s]', (dialect) => {
  let database: TestDatabase;
  let dir: string;
  let server: JobmonServerProcess | undefined;
  let env: NodeJS.ProcessEnv;

  const jobmon = (...args: string[]) => runProcess(process.execPath, [cliJs, ...args], { env, cwd: dir });
  const json = async <T>(...args: string[]): Promise<T> => {
    const result = await jobmon(...args, '--json');
    if (result.code !== 0)
      throw new Error(`jobmon ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };
  const writeJson = (name: string, value: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(value));
    return file;
  };
  /** Attempts per task key of a workflow. */
  const attemptsOf = async (workflowId: string) => {
    const { tasks } = await json<{ tasks: { id: string }[] }>('tasks', workflowId);
    const shown = await json<{ key: string; instances: unknown[] }[]>('task', ...tasks.map((t) => t.id));
    return Object.fromEntries(shown.map((task) => [task.key, task.instances.length]));
  };

  beforeAll(async () => {
    if (!fs.existsSync(cliJs)) throw new Error(`${cliJs} is missing: build first (npx tsc -b)`);
    database = await createTestDatabase(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-wfcmd-'));
    const base = { ...process.env, NO_COLOR: '1', JOBMON_LOG_LEVEL: 'warn' };
    server = await startJobmonServer(['--database-url', database.url, '--log-dir', path.join(dir, 'logs')], {
      env: { ...base, JOBMON_HEARTBEAT_SECONDS: '1', JOBMON_KILL_TIMEOUT_SECONDS: '10' },
      cwd: dir,
    });
    env = { ...base, JOBMON_SERVER_URL: server.url };
  }, 90_000);

  afterAll(async () => {
    await terminate(server?.child);
    await database?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('workflow reset: refused while it runs, needs --yes without a terminal, then reruns every task', async () => {
    const gate = path.join(dir, `reset-${dialect}.gate`);
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
});
