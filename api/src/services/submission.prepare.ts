import { createHash } from 'node:crypto';
import {
  BadUserInputError,
  canonicalJson,
  compileTemplate,
  DEFAULT_RESOURCE_SCALES,
  DEFAULT_RESOURCES,
  findCycleInIdEdges,
  invalidArgValues,
  mergeResources,
  resourcesHash,
  validateResources,
  validateScales,
  validateTemplate,
  type ResolvedResources,
} from '../domain';
import type { TaskSubmission, TaskTemplateSubmission, WorkflowSubmission } from './submission.types';
import { WorkSlicer } from './work-slicer';

// Validation and preparation of a submission, before any I/O: everything wrong is reported at once
// (up to a cap) and nothing is written when anything is wrong.

const MAX_PROBLEMS = 50;
const MAX_KEY_LENGTH = 255;
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_MAX_CONCURRENTLY_RUNNING = 10_000;

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
    // task_template.name is VARCHAR(255): MySQL would refuse a longer one with an internal error.
    if (template.name.length > MAX_KEY_LENGTH)
      problems.add(
        `template "${template.name.slice(0, 40)}…": name is longer than ${MAX_KEY_LENGTH} characters`,
      );
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
  const where = `task "${task.key}"`;
  const before = problems.list.length;
  if (typeof task.key !== 'string' || task.key.trim() === '') problems.add(`a task has an empty key`);
  else if (task.key.length > MAX_KEY_LENGTH)
    problems.add(`${where}: key is longer than ${MAX_KEY_LENGTH} characters`);
  // MySQL compares strings ignoring trailing spaces: "k" and "k " would collide there and not on SQLite.
  else if (task.key !== task.key.trim()) problems.add(`${where}: key has leading or trailing whitespace`);
  if (task.name !== null && task.name !== undefined && task.name.length > MAX_KEY_LENGTH)
    problems.add(`${where}: name is longer than ${MAX_KEY_LENGTH} characters`);
  const template = context.templates.get(task.template);
  if (!template) problems.add(`${where}: unknown template "${task.template}"`);
  if (!isPlainObject(task.args)) problems.add(`${where}: args must be an object`);
  checkCount(task.maxAttempts, `${where}: maxAttempts`, 1, problems);
  problems.addAll(validateResources(task.resources, where));
  problems.addAll(validateScales(task.resourceScales, where));
  if (task.fallbackQueues?.some((queue) => typeof queue !== 'string' || queue.trim() === ''))
    problems.add(`${where}: fallbackQueues must be non-empty queue names`);
  if (task.attributes !== null && task.attributes !== undefined && !isPlainObject(task.attributes))
    problems.add(`${where}: attributes must be an object`);

  let command = '';
  if (template && isPlainObject(task.args)) {
    const invalid = invalidArgValues(task.args);
    for (const name of invalid)
      problems.add(`${where}: argument "${name}" must be a string, a finite number or a boolean`);
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
    args: canonicalArgs(task.args),
    resources,
    resourcesHash: hash,
    maxAttempts: task.maxAttempts ?? context.workflowMaxAttempts,
    resourceScales:
      task.resourceScales === null || task.resourceScales === undefined
        ? DEFAULT_SCALES_JSON
        : JSON.stringify({ ...DEFAULT_RESOURCE_SCALES, ...stripNullish(task.resourceScales) }),
    fallbackQueues: task.fallbackQueues?.length ? JSON.stringify(task.fallbackQueues) : null,
    attributes: task.attributes ? JSON.stringify(task.attributes) : null,
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
  else if (submission.tool.length > 255) problems.add('tool is longer than 255 characters');
  if (typeof submission.workflowArgs !== 'string' || submission.workflowArgs.trim() === '')
    problems.add('workflowArgs must not be empty');
  if (submission.name && submission.name.length > 255) problems.add('name is longer than 255 characters');
  checkCount(submission.maxConcurrentlyRunning, 'maxConcurrentlyRunning', 0, problems);
  checkCount(submission.maxAttempts, 'maxAttempts', 1, problems);
  problems.addAll(validateResources(submission.defaultResources, 'workflow'));
  if (
    submission.attributes !== null &&
    submission.attributes !== undefined &&
    !isPlainObject(submission.attributes)
  )
    problems.add('attributes must be an object');
  return {
    tool: submission.tool?.trim() ?? '',
    workflowArgs: submission.workflowArgs ?? '',
    workflowArgsHash: sha256(submission.workflowArgs ?? ''),
    name: submission.name ?? null,
    description: submission.description ?? null,
    maxConcurrentlyRunning: submission.maxConcurrentlyRunning ?? DEFAULT_MAX_CONCURRENTLY_RUNNING,
    maxAttempts: submission.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    failFast: submission.failFast ?? false,
    defaultResources: submission.defaultResources ? JSON.stringify(submission.defaultResources) : null,
    attributes: submission.attributes ? JSON.stringify(submission.attributes) : null,
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
  slicer = new WorkSlicer(),
): Promise<PreparedSubmission> {
  const problems = new Problems();
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
