import {
  argValueProblem,
  findCycle as findCycleOfKeys,
  invalidArgValues,
  templatePlaceholders as placeholderNames,
  templateSyntaxProblems,
} from '@jobmon/core';
import type { TaskInput, TaskTemplateInput, WorkflowSubmission } from '../generated/graphql';
import { WorkflowDefinitionError } from './errors';

// The checks the SDK makes before sending anything: command templates, template arguments, task keys,
// upstream keys and cycles. The server checks all of this again; here the errors name the task at once.

/**
 * The placeholder names of a command template, in order of first appearance (`{{`/`}}` are literal); a
 * malformed template is refused with its first problem (the server's rule, from @jobmon/core).
 */
export function templatePlaceholders(commandTemplate: string, where = 'command template'): string[] {
  const [problem] = templateSyntaxProblems(commandTemplate);
  if (problem !== undefined) throw new WorkflowDefinitionError(`${where}: ${problem}`);
  return placeholderNames(commandTemplate);
}

/** How a task is named in messages: `task "name" (key k)` or `task "key"`. */
export function taskLabel(task: Pick<TaskInput, 'key' | 'name'>): string {
  return task.name && task.name !== task.key
    ? `task "${task.name}" (key "${task.key}")`
    : `task "${task.key}"`;
}

/** Problems with one task's arguments against its template (missing, unknown, unusable values). */
export function argumentProblems(
  template: TaskTemplateInput,
  args: Record<string, unknown>,
  label: string,
): string[] {
  const problems: string[] = [];
  const placeholders = templatePlaceholders(template.commandTemplate, `template "${template.name}"`);
  const groups = [...(template.nodeArgs ?? []), ...(template.taskArgs ?? []), ...(template.opArgs ?? [])];
  const declared = new Set(groups.length ? groups : placeholders);
  const missing = placeholders.filter(
    (name) =>
      !Object.prototype.hasOwnProperty.call(args, name) || args[name] === undefined || args[name] === null,
  );
  if (missing.length)
    problems.push(
      `${label}: missing argument${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} of template "${template.name}"`,
    );
  // Absent values are reported as missing above; the values a command accepts are the server's rule.
  const given = Object.fromEntries(
    Object.entries(args).filter(([, value]) => value !== undefined && value !== null),
  );
  const unusable = new Set(invalidArgValues(given));
  for (const name of Object.keys(args)) {
    if (!declared.has(name))
      problems.push(`${label}: unknown argument "${name}" for template "${template.name}"`);
    else if (unusable.has(name)) problems.push(`${label}: ${argValueProblem(name, args[name])}`);
  }
  return problems;
}

/**
 * One cycle among the tasks, as keys in run order from a task back to itself, or undefined when the graph
 * is a DAG (the server's rule, from @jobmon/core). Upstream keys of no task are ignored here.
 */
export function findCycle(tasks: readonly Pick<TaskInput, 'key' | 'upstream'>[]): string[] | undefined {
  const upstream = new Map(tasks.map((task) => [task.key, task.upstream ?? []]));
  return findCycleOfKeys([...upstream.keys()], (key) => upstream.get(key)!) ?? undefined;
}

/** Every problem of a submission the SDK can see without the server; throws WorkflowDefinitionError. */
export function validateSubmission(submission: WorkflowSubmission): void {
  const problems: string[] = [];
  const templates = new Map<string, TaskTemplateInput>();
  for (const template of submission.taskTemplates) {
    if (templates.has(template.name)) problems.push(`template "${template.name}" is defined twice`);
    templates.set(template.name, template);
    try {
      templatePlaceholders(template.commandTemplate, `template "${template.name}"`);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const byKey = new Map<string, TaskInput>();
  for (const task of submission.tasks) {
    const label = taskLabel(task);
    if (byKey.has(task.key))
      problems.push(`${label}: key "${task.key}" is also used by ${taskLabel(byKey.get(task.key)!)}`);
    byKey.set(task.key, task);
  }
  for (const task of submission.tasks) {
    const label = taskLabel(task);
    const template = templates.get(task.template);
    if (!template) problems.push(`${label}: unknown template "${task.template}"`);
    else if (typeof task.args !== 'object' || task.args === null || Array.isArray(task.args))
      problems.push(`${label}: args must be an object`);
    else {
      try {
        problems.push(...argumentProblems(template, task.args as Record<string, unknown>, label));
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    for (const up of task.upstream ?? [])
      if (!byKey.has(up)) problems.push(`${label}: unknown upstream task "${up}"`);
  }
  const cycle = findCycle(submission.tasks);
  if (cycle)
    problems.push(
      `cycle between tasks: ${cycle.map((key) => (byKey.has(key) ? taskLabel(byKey.get(key)!) : key)).join(' → ')}`,
    );
  if (problems.length)
    throw new WorkflowDefinitionError(
      `Invalid workflow "${submission.workflowArgs}": ${problems.join('; ')}`,
      problems,
    );
}
