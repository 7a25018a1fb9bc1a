import type { Transaction } from 'sequelize';
import type { Database } from './connection';
import { chunks } from './bulk';
import { inList } from './ops/sql';

// Usage of DONE attempts per (workflow, template version), kept as attempts become DONE (table
// template_usage, migration 0012): how many, how many measured each value, and the sum, least and greatest
// of max_rss_mb and wall_seconds; a mean is sum / measured (an unmeasured attempt is never a 0). The web's
// templates table reads a few rows instead of joining every DONE attempt of the workflow to its task.
//
// Every attempt becomes DONE through status-change.ts, after its finished report has written its usage
// (services/reports/finished.ts), and never leaves DONE; a late result only fills given-up attempts,
// which are not DONE. Like the task counts (task-counts.ts), the additions are collected in the
// transaction and written last, sorted, in one statement: these rows are as hot as the counters.

const USAGE = Symbol('jobmon.templateUsageDeltas');
interface Usage {
  workflowId: number;
  taskTemplateVersionId: number;
  done: number;
  rssCount: number;
  rssSum: number;
  rssMin: number | null;
  rssMax: number | null;
  wallCount: number;
  wallSum: number;
  wallMin: number | null;
  wallMax: number | null;
}
type WithUsage = Transaction & { [USAGE]?: Map<string, Usage> };

/** Makes `transaction` collect usage until `flushTemplateUsage` (Database.transaction does both). */
export function collectTemplateUsage(transaction: Transaction): void {
  (transaction as WithUsage)[USAGE] = new Map();
}

const least = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const greatest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/** Adds the usage of `instanceIds`, which this transaction has just made DONE. */
export async function addDoneAttempts(
  db: Database,
  transaction: Transaction,
  instanceIds: readonly number[],
): Promise<void> {
  const added: Usage[] = [];
  for (const part of chunks([...instanceIds], 2000)) {
    const rows = await db.select<Record<string, unknown>>(
      `SELECT ti.workflow_id AS w, t.task_template_version_id AS v, COUNT(*) AS n,
              COUNT(ti.max_rss_mb) AS n_rss, SUM(ti.max_rss_mb) AS sum_rss, MIN(ti.max_rss_mb) AS min_rss,
              MAX(ti.max_rss_mb) AS max_rss, COUNT(ti.wall_seconds) AS n_wall, SUM(ti.wall_seconds) AS sum_wall,
              MIN(ti.wall_seconds) AS min_wall, MAX(ti.wall_seconds) AS max_wall
         FROM task_instance ti JOIN task t ON t.id = ti.task_id
        WHERE ti.id IN (${inList(db, part)}) GROUP BY ti.workflow_id, t.task_template_version_id`,
      [],
      transaction,
    );
    for (const row of rows)
      added.push({
        workflowId: Number(row.w),
        taskTemplateVersionId: Number(row.v),
        done: Number(row.n),
        rssCount: Number(row.n_rss),
        rssSum: num(row.sum_rss) ?? 0,
        rssMin: num(row.min_rss),
        rssMax: num(row.max_rss),
        wallCount: Number(row.n_wall),
        wallSum: num(row.sum_wall) ?? 0,
        wallMin: num(row.min_wall),
        wallMax: num(row.max_wall),
      });
  }
  const collected = (transaction as WithUsage)[USAGE];
  if (!collected) return writeTemplateUsage(db, transaction, added);
  for (const usage of added) {
    const key = `${usage.workflowId} ${usage.taskTemplateVersionId}`;
    const entry = collected.get(key);
    if (!entry) {
      collected.set(key, usage);
      continue;
    }
    entry.done += usage.done;
    entry.rssCount += usage.rssCount;
    entry.rssSum += usage.rssSum;
    entry.rssMin = least(entry.rssMin, usage.rssMin);
    entry.rssMax = greatest(entry.rssMax, usage.rssMax);
    entry.wallCount += usage.wallCount;
    entry.wallSum += usage.wallSum;
    entry.wallMin = least(entry.wallMin, usage.wallMin);
    entry.wallMax = greatest(entry.wallMax, usage.wallMax);
  }
}

/** Writes the transaction's collected usage (Database.transaction calls it after the work, before COMMIT). */
export async function flushTemplateUsage(db: Database, transaction: Transaction): Promise<void> {
  const collected = (transaction as WithUsage)[USAGE];
  if (!collected || collected.size === 0) return;
  const rows = [...collected.values()];
  collected.clear();
  await writeTemplateUsage(db, transaction, rows);
}

const COLUMNS = [
  'workflow_id',
  'task_template_version_id',
  'done_count',
  'rss_count',
  'rss_sum',
  'rss_min',
  'rss_max',
  'wall_count',
  'wall_sum',
  'wall_min',
  'wall_max',
];

async function writeTemplateUsage(db: Database, transaction: Transaction, rows: Usage[]): Promise<void> {
  if (rows.length === 0) return;
  rows.sort((a, b) => a.workflowId - b.workflowId || a.taskTemplateVersionId - b.taskTemplateVersionId);
  const mysql = db.dialect === 'mysql';
  const added = (column: string) => (mysql ? `VALUES(${column})` : `excluded.${column}`);
  const sum = (column: string) => `${column} = ${column} + ${added(column)}`;
  // NULL is "none measured yet": the other side wins.
  const pick = (fn: 'LEAST' | 'GREATEST', column: string) =>
    `${column} = ${mysql ? fn : fn === 'LEAST' ? 'MIN' : 'MAX'}(COALESCE(${column}, ${added(column)}), COALESCE(${added(column)}, ${column}))`;
  const set = [
    sum('done_count'),
    sum('rss_count'),
    sum('rss_sum'),
    pick('LEAST', 'rss_min'),
    pick('GREATEST', 'rss_max'),
    sum('wall_count'),
    sum('wall_sum'),
    pick('LEAST', 'wall_min'),
    pick('GREATEST', 'wall_max'),
  ].join(', ');
  const upsert = mysql
    ? `ON DUPLICATE KEY UPDATE ${set}`
    : `ON CONFLICT (workflow_id, task_template_version_id) DO UPDATE SET ${set}`;
  for (const part of chunks(rows, 500))
    await db.execute(
      `INSERT INTO template_usage (${COLUMNS.join(', ')})
       VALUES ${part.map(() => `(${COLUMNS.map(() => '?').join(', ')})`).join(', ')} ${upsert}`,
      part.flatMap((u) => [
        u.workflowId,
        u.taskTemplateVersionId,
        u.done,
        u.rssCount,
        u.rssSum,
        u.rssMin,
        u.rssMax,
        u.wallCount,
        u.wallSum,
        u.wallMin,
        u.wallMax,
      ]),
      transaction,
    );
}
