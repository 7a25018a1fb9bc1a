import type { Database } from '../db';
import { bulkInsert } from '../db/bulk';
import { addDoneAttempts } from '../db/template-usage';

/** One attempt to write directly; unset columns are NULL, `attempt` 1 and the times now. */
export interface AttemptRowFixture {
  taskId: number;
  status: string;
  attempt?: number;
  /** created_at and status_updated_at. */
  at?: Date;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  maxRssMb?: number | null;
  wallSeconds?: number | null;
  errorMessage?: string | null;
  stderrTail?: string | null;
  backendJobId?: string | null;
  backendPendingReason?: string | null;
}

const TASK_CHUNK = 500;

/**
 * Writes attempts directly, for tests and benchmarks that read what attempts recorded rather than how they
 * ran (no distributor). Each attempt takes its task's workflow and resources and that workflow's latest
 * run. Returns the new attempts' ids in the order given (the database is the caller's own).
 */
export async function insertAttemptRows(
  db: Database,
  attempts: readonly AttemptRowFixture[],
): Promise<number[]> {
  const taskIds = [...new Set(attempts.map((a) => a.taskId))];
  const tasks = new Map<number, { workflowId: number; resourcesId: number }>();
  for (let start = 0; start < taskIds.length; start += TASK_CHUNK) {
    const part = taskIds.slice(start, start + TASK_CHUNK);
    const rows = await db.select<{ id: number; workflow_id: number; task_resources_id: number }>(
      `SELECT id, workflow_id, task_resources_id FROM task WHERE id IN (${part.map(() => '?').join(', ')})`,
      part,
    );
    for (const row of rows)
      tasks.set(Number(row.id), {
        workflowId: Number(row.workflow_id),
        resourcesId: Number(row.task_resources_id),
      });
  }
  const workflowIds = [...new Set([...tasks.values()].map((t) => t.workflowId))];
  const runs = new Map<number, number>();
  for (const workflowId of workflowIds) {
    const [run] = await db.select<{ id: number }>(
      'SELECT MAX(id) AS id FROM workflow_run WHERE workflow_id = ?',
      [workflowId],
    );
    runs.set(workflowId, Number(run!.id));
  }
  const [before] = await db.select<{ id: number | null }>('SELECT MAX(id) AS id FROM task_instance');
  const now = new Date();
  await bulkInsert(
    db,
    undefined,
    'task_instance',
    [
      'task_id',
      'workflow_run_id',
      'workflow_id',
      'task_resources_id',
      'attempt',
      'status',
      'created_at',
      'status_updated_at',
      'started_at',
      'finished_at',
      'max_rss_mb',
      'wall_seconds',
      'error_message',
      'stderr_tail',
      'backend_job_id',
      'backend_pending_reason',
    ],
    attempts.map((a) => {
      const task = tasks.get(a.taskId);
      if (!task) throw new Error(`insertAttemptRows: no task ${a.taskId}`);
      return {
        task_id: a.taskId,
        workflow_run_id: runs.get(task.workflowId),
        workflow_id: task.workflowId,
        task_resources_id: task.resourcesId,
        attempt: a.attempt ?? 1,
        status: a.status,
        created_at: a.at ?? now,
        status_updated_at: a.at ?? now,
        started_at: a.startedAt ?? null,
        finished_at: a.finishedAt ?? null,
        max_rss_mb: a.maxRssMb ?? null,
        wall_seconds: a.wallSeconds ?? null,
        error_message: a.errorMessage ?? null,
        stderr_tail: a.stderrTail ?? null,
        backend_job_id: a.backendJobId ?? null,
        backend_pending_reason: a.backendPendingReason ?? null,
      };
    }),
  );
  const inserted = await db.select<{ id: number; status: string }>(
    'SELECT id, status FROM task_instance WHERE id > ? ORDER BY id',
    [Number(before?.id ?? 0)],
  );
  // The kept usage of DONE attempts follows, as when an attempt becomes DONE (db/template-usage.ts).
  const done = inserted.filter((row) => row.status === 'DONE').map((row) => Number(row.id));
  if (done.length > 0) await db.transaction((transaction) => addDoneAttempts(db, transaction, done));
  return inserted.map((row) => Number(row.id));
}
