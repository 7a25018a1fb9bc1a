import type { Transaction } from 'sequelize';
import {
  assertTransition,
  EntityType,
  isTaskRetrying,
  StaleStatusError,
  TaskInstanceStatus,
  type StatusOf,
  type TaskStatus,
} from '../domain';
import { bulkInsert, chunks } from './bulk';
import type { Database } from './connection';
import { addTaskCount } from './task-counts';
import { addDoneAttempts } from './template-usage';

// Every status change of every entity goes through this file: a compare-and-set on the from-status
// and the audit row, in the caller's transaction. Nothing else writes a `status` column.

export const TABLE_OF: Readonly<Record<EntityType, string>> = {
  WORKFLOW: 'workflow',
  WORKFLOW_RUN: 'workflow_run',
  TASK: 'task',
  TASK_INSTANCE: 'task_instance',
};

export interface ChangeContext {
  /** The workflow the entity belongs to (audit rows are filtered and streamed by it). */
  workflowId: number | null;
  reason?: string | null;
  actor?: string | null;
  at?: Date;
  /**
   * Tasks only: the change begins a new attempt of each task (num_attempts + 1 in the same UPDATE). The
   * attempts change nowhere else but to 0 in REGISTERING, where they do not count (run-control.ts).
   */
  startsAttempt?: boolean;
  /**
   * Tasks only: what the caller read of some tasks in this transaction, under their row lock, before the
   * change (template version, attempts). The task counts' delta is then taken from it rather than read
   * again; a task missing from it is read.
   */
  knownTasks?: ReadonlyMap<number, KnownTask>;
}

/** A task's template version and its attempts before a change, as read under its row lock. */
export interface KnownTask {
  taskTemplateVersionId: number;
  numAttempts: number;
}

const AUDIT_COLUMNS = [
  'at',
  'entity_type',
  'entity_id',
  'workflow_id',
  'from_status',
  'to_status',
  'reason',
  'actor',
] as const;
const IN_LIST_SIZE = 5000;

/** Writes audit rows for entities created in a status (from NULL), e.g. a new run or instance. */
export async function recordCreated<E extends EntityType>(
  db: Database,
  transaction: Transaction,
  entityType: E,
  entityIds: readonly number[],
  status: StatusOf<E>,
  context: ChangeContext,
): Promise<void> {
  const at = context.at ?? new Date();
  await writeAuditRows(db, transaction, entityType, entityIds, null, status, context, at);
}

/**
 * The audit rows of `entityIds` moved from `from` (null: created) to `to` at `at`; their subscribers hear
 * of them once the transaction commits.
 */
async function writeAuditRows(
  db: Database,
  transaction: Transaction,
  entityType: EntityType,
  entityIds: readonly number[],
  from: string | null,
  to: string,
  context: ChangeContext,
  at: Date,
): Promise<void> {
  await bulkInsert(
    db,
    transaction,
    'audit_event',
    AUDIT_COLUMNS,
    entityIds.map((id) => ({
      at,
      entity_type: entityType,
      entity_id: id,
      workflow_id: context.workflowId,
      from_status: from,
      to_status: to,
      reason: context.reason ?? null,
      actor: context.actor ?? null,
    })),
  );
  if (entityIds.length > 0) db.auditCommits.notifyAfterCommit(transaction);
}

/**
 * Moves one entity from `from` to `to`: refuses an illegal pair (IllegalTransitionError), then updates
 * only if the row is still in `from` (StaleStatusError otherwise) and writes the audit row.
 */
export async function changeStatus<E extends EntityType>(
  db: Database,
  transaction: Transaction,
  entityType: E,
  entityId: number,
  from: StatusOf<E>,
  to: StatusOf<E>,
  context: ChangeContext,
): Promise<void> {
  await changeStatuses(db, transaction, entityType, [entityId], from, to, context);
}

/**
 * The same for many entities sharing one from-status, in a few statements: all of them change or the
 * transaction fails (StaleStatusError names one that was not in `from`). The UPDATE has run by the time
 * it throws, so the error must roll the transaction back: never catch it and commit.
 */
export async function changeStatuses<E extends EntityType>(
  db: Database,
  transaction: Transaction,
  entityType: E,
  entityIds: readonly number[],
  from: StatusOf<E>,
  to: StatusOf<E>,
  context: ChangeContext,
): Promise<void> {
  entityIds = [...new Set(entityIds)];
  // Checked even for no ids, so that a caller's illegal pair shows up on its first run, not in production.
  assertTransition(entityType, from, to, entityIds.length === 1 ? entityIds[0] : undefined);
  if (entityIds.length === 0) return;
  const table = TABLE_OF[entityType];
  const at = context.at ?? new Date();
  const touchUpdatedAt = entityType === EntityType.WORKFLOW || entityType === EntityType.WORKFLOW_RUN;
  const isTask = entityType === EntityType.TASK;
  if (context.startsAttempt && !isTask) throw new Error('only a task begins attempts');
  for (const ids of chunks(entityIds, IN_LIST_SIZE)) {
    const changed = await db.execute(
      `UPDATE ${table} SET status = ?, status_updated_at = ?${touchUpdatedAt ? ', updated_at = ?' : ''}` +
        `${context.startsAttempt ? ', num_attempts = num_attempts + 1' : ''} ` +
        `WHERE id IN (${ids.map((id) => db.literal(id)).join(',')}) AND status = ?`,
      touchUpdatedAt ? [to, at, at, from] : [to, at, from],
      transaction,
    );
    if (changed !== ids.length) {
      const list = ids.map((id) => db.literal(id)).join(',');
      const found = await db.select<{ id: number; status: string }>(
        `SELECT id, status FROM ${table} WHERE id IN (${list})`,
        [],
        transaction,
      );
      // The rows this UPDATE moved carry `at`; a stale row may be in `to` already (another claimer won).
      const moved = await db.select<{ id: number }>(
        `SELECT id FROM ${table} WHERE id IN (${list}) AND status = ? AND status_updated_at = ?`,
        [to, at],
        transaction,
      );
      const byId = new Map(found.map((row) => [Number(row.id), row.status]));
      const ours = new Set(moved.map((row) => Number(row.id)));
      const culprit = ids.find((id) => !ours.has(id)) ?? ids[0]!;
      throw new StaleStatusError(entityType, from, byId.get(culprit) ?? null, to, culprit);
    }
    if (isTask) {
      // Every task of one call belongs to context.workflowId (callers group changes by workflow).
      if (context.workflowId === null) throw new Error('a task status change needs its workflow id');
      for (const moved of await movedByTemplate(
        db,
        transaction,
        ids,
        from as TaskStatus,
        to as TaskStatus,
        context,
      )) {
        await addTaskCount(
          db,
          transaction,
          context.workflowId,
          moved.taskTemplateVersionId,
          from as TaskStatus,
          -moved.tasks,
          -moved.retryingBefore,
        );
        await addTaskCount(
          db,
          transaction,
          context.workflowId,
          moved.taskTemplateVersionId,
          to as TaskStatus,
          moved.tasks,
          moved.retryingAfter,
        );
      }
    }
  }
  // Their usage counts in their templates' (template-usage.ts): their finished report has written it.
  if (entityType === EntityType.TASK_INSTANCE && to === TaskInstanceStatus.DONE)
    await addDoneAttempts(db, transaction, entityIds);
  await writeAuditRows(db, transaction, entityType, entityIds, from, to, context, at);
}

/**
 * Of `ids` (just moved from `from` to `to` by this transaction), per template version: how many, and how
 * many were on a retry before the move and are after it. Read after the UPDATE, so the rows are this
 * transaction's own (locked, current, by primary key); the attempts before are those after, less the one
 * begun by the move. Not read when the caller knows them all (`knownTasks`, read under the same lock).
 */
async function movedByTemplate(
  db: Database,
  transaction: Transaction,
  ids: readonly number[],
  from: TaskStatus,
  to: TaskStatus,
  context: ChangeContext,
): Promise<
  { taskTemplateVersionId: number; tasks: number; retryingBefore: number; retryingAfter: number }[]
> {
  const begun = context.startsAttempt ? 1 : 0;
  const known = context.knownTasks;
  const rows = ids.every((id) => known?.has(id))
    ? ids.map((id) => {
        const task = known!.get(id)!;
        return { v: task.taskTemplateVersionId, num_attempts: task.numAttempts + begun, n: 1 };
      })
    : await db.select<{ v: number; num_attempts: number; n: number }>(
        `SELECT task_template_version_id AS v, num_attempts, COUNT(*) AS n FROM task
          WHERE id IN (${ids.map((id) => db.literal(id)).join(',')}) GROUP BY task_template_version_id, num_attempts`,
        [],
        transaction,
      );
  const byTemplate = new Map<
    number,
    { taskTemplateVersionId: number; tasks: number; retryingBefore: number; retryingAfter: number }
  >();
  for (const row of rows) {
    const version = Number(row.v);
    const attempts = Number(row.num_attempts);
    const n = Number(row.n);
    let entry = byTemplate.get(version);
    if (!entry) {
      entry = { taskTemplateVersionId: version, tasks: 0, retryingBefore: 0, retryingAfter: 0 };
      byTemplate.set(version, entry);
    }
    entry.tasks += n;
    if (isTaskRetrying(from, attempts - begun)) entry.retryingBefore += n;
    if (isTaskRetrying(to, attempts)) entry.retryingAfter += n;
  }
  return [...byTemplate.values()];
}
