import { createHash } from 'node:crypto';
import {
  argValueProblem,
  BadUserInputError,
  canonicalJson,
  compileTemplate,
  DEFAULT_RESOURCE_SCALES,
  DEFAULT_RESOURCES,
  findCycleInIdEdges,
  invalidArgValues,
  DEFAULT_INPUT_LIMITS,
  DEFAULT_MAX_CONCURRENTLY_RUNNING,
  jsonValueProblem,
  mergeResources,
  resourcesHash,
  textProblem,
  validateResources,
  validateScales,
  validateTemplate,
  type InputLimits,
  type ResolvedResources,
  type TextKind,
} from '../domain';
import type { TaskSubmission, TaskTemplateSubmission, WorkflowSubmission } from './submission.types';
import { WorkSlicer } from './work-slicer';

// Validation and preparation of a submission, before any I/O: everything wrong is reported at once
// (up to a cap) and nothing is written when anything is wrong.

const MAX_PROBLEMS = 50;
export const DEFAULT_MAX_ATTEMPTS = 3;

export interface PreparedTemplate {
  name: string;
  commandTemplate: string;
  nodeArgs: string[];
  taskArgs: string[];
  opArgs: string[];
  /** Identifies this version of the template: the command and its argument groups. */
  argHash: string;
  defaultResources: TaskTemplateSubmission['defaultResources'];
  maxConcurrentlyRunning: number | null;
}

export interface PreparedTask {
  key: string;
  template: string;
  /** The template version's argHash: a changed command template makes a different workflow. */
  templateHash: string;
  name: string;
  command: string;
  args: string;
  resources: ResolvedResources;
  resourcesHash: string;
  maxAttempts: number;
  resourceScales: string;
  fallbackQueues: string | null;
  attributes: string | null;
  upstream: string[];
}

export interface PreparedSubmission {
  tool: string;
  workflowArgs: string;
  workflowArgsHash: string;
  taskHash: string;
  name: string | null;
  description: string | null;
  maxConcurrentlyRunning: number;
  maxAttempts: number;
  failFast: boolean;
  defaultResources: string | null;
  attributes: string | null;
  templates: PreparedTemplate[];
  tasks: PreparedTask[];
  edgeCount: number;
}

class Problems {
  readonly list: string[] = [];
  private dropped = 0;
  /** The sizes the checked text must keep to (config.limits). */
  constructor(readonly limits: InputLimits = DEFAULT_INPUT_LIMITS) {}
  /** Records why `value` cannot be stored as `field` (too long for its limit, a NUL), if it cannot. */
  text(value: string | null | undefined, field: string, kind: TextKind): void {
    const problem = textProblem(value, field, kind, this.limits);
    if (problem) this.add(problem);
  }
  /**
   * A JSON value as it is stored (null for none), or null with the reason recorded: nested beyond the
   * limit (checked first: serialising it would overflow the stack), or too long once stored as text.
   */
  json(value: unknown, field: string): string | null {
    if (value === null || value === undefined) return null;
    const problem = jsonValueProblem(value, this.limits.maxJsonDepth, field);
    if (problem) {
      this.add(problem);
      return null;
    }
    const stored = JSON.stringify(value);
    this.text(stored, field, 'text');
    return stored;
  }
  add(problem: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push(problem);
    else this.dropped += 1;
  }
  addAll(problems: readonly string[]): void {
    for (const problem of problems) this.add(problem);
  }
  throwIfAny(summary: string): void {
    if (this.list.length === 0) return;
    const problems = this.dropped > 0 ? [...this.list, `… and ${this.dropped} more`] : this.list;
    const shown = problems.slice(0, 5).join('; ');
    throw new BadUserInputError(
      `${summary}: ${shown}${problems.length > 5 ? ` (and ${problems.length - 5} more problems)` : ''}`,
      problems,
    );
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function checkCount(value: number | null | undefined, field: string, min: number, problems: Problems): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < min)
    problems.add(`${field} must be an integer ≥ ${min} (got ${value})`);
}

/**
 * An order-independent digest of the task set: the sum of per-task digests modulo 2^256, so the same
 * tasks in any order (or in any chunking) give the same workflow identity.
 */
export class TaskSetHash {
  private sum = 0n;
  private static readonly MOD = 1n << 256n;
  /**
   * Digests added since the last fold, as eight big-endian 32-bit words summed without carrying: each word
   * stays below 2^52 (exact in a double) for 2^20 adds, and folding into `sum` does the carries at once.
   */
  private readonly words = new Float64Array(8);
  private unfolded = 0;
  /** Resumes a sum saved with hex() (the chunked binding keeps it between chunks). */
  static fromHex(hex: string): TaskSetHash {
    const hash = new TaskSetHash();
    hash.sum = BigInt(`0x${hex}`) % TaskSetHash.MOD;
    return hash;
  }
  add(task: {
    key: string;
    template: string;
    templateHash: string;
    args: string;
    upstream: readonly string[];
  }): void {
    // canonicalJson of an array of strings is exactly JSON.stringify of it.
    const digest = createHash('sha256')
      .update(
        JSON.stringify([task.key, task.template, task.templateHash, task.args, [...task.upstream].sort()]),
      )
      .digest();
    for (let i = 0; i < 8; i++) this.words[i]! += digest.readUInt32BE(i * 4);
    if (++this.unfolded === 1 << 20) this.fold();
  }
  /** Adds the tasks of another set (the union of two disjoint sets). */
  merge(other: TaskSetHash): void {
    other.fold();
    this.fold();
    this.sum = (this.sum + other.sum) % TaskSetHash.MOD;
  }
  hex(): string {
    this.fold();
    return this.sum.toString(16).padStart(64, '0');
  }
  private fold(): void {
    if (this.unfolded === 0) return;
    let added = 0n;
    for (let i = 0; i < 8; i++) added = (added << 32n) + BigInt(this.words[i]!);
    this.sum = (this.sum + added) % TaskSetHash.MOD;
    this.words.fill(0);
    this.unfolded = 0;
  }
}

export function prepareTemplates(
  templates: readonly TaskTemplateSubmission[],
  problems: Problems,
): PreparedTemplate[] {
  const seen = new Set<string>();
  const prepared: PreparedTemplate[] = [];
  for (const template of templates) {
    if (seen.has(template.name)) problems.add(`template "${template.name}" is defined twice`);
    if (template.name !== template.name.trim())
      problems.add(`template "${template.name}": name has leading or trailing whitespace`);
    const label = `template "${template.name.slice(0, 40)}${template.name.length > 40 ? '…' : ''}"`;
    problems.text(template.name, `${label}: name`, 'name');
    problems.text(template.commandTemplate, `${label}: commandTemplate`, 'text');
    for (const group of [template.nodeArgs, template.taskArgs, template.opArgs])
      for (const arg of group ?? []) problems.text(arg, `${label}: argument name`, 'name');
    problems.text(template.defaultResources?.queue, `${label}: queue`, 'name');
    if (template.defaultResources?.extra != null)
      problems.json(template.defaultResources.extra, `${label}: extra resources`);
    seen.add(template.name);
    const checked = validateTemplate(template);
    problems.addAll(checked.problems);
    problems.addAll(validateResources(template.defaultResources, `template "${template.name}"`));
    checkCount(
      template.maxConcurrentlyRunning,
      `template "${template.name}": maxConcurrentlyRunning`,
      0,
      problems,
    );
    prepared.push({
      name: template.name,
      commandTemplate: template.commandTemplate,
      nodeArgs: checked.nodeArgs,
      taskArgs: checked.taskArgs,
      opArgs: checked.opArgs,
      argHash: sha256(
        canonicalJson([template.commandTemplate, checked.nodeArgs, checked.taskArgs, checked.opArgs]),
      ),
      defaultResources: template.defaultResources ?? null,
      maxConcurrentlyRunning: template.maxConcurrentlyRunning ?? null,
    });
  }
  return prepared;
}

interface TaskContext {
  templates: Map<
    string,
    PreparedTemplate & {
      compiled: ReturnType<typeof compileTemplate>;
      declared: Set<string>;
      /** The resources of a task that sets none, and their hash (filled on first use). */
      inherited?: { resources: ResolvedResources; hash: string };
    }
  >;
  workflowDefaults: WorkflowSubmission['defaultResources'];
  workflowMaxAttempts: number;
}

export function templateContext(
  templates: readonly PreparedTemplate[],
  submission: Pick<WorkflowSubmission, 'defaultResources'>,
  workflowMaxAttempts: number,
): TaskContext {
  return {
    templates: new Map(
      templates.map((template) => [
        template.name,
        {
          ...template,
          compiled: compileTemplate(template.commandTemplate),
          declared: new Set([...template.nodeArgs, ...template.taskArgs, ...template.opArgs]),
        },
      ]),
    ),
    workflowDefaults: submission.defaultResources ?? null,
    workflowMaxAttempts,
  };
}

/** Validates and renders one task; returns null (with problems recorded) when it is invalid. */
export function prepareTask(
  task: TaskSubmission,
  context: TaskContext,
  problems: Problems,
): PreparedTask | null {
  const where = `task "${typeof task.key === 'string' ? task.key.slice(0, 80) : task.key}"`;
  const before = problems.list.length;
  const keyProblem = textProblem(task.key, `${where}: key`, 'name', problems.limits);
  if (typeof task.key !== 'string' || task.key.trim() === '') problems.add(`a task has an empty key`);
  else if (keyProblem) problems.add(keyProblem);
  // MySQL compares strings ignoring trailing spaces: "k" and "k " would collide there and not on SQLite.
  else if (task.key !== task.key.trim()) problems.add(`${where}: key has leading or trailing whitespace`);
  problems.text(task.name, `${where}: name`, 'name');
  problems.text(task.resources?.queue, `${where}: queue`, 'name');
  for (const queue of task.fallbackQueues ?? []) problems.text(queue, `${where}: fallback queue`, 'name');
  for (const upstream of task.upstream ?? []) problems.text(upstream, `${where}: upstream key`, 'name');
  if (task.resources?.extra != null) problems.json(task.resources.extra, `${where}: extra resources`);
  const template = context.templates.get(task.template);
  if (!template) problems.add(`${where}: unknown template "${task.template}"`);
  if (!isPlainObject(task.args)) problems.add(`${where}: args must be an object`);
  checkCount(task.maxAttempts, `${where}: maxAttempts`, 1, problems);
  problems.addAll(validateResources(task.resources, where));
  problems.addAll(validateScales(task.resourceScales, where));
  if (task.fallbackQueues?.some((queue) => typeof queue !== 'string' || queue.trim() === ''))
    problems.add(`${where}: fallbackQueues must be non-empty queue names`);
  let attributes: string | null = null;
  if (task.attributes !== null && task.attributes !== undefined && !isPlainObject(task.attributes))
    problems.add(`${where}: attributes must be an object`);
  else attributes = problems.json(task.attributes, `${where}: attributes`);

  let command = '';
  if (template && isPlainObject(task.args)) {
    const invalid = invalidArgValues(task.args);
    for (const name of invalid) problems.add(`${where}: ${argValueProblem(name, task.args[name])}`);
    for (const name of Object.keys(task.args))
      if (!template.declared.has(name))
        problems.add(`${where}: unknown argument "${name}" for template "${template.name}"`);
    // render() throws on unusable values: they are reported above, with everything else wrong.
    const rendered = invalid.length === 0 ? template.compiled.render(task.args) : { command: '' };
    if ('missing' in rendered)
      problems.add(
        `${where}: missing argument${rendered.missing.length > 1 ? 's' : ''} ${rendered.missing.map((m) => `"${m}"`).join(', ')} of template "${template.name}"`,
      );
    else command = rendered.command;
  }
  if (problems.list.length > before || !template) return null;
  // Args are flat (checked above); the stored JSON and the rendered command must fit their columns.
  const args = canonicalArgs(task.args);
  problems.text(args, `${where}: args`, 'text');
  problems.text(command, `${where}: command`, 'text');
  if (problems.list.length > before) return null;

  // Most tasks take their template's resources as they are: merged and hashed once per template.
  let resources: ResolvedResources;
  let hash: string;
  if (task.resources === null || task.resources === undefined) {
    template.inherited ??= inheritedResources(template, context);
    ({ resources, hash } = template.inherited);
  } else {
    resources = mergeResources(
      task.resources,
      template.defaultResources,
      context.workflowDefaults,
      DEFAULT_RESOURCES,
    );
    hash = resourcesHash(resources);
  }
  return {
    key: task.key,
    template: template.name,
    templateHash: template.argHash,
    name: task.name || task.key,
    command,
    args,
    resources,
    resourcesHash: hash,
    maxAttempts: task.maxAttempts ?? context.workflowMaxAttempts,
    resourceScales:
      task.resourceScales === null || task.resourceScales === undefined
        ? DEFAULT_SCALES_JSON
        : JSON.stringify({ ...DEFAULT_RESOURCE_SCALES, ...stripNullish(task.resourceScales) }),
    fallbackQueues: task.fallbackQueues?.length ? JSON.stringify(task.fallbackQueues) : null,
    attributes,
    upstream: [...new Set(task.upstream ?? [])],
  };
}

const DEFAULT_SCALES_JSON = JSON.stringify({ ...DEFAULT_RESOURCE_SCALES });

function inheritedResources(template: PreparedTemplate, context: TaskContext) {
  const resources = mergeResources(
    null,
    template.defaultResources,
    context.workflowDefaults,
    DEFAULT_RESOURCES,
  );
  return { resources, hash: resourcesHash(resources) };
}

/**
 * canonicalJson of validated args (a flat object of strings, finite numbers and booleans), without its
 * generic walk: keys sorted, values as JSON. Anything else goes through canonicalJson itself.
 */
function canonicalArgs(args: Record<string, unknown>): string {
  const proto: unknown = Object.getPrototypeOf(args);
  if (proto !== Object.prototype && proto !== null) return canonicalJson(args);
  const keys = Object.keys(args).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = args[key];
    if (typeof value === 'string')
      out += `${i === 0 ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(value)}`;
    else if ((typeof value === 'number' && isFinite(value)) || typeof value === 'boolean')
      out += `${i === 0 ? '' : ','}${JSON.stringify(key)}:${String(value)}`;
    else return canonicalJson(args);
  }
  return `${out}}`;
}

function stripNullish(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
}

export function prepareWorkflowFields(submission: Omit<WorkflowSubmission, 'tasks'>, problems: Problems) {
  if (typeof submission.tool !== 'string' || submission.tool.trim() === '')
    problems.add('tool must not be empty');
  else problems.text(submission.tool, 'tool', 'name');
  if (typeof submission.workflowArgs !== 'string' || submission.workflowArgs.trim() === '')
    problems.add('workflowArgs must not be empty');
  else problems.text(submission.workflowArgs, 'workflowArgs', 'text');
  problems.text(submission.name, 'name', 'name');
  problems.text(submission.description, 'description', 'text');
  problems.text(submission.defaultResources?.queue, 'workflow: queue', 'name');
  if (submission.defaultResources?.extra != null)
    problems.json(submission.defaultResources.extra, 'workflow: extra resources');
  checkCount(submission.maxConcurrentlyRunning, 'maxConcurrentlyRunning', 0, problems);
  checkCount(submission.maxAttempts, 'maxAttempts', 1, problems);
  problems.addAll(validateResources(submission.defaultResources, 'workflow'));
  let attributes: string | null = null;
  if (
    submission.attributes !== null &&
    submission.attributes !== undefined &&
    !isPlainObject(submission.attributes)
  )
    problems.add('attributes must be an object');
  else attributes = problems.json(submission.attributes, 'attributes');
  return {
    tool: submission.tool?.trim() ?? '',
    workflowArgs: submission.workflowArgs ?? '',
    workflowArgsHash: sha256(submission.workflowArgs ?? ''),
    name: submission.name ?? null,
    description: submission.description ?? null,
    maxConcurrentlyRunning: submission.maxConcurrentlyRunning ?? DEFAULT_MAX_CONCURRENTLY_RUNNING,
    maxAttempts: submission.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    failFast: submission.failFast ?? false,
    // Not serialised when refused (extra nested too deep would overflow the stack); the caller throws then.
    defaultResources:
      submission.defaultResources && problems.list.length === 0
        ? JSON.stringify(submission.defaultResources)
        : null,
    attributes,
  };
}

export { Problems };

/**
 * Validates a whole one-request submission; throws BadUserInputError listing the problems. The loops give
 * the event loop a turn every slice of work (`slicer`): other requests are answered meanwhile.
 */
export async function prepareSubmission(
  submission: WorkflowSubmission,
  maxTasks: number,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
  slicer = new WorkSlicer(),
): Promise<PreparedSubmission> {
  const problems = new Problems(limits);
  const fields = prepareWorkflowFields(submission, problems);
  if (!Array.isArray(submission.tasks) || submission.tasks.length === 0)
    problems.add('tasks must not be empty');
  else if (submission.tasks.length > maxTasks)
    problems.add(
      `${submission.tasks.length} tasks exceed the ${maxTasks} a single submitWorkflow may carry: use the chunked binding (beginWorkflowBinding / addWorkflowTasks / commitWorkflowBinding)`,
    );
  const templates = prepareTemplates(submission.taskTemplates ?? [], problems);
  problems.throwIfAny('Invalid workflow submission');

  const context = templateContext(templates, submission, fields.maxAttempts);
  const tasks: PreparedTask[] = [];
  // key → position of its first task; once the checks pass, the positions of `tasks` too.
  const keys = new Map<string, number>();
  for (const task of submission.tasks) {
    if (keys.has(task.key)) problems.add(`task "${task.key}": duplicate key`);
    else keys.set(task.key, keys.size);
    const prepared = prepareTask(task, context, problems);
    if (prepared) tasks.push(prepared);
    if (slicer.due(1 + (task.upstream?.length ?? 0))) await slicer.turn();
  }
  let edgeCount = 0;
  for (const task of submission.tasks) {
    if (slicer.due(1 + (task.upstream?.length ?? 0))) await slicer.turn();
    for (const upstream of task.upstream ?? []) {
      edgeCount += 1;
      if (upstream === task.key) problems.add(`task "${task.key}" lists itself as upstream`);
      else if (!keys.has(upstream)) problems.add(`task "${task.key}": unknown upstream key "${upstream}"`);
    }
  }
  problems.throwIfAny('Invalid workflow submission');

  // Every key is unique and known now: the DAG as index pairs, for the typed-array cycle check.
  const ups = new Int32Array(edgeCount);
  const downs = new Int32Array(edgeCount);
  let edges = 0;
  for (let down = 0; down < tasks.length; down++) {
    if (slicer.due(1 + tasks[down]!.upstream.length)) await slicer.turn();
    for (const upstream of tasks[down]!.upstream) {
      ups[edges] = keys.get(upstream)!;
      downs[edges] = down;
      edges += 1;
    }
  }
  const cycle = findCycleInIdEdges(tasks.length, ups.subarray(0, edges), downs.subarray(0, edges));
  if (cycle)
    problems.add(`the DAG has a cycle: ${cycle.map((index) => `"${tasks[index]!.key}"`).join(' -> ')}`);
  problems.throwIfAny('Invalid workflow submission');

  const taskSet = new TaskSetHash();
  for (const task of tasks) {
    taskSet.add(task);
    if (slicer.due(1 + task.upstream.length)) await slicer.turn();
  }
  return { ...fields, taskHash: taskSet.hex(), templates, tasks, edgeCount };
}
