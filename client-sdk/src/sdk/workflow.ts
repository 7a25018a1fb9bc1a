import type {
  ResourcesInput,
  ResumeMode,
  WorkflowStatus,
  TaskInput,
  TaskTemplateInput,
  WorkflowSubmission,
} from '../generated/graphql';
import {
  JobmonClient,
  type FailedAttempt,
  type FollowOptions,
  type JobmonClientOptions,
  type RunResult,
  type WorkflowSnapshot,
  type StatusCounts,
  type SubmitOptions,
  type SubmitResult,
  type TemplateResourceUsage,
} from './client';
import fs from 'node:fs';
import { WorkflowDefinitionError } from './errors';
import {
  toResourceScalesInput,
  toResourcesInput,
  type ResourceScalesSpec,
  type ResourceSpec,
} from './resources';
import { argumentProblems, templatePlaceholders, validateSubmission } from './validate';
import { yaml } from './on-first-use';

/** Argument values of a task: strings, finite numbers or booleans. */
export type TaskArgs = Record<string, string | number | boolean>;

export interface TaskTemplateOptions {
  name: string;
  /** e.g. `python fit.py --loc {location} --year {year}` ({{ and }} are literal braces). */
  commandTemplate: string;
  /** Arguments that identify a node of the DAG (all placeholders when no group is given). */
  nodeArgs?: string[];
  /** Arguments that vary by run but not node identity. */
  taskArgs?: string[];
  /** How it runs (e.g. the interpreter). */
  opArgs?: string[];
  defaultResources?: ResourceSpec;
  maxConcurrentlyRunning?: number;
  /**
   * The cluster whose tool-level and YAML defaults this template inherits (Jobmon's
   * default_cluster_name); by default the tool's.
   */
  defaultCluster?: string;
}

/** Argument values of createTasks: a list expands (the cartesian product of every list-valued argument). */
export type TaskArgsLists = Record<
  string,
  string | number | boolean | readonly (string | number | boolean)[]
>;

export interface CreateTaskOptions {
  args: TaskArgs;
  /** Tasks that must be DONE before this one runs. */
  upstream?: Task[];
  resources?: ResourceSpec;
  maxAttempts?: number;
  name?: string;
  /** Unique in the workflow; by default made from the template and its node args. */
  key?: string;
  /**
   * How much to raise memory/runtime after a resource failure: one factor (0.5: +50% each time), or as
   * Jobmon allows a list, a factor per failure (`{ memory: [0.5, 1, 2] }`: +50%, then +100%, then +200%
   * for every later one).
   */
  resourceScales?: ResourceScalesSpec;
  fallbackQueues?: string[];
  attributes?: Record<string, unknown>;
}

export interface WorkflowOptions {
  /** With the tool, identifies the workflow (submitting it again finds the same one). */
  workflowArgs: string;
  name?: string;
  description?: string;
  /** 0 pauses it. */
  maxConcurrentlyRunning?: number;
  failFast?: boolean;
  /** Default for tasks that do not say (the server's default is 3). */
  maxAttempts?: number;
  defaultResources?: ResourceSpec;
  attributes?: Record<string, unknown>;
}

export interface RunOptions extends JobmonClientOptions, FollowOptions, SubmitOptions {
  /** A client to use instead of one made from serverUrl/token. */
  client?: JobmonClient;
  /**
   * Jobmon's `run(resume=True)`: when the workflow exists already and its last run FAILED or was HALTED,
   * start a new run (`resumeMode`, COLD by default: every task not DONE runs again) instead of reporting
   * the old run's end. A DONE workflow stays DONE; a running one is followed.
   */
  resume?: boolean;
  resumeMode?: ResumeMode;
  // timeoutSeconds (FollowOptions): Jobmon's seconds_until_timeout. run() then rejects with
  // WorkflowRunTimeoutError when the workflow has not ended in time; the run goes on on the server.
}

/**
 * What run() does with the workflow its submission created or found: follow the run there is, or resume
 * (only when asked, and only a workflow whose last run ended without being DONE).
 */
export function afterSubmit(created: boolean, status: WorkflowStatus, resume: boolean): 'follow' | 'resume' {
  if (created || !resume) return 'follow';
  return status === 'FAILED' || status === 'HALTED' ? 'resume' : 'follow';
}

/** Jobmon's resource keys (cores, memory, runtime, queue); any other key goes to the backend as `extra`. */
function fromJobmonResources(values: unknown, where: string): ResourceSpec {
  if (typeof values !== 'object' || values === null || Array.isArray(values))
    throw new WorkflowDefinitionError(`${where}: resources must be a mapping`);
  const { cores, memory, memoryMb, runtime, runtimeSeconds, queue, extra, ...others } = values as Record<
    string,
    unknown
  >;
  const spec: ResourceSpec = compact({
    cores: cores as number | undefined,
    memory: (memory ?? memoryMb) as number | string | undefined,
    runtime: (runtime ?? runtimeSeconds) as number | string | undefined,
    queue: queue === undefined ? undefined : String(queue),
  });
  const rest = { ...(extra as Record<string, unknown> | undefined), ...others };
  if (Object.keys(rest).length) spec.extra = rest;
  toResourcesInput(spec, where); // checked now, where the user can see which file and template
  return spec;
}

/** ResourcesInput of `over` on top of `base` (each field; `extra` merged key by key). */
function overlay(
  base: ResourcesInput | undefined,
  over: ResourcesInput | undefined,
): ResourcesInput | undefined {
  if (!base) return over;
  if (!over) return base;
  const merged: ResourcesInput = { ...base, ...compact(over) };
  if (base.extra || over.extra)
    merged.extra = { ...(base.extra as object | undefined), ...(over.extra as object | undefined) };
  return merged;
}

/** A named pipeline or project: makes task templates and workflows. */
export class Tool {
  private readonly templates = new Map<string, TaskTemplate>();
  /** Tool-level default resources per cluster (Jobmon's set_default_compute_resources_from_dict). */
  private readonly clusterDefaults = new Map<string, ResourcesInput>();
  /** Template resources per template name and cluster (from YAML). */
  private readonly templateResources = new Map<string, Map<string, ResourcesInput>>();

  constructor(
    readonly name: string,
    /** The cluster whose defaults templates inherit (default: the first one given defaults, else `local`). */
    public defaultCluster?: string,
  ) {
    if (!name.trim()) throw new WorkflowDefinitionError('a tool needs a name');
  }

  /**
   * Default compute resources of every template of this tool on `cluster` (Jobmon's
   * `tool.set_default_compute_resources_from_dict`): a template inherits them; its own defaults (and a
   * task's resources) win field by field. Applies to templates made before or after.
   */
  setDefaultComputeResources(cluster: string, resources: ResourceSpec): this {
    this.clusterDefaults.set(cluster, toResourcesInput(resources, `tool "${this.name}" on ${cluster}`) ?? {});
    this.defaultCluster ??= cluster;
    return this;
  }

  /**
   * Template resources from Jobmon's YAML format:
   * `task_template_resources: { NAME: { CLUSTER: { cores, memory, runtime, queue, … } } }` (other keys
   * go to the backend as `extra`). They sit between the tool's defaults and a template's own.
   */
  setTemplateResourcesFromYaml(text: string, where = 'YAML'): this {
    let document: unknown;
    try {
      document = yaml().parse(text);
    } catch (error) {
      throw new WorkflowDefinitionError(`${where}: not YAML: ${(error as Error).message}`);
    }
    const templates = (document as { task_template_resources?: unknown } | null)?.task_template_resources;
    if (typeof templates !== 'object' || templates === null || Array.isArray(templates))
      throw new WorkflowDefinitionError(`${where}: needs a task_template_resources mapping`);
    for (const [template, clusters] of Object.entries(templates as Record<string, unknown>)) {
      if (typeof clusters !== 'object' || clusters === null || Array.isArray(clusters))
        throw new WorkflowDefinitionError(`${where}: ${template} must map cluster names to resources`);
      const byCluster = this.templateResources.get(template) ?? new Map<string, ResourcesInput>();
      for (const [cluster, values] of Object.entries(clusters as Record<string, unknown>)) {
        const label = `${where}: ${template} on ${cluster}`;
        byCluster.set(cluster, toResourcesInput(fromJobmonResources(values, label), label) ?? {});
      }
      this.templateResources.set(template, byCluster);
    }
    return this;
  }

  /** setTemplateResourcesFromYaml with the YAML read from a file. */
  setTemplateResourcesFromYamlFile(file: string): this {
    return this.setTemplateResourcesFromYaml(fs.readFileSync(file, 'utf8'), file);
  }

  /** The resources a template inherits on `cluster`: the tool's defaults, then the YAML's for it. */
  inheritedResources(template: string, cluster?: string): ResourcesInput | undefined {
    const name = cluster ?? this.defaultCluster ?? 'local';
    return overlay(this.clusterDefaults.get(name), this.templateResources.get(template)?.get(name));
  }

  /** A task template of this tool; the same name twice must mean the same definition. */
  taskTemplate(options: TaskTemplateOptions): TaskTemplate {
    const template = new TaskTemplate(this, options);
    const existing = this.templates.get(options.name);
    if (existing) {
      if (JSON.stringify(existing.toInput()) !== JSON.stringify(template.toInput()))
        throw new WorkflowDefinitionError(
          `template "${options.name}" of tool "${this.name}" is defined twice`,
        );
      return existing;
    }
    this.templates.set(options.name, template);
    return template;
  }

  workflow(options: WorkflowOptions): Workflow {
    return new Workflow(this, options);
  }
}

/** A command template with its argument groups and default resources. */
export class TaskTemplate {
  readonly name: string;
  readonly commandTemplate: string;
  readonly nodeArgs: readonly string[];
  readonly taskArgs: readonly string[];
  readonly opArgs: readonly string[];
  readonly placeholders: readonly string[];
  private readonly input: TaskTemplateInput;
  private readonly defaultCluster: string | undefined;

  constructor(
    readonly tool: Tool,
    options: TaskTemplateOptions,
  ) {
    const where = `template "${options.name}"`;
    if (!options.name?.trim()) throw new WorkflowDefinitionError('a task template needs a name');
    this.name = options.name;
    this.commandTemplate = options.commandTemplate;
    this.placeholders = templatePlaceholders(options.commandTemplate, where);
    const declared = [...(options.nodeArgs ?? []), ...(options.taskArgs ?? []), ...(options.opArgs ?? [])];
    const undeclared = declared.length ? this.placeholders.filter((p) => !declared.includes(p)) : [];
    if (undeclared.length)
      throw new WorkflowDefinitionError(
        `${where}: placeholder${undeclared.length > 1 ? 's' : ''} ${undeclared.map((p) => `{${p}}`).join(', ')} not declared in nodeArgs, taskArgs or opArgs`,
      );
    this.nodeArgs = declared.length ? (options.nodeArgs ?? []) : this.placeholders;
    this.taskArgs = options.taskArgs ?? [];
    this.opArgs = options.opArgs ?? [];
    this.defaultCluster = options.defaultCluster;
    this.input = compact({
      name: options.name,
      commandTemplate: options.commandTemplate,
      nodeArgs: options.nodeArgs,
      taskArgs: options.taskArgs,
      opArgs: options.opArgs,
      defaultResources: toResourcesInput(options.defaultResources, where),
      maxConcurrentlyRunning: options.maxConcurrentlyRunning,
    });
  }

  /**
   * The TaskTemplateInput of a submission: its default resources are the tool's for its cluster, then the
   * YAML's for it, then its own, field by field.
   */
  toInput(): TaskTemplateInput {
    const input = structuredClone(this.input);
    const resources = overlay(
      this.tool.inheritedResources(this.name, this.defaultCluster),
      input.defaultResources ?? undefined,
    );
    return compact({ ...input, defaultResources: resources && structuredClone(resources) });
  }

  /** The key a task gets when none is given: the template and its node args, e.g. `fit[loc=1,year=2020]`. */
  defaultKey(args: TaskArgs): string {
    const parts = (this.nodeArgs.length ? this.nodeArgs : Object.keys(args).sort()).map(
      (name) => `${name}=${String(args[name])}`,
    );
    return `${this.name}[${parts.join(',')}]`;
  }

  /**
   * Tasks for the cartesian product of the list-valued arguments (Jobmon's `create_tasks`): `{ loc: ['a',
   * 'b'], year: [2020, 2021], draws: 100 }` makes four tasks. Keys are the template's default keys; the
   * other options apply to every task.
   */
  createTasks(options: Omit<CreateTaskOptions, 'args' | 'key' | 'name'> & { args: TaskArgsLists }): Task[] {
    const entries = Object.entries(options.args);
    let combinations: TaskArgs[] = [{}];
    for (const [name, value] of entries) {
      const values = Array.isArray(value) ? (value as (string | number | boolean)[]) : [value as string];
      if (values.length === 0)
        throw new WorkflowDefinitionError(`template "${this.name}": argument ${name} has an empty list`);
      combinations = combinations.flatMap((args) => values.map((v) => ({ ...args, [name]: v })));
    }
    return combinations.map((args) => this.createTask({ ...options, args }));
  }

  /** A task of this template; a missing or unknown argument is an error naming the task. */
  createTask(options: CreateTaskOptions): Task {
    const key = options.key ?? this.defaultKey(options.args ?? {});
    const label =
      options.name && options.name !== key ? `task "${options.name}" (key "${key}")` : `task "${key}"`;
    const problems = argumentProblems(this.input, options.args ?? {}, label);
    if (problems.length) throw new WorkflowDefinitionError(problems.join('; '), problems);
    return new Task(this, key, options, toResourcesInput(options.resources, label));
  }
}

/** One node of a workflow's DAG. */
export class Task {
  readonly upstream: Task[];
  readonly args: TaskArgs;
  readonly name: string | undefined;

  constructor(
    readonly template: TaskTemplate,
    readonly key: string,
    private readonly options: Omit<CreateTaskOptions, 'resources'>,
    private readonly resources: ResourcesInput | undefined,
  ) {
    this.upstream = [...(options.upstream ?? [])];
    this.args = { ...options.args };
    this.name = options.name;
  }

  /** Adds tasks this one waits for. */
  addUpstream(...tasks: Task[]): this {
    for (const task of tasks) if (!this.upstream.includes(task)) this.upstream.push(task);
    return this;
  }

  /** The TaskInput of a submission. */
  toInput(): TaskInput {
    return compact({
      key: this.key,
      template: this.template.name,
      args: { ...this.args },
      name: this.name,
      upstream: this.upstream.length ? this.upstream.map((task) => task.key) : undefined,
      resources: this.resources && structuredClone(this.resources),
      maxAttempts: this.options.maxAttempts,
      resourceScales: toResourceScalesInput(this.options.resourceScales),
      fallbackQueues: this.options.fallbackQueues,
      attributes: this.options.attributes,
    });
  }
}

/** A DAG of tasks under a tool: build it, then `run()` it (or `toSubmission()` for `jobmon submit`). */
export class Workflow {
  /** The tasks by key, in the order added (a DAG of 100k tasks is built in linear time). */
  private readonly tasksByKey = new Map<string, Task>();
  /** Set once submitted. */
  id: string | undefined;
  private client: JobmonClient | undefined;

  constructor(
    readonly tool: Tool,
    readonly options: WorkflowOptions,
  ) {
    if (typeof options.workflowArgs !== 'string')
      throw new WorkflowDefinitionError('a workflow needs workflowArgs (a string)');
  }

  /** The workflow's tasks, in the order added. */
  get tasks(): readonly Task[] {
    return [...this.tasksByKey.values()];
  }

  /** Adds tasks (a task added twice counts once; two different tasks with one key is an error). */
  addTasks(...tasks: Task[]): this {
    for (const task of tasks) {
      const other = this.tasksByKey.get(task.key);
      if (other === task) continue;
      if (other)
        throw new WorkflowDefinitionError(
          `task "${task.key}": another task of the workflow has the same key`,
        );
      this.tasksByKey.set(task.key, task);
    }
    return this;
  }

  addTask(task: Task): this {
    return this.addTasks(task);
  }

  /** The WorkflowSubmission (SPEC §8); throws WorkflowDefinitionError for what the server would refuse. */
  toSubmission(): WorkflowSubmission {
    const problems: string[] = [];
    const templates = new Map<string, TaskTemplate>();
    const tasks = this.tasks;
    for (const task of tasks) {
      const seen = templates.get(task.template.name);
      if (seen && seen !== task.template)
        problems.push(`task "${task.key}": template "${task.template.name}" is defined twice`);
      templates.set(task.template.name, task.template);
      for (const up of task.upstream)
        if (this.tasksByKey.get(up.key) !== up)
          problems.push(`task "${task.key}": upstream task "${up.key}" is not added to the workflow`);
    }
    if (problems.length) throw new WorkflowDefinitionError(problems.join('; '), problems);
    const submission: WorkflowSubmission = compact({
      tool: this.tool.name,
      workflowArgs: this.options.workflowArgs,
      name: this.options.name,
      description: this.options.description,
      maxConcurrentlyRunning: this.options.maxConcurrentlyRunning,
      maxAttempts: this.options.maxAttempts,
      failFast: this.options.failFast,
      defaultResources: toResourcesInput(
        this.options.defaultResources,
        `workflow "${this.options.workflowArgs}"`,
      ),
      attributes: this.options.attributes,
      taskTemplates: [...templates.values()].map((template) => template.toInput()),
      tasks: tasks.map((task) => task.toInput()),
    });
    validateSubmission(submission);
    return submission;
  }

  /** A workflow from a submission (the JSON file `jobmon submit` reads), checked as toSubmission checks. */
  static fromSubmission(json: WorkflowSubmission | string): Workflow {
    const input = (typeof json === 'string' ? JSON.parse(json) : json) as WorkflowSubmission;
    if (
      !input ||
      typeof input.tool !== 'string' ||
      !Array.isArray(input.taskTemplates) ||
      !Array.isArray(input.tasks)
    )
      throw new WorkflowDefinitionError('a submission needs tool, workflowArgs, taskTemplates and tasks');
    validateSubmission(input);
    const tool = new Tool(input.tool);
    const workflow = tool.workflow(
      compact({
        workflowArgs: input.workflowArgs,
        name: input.name ?? undefined,
        description: input.description ?? undefined,
        maxConcurrentlyRunning: input.maxConcurrentlyRunning ?? undefined,
        maxAttempts: input.maxAttempts ?? undefined,
        failFast: input.failFast ?? undefined,
        defaultResources: (input.defaultResources as ResourceSpec | null) ?? undefined,
        attributes: input.attributes ?? undefined,
      }),
    );
    const templates = new Map(
      input.taskTemplates.map((t) => [
        t.name,
        tool.taskTemplate(
          compact({
            name: t.name,
            commandTemplate: t.commandTemplate,
            nodeArgs: t.nodeArgs ?? undefined,
            taskArgs: t.taskArgs ?? undefined,
            opArgs: t.opArgs ?? undefined,
            defaultResources: (t.defaultResources as ResourceSpec | null) ?? undefined,
            maxConcurrentlyRunning: t.maxConcurrentlyRunning ?? undefined,
          }),
        ),
      ]),
    );
    const byKey = new Map<string, Task>();
    for (const t of input.tasks) {
      const task = templates.get(t.template)!.createTask(
        compact({
          key: t.key,
          args: t.args as TaskArgs,
          name: t.name ?? undefined,
          resources: (t.resources as ResourceSpec | null) ?? undefined,
          maxAttempts: t.maxAttempts ?? undefined,
          resourceScales: t.resourceScales ?? undefined,
          fallbackQueues: t.fallbackQueues ?? undefined,
          attributes: t.attributes ?? undefined,
        }),
      );
      byKey.set(t.key, task);
    }
    for (const t of input.tasks)
      byKey.get(t.key)!.addUpstream(...(t.upstream ?? []).map((key) => byKey.get(key)!));
    return workflow.addTasks(...byKey.values());
  }

  private clientFor(options: RunOptions): JobmonClient {
    if (options.client) this.client = options.client;
    else if (options.serverUrl || options.token || !this.client) this.client = new JobmonClient(options);
    return this.client;
  }

  /**
   * Submits the workflow (or finds it, when the same tool + workflowArgs + tasks exist already) and
   * follows it live until it is DONE, FAILED or HALTED; with `resume`, a found workflow that FAILED or was
   * HALTED gets a new run first. A definition error is thrown before anything is sent.
   */
  async run(options: RunOptions = {}): Promise<RunResult> {
    const startedAt = options.startedAt ?? Date.now();
    const { created, workflow, workflowRun } = await this.send(options);
    const client = this.clientFor(options);
    if (afterSubmit(created, workflow.status, options.resume ?? false) === 'resume') {
      const state = await client.resumeWorkflow(workflow.id, options.resumeMode ?? 'COLD');
      return client.followWorkflow(workflow.id, { ...options, startedAt, runId: state.latestRun?.id });
    }
    return client.followWorkflow(workflow.id, { ...options, startedAt, runId: workflowRun.id });
  }

  /**
   * Submits without following; returns the workflow id. A DAG over the per-request size (the server's
   * maxItemsPerRequest items, a task or an upstream key each; its task limit, or `maxTasksPerRequest`) is
   * bound in chunks, transparently.
   */
  async submit(options: RunOptions = {}): Promise<string> {
    return (await this.send(options)).workflow.id;
  }

  private async send(options: RunOptions): Promise<SubmitResult> {
    const submission = this.toSubmission();
    const result = await this.clientFor(options).submitWorkflow(submission, options);
    this.id = result.workflow.id;
    return result;
  }

  /**
   * Starts a new run (COLD: reruns every task not DONE; HOT: lets running attempts finish) and follows it
   * to its end, unless `wait: false`.
   */
  async resume(
    options: RunOptions & { mode?: ResumeMode; wait?: boolean } = {},
  ): Promise<RunResult | WorkflowSnapshot> {
    const client = this.clientFor(options);
    const id = this.id ?? (await this.submit(options));
    const state = await client.resumeWorkflow(id, options.mode ?? 'COLD');
    if (options.wait === false)
      return { workflowId: id, status: state.status, counts: counts(state.statusCounts) };
    // Wait for the new run: a cold resume of a running workflow is HALTED until its kills are confirmed.
    return client.followWorkflow(id, { ...options, runId: state.latestRun?.id });
  }

  /**
   * Every failed attempt of the submitted workflow (Jobmon's get_errors): task id and name, template,
   * attempt, status, exit code, error kind and message, stderr's tail and when it ended. `template` keeps
   * one template's tasks.
   */
  async getErrors(options: RunOptions & { template?: string } = {}): Promise<FailedAttempt[]> {
    if (!this.id) throw new WorkflowDefinitionError('the workflow has not been submitted');
    return this.clientFor(options).workflowErrors(this.id, { template: options.template });
  }

  /**
   * Jobmon's workflow_reset: a workflow whose run has ended (DONE, FAILED or HALTED) runs every task again
   * from scratch (`partial`: only those not DONE), attempts counted afresh; followed to its end unless
   * `wait: false`. Refused (JobmonRequestError, code ILLEGAL_TRANSITION) while a run is active.
   */
  async reset(
    options: RunOptions & { partial?: boolean; wait?: boolean } = {},
  ): Promise<RunResult | WorkflowSnapshot> {
    const client = this.clientFor(options);
    const id = this.id ?? (await this.submit(options));
    const state = await client.resetWorkflow(id, { partial: options.partial });
    if (options.wait === false)
      return { workflowId: id, status: state.status, counts: counts(state.statusCounts) };
    return client.followWorkflow(id, { ...options, runId: state.latestRun?.id });
  }

  /**
   * Resource usage of this workflow's DONE attempts (after `run`/`submit`), per template and attempt:
   * runtime, max RSS and what was requested. See `JobmonClient.resourceUsage`.
   */
  async getResourceUsage(
    options: RunOptions & { maxPointsPerTemplate?: number } = {},
  ): Promise<TemplateResourceUsage[]> {
    if (!this.id) throw new WorkflowDefinitionError('the workflow has not been submitted');
    return this.clientFor(options).resourceUsage(this.id, {
      maxPointsPerTemplate: options.maxPointsPerTemplate,
    });
  }

  /** Stops the workflow: kills running attempts; a followed run() then ends HALTED. */
  async stop(reason?: string, options: RunOptions = {}): Promise<WorkflowSnapshot> {
    if (!this.id) throw new WorkflowDefinitionError('the workflow has not been submitted');
    const state = await this.clientFor(options).stopWorkflow(this.id, reason);
    return { workflowId: this.id, status: state.status, counts: counts(state.statusCounts) };
  }
}

function counts(value: StatusCounts & { __typename?: string }): StatusCounts {
  const { __typename: _, ...rest } = value;
  return rest;
}

/** The object without its undefined fields (stable, minimal JSON). */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
