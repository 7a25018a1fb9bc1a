import { TASK_INSTANCE_FAILED_STATUSES } from '../../domain';
import type { Database } from '../connection';
import { inList } from './sql';

/** Attempts that failed: what Workflow.errorClusters groups. */
export const FAILED_ATTEMPT_STATUSES = TASK_INSTANCE_FAILED_STATUSES;

/** A failed attempt's fields that clustering reads: the message's head and the stderr tail's end. */
export interface FailedAttemptRow {
  id: number;
  taskId: number;
  taskTemplateVersionId: number;
  errorMessage: string | null;
  stderrTail: string | null;
  at: Date;
}

/**
 * Characters read of each message (from its start) and of each stderr tail (from its end): a little more
 * than the clustering uses of them (domain/error-clusters.ts errorText keeps 750 of each).
 */
export const MESSAGE_CHARS = 800;
export const TAIL_CHARS = 1000;

/**
 * One page (keyset on the attempt id) of a workflow's failed attempts in one status, optionally of some
 * template versions only, with the texts cut in SQL: a workflow's 100k attempts are read a page at a time,
 * never all their 64 KiB tails at once. One status per statement: the (workflow_id, status) index then
 * gives the rows in id order, where an IN list of statuses would sort every remaining row for each page.
 */
export async function readFailedAttemptsPage(
  db: Database,
  workflowId: number,
  status: (typeof FAILED_ATTEMPT_STATUSES)[number],
  templateVersionIds: readonly number[] | null,
  afterId: number,
  limit: number,
): Promise<FailedAttemptRow[]> {
  const tail =
    db.dialect === 'mysql'
      ? `RIGHT(ti.stderr_tail, ${TAIL_CHARS})`
      : `substr(ti.stderr_tail, -${TAIL_CHARS})`;
  // MySQL would start from the task table and sort every page; the attempts' index order is the plan.
  const join = db.dialect === 'mysql' ? 'STRAIGHT_JOIN' : 'JOIN';
  const templates =
    templateVersionIds === null
      ? ''
      : ` AND t.task_template_version_id IN (${templateVersionIds.length ? inList(db, templateVersionIds) : 'NULL'})`;
  const rows = await db.select<{
    id: number;
    task_id: number;
    tv: number;
    message: string | null;
    tail: string | null;
    finished_at: Date | string | null;
    status_updated_at: Date | string;
  }>(
    `SELECT ti.id, ti.task_id, t.task_template_version_id AS tv, SUBSTR(ti.error_message, 1, ${MESSAGE_CHARS}) AS message,
            ${tail} AS tail, ti.finished_at, ti.status_updated_at
       FROM task_instance ti ${join} task t ON t.id = ti.task_id
      WHERE ti.workflow_id = ? AND ti.status = ? AND ti.id > ?${templates}
      ORDER BY ti.id LIMIT ${Math.trunc(limit)}`,
    [workflowId, status, afterId],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    taskId: Number(row.task_id),
    taskTemplateVersionId: Number(row.tv),
    errorMessage: row.message,
    stderrTail: row.tail,
    at: asDate(row.finished_at ?? row.status_updated_at),
  }));
}

// SQLite keeps '2024-01-02 03:04:05.678 +00:00'; mysql2 gives a Date.
function asDate(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(value.includes('+') ? value : `${value}+00:00`);
}
