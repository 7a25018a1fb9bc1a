import { DEFAULT_INPUT_LIMITS } from '../domain';
import { prepareSubmission } from '../services/submission.prepare';
import { bipartite, chain, echoTemplates, independent, submission, task } from './fixtures';

// The shared submission fixtures make valid submissions of the shapes their names promise (checked by the
// server's own validation, without a database).

describe('submission fixtures', () => {
  it('makes a valid submission of any tasks, with a workflowArgs of its own each time', async () => {
    const first = submission([task('a'), task('b', ['a'])]);
    const second = submission([task('a'), task('b', ['a'])]);
    expect(first.workflowArgs).not.toBe(second.workflowArgs);
    expect(first.taskTemplates).toEqual([
      { name: 'step', commandTemplate: 'echo step --name {name}', nodeArgs: ['name'] },
    ]);
    expect((await prepareSubmission(first, 1000, DEFAULT_INPUT_LIMITS)).edgeCount).toBe(1);
  });

  it('independent: tasks without upstream', async () => {
    const tasks = independent(3, 'p');
    expect(tasks.map((t) => [t.key, t.upstream])).toEqual([
      ['p0', []],
      ['p1', []],
      ['p2', []],
    ]);
    expect((await prepareSubmission(submission(tasks), 1000, DEFAULT_INPUT_LIMITS)).edgeCount).toBe(0);
  });

  it('chain: each task downstream of the one before', async () => {
    const tasks = chain(3, 'c');
    expect(tasks.map((t) => [t.key, t.upstream])).toEqual([
      ['c0', []],
      ['c1', ['c0']],
      ['c2', ['c1']],
    ]);
    expect((await prepareSubmission(submission(tasks), 1000, DEFAULT_INPUT_LIMITS)).edgeCount).toBe(2);
  });

  it('bipartite: side² edges, a template per layer', async () => {
    const tasks = bipartite(4, 'a', 'b');
    expect(tasks.filter((t) => t.template === 'a').map((t) => t.key)).toEqual(['a0', 'a1', 'a2', 'a3']);
    expect(tasks.find((t) => t.key === 'b2')!.upstream).toEqual(['a0', 'a1', 'a2', 'a3']);
    const input = submission(tasks);
    expect(input.taskTemplates.map((t) => t.name)).toEqual(['a', 'b']);
    expect((await prepareSubmission(input, 1000, DEFAULT_INPUT_LIMITS)).edgeCount).toBe(16);
  });

  it('echoTemplates runs another program when told', () => {
    expect(echoTemplates([task('x', [], { args: { n: 1, m: 2 } })], 'true')).toEqual([
      { name: 'step', commandTemplate: 'true step --n {n} --m {m}', nodeArgs: ['n', 'm'] },
    ]);
  });
});
