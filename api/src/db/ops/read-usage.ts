import type { Database } from '../connection';

// Reads behind the usage and timeline views: bounded by their callers' caps, one statement each.

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** Epoch milliseconds of a DATETIME as either dialect returns it (SQLite: text, mysql2: a Date). */
const epochMs = (value: unknown): number | null => {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value.getTime();
  const text = String(value);
  // SQLite's '2026-11-26 10:00:00.123 +00:00' (how Sequelize writes UTC) without Date's slow parser.
  if (text.length >= 19 && text.endsWith(' +00:00') && text[10] === ' ') {
    const end = text.length - 7;
    const ms = text[19] === '.' ? Math.round(Number(`0${text.slice(19, end)}`) * 1000) : 0;
    return Date.UTC(
      Number(text.slice(0, 4)),
      Number(text.slice(5, 7)) - 1,
      Number(text.slice(8, 10)),
      Number(text.slice(11, 13)),
      Number(text.slice(14, 16)),
      Number(text.slice(17, 19)),
      ms,
    );
  }
  return new Date(text.includes('+') || text.endsWith('Z') ? text : `${text}+00:00`).getTime();
};

/**
 * Runs `select` (whose columns are `columns`, none of them containing ',' or ';') and returns its rows as
 * string arrays. On SQLite the rows come back as ONE text value (group_concat): its driver costs ~10 µs
 * a row and column, which made 100,000 attempts take seconds; mysql2 reads plain rows fast. An empty
 * string stands for NULL.
 */
async function selectPacked(
  db: Database,
  columns: string[],
  select: (list: string) => string,
): Promise<string[][]> {
  if (db.dialect === 'sqlite') {
    const packed = columns.map((column) => `COALESCE(${column}, '')`).join(" || ',' || ");
    const [row] = await db.select<{ p: string | null }>(
      `SELECT group_concat(r, ';') AS p FROM (${select(`${packed} AS r`)})`,
    );
    return row?.p ? row.p.split(';').map((line) => line.split(',')) : [];
  }
  const rows = await db.select<Record<string, unknown>>(
    select(columns.map((column, i) => `${column} AS c${i}`).join(', ')),
  );
  return rows.map((row) =>
    columns.map((_, i) => {
      const value = row[`c${i}`];
      if (value === null || value === undefined) return '';
      return value instanceof Date ? value.toISOString() : String(value);
    }),
  );
}

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
  const rows = await selectPacked(
    db,
    ['id', 'task_id', 'attempt', 'status', 'submitted_at', 'started_at', 'finished_at'],
    (list) =>
      `SELECT ${list} FROM task_instance
        WHERE workflow_run_id IN (${runsOf(db, workflowId)})${afterId === null ? '' : ` AND id > ${db.literal(afterId)}`}
        ORDER BY id LIMIT ${db.literal(first + 1)}`,
  );
  const hasMore = rows.length > first;
  const page = rows
    .slice(0, first)
    .map(([id, taskId, attempt, status, submittedAt, startedAt, finishedAt]): TimelineRow => ({
      instanceId: Number(id),
      taskId: Number(taskId),
      attempt: Number(attempt),
      status: status ?? '',
      submittedAt: epochMs(submittedAt),
      startedAt: epochMs(startedAt),
      finishedAt: epochMs(finishedAt),
    }));
  // group_concat keeps the subquery's order in practice; the page's order is not left to it.
  page.sort((a, b) => a.instanceId - b.instanceId);
  return { hasMore, rows: page };
}

/**
 * The changes of the number of RUNNING attempts of a workflow, from its audit log: +1 for every change
 * to RUNNING, -1 for every change from it, in the order they happened (at most `cap`, the earliest by
 * id; read in id order, by the (workflow_id, id) index, and sorted by time here: sorting 200,000 rows by
 * `at` in SQLite cost half a second).
 */
export async function readRunningChanges(
  db: Database,
  workflowId: number,
  cap: number,
): Promise<{ at: number; delta: number }[]> {
  const rows = await selectPacked(
    db,
    ['at', "CASE WHEN to_status = 'RUNNING' THEN 1 ELSE -1 END", 'id'],
    (list) =>
      `SELECT ${list} FROM audit_event
        WHERE workflow_id = ${db.literal(workflowId)} AND entity_type = 'TASK_INSTANCE'
          AND (to_status = 'RUNNING' OR from_status = 'RUNNING') AND to_status <> COALESCE(from_status, '')
        ORDER BY id LIMIT ${db.literal(cap)}`,
  );
  const changes = rows.map(([at, delta, id]) => ({
    at: epochMs(at) ?? 0,
    delta: Number(delta),
    id: Number(id),
  }));
  changes.sort((a, b) => a.at - b.at || a.id - b.id);
  return changes.map(({ at, delta }) => ({ at, delta }));
}
