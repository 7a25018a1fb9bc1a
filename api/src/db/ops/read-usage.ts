import type { Database } from '../connection';

// Reads behind the usage and timeline views: bounded by their callers' caps, one statement each.

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

const digit = (text: string, at: number) => text.charCodeAt(at) - 48;
const twoDigits = (text: string, at: number) => digit(text, at) * 10 + digit(text, at + 1);

/**
 * Epoch milliseconds of a DATETIME as `selectPacked` gives it: SQLite's text ('2026-11-26 10:00:00.123
 * +00:00', how Sequelize writes UTC), read digit by digit (Date's parser and substrings cost seconds over
 * 300,000 values), or mysql2's Date as its epoch ms. Null for NULL ('').
 */
const epochMs = (text: string | undefined): number | null => {
  if (!text) return null;
  if (
    text.length >= 19 &&
    text[4] === '-' &&
    text[10] === ' ' &&
    (text.length === 19 || text.endsWith('+00:00'))
  ) {
    let ms = 0;
    if (text[19] === '.')
      for (let at = 20, scale = 100; at < 23 && text[at] !== ' ' && at < text.length; at++, scale /= 10)
        ms += digit(text, at) * scale;
    return Date.UTC(
      twoDigits(text, 0) * 100 + twoDigits(text, 2),
      twoDigits(text, 5) - 1,
      twoDigits(text, 8),
      twoDigits(text, 11),
      twoDigits(text, 14),
      twoDigits(text, 17),
      ms,
    );
  }
  if (/^-?\d+$/.test(text)) return Number(text);
  return new Date(text.includes('+') || text.endsWith('Z') ? text : `${text}+00:00`).getTime();
};

/** Rows as one flat list of strings: row i, column c at `values[i * columns + c]`. */
interface Packed {
  values: string[];
  columns: number;
  rows: number;
}

/**
 * Runs `select` (whose columns are `columns`, none of whose values contains ',') and returns its rows
 * flat. On SQLite the rows come back as ONE text value (group_concat): its driver costs ~10 µs a row
 * and column, which made 100,000 attempts take seconds; mysql2 reads plain rows fast. An empty string
 * stands for NULL; a date from mysql2 becomes its epoch ms.
 */
async function selectPacked(
  db: Database,
  columns: string[],
  select: (list: string) => string,
): Promise<Packed> {
  const width = columns.length;
  if (db.dialect === 'sqlite') {
    const packed = columns.map((column) => `COALESCE(${column}, '')`).join(" || ',' || ");
    const [row] = await db.select<{ p: string | null }>(
      `SELECT group_concat(r, ',') AS p FROM (${select(`${packed} AS r`)})`,
    );
    const values = row?.p ? row.p.split(',') : [];
    return { values, columns: width, rows: values.length / width };
  }
  const rows = await db.select<Record<string, unknown>>(
    select(columns.map((column, i) => `${column} AS c${i}`).join(', ')),
  );
  const values: string[] = [];
  for (const row of rows)
    for (let i = 0; i < width; i++) {
      const value = row[`c${i}`];
      values.push(
        value === null || value === undefined
          ? ''
          : value instanceof Date
            ? String(value.getTime())
            : String(value),
      );
    }
  return { values, columns: width, rows: rows.length };
}

// task_instance has no index led by workflow_id; its (workflow_run_id, status) one serves through the runs.
const runsOf = (db: Database, workflowId: number) =>
  `SELECT id FROM workflow_run WHERE workflow_id = ${db.literal(workflowId)}`;

/** The latest version of a tool's task template by their names; null when there is none. */
export async function readLatestTemplateVersionId(
  db: Database,
  tool: string,
  name: string,
): Promise<number | null> {
  const [row] = await db.select<{ id: number | null }>(
    `SELECT MAX(v.id) AS id FROM task_template_version v
       JOIN task_template t ON t.id = v.task_template_id JOIN tool ON tool.id = t.tool_id
      WHERE tool.name = ? AND t.name = ?`,
    [tool, name],
  );
  return row?.id === null || row?.id === undefined ? null : Number(row.id);
}

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
  const { values, columns } = rows;
  const hasMore = rows.rows > first;
  const page: TimelineRow[] = [];
  for (let i = 0, at = 0; i < Math.min(first, rows.rows); i++, at += columns)
    page.push({
      instanceId: Number(values[at]),
      taskId: Number(values[at + 1]),
      attempt: Number(values[at + 2]),
      status: values[at + 3] ?? '',
      submittedAt: epochMs(values[at + 4]),
      startedAt: epochMs(values[at + 5]),
      finishedAt: epochMs(values[at + 6]),
    });
  // group_concat keeps the subquery's order in practice; the page's order is not left to it.
  for (let i = 1; i < page.length; i++)
    if (page[i]!.instanceId < page[i - 1]!.instanceId) {
      page.sort((a, b) => a.instanceId - b.instanceId);
      break;
    }
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
    ['at', "CASE WHEN to_status = 'RUNNING' THEN 1 ELSE -1 END"],
    (list) =>
      `SELECT ${list} FROM audit_event
        WHERE workflow_id = ${db.literal(workflowId)} AND entity_type = 'TASK_INSTANCE'
          AND (to_status = 'RUNNING' OR from_status = 'RUNNING') AND to_status <> COALESCE(from_status, '')
        ORDER BY id LIMIT ${db.literal(cap)}`,
  );
  const { values, columns } = rows;
  const changes: { at: number; delta: number }[] = [];
  let sorted = true;
  for (let at = 0; at < values.length; at += columns) {
    const change = { at: epochMs(values[at]) ?? 0, delta: Number(values[at + 1]) };
    if (changes.length && change.at < changes[changes.length - 1]!.at) sorted = false;
    changes.push(change);
  }
  // Read by id, which follows time but for writes racing within a few ms; a stable sort puts them right.
  if (!sorted) changes.sort((a, b) => a.at - b.at);
  return changes;
}
