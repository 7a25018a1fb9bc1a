import { DataTypes, Op, type Attributes, type Model, type ModelStatic, type WhereOptions } from 'sequelize';
import type { Database } from '../connection';
import type { RowOf } from '../columns';
import type {
  EdgeModel,
  TaskTemplateModel,
  TaskTemplateVersionModel,
  TemplateUsageModel,
  WorkflowTemplateTaskCountModel,
} from '../models';
import { ALL_TASK_STATUSES, type TaskStatus } from '../../domain';
import type {
  AuditEventModel,
  TaskInstanceModel,
  TaskModel,
  ToolModel,
  WorkflowModel,
  WorkflowRunModel,
} from '../models';
import { chunks, quote } from '../bulk';
import { retryingFlag } from './sql';

// Batched reads: each takes many keys and costs one statement per chunk, for DataLoader.

type Plain<M extends Model> = Attributes<M>;
export type WorkflowRow = Plain<WorkflowModel>;
export type WorkflowRunRow = Plain<WorkflowRunModel>;
export type TaskRow = Plain<TaskModel>;
export type TaskInstanceRow = Plain<TaskInstanceModel>;
export type ToolRow = Plain<ToolModel>;
export type AuditEventRow = Plain<AuditEventModel>;

const plain = <M extends Model>(rows: M[]) => rows.map((row) => row.get({ plain: true }) as Plain<M>);

/**
 * Reads rows of a model the way `findAll` + `get({ plain: true })` returns them, without building model
 * instances: the hot reads of every request (a workflow, a page of tasks) cost a fraction of it. On SQLite
 * `findAll` also asks `PRAGMA table_info` before every SELECT; a raw SELECT does not.
 */
interface RowReader<M extends Model> {
  /** The select list: every attribute, aliased to its attribute name. */
  columns: string;
  read(row: Record<string, unknown>): Plain<M>;
}

type ValueKind = 'plain' | 'date' | 'boolean' | 'json';

// Memoised per model class (its attributes never change): a cache, dropped with the models of a closed Database.
const readers = new WeakMap<object, RowReader<Model>>();

function readerOf<M extends Model>(db: Database, model: ModelStatic<M>): RowReader<M> {
  const known = readers.get(model);
  if (known) return known as unknown as RowReader<M>;
  const attributes = Object.entries(model.getAttributes()).map(([key, attribute]) => {
    let kind: ValueKind = 'plain';
    if (typeof attribute.get === 'function')
      kind = 'json'; // the models' JSON-in-TEXT columns
    else if (attribute.type instanceof DataTypes.DATE) kind = 'date';
    else if (attribute.type instanceof DataTypes.BOOLEAN) kind = 'boolean';
    return { key, field: attribute.field ?? key, kind };
  });
  const reader: RowReader<M> = {
    columns: attributes.map((a) => `${quote(db, a.field)} AS ${quote(db, a.key)}`).join(', '),
    read(row) {
      const out: Record<string, unknown> = {};
      for (const { key, kind } of attributes) out[key] = readValue(kind, row[key]);
      return out as Plain<M>;
    },
  };
  readers.set(model, reader as unknown as RowReader<Model>);
  return reader;
}

function readValue(kind: ValueKind, value: unknown): unknown {
  if (value === null || value === undefined) return kind === 'plain' ? value : null;
  switch (kind) {
    case 'json':
      return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
    case 'date':
      // SQLite keeps '2024-01-02 03:04:05.678 +00:00'; mysql2 already gives a Date.
      if (value instanceof Date) return value;
      return new Date(String(value).includes('+') ? String(value) : `${String(value)}+00:00`);
    case 'boolean':
      return value === true || value === 1 || value === '1' || value === 'true';
    default:
      return value;
  }
}

/** Rows of `model` whose `column` is one of `keys` (one statement), optionally ordered. */
async function readWhereIn<M extends Model>(
  db: Database,
  model: ModelStatic<M>,
  column: string,
  keys: readonly number[],
  orderBy = '',
): Promise<Plain<M>[]> {
  if (keys.length === 0) return [];
  const reader = readerOf(db, model);
  const rows = await db.selectDirect(
    `SELECT ${reader.columns} FROM ${model.getTableName() as string} WHERE ${column} IN (${keys
      .map((key) => db.literal(key))
      .join(',')})${orderBy ? ` ORDER BY ${orderBy}` : ''}`,
  );
  return rows.map((row) => reader.read(row));
}

const IN_CHUNK = 1000;

async function inChunks<K, R>(keys: readonly K[], read: (part: K[]) => Promise<R[]>): Promise<R[]> {
  if (keys.length <= IN_CHUNK) return read([...keys]);
  const out: R[] = [];
  for (const part of chunks(keys, IN_CHUNK)) out.push(...(await read(part)));
  return out;
}

export const readWorkflows = (db: Database, ids: readonly number[]) =>
  inChunks(ids, (part) => readWhereIn(db, db.models.Workflow, 'id', part));

export const readTools = (db: Database, ids: readonly number[]) =>
  inChunks(ids, (part) => readWhereIn(db, db.models.Tool, 'id', part));

export const readRunsOfWorkflows = (db: Database, workflowIds: readonly number[]) =>
  inChunks(workflowIds, (part) => readWhereIn(db, db.models.WorkflowRun, 'workflow_id', part, 'id ASC'));

export const readRuns = (db: Database, ids: readonly number[]) =>
  inChunks(ids, (part) => readWhereIn(db, db.models.WorkflowRun, 'id', part));

export const readTasks = (db: Database, ids: readonly number[]) =>
  inChunks(ids, (part) => readWhereIn(db, db.models.Task, 'id', part));

export const readInstances = (db: Database, ids: readonly number[]) =>
  inChunks(ids, (part) => readWhereIn(db, db.models.TaskInstance, 'id', part));

export const readInstancesOfTasks = (db: Database, taskIds: readonly number[]) =>
  inChunks(taskIds, (part) =>
    readWhereIn(db, db.models.TaskInstance, 'task_id', part, 'task_id ASC, id ASC'),
  );

export const readResources = (db: Database, ids: readonly number[]) =>
  inChunks(ids, (part) => readWhereIn(db, db.models.TaskResources, 'id', part));

export interface TemplateVersionRow {
  id: number;
  taskTemplateId: number;
  name: string;
  commandTemplate: string;
  nodeArgs: string[];
  taskArgs: string[];
  opArgs: string[];
}

export const readTemplateVersions = (db: Database, ids: readonly number[]) =>
  inChunks(ids, async (part) => {
    const rows = await db.select<
      RowOf<
        TaskTemplateVersionModel,
        'id' | 'task_template_id' | 'command_template' | 'node_args' | 'task_args' | 'op_args'
      > &
        RowOf<TaskTemplateModel, 'name'>
    >(
      `SELECT v.id, v.task_template_id, t.name, v.command_template, v.node_args, v.task_args, v.op_args
         FROM task_template_version v JOIN task_template t ON t.id = v.task_template_id
        WHERE v.id IN (${part.map((id) => db.literal(id)).join(',')})`,
    );
    return rows.map((row): TemplateVersionRow => ({
      id: Number(row.id),
      taskTemplateId: Number(row.task_template_id),
      name: row.name,
      commandTemplate: row.command_template,
      nodeArgs: JSON.parse(row.node_args!) as string[],
      taskArgs: JSON.parse(row.task_args!) as string[],
      opArgs: JSON.parse(row.op_args!) as string[],
    }));
  });

/** Edges touching `taskIds` on one side: `side` names the column the ids are matched against. */
export const readEdges = (db: Database, side: 'upstream' | 'downstream', taskIds: readonly number[]) =>
  inChunks(taskIds, async (part) => {
    const rows = await db.select<RowOf<EdgeModel, 'upstream_task_id' | 'downstream_task_id'>>(
      `SELECT upstream_task_id, downstream_task_id FROM edge WHERE ${side}_task_id IN (${part
        .map((id) => db.literal(id))
        .join(',')})`,
    );
    return rows.map((row) => ({
      upstream: Number(row.upstream_task_id),
      downstream: Number(row.downstream_task_id),
    }));
  });

export interface StatusCountRow {
  groupId: number;
  status: TaskStatus;
  count: number;
  /** Of `count`, the tasks on a retry (isTaskRetrying). */
  retrying: number;
}

/** Task counts per (workflow, status): the kept counts (db/task-counts.ts), never a recount of the tasks. */
export const readStatusCounts = (db: Database, workflowIds: readonly number[]) =>
  inChunks(workflowIds, async (part) => {
    const rows = await db.select<KeptCountRow>(
      `SELECT workflow_id, status, SUM(task_count) AS task_count, SUM(retrying_count) AS retrying_count
         FROM workflow_template_task_count
        WHERE workflow_id IN (${part.map((id) => db.literal(id)).join(',')}) AND task_count <> 0
        GROUP BY workflow_id, status`,
    );
    return rows.map((row): StatusCountRow => ({
      groupId: Number(row.workflow_id),
      status: row.status,
      count: Number(row.task_count),
      retrying: Number(row.retrying_count),
    }));
  });

type KeptCountRow = RowOf<
  WorkflowTemplateTaskCountModel,
  'workflow_id' | 'task_template_version_id' | 'status' | 'task_count' | 'retrying_count'
>;

export interface WorkflowTemplateRow extends TemplateVersionRow {
  workflowId: number;
  taskTemplateVersionId: number;
  maxConcurrentlyRunning: number | null;
}

export const readWorkflowTemplates = (db: Database, workflowIds: readonly number[]) =>
  inChunks(workflowIds, async (part) => {
    const rows = await db.select<{
      workflow_id: number;
      task_template_version_id: number;
      max_concurrently_running: number | null;
    }>(
      `SELECT workflow_id, task_template_version_id, max_concurrently_running FROM workflow_task_template
        WHERE workflow_id IN (${part.map((id) => db.literal(id)).join(',')}) ORDER BY id`,
    );
    const versions = new Map(
      (
        await readTemplateVersions(db, [...new Set(rows.map((row) => Number(row.task_template_version_id)))])
      ).map((v) => [v.id, v]),
    );
    return rows.map((row): WorkflowTemplateRow => {
      const version = versions.get(Number(row.task_template_version_id))!;
      return {
        ...version,
        workflowId: Number(row.workflow_id),
        taskTemplateVersionId: version.id,
        maxConcurrentlyRunning:
          row.max_concurrently_running === null ? null : Number(row.max_concurrently_running),
      };
    });
  });

/** Task counts per (template version, status) of one workflow. */
export async function readTemplateStatusCounts(db: Database, workflowId: number): Promise<StatusCountRow[]> {
  return readTemplateStatusCountsOfWorkflows(db, [workflowId]);
}

/**
 * Task counts per (workflow, template version, status) of many workflows, for DataLoader, with how many
 * of each are on a retry: the kept counts (db/task-counts.ts), never a recount of the tasks.
 */
export const readTemplateStatusCountsOfWorkflows = (db: Database, workflowIds: readonly number[]) =>
  inChunks(workflowIds, async (part) => {
    const rows = await db.select<KeptCountRow>(
      `SELECT workflow_id, task_template_version_id, status, task_count, retrying_count
         FROM workflow_template_task_count
        WHERE workflow_id IN (${part.map((id) => db.literal(id)).join(',')}) AND task_count <> 0`,
    );
    return rows.map((row) => ({
      workflowId: Number(row.workflow_id),
      groupId: Number(row.task_template_version_id),
      status: row.status,
      count: Number(row.task_count),
      retrying: Number(row.retrying_count),
    }));
  });

export interface UsageRow {
  taskTemplateVersionId: number;
  doneAttempts: number;
  measuredRss: number;
  measuredWall: number;
  minRss: number | null;
  meanRss: number | null;
  maxRss: number | null;
  minWall: number | null;
  meanWall: number | null;
  maxWall: number | null;
}

/**
 * min/mean/max of max RSS and wall time of DONE attempts, per (workflow, template version), for DataLoader:
 * the kept usage (db/template-usage.ts), never a scan of the attempts. A mean is over the attempts that
 * measured the value.
 */
export const readTemplateUsageOfWorkflows = (db: Database, workflowIds: readonly number[]) =>
  inChunks(workflowIds, async (part) => {
    const rows = await db.select<
      RowOf<
        TemplateUsageModel,
        | 'workflow_id'
        | 'task_template_version_id'
        | 'done_count'
        | 'rss_count'
        | 'rss_sum'
        | 'rss_min'
        | 'rss_max'
        | 'wall_count'
        | 'wall_sum'
        | 'wall_min'
        | 'wall_max'
      >
    >(
      `SELECT workflow_id, task_template_version_id, done_count, rss_count, rss_sum, rss_min, rss_max,
              wall_count, wall_sum, wall_min, wall_max
         FROM template_usage WHERE workflow_id IN (${part.map((id) => db.literal(id)).join(',')}) AND done_count > 0`,
    );
    const num = (value: number | null | undefined) =>
      value === null || value === undefined ? null : Number(value);
    const mean = (sum: number, count: number) => (count > 0 ? Number(sum) / count : null);
    return rows.map((row) => ({
      workflowId: Number(row.workflow_id),
      taskTemplateVersionId: Number(row.task_template_version_id),
      doneAttempts: Number(row.done_count),
      measuredRss: Number(row.rss_count),
      measuredWall: Number(row.wall_count),
      minRss: num(row.rss_min),
      meanRss: mean(row.rss_sum, Number(row.rss_count)),
      maxRss: num(row.rss_max),
      minWall: num(row.wall_min),
      meanWall: mean(row.wall_sum, Number(row.wall_count)),
      maxWall: num(row.wall_max),
    }));
  });

export interface Page<T> {
  rows: T[];
  hasNextPage: boolean;
}

/** Keyset pagination by id: `after` is the last id seen; returns at most `first` rows. */
async function pageBy<M extends Model>(
  db: Database,
  model: ModelStatic<M>,
  where: WhereOptions,
  first: number,
  after: number | null,
  direction: 'ASC' | 'DESC',
): Promise<Page<Plain<M>>> {
  const idBound = after === null ? {} : { id: { [direction === 'ASC' ? Op.gt : Op.lt]: after } };
  // raw: plain rows (no model instances), converted as get({ plain: true }) would.
  const rows = (await model.findAll({
    where: { ...where, ...idBound },
    limit: first + 1,
    order: [['id', direction]],
    raw: true,
  })) as unknown as Record<string, unknown>[];
  const reader = readerOf(db, model);
  return { rows: rows.slice(0, first).map((row) => reader.read(row)), hasNextPage: rows.length > first };
}

export interface WorkflowQuery {
  status?: string[] | null;
  toolId?: number | null;
  user?: string | null;
  search?: string | null;
  /** Attribute key → value as text: every pair must match. */
  attributes?: ReadonlyMap<string, string> | null;
}

/**
 * Conditions on the `attributes` JSON column: the value at each key, as text, equals the one given (the
 * key quoted into a JSON path; both dialects read the stored text in place).
 */
function attributeConditions(db: Database, attributes: ReadonlyMap<string, string> | null | undefined) {
  return [...(attributes ?? [])].map(([key, value]) =>
    db.sequelize.where(db.sequelize.literal(attributeText(db, key)), Op.eq, value),
  );
}

/** The value at `key` of a row's `attributes` column (after `prefix`), as text, in SQL. */
function attributeText(db: Database, key: string, prefix = ''): string {
  const path = db.literal(`$."${key.replace(/[\\"]/g, (c) => `\\${c}`)}"`);
  return db.dialect === 'mysql'
    ? `JSON_UNQUOTE(JSON_EXTRACT(${prefix}attributes, ${path}))`
    : `CAST(json_extract(${prefix}attributes, ${path}) AS TEXT)`;
}

function workflowWhere(db: Database, query: WorkflowQuery): WhereOptions {
  const where: Record<string | symbol, unknown> = { bindingToken: null };
  if (query.status?.length) where.status = query.status;
  if (query.toolId !== undefined && query.toolId !== null) where.toolId = query.toolId;
  if (query.user) where.createdBy = query.user;
  if (query.search) {
    const pattern = containing(db, query.search);
    where[Op.or] = [{ name: pattern }, { workflowArgs: pattern }];
  }
  if (query.attributes?.size) where[Op.and] = attributeConditions(db, query.attributes);
  return where;
}

/**
 * LIKE '%text%' with % and _ taken literally. SQLite has no default escape character (a backslash is an
 * ordinary one there), so the escape character is named explicitly, and is one neither dialect's string
 * syntax treats specially.
 */
function containing(db: Database, text: string) {
  const pattern = `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
  return { [Op.like]: db.sequelize.literal(`${db.literal(pattern)} ESCAPE '!'`) };
}

export const pageWorkflows = (db: Database, query: WorkflowQuery, first: number, after: number | null) =>
  pageBy(db, db.models.Workflow, workflowWhere(db, query), first, after, 'DESC');

export const countWorkflows = (db: Database, query: WorkflowQuery) =>
  db.models.Workflow.count({ where: workflowWhere(db, query) });

export interface TaskQuery {
  workflowId: number;
  status?: string[] | null;
  templateVersionIds?: number[] | null;
  search?: string | null;
  attributes?: ReadonlyMap<string, string> | null;
  /** true: only the tasks on a retry (isTaskRetrying); false: only the others. */
  retrying?: boolean | null;
}

/** The condition on a task row (columns after `prefix`) that `retrying` of a TaskQuery asks for. */
const retryingCondition = (db: Database, retrying: boolean, prefix = '') =>
  `${retryingFlag(db, prefix)} = ${retrying ? 1 : 0}`;

function taskWhere(db: Database, query: TaskQuery): WhereOptions {
  const where: Record<string | symbol, unknown> = { workflowId: query.workflowId };
  const and: unknown[] = attributeConditions(db, query.attributes);
  if (query.retrying !== undefined && query.retrying !== null)
    and.push(db.sequelize.literal(retryingCondition(db, query.retrying)));
  if (and.length) where[Op.and] = and;
  if (query.status?.length) where.status = query.status;
  if (query.templateVersionIds) where.taskTemplateVersionId = query.templateVersionIds;
  if (query.search) where.name = containing(db, query.search);
  return where;
}

export const pageTasks = (db: Database, query: TaskQuery, first: number, after: number | null) =>
  pageBy(db, db.models.Task, taskWhere(db, query), first, after, 'ASC');

export const countTasks = (db: Database, query: TaskQuery) =>
  db.models.Task.count({ where: taskWhere(db, query) });

export interface AuditQuery {
  workflowId?: number | null;
  entityType?: string | null;
  entityId?: number | null;
  since?: number | null;
}

function auditWhere(query: AuditQuery): WhereOptions {
  const where: Record<string, unknown> = {};
  if (query.workflowId !== undefined && query.workflowId !== null) where.workflowId = query.workflowId;
  if (query.entityType) where.entityType = query.entityType;
  if (query.entityId !== undefined && query.entityId !== null) where.entityId = query.entityId;
  if (query.since !== undefined && query.since !== null) where.id = { [Op.gt]: query.since };
  return where;
}

export async function pageAuditEvents(db: Database, query: AuditQuery, first: number, after: number | null) {
  const since = Math.max(query.since ?? 0, after ?? 0);
  return pageBy(db, db.models.AuditEvent, auditWhere({ ...query, since: null }), first, since || null, 'ASC');
}

export const countAuditEvents = (db: Database, query: AuditQuery) =>
  db.models.AuditEvent.count({ where: auditWhere(query) });

export const readAllTools = async (db: Database) =>
  plain(await db.models.Tool.findAll({ order: [['name', 'ASC']] }));

export const emptyStatusCounts = (): Record<TaskStatus, number> =>
  Object.fromEntries(ALL_TASK_STATUSES.map((status) => [status, 0])) as Record<TaskStatus, number>;

/** What an ordered page of tasks is sorted by (then by id), as an SQL expression over a `task` row. */
export type TaskSortKey = 'id' | 'name' | 'status' | 'attempts' | 'runtime' | 'maxRss';

// The last attempt is the task's newest instance (highest id: attempt numbers restart after a rerun),
// joined from one GROUP BY over the workflow's attempts (a subquery per task cost MariaDB 2.2 s for
// 100,000 tasks). Without one the value is -1, below any real one, so the key is never NULL and keyset
// comparisons hold.
const LAST_ATTEMPT_COLUMNS: Partial<Record<TaskSortKey, string>> = {
  runtime: 'wall_seconds',
  maxRss: 'max_rss_mb',
};

const TASK_SORT_EXPRESSIONS: Record<TaskSortKey, string> = {
  id: 'task.id',
  name: 'task.name',
  status: 'task.status',
  attempts: 'task.num_attempts',
  runtime: 'COALESCE(li.wall_seconds, -1)',
  maxRss: 'COALESCE(li.max_rss_mb, -1)',
};

/** Where an ordered page starts: after the row with this sort key and id. */
export interface TaskKeyset {
  key: string | number;
  id: number;
}

export interface OrderedTaskRow {
  row: TaskRow;
  sortKey: string | number;
}

/**
 * A page of the tasks matching `query`, sorted by `sortBy` then id, both `direction`, starting after
 * `after` (keyset: stable while rows change around the page, as the id cursor is). One statement.
 */
export async function pageTasksOrdered(
  db: Database,
  query: TaskQuery,
  sortBy: TaskSortKey,
  direction: 'ASC' | 'DESC',
  first: number,
  after: TaskKeyset | null,
): Promise<Page<OrderedTaskRow>> {
  const reader = readerOf(db, db.models.Task);
  const conditions = [`task.workflow_id = ${db.literal(query.workflowId)}`];
  if (query.status?.length)
    conditions.push(`task.status IN (${query.status.map((s) => db.literal(s)).join(',')})`);
  if (query.templateVersionIds) {
    if (query.templateVersionIds.length === 0) return { rows: [], hasNextPage: false };
    conditions.push(
      `task.task_template_version_id IN (${query.templateVersionIds.map((id) => db.literal(id)).join(',')})`,
    );
  }
  if (query.search) {
    const pattern = `%${query.search.replace(/[!%_]/g, (c) => `!${c}`)}%`;
    conditions.push(`task.name LIKE ${db.literal(pattern)} ESCAPE '!'`);
  }
  if (query.retrying !== undefined && query.retrying !== null)
    conditions.push(retryingCondition(db, query.retrying, 'task.'));
  for (const [key, value] of query.attributes ?? [])
    conditions.push(`${attributeText(db, key, 'task.')} = ${db.literal(value)}`);
  const beyond = direction === 'ASC' ? '>' : '<';
  const keyset = after
    ? `WHERE (sort_key ${beyond} ${db.literal(after.key)} OR (sort_key = ${db.literal(after.key)} AND id ${beyond} ${db.literal(after.id)}))`
    : '';
  const workflow = db.literal(query.workflowId);
  const lastAttempt = LAST_ATTEMPT_COLUMNS[sortBy]
    ? `LEFT JOIN (SELECT task_id, MAX(id) AS last_id FROM task_instance WHERE workflow_id = ${workflow}
         GROUP BY task_id) last ON last.task_id = task.id
       LEFT JOIN task_instance li ON li.id = last.last_id`
    : '';
  // The innermost table is the task row and its key (so the reader's unqualified columns name task
  // columns); the next names the sort key once for the keyset condition.
  const rows = await db.selectDirect(
    `SELECT * FROM (SELECT ${reader.columns}, sort_key FROM (
       SELECT task.*, ${TASK_SORT_EXPRESSIONS[sortBy]} AS sort_key FROM task ${lastAttempt}
       WHERE ${conditions.join(' AND ')}) task) ordered ${keyset}
     ORDER BY sort_key ${direction}, id ${direction} LIMIT ${first + 1}`,
  );
  return {
    rows: rows.slice(0, first).map((row) => ({
      row: reader.read(row),
      sortKey: typeof row.sort_key === 'bigint' ? Number(row.sort_key) : (row.sort_key as string | number),
    })),
    hasNextPage: rows.length > first,
  };
}

/** The newest attempt of each task (one statement per chunk), for Task.lastAttempt. */
export const readLastInstancesOfTasks = (db: Database, taskIds: readonly number[]) =>
  inChunks(taskIds, async (part) => {
    if (part.length === 0) return [];
    const reader = readerOf(db, db.models.TaskInstance);
    const ids = part.map((id) => db.literal(id)).join(',');
    const rows = await db.selectDirect(
      `SELECT ${reader.columns} FROM task_instance WHERE id IN
         (SELECT MAX(id) FROM task_instance WHERE task_id IN (${ids}) GROUP BY task_id)`,
    );
    return rows.map((row) => reader.read(row));
  });

/** The error message of each task's newest attempt that has one (one statement per chunk). */
export const readLastErrorsOfTasks = (db: Database, taskIds: readonly number[]) =>
  inChunks(taskIds, async (part) => {
    if (part.length === 0) return [];
    const ids = part.map((id) => db.literal(id)).join(',');
    const rows = await db.selectDirect(
      `SELECT task_id, error_message FROM task_instance WHERE id IN
         (SELECT MAX(id) FROM task_instance WHERE task_id IN (${ids}) AND error_message IS NOT NULL
          GROUP BY task_id)`,
    );
    return rows.map((row) => ({ taskId: Number(row.task_id), errorMessage: String(row.error_message) }));
  });

/** How many edges a workflow has (counted from its tasks: edge has no index on workflow_id). */
export async function countEdges(db: Database, workflowId: number): Promise<number> {
  const [row] = await db.select<{ n: number }>(
    'SELECT COUNT(*) AS n FROM task t JOIN edge e ON e.downstream_task_id = t.id WHERE t.workflow_id = ?',
    [workflowId],
  );
  return Number(row?.n ?? 0);
}

/** How many edges of a workflow touch a task of these template versions (at either end; both count twice). */
export async function countEdgesOfTemplates(
  db: Database,
  workflowId: number,
  templateVersionIds: readonly number[],
): Promise<number> {
  if (templateVersionIds.length === 0) return 0;
  const versions = templateVersionIds.map((id) => db.literal(id)).join(',');
  let total = 0;
  for (const end of ['upstream_task_id', 'downstream_task_id']) {
    const [row] = await db.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM edge e JOIN task t ON t.id = e.${end}
        WHERE t.workflow_id = ? AND t.task_template_version_id IN (${versions})`,
      [workflowId],
    );
    total += Number(row?.n ?? 0);
  }
  return total;
}
