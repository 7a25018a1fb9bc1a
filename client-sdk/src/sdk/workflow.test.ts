import { WorkflowDefinitionError } from './errors';
import { findCycle, templatePlaceholders } from './validate';
import { afterSubmit, Tool, Workflow } from './workflow';
import type { WorkflowSubmission } from '../generated/graphql';

function errorOf(fn: () => unknown): WorkflowDefinitionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowDefinitionError);
    return error as WorkflowDefinitionError;
  }
  throw new Error('expected a WorkflowDefinitionError');
}

function pipeline() {
  const tool = new Tool('pipeline');
  const fit = tool.taskTemplate({
    name: 'fit',
    commandTemplate: '{python} fit.py --loc {loc} --year {year} --draws {draws}',
    nodeArgs: ['loc', 'year'],
    taskArgs: ['draws'],
    opArgs: ['python'],
    defaultResources: { memory: '2G', runtime: '1h' },
  });
  const summarize = tool.taskTemplate({ name: 'summarize', commandTemplate: 'summarize --loc {loc}' });
  return { tool, fit, summarize };
}

describe('templates and tasks', () => {
  it('finds placeholders, with {{ and }} as literal braces', () => {
    expect(templatePlaceholders('echo {a} {{literal}} {b} {a}')).toEqual(['a', 'b']);
    expect(() => templatePlaceholders('echo {a')).toThrow(/unclosed "{"/);
    expect(() => templatePlaceholders('echo a}')).toThrow(/unmatched "}"/);
  });

  it('a missing argument names the task and the argument, before anything is sent', () => {
    const { fit } = pipeline();
    const error = errorOf(() => fit.createTask({ args: { loc: 1, year: 2020, python: 'python3' } }));
    expect(error.message).toBe('task "fit[loc=1,year=2020]": missing argument "draws" of template "fit"');
    const named = errorOf(() => fit.createTask({ name: 'fit-one', args: { loc: 1, python: 'py' } }));
    expect(named.message).toMatch(
      /^task "fit-one" \(key "fit\[loc=1,year=undefined\]"\): missing arguments "year", "draws"/,
    );
  });

  it('an unknown argument or an undeclared placeholder is refused', () => {
    const { fit, tool } = pipeline();
    expect(
      errorOf(() => fit.createTask({ key: 'k', args: { loc: 1, year: 1, draws: 1, python: 'p', extra: 1 } }))
        .message,
    ).toBe('task "k": unknown argument "extra" for template "fit"');
    expect(
      errorOf(() => tool.taskTemplate({ name: 'bad', commandTemplate: 'x {a} {b}', nodeArgs: ['a'] }))
        .message,
    ).toBe('template "bad": placeholder {b} not declared in nodeArgs, taskArgs or opArgs');
  });

  it('makes stable keys from the template and its node args', () => {
    const { fit, summarize } = pipeline();
    const a = fit.createTask({ args: { loc: 6, year: 2020, draws: 100, python: 'py' } });
    const b = fit.createTask({ args: { year: 2020, loc: 6, draws: 5, python: 'other' } });
    expect(a.key).toBe('fit[loc=6,year=2020]');
    expect(b.key).toBe(a.key); // task and op args do not identify a node
    expect(summarize.createTask({ args: { loc: 'x' } }).key).toBe('summarize[loc=x]');
    expect(summarize.createTask({ key: 'mine', args: { loc: 'x' } }).key).toBe('mine');
  });

  it('refuses two tasks with one key in a workflow', () => {
    const { tool, summarize } = pipeline();
    const workflow = tool.workflow({ workflowArgs: 'w' });
    workflow.addTasks(summarize.createTask({ args: { loc: 1 } }));
    expect(() => workflow.addTasks(summarize.createTask({ args: { loc: 1 } }))).toThrow(
      /task "summarize\[loc=1\]": another task of the workflow has the same key/,
    );
  });
});

describe('toSubmission', () => {
  it('gives the WorkflowSubmission JSON, resources parsed, upstream by key', () => {
    const { tool, fit, summarize } = pipeline();
    const fits = [1, 2].map((loc) =>
      fit.createTask({
        args: { loc, year: 2020, draws: 10, python: 'python3' },
        resources: { memory: '4G' },
      }),
    );
    const sum = summarize.createTask({ args: { loc: 'all' }, upstream: fits, maxAttempts: 1, name: 'sum' });
    const workflow = tool
      .workflow({
        workflowArgs: 'run-1',
        name: 'Run 1',
        maxConcurrentlyRunning: 5,
        failFast: true,
        maxAttempts: 2,
        defaultResources: { cores: 1, runtime: '00:30:00' },
      })
      .addTasks(...fits, sum);
    expect(workflow.toSubmission()).toEqual({
      tool: 'pipeline',
      workflowArgs: 'run-1',
      name: 'Run 1',
      maxConcurrentlyRunning: 5,
      maxAttempts: 2,
      failFast: true,
      defaultResources: { cores: 1, runtimeSeconds: 1800 },
      taskTemplates: [
        {
          name: 'fit',
          commandTemplate: '{python} fit.py --loc {loc} --year {year} --draws {draws}',
          nodeArgs: ['loc', 'year'],
          taskArgs: ['draws'],
          opArgs: ['python'],
          defaultResources: { memoryMb: 2048, runtimeSeconds: 3600 },
        },
        { name: 'summarize', commandTemplate: 'summarize --loc {loc}' },
      ],
      tasks: [
        {
          key: 'fit[loc=1,year=2020]',
          template: 'fit',
          args: { loc: 1, year: 2020, draws: 10, python: 'python3' },
          resources: { memoryMb: 4096 },
        },
        {
          key: 'fit[loc=2,year=2020]',
          template: 'fit',
          args: { loc: 2, year: 2020, draws: 10, python: 'python3' },
          resources: { memoryMb: 4096 },
        },
        {
          key: 'summarize[loc=all]',
          template: 'summarize',
          args: { loc: 'all' },
          name: 'sum',
          upstream: ['fit[loc=1,year=2020]', 'fit[loc=2,year=2020]'],
          maxAttempts: 1,
        },
      ],
    });
    // Stable: the same definition gives the same JSON.
    expect(JSON.stringify(workflow.toSubmission())).toBe(JSON.stringify(workflow.toSubmission()));
    expect(JSON.stringify(pipeline().tool.workflow({ workflowArgs: 'x' }).toSubmission())).toBe(
      JSON.stringify({ tool: 'pipeline', workflowArgs: 'x', taskTemplates: [], tasks: [] }),
    );
  });

  it('round-trips through JSON and fromSubmission', () => {
    const { tool, fit, summarize } = pipeline();
    const a = fit.createTask({
      args: { loc: 1, year: 1, draws: 1, python: 'p' },
      resourceScales: { memory: 0.5 },
    });
    const b = summarize.createTask({
      args: { loc: 1 },
      upstream: [a],
      fallbackQueues: ['big'],
      attributes: { team: 'x' },
      resources: { runtime: '2h', queue: 'q' },
    });
    const workflow = tool
      .workflow({ workflowArgs: 'rt', description: 'd', attributes: { k: 1 } })
      .addTasks(a, b);
    const json = JSON.stringify(workflow.toSubmission(), null, 2);
    const again = Workflow.fromSubmission(json);
    expect(again.toSubmission()).toEqual(JSON.parse(json));
    expect(again.tasks.map((task) => task.key)).toEqual([a.key, b.key]);
    expect(again.tasks[1]!.upstream).toEqual([again.tasks[0]]);
    // The file shape may also use "8G"-style resources.
    const parsed = JSON.parse(json) as WorkflowSubmission;
    (parsed.tasks[0] as { resources?: unknown }).resources = { memoryMb: '1G' };
    expect(Workflow.fromSubmission(parsed).toSubmission().tasks[0]!.resources).toEqual({ memoryMb: 1024 });
  });

  it('a cycle names the tasks in it', () => {
    const { tool, summarize } = pipeline();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((loc) => summarize.createTask({ key: loc, args: { loc } }));
    a!.addUpstream(c!);
    b!.addUpstream(a!);
    c!.addUpstream(b!);
    d!.addUpstream(a!);
    const workflow = tool.workflow({ workflowArgs: 'cyclic' }).addTasks(a!, b!, c!, d!);
    const error = errorOf(() => workflow.toSubmission());
    expect(error.problems).toEqual([expect.stringMatching(/^cycle between tasks: /)]);
    const names = error.message.match(/task "(\w)"/g);
    expect(new Set(names)).toEqual(new Set(['task "a"', 'task "b"', 'task "c"']));
    expect(error.message).not.toMatch(/task "d"/);
    expect(findCycle([{ key: 'x', upstream: ['x'] }])).toEqual(['x', 'x']);
    expect(findCycle([{ key: 'x' }, { key: 'y', upstream: ['x'] }])).toBeUndefined();
  });

  it('names a task whose upstream is not in the workflow, and unknown upstream keys in a file', () => {
    const { tool, summarize } = pipeline();
    const a = summarize.createTask({ args: { loc: 'a' } });
    const b = summarize.createTask({ args: { loc: 'b' }, upstream: [a] });
    expect(() => tool.workflow({ workflowArgs: 'w' }).addTasks(b).toSubmission()).toThrow(
      'task "summarize[loc=b]": upstream task "summarize[loc=a]" is not added to the workflow',
    );
    const file: WorkflowSubmission = {
      tool: 't',
      workflowArgs: 'w',
      taskTemplates: [{ name: 'e', commandTemplate: 'echo {x}' }],
      tasks: [
        { key: 'one', template: 'e', args: { x: 1 }, upstream: ['nope'] },
        { key: 'two', template: 'e', args: {} },
      ],
    };
    expect(errorOf(() => Workflow.fromSubmission(file)).problems).toEqual([
      'task "one": unknown upstream task "nope"',
      'task "two": missing argument "x" of template "e"',
    ]);
  });
});

describe('afterSubmit (run with resume)', () => {
  it('resumes only a found workflow whose last run FAILED or was HALTED, and only when asked', () => {
    expect(afterSubmit(false, 'FAILED', true)).toBe('resume');
    expect(afterSubmit(false, 'HALTED', true)).toBe('resume');
    expect(afterSubmit(false, 'FAILED', false)).toBe('follow');
    expect(afterSubmit(true, 'FAILED', true)).toBe('follow');
    for (const status of ['DONE', 'RUNNING', 'QUEUED', 'REGISTERING'] as const)
      expect(afterSubmit(false, status, true)).toBe('follow');
  });
});

describe('tool defaults, YAML template resources and createTasks', () => {
  it('templates inherit the tool defaults of their cluster; their own defaults win field by field', () => {
    const tool = new Tool('defaults');
    const early = tool.taskTemplate({ name: 'early', commandTemplate: 'early {x}' });
    tool.setDefaultComputeResources('slurm', {
      memory: '4G',
      cores: 2,
      queue: 'all.q',
      extra: { project: 'p1' },
    });
    tool.setDefaultComputeResources('local', { memory: '1G' });
    const own = tool.taskTemplate({
      name: 'own',
      commandTemplate: 'own {x}',
      defaultResources: { cores: 8, extra: { constraints: 'avx' } },
    });
    const local = tool.taskTemplate({ name: 'local', commandTemplate: 'local {x}', defaultCluster: 'local' });
    // The first cluster given defaults is the tool's default cluster; templates made before inherit too.
    expect(tool.defaultCluster).toBe('slurm');
    expect(early.toInput().defaultResources).toEqual({
      memoryMb: 4096,
      cores: 2,
      queue: 'all.q',
      extra: { project: 'p1' },
    });
    expect(own.toInput().defaultResources).toEqual({
      memoryMb: 4096,
      cores: 8,
      queue: 'all.q',
      extra: { project: 'p1', constraints: 'avx' },
    });
    expect(local.toInput().defaultResources).toEqual({ memoryMb: 1024 });
    expect(
      new Tool('plain').taskTemplate({ name: 't', commandTemplate: 't' }).toInput().defaultResources,
    ).toBe(undefined);
  });

  it("reads template resources from Jobmon's YAML format, between the tool's and the template's own", () => {
    const tool = new Tool('yaml', 'slurm');
    tool.setDefaultComputeResources('slurm', { memory: '1G', runtime: '1h', queue: 'all.q' });
    tool.setTemplateResourcesFromYaml(`
task_template_resources:
  fit:
    slurm:
      cores: 4
      memory: 8G
      runtime: "02:00:00"
      queue: long.q
      project: proj_fit
    local:
      cores: 1
  summarize:
    slurm:
      memory: 2G
`);
    const fit = tool.taskTemplate({ name: 'fit', commandTemplate: 'fit {loc}' });
    const summarize = tool.taskTemplate({
      name: 'summarize',
      commandTemplate: 'summarize {loc}',
      defaultResources: { memory: '3G' },
    });
    expect(fit.toInput().defaultResources).toEqual({
      memoryMb: 8192,
      cores: 4,
      runtimeSeconds: 7200,
      queue: 'long.q',
      extra: { project: 'proj_fit' },
    });
    expect(summarize.toInput().defaultResources).toEqual({
      memoryMb: 3072,
      runtimeSeconds: 3600,
      queue: 'all.q',
    });
    expect(errorOf(() => tool.setTemplateResourcesFromYaml('nothing: here')).message).toMatch(
      /needs a task_template_resources mapping/,
    );
    expect(
      errorOf(() =>
        tool.setTemplateResourcesFromYaml(
          'task_template_resources:\n  fit:\n    slurm:\n      memory: lots\n',
        ),
      ).message,
    ).toMatch(/fit on slurm: .*memory/);
  });

  it('createTasks makes the cartesian product of the list-valued arguments', () => {
    const { fit } = pipeline();
    const tasks = fit.createTasks({
      args: { loc: ['kenya', 'peru'], year: [2020, 2021, 2022], draws: 100, python: 'python3' },
      maxAttempts: 2,
    });
    expect(tasks.map((task) => task.key)).toEqual([
      'fit[loc=kenya,year=2020]',
      'fit[loc=kenya,year=2021]',
      'fit[loc=kenya,year=2022]',
      'fit[loc=peru,year=2020]',
      'fit[loc=peru,year=2021]',
      'fit[loc=peru,year=2022]',
    ]);
    expect(tasks.every((task) => task.toInput().maxAttempts === 2 && task.args.draws === 100)).toBe(true);
    expect(
      errorOf(() => fit.createTasks({ args: { loc: [], year: 1, draws: 1, python: 'p' } })).message,
    ).toMatch(/loc has an empty list/);
  });
});

describe('resource scales', () => {
  it('sends one factor as it is, and a list as the factors of each resource failure', () => {
    const { fit } = pipeline();
    const args = { loc: 'peru', year: 2020, draws: 10, python: 'python3' };
    expect(fit.createTask({ args, resourceScales: { memory: 0.25 } }).toInput().resourceScales).toEqual({
      memory: 0.25,
    });
    expect(
      fit.createTask({ args, resourceScales: { memory: [0.5, 1], runtime: 0.1 } }).toInput().resourceScales,
    ).toEqual({ memoryFactors: [0.5, 1], runtime: 0.1 });
  });
});
