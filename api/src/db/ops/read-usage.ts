import type { Database } from '../connection';

// Reads behind the usage and timeline views: bounded by their callers' caps, one statement each.

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** Epoch milliseconds of a DATETIME as either dialect returns it (SQLite: text, mysql2: a Date). */
const epochMs = (value: unknown): number | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  const text = String(value);
  return new Date(text.includes('+') || text.endsWith('Z') ? text : `${text}+00:00`).getTime();
};

// task_instance has no index led by workflow_id; its (workflow_run_id, status) one serves through the runs.
const runsOf = (db: Database, workflowId: number) =>
  `SELECT id FROM workflow_run WHERE workflow_id = ${db.literal(workflowId)}`;

export interface UsagePointRow {
  taskTemplateVersionId: number;
  instanceId: number;
  taskId: number;
  runtimeSeconds: number | null;
  maxRssMb: number | null;
  requestedMemoryMb: number | null;
  requestedRuntimeSeconds: number | null;
}

/**
 * The DONE attempts of a workflow with their usage and requested resources, at most `perTemplate` per
 * template version (its latest, by id), ordered by template version and id.
 */
export async function readUsagePoints(
  db: Database,
  workflowId: number,
  perTemplate: number,
): Promise<UsagePointRow[]> {
  const rows = await db.select<Record<string, unknown>>(
    `SELECT v, i, t, w, r, rm, rr FROM (
       SELECT tk.task_template_version_id AS v, ti.id AS i, ti.task_id AS t, ti.wall_seconds AS w,
              ti.max_rss_mb AS r, tr.memory_mb AS rm, tr.runtime_seconds AS rr,
              ROW_NUMBER() OVER (PARTITION BY tk.task_template_version_id ORDER BY ti.id DESC) AS k
         FROM task_instance ti
         JOIN task tk ON tk.id = ti.task_id
         JOIN task_resources tr ON tr.id = ti.task_resources_id
        WHERE ti.workflow_run_id IN (${runsOf(db, workflowId)}) AND ti.status = 'DONE'
     ) x WHERE k <= ${db.literal(perTemplate)} ORDER BY v, i`,
  );
  return rows.map((row) => ({
    taskTemplateVersionId: Number(row.v),
    instanceId: Number(row.i),
    taskId: Number(row.t),
    runtimeSeconds: num(row.w),
    maxRssMb: num(row.r),
    requestedMemoryMb: num(row.rm),
    requestedRuntimeSeconds: num(row.rr),
  }));
}

export interface TemplateUsageSample {
  /** DONE attempts of the template in all workflows (every version of it). */
  doneAttempts: number;
  workflows: number;
  runtimeSeconds: (number | null)[];
  maxRssMb: (number | null)[];
  requestedMemoryMb: (number | null)[];
  requestedRuntimeSeconds: (number | null)[];
}

/**
 * Usage of the DONE attempts of a task template across every workflow of its tool (all its versions):
 * the latest `cap` attempts, and how many there are in all.
 */
export async function readTemplateUsageSample(
  db: Database,
  taskTemplateId: number,
  cap: number,
): Promise<TemplateUsageSample> {
  const where = `tv.task_template_id = ${db.literal(taskTemplateId)} AND ti.status = 'DONE'`;
  const [rows, totals] = await Promise.all([
    db.select<Record<string, unknown>>(
      `SELECT ti.wall_seconds AS w, ti.max_rss_mb AS r, tr.memory_mb AS rm, tr.runtime_seconds AS rr
         FROM task_instance ti
         JOIN task tk ON tk.id = ti.task_id
         JOIN task_template_version tv ON tv.id = tk.task_template_version_id
         JOIN task_resources tr ON tr.id = ti.task_resources_id
        WHERE ${where}
        ORDER BY ti.id DESC LIMIT ${db.literal(cap)}`,
    ),
    db.select<Record<string, unknown>>(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT ti.workflow_id) AS wfs
         FROM task_instance ti
         JOIN task tk ON tk.id = ti.task_id
         JOIN task_template_version tv ON tv.id = tk.task_template_version_id
        WHERE ${where}`,
    ),
  ]);
  return {
    doneAttempts: Number(totals[0]?.n ?? 0),
    workflows: Number(totals[0]?.wfs ?? 0),
    runtimeSeconds: rows.map((row) => num(row.w)),
    maxRssMb: rows.map((row) => num(row.r)),
    requestedMemoryMb: rows.map((row) => num(row.rm)),
    requestedRuntimeSeconds: rows.map((row) => num(row.rr)),
  };
}

export interface TimelineRow {
  instanceId: number;
  taskId: number;
  attempt: number;
  status: string;
  submittedAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
}

/** A page of a workflow's attempts by id (`first` + 1 rows read: the extra one says whether more follow). */
export async function readTimelinePage(
  db: Database,
  workflowId: number,
  first: number,
  afterId: number | null,
): Promise<{ rows: TimelineRow[]; hasMore: boolean }> {
  const rows = await db.select<Record<string, unknown>>(
    `SELECT id, task_id, attempt, status, submitted_at, started_at, finished_at FROM task_instance
      WHERE workflow_run_id IN (${runsOf(db, workflowId)})${afterId === null ? '' : ` AND id > ${db.literal(afterId)}`}
      ORDER BY id LIMIT ${db.literal(first + 1)}`,
  );
  const hasMore = rows.length > first;
  return {
    hasMore,
    rows: rows.slice(0, first).map((row) => ({
      instanceId: Number(row.id),
      taskId: Number(row.task_id),
      attempt: Number(row.attempt),
      status: String(row.status),
      submittedAt: epochMs(row.submitted_at),
      startedAt: epochMs(row.started_at),
      finishedAt: epochMs(row.finished_at),
    })),
  };
}

/**
 * The changes of the number of RUNNING attempts of a workflow, from its audit log: +1 for every change
 * to RUNNING, -1 for every change from it, in the order they happened (at most `cap`, the earliest).
 */
export async function readRunningChanges(
  db: Database,
  workflowId: number,
  cap: number,
): Promise<{ at: number; delta: number }[]> {
  const rows = await db.select<Record<string, unknown>>(
    `SELECT at, to_status FROM audit_event
      WHERE workflow_id = ${db.literal(workflowId)} AND entity_type = 'TASK_INSTANCE'
        AND (to_status = 'RUNNING' OR from_status = 'RUNNING') AND to_status <> COALESCE(from_status, '')
      ORDER BY at, id LIMIT ${db.literal(cap)}`,
  );
  return rows.map((row) => ({ at: epochMs(row.at) ?? 0, delta: row.to_status === 'RUNNING' ? 1 : -1 }));
}
