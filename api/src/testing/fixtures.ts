// The one builder of workflow submissions for every package's tests (`@jobmon/api/testing`): the
// `WorkflowSubmission` input of submitWorkflow as plain data, with the fields each test does not care
// about filled in (a unique workflowArgs, templates made from the tasks).

/** A task of a submission (`TaskSubmission`); any other field (maxAttempts, resources…) passes through. */
export interface TaskFixture {
  key: string;
  template: string;
  args: Record<string, unknown>;
  upstream?: string[];
  [field: string]: unknown;
}

/** A task template of a submission (`TaskTemplateSubmission`). */
export interface TemplateFixture {
  name: string;
  commandTemplate: string;
  nodeArgs?: string[];
  taskArgs?: string[];
  [field: string]: unknown;
}

/** A `WorkflowSubmission`; any other field (maxAttempts, name, queue…) passes through. */
export interface SubmissionFixture {
  tool: string;
  workflowArgs: string;
  taskTemplates: TemplateFixture[];
  tasks: TaskFixture[];
  [field: string]: unknown;
}

let sequence = 0;

/** A workflowArgs no other submission of any test process has used (tests share MySQL servers). */
export function uniqueWorkflowArgs(prefix = 'w'): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${sequence}`;
}

/**
 * Templates for `tasks` that run `echo <template> --<arg> {<arg>}…`, every argument the tasks give a
 * template being one of its node arguments. Another `program` (`true`: benchmarks) runs instead of echo.
 */
export function echoTemplates(tasks: readonly TaskFixture[], program = 'echo'): TemplateFixture[] {
  const argNames = new Map<string, Set<string>>();
  for (const task of tasks) {
    const names = argNames.get(task.template) ?? new Set<string>();
    for (const name of Object.keys(task.args)) names.add(name);
    argNames.set(task.template, names);
  }
  return [...argNames].map(([name, args]) => ({
    name,
    commandTemplate: `${program} ${name}${[...args].map((arg) => ` --${arg} {${arg}}`).join('')}`,
    nodeArgs: [...args],
  }));
}

/**
 * A submission of `tasks`. Without `taskTemplates`, echo templates are made from the tasks
 * (`echoTemplates`); without `workflowArgs`, a unique one; `tool` defaults to `test`.
 */
export function submission(
  tasks: readonly TaskFixture[],
  fields: Partial<SubmissionFixture> = {},
): SubmissionFixture {
  return {
    tool: 'test',
    workflowArgs: uniqueWorkflowArgs(),
    taskTemplates: echoTemplates(tasks),
    ...fields,
    tasks: [...tasks],
  };
}

/** A task of template `template` (default `step`) with `args` (default `{ name: key }`). */
export function task(
  key: string,
  upstream: readonly string[] = [],
  more: Partial<TaskFixture> = {},
): TaskFixture {
  return { key, template: 'step', args: { name: key }, upstream: [...upstream], ...more };
}

/** A chain of `length` tasks `<prefix>0 → <prefix>1 → …`, each downstream of the one before. */
export function chain(length: number, prefix = 't'): TaskFixture[] {
  return Array.from({ length }, (_, i) => task(`${prefix}${i}`, i === 0 ? [] : [`${prefix}${i - 1}`]));
}

/** `count` tasks `<prefix>0`, `<prefix>1`, … without upstream (all QUEUED once submitted). */
export function independent(count: number, prefix = 't'): TaskFixture[] {
  return Array.from({ length: count }, (_, i) => task(`${prefix}${i}`));
}

/**
 * `side` tasks `<upper>0…` and `side` tasks `<lower>0…`, each of the latter downstream of every one of the
 * former: side² edges, the densest DAG for its task count. Each layer's template is named after its prefix.
 */
export function bipartite(side: number, upper = 'u', lower = 'd'): TaskFixture[] {
  const uppers = Array.from({ length: side }, (_, i) => task(`${upper}${i}`, [], { template: upper }));
  const keys = uppers.map((fixture) => fixture.key);
  const lowers = Array.from({ length: side }, (_, i) => task(`${lower}${i}`, keys, { template: lower }));
  return [...uppers, ...lowers];
}

/** The template of `shellTask`s: `sh <dir>/{script} {name}`. */
export function shellTemplate(dir: string): TemplateFixture {
  return { name: 'sh', commandTemplate: `sh ${dir}/{script} {name}`, nodeArgs: ['script', 'name'] };
}

/** A task that runs the script `<dir>/<script>` with its key as argument (see `shellSubmission`). */
export function shellTask(key: string, script: string, more: Partial<TaskFixture> = {}): TaskFixture {
  return { key, template: 'sh', args: { script, name: key }, ...more };
}

/** A submission of `shellTask`s, whose scripts are in `dir`. */
export function shellSubmission(
  dir: string,
  tasks: readonly TaskFixture[],
  fields: Partial<SubmissionFixture> = {},
): SubmissionFixture {
  return submission(tasks, { tool: 'e2e', taskTemplates: [shellTemplate(dir)], ...fields });
}
