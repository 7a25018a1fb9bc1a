import type { Transaction } from 'sequelize';
import {
  NotFoundError,
  TASK_INSTANCE_ACTIVE_STATUSES,
  TASK_RETRY_MIN_ATTEMPTS,
  TaskInstanceStatus,
  TaskStatus,
  type WorkflowRunStatus,
} from '../../domain';
import { chunks } from '../bulk';
import type { Database } from '../connection';
import type { RowOf } from '../columns';
import type { TaskModel, WorkflowRunModel } from '../models';
import { forUpdate, inList, selectByIds, statusList } from './sql';

// The SQL of run control (stop, resume, limits, overrides); services/run-control decides, these read and
// write. Status changes go through status-change.ts as everywhere else.

/** Locks a workflow that is visible (not an open chunked binding); NOT_FOUND otherwise. */
export async function lockVisibleWorkflow(
  db: Database,
  transaction: Transaction,
  workflowId: number,
): Promise<void> {
  const visible = await db.select<{ id: number }>(
    `SELECT id FROM workflow WHERE id = ? AND binding_token IS NULL${forUpdate(db)}`,
    [workflowId],
    transaction,
  );
  if (visible.length === 0) throw new NotFoundError('Workflow', String(workflowId));
}

/** A task and the status it is in. */
export interface TaskState {
  id: number;
  workflowId: number;
  status: TaskStatus;
}

/** The workflow's tasks in one of `statuses`. */
export async function tasksOfWorkflowIn(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  statuses: readonly TaskStatus[],
): Promise<TaskState[]> {
  const rows = await db.select<RowOf<TaskModel, 'id' | 'status'>>(
    `SELECT id, status FROM task WHERE workflow_id = ? AND status IN (${statusList(db, statuses)})`,
    [workflowId],
    transaction,
  );
  return rows.map((row) => ({ id: Number(row.id), workflowId, status: row.status }));
}

/** Tasks by id, locked (those that do not exist are left out). */
export async function lockTasks(
  db: Database,
  transaction: Transaction,
  ids: readonly number[],
): Promise<TaskState[]> {
  const rows = await selectByIds<{ id: number; workflow_id: number; status: TaskStatus }>(
    db,
    transaction,
    'SELECT id, workflow_id, status FROM task',
    ids,
    { lock: true },
  );
  return rows.map((row) => ({ id: Number(row.id), workflowId: Number(row.workflow_id), status: row.status }));
}

/** Task id → its workflow id. */
export async function workflowsOfTasks(
  db: Database,
  transaction: Transaction,
  ids: readonly number[],
): Promise<Map<number, number>> {
  const rows = await selectByIds<{ id: number; workflow_id: number }>(
    db,
    transaction,
    'SELECT id, workflow_id FROM task',
    ids,
  );
  return new Map(rows.map((row) => [Number(row.id), Number(row.workflow_id)]));
}

const DOWNSTREAM_PAGE = 2000;

/** The tasks reachable downstream of `roots` (not including them), breadth first over the edge table. */
export async function downstreamClosure(
  db: Database,
  transaction: Transaction,
  roots: readonly number[],
): Promise<number[]> {
  const seen = new Set(roots);
  let frontier = [...roots];
  const out: number[] = [];
  while (frontier.length) {
    const next: number[] = [];
    for (const part of chunks(frontier, DOWNSTREAM_PAGE)) {
      const rows = await db.select<{ id: number }>(
        `SELECT DISTINCT downstream_task_id AS id FROM edge WHERE upstream_task_id IN (${inList(db, part)})`,
        [],
        transaction,
      );
      for (const row of rows) {
        const id = Number(row.id);
        if (seen.has(id)) continue;
        seen.add(id);
        next.push(id);
        out.push(id);
      }
    }
    frontier = next;
  }
  return out;
}

// Attempts change here without a status change only where they decide no retry (REGISTERING, DONE,
// ERROR_FATAL), so the kept retrying counts (db/task-counts.ts) stay true without a delta.
const ATTEMPTS_DECIDE_NOTHING = Object.entries(TASK_RETRY_MIN_ATTEMPTS)
  .filter(([, least]) => least === null)
  .map(([status]) => status as TaskStatus);

/** Gives tasks now REGISTERING (of `ids`) a fresh attempt budget. */
export async function resetAttemptsOfRegistering(
  db: Database,
  transaction: Transaction,
  ids: readonly number[],
): Promise<void> {
  for (const part of chunks(ids, 5000))
    await db.execute(
      `UPDATE task SET num_attempts = 0 WHERE id IN (${inList(db, part)}) AND status = ?`,
      [TaskStatus.REGISTERING],
      transaction,
    );
}

/** A reset workflow counts every task's attempts afresh (called once none is in a status where they count). */
export async function resetAttemptsOfWorkflow(
  db: Database,
  transaction: Transaction,
  workflowId: number,
): Promise<void> {
  await db.execute(
    `UPDATE task SET num_attempts = 0
      WHERE workflow_id = ? AND status IN (${statusList(db, ATTEMPTS_DECIDE_NOTHING)}) AND num_attempts <> 0`,
    [workflowId],
    transaction,
  );
}

/** A hot resume's new run adopts the instances still running (those being killed stay with the old run). */
export async function adoptRunningInstances(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  fromRunId: number,
  toRunId: number,
): Promise<void> {
  await db.execute(
    `UPDATE task_instance SET workflow_run_id = ? WHERE workflow_id = ? AND workflow_run_id = ? AND status IN (${statusList(
      db,
      TASK_INSTANCE_ACTIVE_STATUSES.filter((status) => status !== TaskInstanceStatus.KILL_SELF),
    )})`,
    [toRunId, workflowId, fromRunId],
    transaction,
  );
}

/** Who asked for a cold resume: its second half (finishColdResume) acts for them. */
export async function recordResumedBy(
  db: Database,
  transaction: Transaction,
  runId: number,
  actor: string | null,
): Promise<void> {
  await db.execute('UPDATE workflow_run SET resumed_by = ? WHERE id = ?', [actor, runId], transaction);
}

/** A run, locked, with who resumed it. */
export async function lockRunForResume(
  db: Database,
  transaction: Transaction,
  runId: number,
): Promise<{ id: number; workflowId: number; status: WorkflowRunStatus; resumedBy: string | null } | null> {
  const rows = await db.select<RowOf<WorkflowRunModel, 'id' | 'workflow_id' | 'status' | 'resumed_by'>>(
    `SELECT id, workflow_id, status, resumed_by FROM workflow_run WHERE id = ?${forUpdate(db)}`,
    [runId],
    transaction,
  );
  const row = rows[0];
  return row
    ? {
        id: Number(row.id),
        workflowId: Number(row.workflow_id),
        status: row.status,
        resumedBy: row.resumed_by,
      }
    : null;
}

/** Whether any instance belongs to the run (a hot resume's adopted ones). */
export async function runHasInstances(
  db: Database,
  transaction: Transaction,
  runId: number,
): Promise<boolean> {
  const rows = await db.select<{ one: number }>(
    `SELECT 1 AS one FROM task_instance WHERE workflow_run_id = ? LIMIT 1`,
    [runId],
    transaction,
  );
  return rows.length > 0;
}

/** Sets the workflow's concurrency limit. */
export async function setWorkflowLimit(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  limit: number,
): Promise<void> {
  await db.execute(
    'UPDATE workflow SET max_concurrently_running = ?, updated_at = ? WHERE id = ?',
    [limit, new Date(), workflowId],
    transaction,
  );
}

/** Sets one template's limit within the workflow (null: none); returns how many rows changed. */
export async function setTemplateLimit(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  templateName: string,
  limit: number | null,
): Promise<number> {
  return db.execute(
    `UPDATE workflow_task_template SET max_concurrently_running = ? WHERE workflow_id = ? AND task_template_version_id IN (
       SELECT tv.id FROM task_template_version tv JOIN task_template tt ON tt.id = tv.task_template_id WHERE tt.name = ?)`,
    [limit, workflowId, templateName],
    transaction,
  );
}
