import type { Transaction } from 'sequelize';
import { EntityType, TaskStatus, WorkflowRunStatus, WorkflowStatus } from '../../domain';
import type { Database } from '../connection';
import { bulkInsert, chunks } from '../bulk';
import { changeStatus, changeStatuses, recordCreated } from '../status-change';
import { addTaskCount } from '../task-counts';
import { findOrCreateByKey } from './find-or-create';
import type { ResolvedResources } from '../../domain';

// Writes of a workflow binding, shared by the one-request submission and the chunked binding.

export interface TemplateRow {
  name: string;
  commandTemplate: string;
  nodeArgs: string[];
  taskArgs: string[];
  opArgs: string[];
  argHash: string;
  maxConcurrentlyRunning: number | null;
  defaultResources: unknown;
}

export interface TaskRow {
  key: string;
  template: string;
  name: string;
  command: string;
  args: string;
  resources: ResolvedResources;
  resourcesHash: string;
  maxAttempts: number;
  resourceScales: string;
  fallbackQueues: string | null;
  attributes: string | null;
}

export interface WorkflowRowInput {
  tool: string;
  workflowArgs: string;
  workflowArgsHash: string;
  taskHash: string;
  taskCount: number;
  name: string | null;
  description: string | null;
  maxConcurrentlyRunning: number;
  maxAttempts: number;
  failFast: boolean;
  defaultResources: string | null;
  attributes: string | null;
  createdBy: string | null;
  /** The owner in the workflow's identity, when not createdBy (open mode records a creator but no owner). */
  owner?: string | null;
  bindingToken: string | null;
  bindingExpiresAt: Date | null;
}

export async function findToolId(db: Database, transaction: Transaction | undefined, tool: string) {
  const rows = await db.select<{ id: number }>('SELECT id FROM tool WHERE name = ?', [tool], transaction);
  return rows[0] ? Number(rows[0].id) : null;
}

/** The owner as part of a workflow's identity ('' for none: a unique index would not compare NULLs). */
export const ownerKey = (owner: string | null): string => owner ?? '';

export async function findWorkflowByIdentity(
  db: Database,
  transaction: Transaction | undefined,
  toolId: number,
  workflowArgsHash: string,
  taskHash: string,
  /** Who submits: another user's identical workflow is not theirs (null: open mode). */
  owner: string | null,
): Promise<number | null> {
  const rows = await db.select<{ id: number }>(
    'SELECT id FROM workflow WHERE tool_id = ? AND workflow_args_hash = ? AND task_hash = ? AND owner_key = ? AND binding_token IS NULL',
    [toolId, workflowArgsHash, taskHash, ownerKey(owner)],
    transaction,
  );
  return rows[0] ? Number(rows[0].id) : null;
}

/** The tool and its newest version, created when missing. */
export async function upsertTool(db: Database, transaction: Transaction, tool: string, now: Date) {
  const toolIds = await findOrCreateByKey(
    db,
    transaction,
    'tool',
    ['name'],
    ['name', 'created_at'],
    [{ name: tool, created_at: now }],
    (row) => String(row.name),
  );
  const toolId = toolIds.get(tool)!;
  const versions = await db.select<{ id: number }>(
    'SELECT id FROM tool_version WHERE tool_id = ? ORDER BY id DESC LIMIT 1',
    [toolId],
    transaction,
  );
  let toolVersionId = versions[0] ? Number(versions[0].id) : null;
  if (toolVersionId === null) {
    await bulkInsert(
      db,
      transaction,
      'tool_version',
      ['tool_id', 'created_at'],
      [{ tool_id: toolId, created_at: now }],
    );
    const created = await db.select<{ id: number }>(
      'SELECT id FROM tool_version WHERE tool_id = ? ORDER BY id DESC LIMIT 1',
      [toolId],
      transaction,
    );
    toolVersionId = Number(created[0]!.id);
  }
  return { toolId, toolVersionId };
}

/** Templates and their versions for a tool; returns template name → template version id. */
export async function upsertTemplates(
  db: Database,
  transaction: Transaction,
  toolId: number,
  templates: readonly TemplateRow[],
  now: Date,
): Promise<Map<string, number>> {
  const templateIds = await findOrCreateByKey(
    db,
    transaction,
    'task_template',
    ['tool_id', 'name'],
    ['tool_id', 'name', 'created_at'],
    templates.map((t) => ({ tool_id: toolId, name: t.name, created_at: now })),
    (row) => `${Number(row.tool_id)}\u0000${String(row.name)}`,
  );
  const versionRows = templates.map((t) => ({
    task_template_id: templateIds.get(`${toolId}\u0000${t.name}`)!,
    command_template: t.commandTemplate,
    node_args: JSON.stringify(t.nodeArgs),
    task_args: JSON.stringify(t.taskArgs),
    op_args: JSON.stringify(t.opArgs),
    arg_hash: t.argHash,
    created_at: now,
  }));
  const versionIds = await findOrCreateByKey(
    db,
    transaction,
    'task_template_version',
    ['task_template_id', 'arg_hash'],
    ['task_template_id', 'command_template', 'node_args', 'task_args', 'op_args', 'arg_hash', 'created_at'],
    versionRows,
    (row) => `${Number(row.task_template_id)}\u0000${String(row.arg_hash)}`,
  );
  return new Map(
    templates.map((t) => [
      t.name,
      versionIds.get(`${templateIds.get(`${toolId}\u0000${t.name}`)!}\u0000${t.argHash}`)!,
    ]),
  );
}

/** Content-addressed resource sets; returns hash → id. */
export async function upsertResources(
  db: Database,
  transaction: Transaction,
  sets: ReadonlyMap<string, ResolvedResources>,
  now: Date,
): Promise<Map<string, number>> {
  return findOrCreateByKey(
    db,
    transaction,
    'task_resources',
    ['hash'],
    ['hash', 'memory_mb', 'cores', 'runtime_seconds', 'queue', 'extra', 'created_at'],
    [...sets].map(([hash, r]) => ({
      hash,
      memory_mb: r.memoryMb,
      cores: r.cores,
      runtime_seconds: r.runtimeSeconds,
      queue: r.queue,
      extra: Object.keys(r.extra).length ? JSON.stringify(r.extra) : null,
      created_at: now,
    })),
    (row) => String(row.hash),
  );
}

export async function insertWorkflow(
  db: Database,
  transaction: Transaction,
  ids: { toolId: number; toolVersionId: number },
  workflow: WorkflowRowInput,
  now: Date,
  options: { recordCreated?: boolean } = {},
): Promise<number> {
  const created = await db.models.Workflow.create(
    {
      toolId: ids.toolId,
      toolVersionId: ids.toolVersionId,
      name: workflow.name,
      description: workflow.description,
      workflowArgs: workflow.workflowArgs,
      workflowArgsHash: workflow.workflowArgsHash,
      taskHash: workflow.taskHash,
      taskCount: workflow.taskCount,
      status: WorkflowStatus.REGISTERING,
      maxConcurrentlyRunning: workflow.maxConcurrentlyRunning,
      maxAttempts: workflow.maxAttempts,
      failFast: workflow.failFast,
      defaultResources: workflow.defaultResources === null ? null : JSON.parse(workflow.defaultResources),
      attributes: workflow.attributes === null ? null : JSON.parse(workflow.attributes),
      createdBy: workflow.createdBy,
      ownerKey: ownerKey(workflow.owner !== undefined ? workflow.owner : workflow.createdBy),
      bindingToken: workflow.bindingToken,
      bindingExpiresAt: workflow.bindingExpiresAt,
      statusUpdatedAt: now,
    },
    { transaction },
  );
  // A chunked binding records the workflow's creation when it is committed (until then it does not exist).
  if (options.recordCreated ?? true)
    await recordCreated(db, transaction, EntityType.WORKFLOW, [created.id], WorkflowStatus.REGISTERING, {
      workflowId: created.id,
      actor: workflow.createdBy,
      at: now,
    });
  return created.id;
}

export async function insertWorkflowTemplates(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  templates: readonly TemplateRow[],
  versionIds: ReadonlyMap<string, number>,
): Promise<void> {
  await bulkInsert(
    db,
    transaction,
    'workflow_task_template',
    ['workflow_id', 'task_template_version_id', 'max_concurrently_running', 'default_resources'],
    templates.map((t) => ({
      workflow_id: workflowId,
      task_template_version_id: versionIds.get(t.name)!,
      max_concurrently_running: t.maxConcurrentlyRunning,
      default_resources: t.defaultResources ? JSON.stringify(t.defaultResources) : null,
    })),
    { ignoreDuplicates: true },
  );
}

/** The columns a new task row is written with. */
export const TASK_COLUMNS = [
  'workflow_id',
  'task_template_version_id',
  'task_resources_id',
  'submitted_resources_id',
  'task_key',
  'name',
  'command',
  'args',
  'status',
  'max_attempts',
  'num_attempts',
  'resource_scales',
  'fallback_queues',
  'attributes',
  'created_at',
  'status_updated_at',
] as const;
export type TaskColumn = (typeof TASK_COLUMNS)[number];

/** Inserts tasks in REGISTERING (multi-row statements) and returns key → id for them. */
export async function insertTasks(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  tasks: readonly TaskRow[],
  versionIds: ReadonlyMap<string, number>,
  resourceIds: ReadonlyMap<string, number>,
  now: Date,
): Promise<Map<string, number>> {
  await insertTaskRows(db, transaction, workflowId, tasks, versionIds, resourceIds, now);
  return taskIdsByKey(
    db,
    transaction,
    workflowId,
    tasks.length > 20_000 ? undefined : tasks.map((t) => t.key),
  );
}

/** Inserts tasks in REGISTERING (multi-row statements); the ids are for the caller to read back. */
export async function insertTaskRows(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  tasks: readonly TaskRow[],
  versionIds: ReadonlyMap<string, number>,
  resourceIds: ReadonlyMap<string, number>,
  now: Date,
): Promise<void> {
  await bulkInsert(
    db,
    transaction,
    'task',
    TASK_COLUMNS,
    (function* () {
      for (const t of tasks)
        yield {
          workflow_id: workflowId,
          task_template_version_id: versionIds.get(t.template)!,
          task_resources_id: resourceIds.get(t.resourcesHash)!,
          submitted_resources_id: resourceIds.get(t.resourcesHash)!,
          task_key: t.key,
          name: t.name,
          command: t.command,
          args: t.args,
          status: TaskStatus.REGISTERING,
          max_attempts: t.maxAttempts,
          num_attempts: 0,
          resource_scales: t.resourceScales,
          fallback_queues: t.fallbackQueues,
          attributes: t.attributes,
          created_at: now,
          status_updated_at: now,
        };
    })(),
    // Every parent was written or read by this transaction: the workflow (inserted, or locked by the
    // chunk), the template versions and resource sets (found or created; neither is ever deleted).
    { skipForeignKeyChecks: true },
  );
  const perTemplate = new Map<number, number>();
  for (const t of tasks) {
    const version = versionIds.get(t.template)!;
    perTemplate.set(version, (perTemplate.get(version) ?? 0) + 1);
  }
  for (const [version, count] of perTemplate)
    await addTaskCount(db, transaction, workflowId, version, TaskStatus.REGISTERING, count);
}

/** key → id of a workflow's tasks: all of them, or only `keys`. */
export async function taskIdsByKey(
  db: Database,
  transaction: Transaction | undefined,
  workflowId: number,
  keys?: readonly string[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const collect = (rows: { id: number; task_key: string }[]) => {
    for (const row of rows) ids.set(row.task_key, Number(row.id));
  };
  if (keys === undefined) {
    collect(
      await db.select('SELECT id, task_key FROM task WHERE workflow_id = ?', [workflowId], transaction),
    );
    return ids;
  }
  for (const part of chunks(keys, 2000))
    collect(
      await db.select(
        `SELECT id, task_key FROM task WHERE workflow_id = ? AND task_key IN (${part.map((k) => db.literal(k)).join(',')})`,
        [workflowId],
        transaction,
      ),
    );
  return ids;
}

/**
 * Inserts edges between tasks of `workflowId`, given as ids that this transaction has read back from the
 * task table for that workflow (the callers' only source of ids).
 */
export async function insertEdges(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  edges: Iterable<readonly [upstreamId: number, downstreamId: number]>,
): Promise<void> {
  await bulkInsert(
    db,
    transaction,
    'edge',
    ['workflow_id', 'upstream_task_id', 'downstream_task_id'],
    (function* () {
      for (const [upstream, downstream] of edges)
        yield { workflow_id: workflowId, upstream_task_id: upstream, downstream_task_id: downstream };
    })(),
    // Every id here was just read back for this workflow: no foreign key check could fail.
    { skipForeignKeyChecks: true },
  );
}

/**
 * Makes the bound workflow runnable: a run REGISTERED → BOUND, the tasks without upstream QUEUED, the
 * workflow QUEUED. `rootIds` are those tasks when the caller knows them already; otherwise they are
 * found here, page by page. Returns the run id.
 */
export async function startFirstRun(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  user: string | null,
  now: Date,
  rootIds?: readonly number[],
): Promise<number> {
  const run = await db.models.WorkflowRun.create(
    { workflowId, status: WorkflowRunStatus.REGISTERED, user, statusUpdatedAt: now },
    { transaction },
  );
  const context = { workflowId, actor: user, at: now };
  await recordCreated(
    db,
    transaction,
    EntityType.WORKFLOW_RUN,
    [run.id],
    WorkflowRunStatus.REGISTERED,
    context,
  );
  await changeStatus(db, transaction, EntityType.WORKFLOW_RUN, run.id, 'REGISTERED', 'BOUND', context);
  const queue = (ids: readonly number[]) =>
    changeStatuses(db, transaction, EntityType.TASK, ids, 'REGISTERING', 'QUEUED', {
      ...context,
      reason: 'no upstream',
    });
  if (rootIds) {
    for (const part of chunks(rootIds, ROOT_PAGE)) await queue(part);
  } else {
    // Keyset pages over the (workflow_id, status, id) index: a queued page leaves REGISTERING, and the
    // memory held is one page whatever the number of roots.
    for (let after = 0; ;) {
      // An anti-join probing edge(downstream_task_id) per task: MariaDB would otherwise materialise the
      // NOT EXISTS subquery over every edge of every workflow; the index hint keeps MySQL on this workflow.
      const roots = await db.select<{ id: number }>(
        `SELECT t.id FROM task t${db.dialect === 'mysql' ? ' FORCE INDEX (task_workflow_id_status_id)' : ''}
           LEFT JOIN edge e ON e.downstream_task_id = t.id
         WHERE t.workflow_id = ? AND t.status = ? AND t.id > ? AND e.downstream_task_id IS NULL
         ORDER BY t.id LIMIT ${ROOT_PAGE}`,
        [workflowId, TaskStatus.REGISTERING, after],
        transaction,
      );
      if (roots.length === 0) break;
      const ids = roots.map((row) => Number(row.id));
      await queue(ids);
      after = ids[ids.length - 1]!;
      if (roots.length < ROOT_PAGE) break;
    }
  }
  await changeStatus(db, transaction, EntityType.WORKFLOW, workflowId, 'REGISTERING', 'QUEUED', context);
  return run.id;
}

const ROOT_PAGE = 5000;

export async function latestRunId(db: Database, transaction: Transaction | undefined, workflowId: number) {
  const rows = await db.select<{ id: number }>(
    'SELECT id FROM workflow_run WHERE workflow_id = ? ORDER BY id DESC LIMIT 1',
    [workflowId],
    transaction,
  );
  return rows[0] ? Number(rows[0].id) : null;
}
