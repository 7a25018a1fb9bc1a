import type { Transaction } from 'sequelize';
import type { Database } from '../connection';
import { bulkInsert, chunks } from '../bulk';
import type { TemplateRow } from './bind-workflow';

// Reads and writes of a chunked workflow binding (beginWorkflowBinding … commitWorkflowBinding). The
// binding's workflow is a normal workflow row hidden by its binding_token; its tasks and resolved edges go
// to the normal tables chunk by chunk; `workflow_binding` holds the running totals and `binding_edge` the
// edges whose upstream key was not bound yet. Every read here works in id windows or pages, so that memory
// stays bounded whatever the size of the workflow.

/** Tasks per id window when a binding's tasks are walked (cycle check, deletion). */
const ID_WINDOW = 50_000;
const DELETE_WINDOW = 10_000;

export interface BindingState extends BindingProgress {
  workflowId: number;
  toolId: number;
  workflowArgsHash: string;
  createdBy: string | null;
  /** False once binding_expires_at has passed (or the binding was marked for deletion). */
  open: boolean;
  maxAttempts: number;
  defaultResources: string | null;
}

/**
 * The filter term on `workflow_id` for statements that walk an id range: on SQLite the unary + keeps the
 * planner on the id range instead of the workflow_id index (which would scan the whole workflow each time).
 */
function workflowTerm(db: Database, column: string): string {
  return db.dialect === 'sqlite' ? `+${column} = ?` : `${column} = ?`;
}

/**
 * The same on MySQL, whose optimizer tends to prefer the equality on workflow_id (a covering index, but
 * then every chunk or window scans the whole workflow): the id range is what keeps each read small.
 */
function forceIndex(db: Database, index: string): string {
  return db.dialect === 'mysql' ? ` FORCE INDEX (${index})` : '';
}

/** The open or expired binding named by `token`; with `lock`, its rows are locked until the transaction ends. */
export async function findBinding(
  db: Database,
  transaction: Transaction | undefined,
  token: string,
  now: Date,
  lock = false,
): Promise<BindingState | null> {
  const rows = await db.select<Record<string, unknown>>(
    `SELECT w.id, w.tool_id, w.workflow_args_hash, w.created_by, w.max_attempts, w.default_resources,
            CASE WHEN w.binding_expires_at > ? THEN 1 ELSE 0 END AS is_open,
            b.task_hash_sum, b.task_count, b.edge_count, b.back_edge_count, b.first_task_id, b.last_task_id,
            b.chunk_count
       FROM workflow w JOIN workflow_binding b ON b.workflow_id = w.id
      WHERE w.binding_token = ?${lock && db.dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
    [now, token],
    transaction,
  );
  const row = rows[0];
  if (!row) return null;
  return {
    workflowId: Number(row.id),
    toolId: Number(row.tool_id),
    workflowArgsHash: String(row.workflow_args_hash),
    createdBy: (row.created_by as string | null) ?? null,
    open: Number(row.is_open) === 1,
    maxAttempts: Number(row.max_attempts),
    defaultResources: (row.default_resources as string | null) ?? null,
    taskHashSum: String(row.task_hash_sum),
    taskCount: Number(row.task_count),
    edgeCount: Number(row.edge_count),
    backEdgeCount: Number(row.back_edge_count),
    firstTaskId: Number(row.first_task_id),
    lastTaskId: Number(row.last_task_id),
    chunkCount: Number(row.chunk_count),
  };
}

export async function createBindingState(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  emptyHash: string,
  now: Date,
): Promise<void> {
  await bulkInsert(
    db,
    transaction,
    'workflow_binding',
    [
      'workflow_id',
      'task_hash_sum',
      'task_count',
      'edge_count',
      'back_edge_count',
      'first_task_id',
      'last_task_id',
      'chunk_count',
      'created_at',
      'updated_at',
    ],
    [
      {
        workflow_id: workflowId,
        task_hash_sum: emptyHash,
        task_count: 0,
        edge_count: 0,
        back_edge_count: 0,
        first_task_id: 0,
        last_task_id: 0,
        chunk_count: 0,
        created_at: now,
        updated_at: now,
      },
    ],
  );
}

export interface BindingProgress {
  taskHashSum: string;
  taskCount: number;
  edgeCount: number;
  backEdgeCount: number;
  firstTaskId: number;
  lastTaskId: number;
  chunkCount: number;
}

/** Records a chunk: the new totals, and the binding's expiry pushed back. */
export async function updateBindingState(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  progress: BindingProgress,
  expiresAt: Date,
  now: Date,
): Promise<void> {
  await db.execute(
    `UPDATE workflow_binding SET task_hash_sum = ?, task_count = ?, edge_count = ?, back_edge_count = ?,
            first_task_id = ?, last_task_id = ?, chunk_count = ?, updated_at = ?
      WHERE workflow_id = ?`,
    [
      progress.taskHashSum,
      progress.taskCount,
      progress.edgeCount,
      progress.backEdgeCount,
      progress.firstTaskId,
      progress.lastTaskId,
      progress.chunkCount,
      now,
      workflowId,
    ],
    transaction,
  );
  await db.execute(
    'UPDATE workflow SET binding_expires_at = ?, updated_at = ? WHERE id = ? AND binding_token IS NOT NULL',
    [expiresAt, now, workflowId],
    transaction,
  );
}

export interface BindingTemplateRow extends TemplateRow {
  versionId: number;
  defaultResources: Record<string, unknown> | null;
}

/** The templates the binding was begun with, as the chunks validate against them. */
export async function loadBindingTemplates(
  db: Database,
  transaction: Transaction | undefined,
  workflowId: number,
): Promise<BindingTemplateRow[]> {
  const rows = await db.select<Record<string, unknown>>(
    `SELECT v.id, t.name, v.command_template, v.node_args, v.task_args, v.op_args, v.arg_hash,
            wt.max_concurrently_running, wt.default_resources
       FROM workflow_task_template wt
       JOIN task_template_version v ON v.id = wt.task_template_version_id
       JOIN task_template t ON t.id = v.task_template_id
      WHERE wt.workflow_id = ?`,
    [workflowId],
    transaction,
  );
  return rows.map((row) => ({
    versionId: Number(row.id),
    name: String(row.name),
    commandTemplate: String(row.command_template),
    nodeArgs: JSON.parse(String(row.node_args)) as string[],
    taskArgs: JSON.parse(String(row.task_args)) as string[],
    opArgs: JSON.parse(String(row.op_args)) as string[],
    argHash: String(row.arg_hash),
    maxConcurrentlyRunning:
      row.max_concurrently_running === null ? null : Number(row.max_concurrently_running),
    defaultResources:
      row.default_resources === null
        ? null
        : (JSON.parse(String(row.default_resources)) as Record<string, unknown>),
  }));
}

/**
 * key → id of the workflow's tasks with an id above `afterId`: right after a chunk was inserted, exactly
 * that chunk (the binding is locked, and ids only grow). One range read instead of key lookups.
 */
export async function taskIdsAbove(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  afterId: number,
): Promise<Map<string, number>> {
  const rows = await db.select<{ id: number; task_key: string }>(
    `SELECT id, task_key FROM task${forceIndex(db, 'PRIMARY')} WHERE id > ? AND ${workflowTerm(db, 'workflow_id')}`,
    [afterId, workflowId],
    transaction,
  );
  const ids = new Map<string, number>();
  for (const row of rows) ids.set(row.task_key, Number(row.id));
  return ids;
}

/** Stages edges whose upstream key is not bound yet: [upstream key, downstream task id]. */
export async function insertStagedEdges(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  edges: readonly (readonly [upstreamKey: string, downstreamId: number])[],
): Promise<void> {
  if (edges.length === 0) return;
  await bulkInsert(
    db,
    transaction,
    'binding_edge',
    ['workflow_id', 'upstream_key', 'downstream_task_id'],
    edges.map(([upstreamKey, downstreamId]) => ({
      workflow_id: workflowId,
      upstream_key: upstreamKey,
      downstream_task_id: downstreamId,
    })),
  );
}

export async function countStagedEdges(
  db: Database,
  transaction: Transaction,
  workflowId: number,
): Promise<number> {
  const rows = await db.select<{ n: number }>(
    'SELECT COUNT(*) AS n FROM binding_edge WHERE workflow_id = ?',
    [workflowId],
    transaction,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Staged edges whose upstream key names no task of the binding (at most `limit`). */
export async function unresolvedStagedEdges(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  limit: number,
): Promise<{ downstreamKey: string; upstreamKey: string }[]> {
  const rows = await db.select<{ downstream_key: string; upstream_key: string }>(
    `SELECT d.task_key AS downstream_key, b.upstream_key
       FROM binding_edge b
       JOIN task d ON d.id = b.downstream_task_id
       LEFT JOIN task u ON u.workflow_id = b.workflow_id AND u.task_key = b.upstream_key
      WHERE b.workflow_id = ? AND u.id IS NULL
      ORDER BY b.id
      LIMIT ${Number(limit)}`,
    [workflowId],
    transaction,
  );
  return rows.map((row) => ({ downstreamKey: row.downstream_key, upstreamKey: row.upstream_key }));
}

/** Turns the staged edges into edges (every upstream key must resolve), then drops them. */
export async function resolveStagedEdges(
  db: Database,
  transaction: Transaction,
  workflowId: number,
): Promise<void> {
  await db.execute(
    `INSERT INTO edge (workflow_id, upstream_task_id, downstream_task_id)
     SELECT b.workflow_id, u.id, b.downstream_task_id
       FROM binding_edge b JOIN task u ON u.workflow_id = b.workflow_id AND u.task_key = b.upstream_key
      WHERE b.workflow_id = ?`,
    [workflowId],
    transaction,
  );
  await db.execute('DELETE FROM binding_edge WHERE workflow_id = ?', [workflowId], transaction);
}

export interface IdGraph {
  /** The workflow's task ids, ascending; node i of the graph is task ids[i]. */
  ids: Int32Array;
  upstream: Int32Array;
  downstream: Int32Array;
}

/**
 * The binding's DAG as dense node indexes in typed arrays (about 4 bytes a task and 8 an edge), read in
 * id windows: never a row object per task or edge held at once.
 */
export async function readIdGraph(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  range: { firstTaskId: number; lastTaskId: number; taskCount: number; edgeCount: number },
): Promise<IdGraph> {
  let ids: Int32Array = new Int32Array(range.taskCount);
  let n = 0;
  for (let low = range.firstTaskId; low <= range.lastTaskId; low += ID_WINDOW) {
    const rows = await db.select<{ id: number }>(
      `SELECT id FROM task${forceIndex(db, 'PRIMARY')} WHERE id >= ? AND id < ? AND ${workflowTerm(db, 'workflow_id')} ORDER BY id`,
      [low, low + ID_WINDOW, workflowId],
      transaction,
    );
    for (const row of rows) {
      if (n === ids.length) ids = grow(ids);
      ids[n++] = Number(row.id);
    }
  }
  ids = ids.subarray(0, n);
  const indexOf = (id: number): number => {
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = ids[mid]!;
      if (value === id) return mid;
      if (value < id) lo = mid + 1;
      else hi = mid - 1;
    }
    throw new Error(`edge refers to task ${id}, which is not in workflow ${workflowId}`);
  };
  let upstream: Int32Array = new Int32Array(range.edgeCount);
  let downstream: Int32Array = new Int32Array(range.edgeCount);
  let e = 0;
  for (let low = range.firstTaskId; low <= range.lastTaskId; low += ID_WINDOW) {
    const rows = await db.select<{ u: number; d: number }>(
      `SELECT upstream_task_id AS u, downstream_task_id AS d FROM edge${forceIndex(db, 'edge_downstream_task_id')}
        WHERE downstream_task_id >= ? AND downstream_task_id < ? AND ${workflowTerm(db, 'workflow_id')}`,
      [low, low + ID_WINDOW, workflowId],
      transaction,
    );
    for (const row of rows) {
      if (e === upstream.length) {
        upstream = grow(upstream);
        downstream = grow(downstream);
      }
      upstream[e] = indexOf(Number(row.u));
      downstream[e] = indexOf(Number(row.d));
      e += 1;
    }
  }
  return { ids, upstream: upstream.subarray(0, e), downstream: downstream.subarray(0, e) };
}

function grow(array: Int32Array): Int32Array {
  const bigger = new Int32Array(Math.max(1024, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** id → key of a few tasks (for messages). */
export async function taskKeysOf(
  db: Database,
  transaction: Transaction | undefined,
  ids: readonly number[],
): Promise<Map<number, string>> {
  const keys = new Map<number, string>();
  for (const part of chunks([...new Set(ids)], 1000)) {
    const rows = await db.select<{ id: number; task_key: string }>(
      `SELECT id, task_key FROM task WHERE id IN (${part.map((id) => db.literal(id)).join(',')})`,
      [],
      transaction,
    );
    for (const row of rows) keys.set(Number(row.id), row.task_key);
  }
  return keys;
}

/** Makes the bound workflow a normal one: its identity set, no longer hidden. False if it was not a binding. */
export async function finishBinding(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  taskHash: string,
  taskCount: number,
  now: Date,
): Promise<boolean> {
  const changed = await db.execute(
    `UPDATE workflow SET task_hash = ?, task_count = ?, binding_token = NULL, binding_expires_at = NULL, updated_at = ?
      WHERE id = ? AND binding_token IS NOT NULL`,
    [taskHash, taskCount, now, workflowId],
    transaction,
  );
  await db.execute('DELETE FROM workflow_binding WHERE workflow_id = ?', [workflowId], transaction);
  return changed === 1;
}

const DELETION_MARK = new Date(0);

/**
 * Closes a binding for good (its expiry set in the past, so no chunk or commit gets through any more)
 * before its rows are deleted batch by batch. False when it is no longer a binding (committed meanwhile).
 */
export async function markBindingForDeletion(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  onlyIfExpiredBefore?: Date,
): Promise<boolean> {
  const changed = await db.execute(
    `UPDATE workflow SET binding_expires_at = ? WHERE id = ? AND binding_token IS NOT NULL${
      onlyIfExpiredBefore ? ' AND binding_expires_at <= ?' : ''
    }`,
    onlyIfExpiredBefore ? [DELETION_MARK, workflowId, onlyIfExpiredBefore] : [DELETION_MARK, workflowId],
    transaction,
  );
  return changed === 1;
}

/**
 * Deletes everything of a binding marked for deletion: its edges, staged edges and tasks in id windows
 * (one short transaction each, so neither SQLite's single writer nor MySQL's undo log is held by a million
 * rows), then the workflow row and what hangs on it. Idempotent: an interrupted deletion is finished by the
 * next sweep.
 */
export async function deleteBindingRows(db: Database, workflowId: number): Promise<void> {
  const bounds = await db.select<{ lo: number | null; hi: number | null }>(
    'SELECT MIN(id) AS lo, MAX(id) AS hi FROM task WHERE workflow_id = ?',
    [workflowId],
  );
  const lo = bounds[0]?.lo;
  const hi = bounds[0]?.hi;
  if (lo !== null && lo !== undefined && hi !== null && hi !== undefined) {
    for (let low = Number(lo); low <= Number(hi); low += DELETE_WINDOW) {
      const range = [low, low + DELETE_WINDOW, workflowId];
      await db.transaction(async (transaction) => {
        const still = await db.select<{ id: number }>(
          'SELECT id FROM workflow WHERE id = ? AND binding_token IS NOT NULL',
          [workflowId],
          transaction,
        );
        if (still.length === 0)
          throw new Error(`workflow ${workflowId} is no longer a binding: not deleting it`);
        const term = workflowTerm(db, 'workflow_id');
        await db.execute(
          `DELETE FROM binding_edge WHERE downstream_task_id >= ? AND downstream_task_id < ? AND ${term}`,
          range,
          transaction,
        );
        await db.execute(
          `DELETE FROM edge WHERE downstream_task_id >= ? AND downstream_task_id < ? AND ${term}`,
          range,
          transaction,
        );
        await db.execute(
          `DELETE FROM edge WHERE upstream_task_id >= ? AND upstream_task_id < ? AND ${term}`,
          range,
          transaction,
        );
        await db.execute(`DELETE FROM task WHERE id >= ? AND id < ? AND ${term}`, range, transaction);
      });
    }
  }
  await db.transaction(async (transaction) => {
    const still = await db.select<{ id: number }>(
      'SELECT id FROM workflow WHERE id = ? AND binding_token IS NOT NULL',
      [workflowId],
      transaction,
    );
    if (still.length === 0) return;
    // Whatever the windows missed (none in practice) goes by cascade.
    await db.execute('DELETE FROM binding_edge WHERE workflow_id = ?', [workflowId], transaction);
    // From the workflow's tasks (edge has no index on workflow_id); MariaDB would scan every edge for IN.
    await db.execute(
      db.dialect === 'mysql'
        ? 'DELETE e FROM task t JOIN edge e ON e.downstream_task_id = t.id WHERE t.workflow_id = ?'
        : 'DELETE FROM edge WHERE downstream_task_id IN (SELECT id FROM task WHERE workflow_id = ?)',
      [workflowId],
      transaction,
    );
    await db.execute('DELETE FROM task WHERE workflow_id = ?', [workflowId], transaction);
    await db.execute(
      'DELETE FROM workflow_template_task_count WHERE workflow_id = ?',
      [workflowId],
      transaction,
    );
    await db.execute('DELETE FROM template_edge_count WHERE workflow_id = ?', [workflowId], transaction);
    await db.execute('DELETE FROM workflow_binding WHERE workflow_id = ?', [workflowId], transaction);
    await db.execute('DELETE FROM workflow_task_template WHERE workflow_id = ?', [workflowId], transaction);
    await db.execute('DELETE FROM audit_event WHERE workflow_id = ?', [workflowId], transaction);
    await db.execute(
      'DELETE FROM workflow WHERE id = ? AND binding_token IS NOT NULL',
      [workflowId],
      transaction,
    );
  });
}

/** Workflows of bindings whose expiry has passed (at most `limit`). */
export async function expiredBindings(db: Database, now: Date, limit: number): Promise<number[]> {
  const rows = await db.select<{ id: number }>(
    `SELECT id FROM workflow WHERE binding_token IS NOT NULL AND binding_expires_at <= ? ORDER BY id LIMIT ${Number(limit)}`,
    [now],
  );
  return rows.map((row) => Number(row.id));
}
