import type { Transaction } from 'sequelize';
import { EntityType, TaskStatus, tasksBecomingReady } from '../../domain';
import { chunks } from '../bulk';
import type { Database } from '../connection';
import type { ChangeContext } from '../status-change';
import { applyChanges } from './apply-changes';
import { forUpdate, IN_CHUNK, inList } from './sql';

// Scheduling: tasks whose upstreams are all DONE become QUEUED (the decision: domain/task-readiness.ts).

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
  // Facts for the decision: how many upstreams of each candidate are not DONE (only those rows are read).
  const unfinished = new Map<number, number>();
  for (const part of chunks(
    candidates.map((row) => Number(row.id)),
    IN_CHUNK,
  )) {
    const rows = await db.select<{ id: number; unfinished: number }>(
      `SELECT e.downstream_task_id AS id, COUNT(*) AS unfinished FROM edge e JOIN task u ON u.id = e.upstream_task_id
        WHERE e.downstream_task_id IN (${inList(db, part)}) AND u.status <> ${db.literal(TaskStatus.DONE)}
        GROUP BY e.downstream_task_id`,
      [],
      transaction,
    );
    for (const row of rows) unfinished.set(Number(row.id), Number(row.unfinished));
  }
  const ready = tasksBecomingReady(
    candidates.map((row) => ({
      id: Number(row.id),
      workflowId: Number(row.workflow_id),
      status: TaskStatus.REGISTERING,
      unfinishedUpstreams: unfinished.get(Number(row.id)) ?? 0,
    })),
  );
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
