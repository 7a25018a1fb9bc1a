import type { Transaction } from 'sequelize';
import {
  type QueueBounds,
  type ResolvedResources,
  mergeResources,
  EntityType,
  TASK_ACTIVE_STATUSES,
  TASK_INSTANCE_ACTIVE_STATUSES,
  TaskStatus,
  WorkflowRunStatus,
  canTransition,
  workflowStatusForRun,
  type StatusOf,
  type WorkflowStatus,
} from '../../domain';
import { chunks } from '../bulk';
import type { Database } from '../connection';
import { changeStatuses, type ChangeContext } from '../status-change';

// The SQL of the execution engine: locking reads, readiness, run completion. Every function runs inside
// the caller's transaction; the services in services/engine decide what to change.

const IN_CHUNK = 2000;

/** `FOR UPDATE [SKIP LOCKED]` on MySQL; SQLite writers are serialised already (BEGIN IMMEDIATE). */
export function forUpdate(db: Database, skipLocked = false): string {
  if (db.dialect !== 'mysql') return '';
  return skipLocked ? ' FOR UPDATE SKIP LOCKED' : ' FOR UPDATE';
}

export const inList = (db: Database, values: readonly (number | string)[]) =>
  values.map((value) => db.literal(value)).join(',');

export const statusList = (db: Database, statuses: readonly string[]) => inList(db, statuses);

/** Reads rows `WHERE id IN (...)` in chunks; `lock` adds FOR UPDATE (ids are sorted to lock in one order). */
export async function selectByIds<Row extends object>(
  db: Database,
  transaction: Transaction,
  select: string,
  ids: readonly number[],
  options: { column?: string; lock?: boolean; extraWhere?: string; groupBy?: string } = {},
): Promise<Row[]> {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const out: Row[] = [];
  for (const part of chunks(sorted, IN_CHUNK)) {
    out.push(
      ...(await db.select<Row>(
        `${select} WHERE ${options.column ?? 'id'} IN (${inList(db, part)})${options.extraWhere ? ` AND ${options.extraWhere}` : ''}` +
          (options.groupBy ? ` GROUP BY ${options.groupBy}` : '') +
          ` ORDER BY ${options.column ?? 'id'}${options.lock ? forUpdate(db) : ''}`,
        [],
        transaction,
      )),
    );
  }
  return out;
}

export interface StatusChange<E extends EntityType> {
  id: number;
  workflowId: number;
  from: StatusOf<E>;
  to: StatusOf<E>;
  reason?: string | null;
}

/**
 * Applies many changes of one entity type: one CAS UPDATE + audit insert per (workflow, from, to, reason).
 * An entity may change more than once (RUNNING → ERROR_RECOVERABLE → QUEUED): its n-th change goes in the
 * n-th round, so every group's rows are in its from-status when the group runs.
 */
export async function applyChanges<E extends EntityType>(
  db: Database,
  transaction: Transaction,
  entityType: E,
  changes: readonly StatusChange<E>[],
  context: Omit<ChangeContext, 'workflowId' | 'reason'>,
): Promise<void> {
  const rounds: Map<string, { change: StatusChange<E>; ids: number[] }>[] = [];
  const seen = new Map<number, number>();
  for (const change of changes) {
    const round = seen.get(change.id) ?? 0;
    seen.set(change.id, round + 1);
    const groups = (rounds[round] ??= new Map());
    const key = `${change.workflowId}\u0000${change.from}\u0000${change.to}\u0000${change.reason ?? ''}`;
    const group = groups.get(key);
    if (group) group.ids.push(change.id);
    else groups.set(key, { change, ids: [change.id] });
  }
  for (const groups of rounds) {
    for (const { change, ids } of groups.values()) {
      await changeStatuses(db, transaction, entityType, ids, change.from, change.to, {
        ...context,
        workflowId: change.workflowId,
        reason: change.reason ?? null,
      });
    }
  }
}

export interface RunRow {
  id: number;
  workflowId: number;
  status: WorkflowRunStatus;
}

/** The newest run of each workflow. */
export async function latestRuns(
  db: Database,
  transaction: Transaction,
  workflowIds: readonly number[],
  lock = false,
): Promise<Map<number, RunRow>> {
  const out = new Map<number, RunRow>();
  for (const part of chunks(
    [...new Set(workflowIds)].sort((a, b) => a - b),
    IN_CHUNK,
  )) {
    const rows = await db.select<{ id: number; workflow_id: number; status: WorkflowRunStatus }>(
      `SELECT r.id, r.workflow_id, r.status FROM workflow_run r
        WHERE r.id IN (SELECT MAX(id) FROM workflow_run WHERE workflow_id IN (${inList(db, part)}) GROUP BY workflow_id)
        ORDER BY r.id${lock ? forUpdate(db) : ''}`,
      [],
      transaction,
    );
    for (const row of rows)
      out.set(Number(row.workflow_id), {
        id: Number(row.id),
        workflowId: Number(row.workflow_id),
        status: row.status,
      });
  }
  return out;
}

/** Moves the workflow to the status its newest run implies, when that differs (and is a legal move). */
export async function syncWorkflowStatus(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  runStatus: WorkflowRunStatus,
  context: Omit<ChangeContext, 'workflowId'>,
): Promise<void> {
  const rows = await db.select<{ status: WorkflowStatus }>(
    `SELECT status FROM workflow WHERE id = ?${forUpdate(db)}`,
    [workflowId],
    transaction,
  );
  const current = rows[0]?.status;
  const target = workflowStatusForRun(runStatus);
  if (current === undefined || current === target) return;
  if (!canTransition(EntityType.WORKFLOW, current, target)) return;
  await changeStatuses(db, transaction, EntityType.WORKFLOW, [workflowId], current, target, {
    ...context,
    workflowId,
  });
}

/** Moves a run (and its workflow) to `to`; the run's reason is kept on the row as well as in the audit. */
export async function changeRunStatus(
  db: Database,
  transaction: Transaction,
  run: RunRow,
  to: WorkflowRunStatus,
  context: Omit<ChangeContext, 'workflowId'>,
): Promise<void> {
  await changeStatuses(db, transaction, EntityType.WORKFLOW_RUN, [run.id], run.status, to, {
    ...context,
    workflowId: run.workflowId,
  });
  if (context.reason)
    await db.execute(
      'UPDATE workflow_run SET status_reason = ? WHERE id = ?',
      [context.reason, run.id],
      transaction,
    );
  run.status = to;
  await syncWorkflowStatus(db, transaction, run.workflowId, to, context);
}

/**
 * Tasks still REGISTERING whose upstreams are all DONE become QUEUED: the candidates given, or the
 * downstream tasks of `of.downstreamOf`. The candidates are locked first: two transactions finishing two
 * upstreams of one task would otherwise each see the other's upstream unfinished (READ COMMITTED) and
 * neither would queue it.
 */
export async function queueReadyTasks(
  db: Database,
  transaction: Transaction,
  candidateIds: readonly number[],
  context: Omit<ChangeContext, 'workflowId'>,
  of: { downstreamOf?: boolean } = {},
): Promise<number[]> {
  if (candidateIds.length === 0) return [];
  const candidates: { id: number; workflow_id: number }[] = [];
  for (const part of chunks(
    [...new Set(candidateIds)].sort((a, b) => a - b),
    IN_CHUNK,
  )) {
    const where = of.downstreamOf
      ? `id IN (SELECT downstream_task_id FROM edge WHERE upstream_task_id IN (${inList(db, part)}))`
      : `id IN (${inList(db, part)})`;
    candidates.push(
      ...(await db.select<{ id: number; workflow_id: number }>(
        `SELECT id, workflow_id FROM task WHERE ${where} AND status = ? ORDER BY id${forUpdate(db)}`,
        [TaskStatus.REGISTERING],
        transaction,
      )),
    );
  }
  if (candidates.length === 0) return [];
  const workflowOf = new Map(candidates.map((row) => [Number(row.id), Number(row.workflow_id)]));
  const ready: StatusChange<typeof EntityType.TASK>[] = [];
  for (const part of chunks([...workflowOf.keys()], IN_CHUNK)) {
    const rows = await db.select<{ id: number }>(
      `SELECT d.id FROM task d WHERE d.id IN (${inList(db, part)}) AND NOT EXISTS (
         SELECT 1 FROM edge e JOIN task u ON u.id = e.upstream_task_id
          WHERE e.downstream_task_id = d.id AND u.status <> ${db.literal(TaskStatus.DONE)})`,
      [],
      transaction,
    );
    for (const row of rows) {
      const id = Number(row.id);
      ready.push({
        id,
        workflowId: workflowOf.get(id)!,
        from: TaskStatus.REGISTERING,
        to: TaskStatus.QUEUED,
        reason: 'upstream done',
      });
    }
  }
  await applyChanges(db, transaction, EntityType.TASK, ready, context);
  return ready.map((change) => change.id);
}

/** The downstream tasks of tasks that just became DONE, when all their upstreams are DONE, become QUEUED. */
export const queueReadyDownstream = (
  db: Database,
  transaction: Transaction,
  doneTaskIds: readonly number[],
  context: Omit<ChangeContext, 'workflowId'>,
) => queueReadyTasks(db, transaction, doneTaskIds, context, { downstreamOf: true });

/** The downstream tasks of `taskIds` that are REGISTERING (candidates for queueReadyTasks). */
export async function registeringDownstream(
  db: Database,
  transaction: Transaction,
  taskIds: readonly number[],
): Promise<number[]> {
  const out: number[] = [];
  for (const part of chunks([...new Set(taskIds)], IN_CHUNK)) {
    const rows = await db.select<{ id: number }>(
      `SELECT DISTINCT e.downstream_task_id AS id FROM edge e JOIN task d ON d.id = e.downstream_task_id
        WHERE e.upstream_task_id IN (${inList(db, part)}) AND d.status = ?`,
      [TaskStatus.REGISTERING],
      transaction,
    );
    for (const row of rows) out.push(Number(row.id));
  }
  return out;
}

const READY_PAGE = 2000;

/** Every REGISTERING task of the workflow whose upstreams are all DONE becomes QUEUED (resume, override). */
export async function queueAllReadyTasks(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  context: Omit<ChangeContext, 'workflowId'>,
): Promise<number> {
  let queued = 0;
  for (let after = 0; ;) {
    const page = await db.select<{ id: number }>(
      `SELECT t.id FROM task t WHERE t.workflow_id = ? AND t.status = ? AND t.id > ? ORDER BY t.id LIMIT ${READY_PAGE}`,
      [workflowId, TaskStatus.REGISTERING, after],
      transaction,
    );
    if (page.length === 0) break;
    const ids = page.map((row) => Number(row.id));
    queued += (await queueReadyTasks(db, transaction, ids, { ...context, reason: undefined })).length;
    after = ids[ids.length - 1]!;
    if (page.length < READY_PAGE) break;
  }
  return queued;
}

/** Task statuses from which the run can still make progress on its own. */
const TASK_PROGRESS_STATUSES = [
  TaskStatus.QUEUED,
  ...TASK_ACTIVE_STATUSES,
  TaskStatus.ERROR_RECOVERABLE,
  TaskStatus.ADJUSTING_RESOURCES,
] as const;

/**
 * Ends the run when nothing is left to do: DONE when every task is DONE, ERROR when no task can progress
 * (the rest wait on ERROR_FATAL upstreams). Returns the run's status afterwards.
 */
export async function finishRunIfComplete(
  db: Database,
  transaction: Transaction,
  run: RunRow,
  context: Omit<ChangeContext, 'workflowId'>,
): Promise<WorkflowRunStatus> {
  if (run.status !== WorkflowRunStatus.RUNNING && run.status !== WorkflowRunStatus.BOUND) return run.status;
  // Transactions that finish a workflow's last tasks at the same time each see the others' tasks still
  // running (READ COMMITTED: not yet committed), so that none would end the run. Taking the workflow row
  // makes them take turns: the last one reads after the others committed. (Claims take it the same way.)
  await db.select(`SELECT id FROM workflow WHERE id = ?${forUpdate(db)}`, [run.workflowId], transaction);
  const busy = await db.select<{ one: number }>(
    `SELECT 1 AS one FROM task WHERE workflow_id = ? AND status IN (${statusList(db, TASK_PROGRESS_STATUSES)}) LIMIT 1`,
    [run.workflowId],
    transaction,
  );
  if (busy.length > 0) return run.status;
  const unfinished = await db.select<{ one: number }>(
    'SELECT 1 AS one FROM task WHERE workflow_id = ? AND status <> ? LIMIT 1',
    [run.workflowId, TaskStatus.DONE],
    transaction,
  );
  if (unfinished.length === 0) {
    await changeRunStatus(db, transaction, run, WorkflowRunStatus.DONE, {
      ...context,
      reason: 'every task done',
    });
  } else {
    await changeRunStatus(db, transaction, run, WorkflowRunStatus.ERROR, {
      ...context,
      reason: 'no task can make progress',
    });
  }
  return run.status;
}

export interface ActiveInstanceRow {
  id: number;
  task_id: number;
  workflow_id: number;
  workflow_run_id: number;
  status: (typeof TASK_INSTANCE_ACTIVE_STATUSES)[number];
}

/** Instances of a workflow that may still hold resources, optionally only some statuses. */
export async function activeInstancesOfWorkflow(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  statuses: readonly string[] = TASK_INSTANCE_ACTIVE_STATUSES,
): Promise<ActiveInstanceRow[]> {
  const rows = await db.select<ActiveInstanceRow>(
    `SELECT id, task_id, workflow_id, workflow_run_id, status FROM task_instance
      WHERE workflow_id = ? AND status IN (${statusList(db, statuses)}) ORDER BY id${forUpdate(db)}`,
    [workflowId],
    transaction,
  );
  return rows.map((row) => ({
    ...row,
    id: Number(row.id),
    task_id: Number(row.task_id),
    workflow_id: Number(row.workflow_id),
    workflow_run_id: Number(row.workflow_run_id),
  }));
}

/** Bounds of the named queues that distributors have described (unknown names are left out). */
export async function readQueueBounds(
  db: Database,
  transaction: Transaction,
  names: readonly string[],
): Promise<Map<string, QueueBounds>> {
  if (names.length === 0) return new Map();
  const rows = await db.select<Record<string, unknown>>(
    `SELECT name, min_cores, max_cores, max_memory_mb, max_runtime_seconds FROM queue WHERE name IN (${inList(db, [...new Set(names)])})`,
    [],
    transaction,
  );
  const orNull = (value: unknown) => (value == null ? null : Number(value));
  return new Map(
    rows.map((q) => [
      String(q.name),
      {
        name: String(q.name),
        minCores: orNull(q.min_cores),
        maxCores: orNull(q.max_cores),
        maxMemoryMb: orNull(q.max_memory_mb),
        maxRuntimeSeconds: orNull(q.max_runtime_seconds),
      },
    ]),
  );
}

/** A task_resources row (joined columns memory_mb, cores, runtime_seconds, queue, extra) as resources. */
export function resourcesOfRow(row: Record<string, unknown>): ResolvedResources {
  const orNull = (value: unknown) => (value == null ? null : Number(value));
  return mergeResources({
    memoryMb: orNull(row.memory_mb),
    cores: orNull(row.cores),
    runtimeSeconds: orNull(row.runtime_seconds),
    queue: row.queue == null ? null : String(row.queue),
    extra:
      typeof row.extra === 'string' && row.extra ? (JSON.parse(row.extra) as Record<string, unknown>) : null,
  });
}
