import fs from 'node:fs';

import path from 'node:path';
import { testDialects } from '@jobmon/api/testing';
import { graphqlAt, waitFor } from './testing/e2e';
import { JOBMON_CLI as cliJs, runProcess } from './testing/processes';
import { useCliSession } from './testing/cli-session';

// The README's walkthrough, followed top to bottom on a fresh start: its curl demo, then its `npx jobmon`
// commands as written (run with the built CLI from the repository root), and the ids it names checked
// against what the server made. The commands and ids are read from README.md: the test fails if it drifts.

const repoRoot = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

/** The curl demo's submission body (the heredoc) and the id its follow-up query reads. */
function curlDemo(): { body: { query: string; variables: Record<string, unknown> }; queriedId: string } {
  const heredoc = readme.match(/--data @- <<'EOF'\n([\s\S]*?)\nEOF\n/);
  const queried = readme.match(/workflow\(id: (\d+)\)/);
  if (!heredoc || !queried) throw new Error('README.md: the curl demo is not where it was');
  return { body: JSON.parse(heredoc[1]!), queriedId: queried[1]! };
}

/** The walkthrough's command lines: argument lists after `npx jobmon`, with their comments. */
function walkthrough(): { args: string[]; comment: string }[] {
  const block = readme.match(/```sh\n(npx jobmon submit examples[\s\S]*?)```/);
  if (!block) throw new Error('README.md: the jobmon walkthrough is not where it was');
  return block[1]!
    .split('\n')
    .filter((line) => line.startsWith('npx jobmon '))
    .map((line) => {
      const [command, ...comment] = line.split('#');
      return { args: command!.trim().split(/\s+/).slice(2), comment: comment.join('#') };
    });
}

const idAfter = (lines: { args: string[] }[], command: string) => {
  const line = lines.find((l) => l.args.join(' ').startsWith(`${command} `));
  if (!line) throw new Error(`README.md: no "jobmon ${command} ID" in the walkthrough`);
  return line.args[command.split(' ').length]!;
};

describe.each(testDialects())('the README walkthrough on a fresh start [%s]', (dialect) => {
  const cli = useCliSession(dialect, { scratchPrefix: 'jobmon-readme-' });

  it('runs every command as written, and the ids it names are the ones made', async () => {
    // The curl demo: its workflow is the one the README's query reads, and runs to the end.
    const demo = curlDemo();
    const submitted = await graphqlAt<{ submitWorkflow: { workflow: { id: string } } }>(
      cli.server.url,
      demo.body.query,
      demo.body.variables,
    );
    expect(submitted.submitWorkflow.workflow.id).toBe(demo.queriedId);
    await waitFor('the demo to end DONE', async () => {
      const { workflow } = await graphqlAt<{ workflow: { status: string } }>(
        cli.server.url,
        `{ workflow(id: ${demo.queriedId}) { status } }`,
      );
      return workflow.status === 'DONE' ? true : undefined;
    });

    const lines = walkthrough();
    const outputs = new Map<string, string>();
    for (const { args } of lines) {
      const result = await runProcess(process.execPath, [cliJs, ...args], { env: cli.env, cwd: repoRoot });
      expect({ args, code: result.code, stderr: result.stderr }).toMatchObject({ args, code: 0 });
      outputs.set(args[0] === 'workflow' ? 'reset' : args[0]!, result.stdout);
    }

    // The ids the walkthrough uses, and those its comments name.
    const workflowId = idAfter(lines, 'tasks');
    const taskId = idAfter(lines, 'task');
    const attemptId = idAfter(lines, 'logs');
    expect(idAfter(lines, 'workflow reset')).toBe(workflowId);
    const comments = lines.map((l) => l.comment).join('\n');
    expect(comments).toContain(`workflow ${workflowId}`);
    expect(comments).toContain(`task ${taskId}`);
    const [, failed, succeeded] = comments.match(/(\d+) failed on purpose, (\d+) succeeded/) ?? [];
    expect(failed).toBe(attemptId);

    expect(outputs.get('submit')).toMatch(new RegExp(`^Submitted workflow ${workflowId} `, 'm'));
    const json = async <T>(...args: string[]) => {
      const result = await runProcess(process.execPath, [cliJs, ...args, '--json'], {
        env: cli.env,
        cwd: repoRoot,
      });
      expect(result.code).toBe(0);
      return JSON.parse(result.stdout) as T;
    };
    const collect = await json<{ tasks: { id: string; key: string }[] }>(
      'tasks',
      workflowId,
      '--template',
      'collect',
    );
    expect(collect.tasks.map((t) => t.id)).toEqual([taskId]);
    // After the reset the task has four attempts: the walkthrough's two first.
    const task = await json<{ key: string; workflowId: string; instances: { id: string; status: string }[] }>(
      'task',
      taskId,
    );
    expect(task.instances.slice(0, 2).map((i) => [i.id, i.status])).toEqual([
      [failed, 'ERROR'],
      [succeeded, 'DONE'],
    ]);
    expect(outputs.get('logs')).toMatch(/flaky: the first attempt fails on purpose/);
    expect(outputs.get('reset')).toContain(`workflow ${workflowId} DONE: 10/10 done`);
  });
});
