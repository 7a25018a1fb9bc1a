import type { Database } from '../connection';

// Reads behind the reporting fields (templateUsage, workflowCounts): aggregates over many rows that return
// few (one row per template or per user and status), each bounded by `first`.

/** The percentiles every Distribution carries (nearest rank). */
export const PERCENTILES = [50, 90, 95, 99] as const;

export interface DistributionRow {
  min: number | null;
  mean: number | null;
  max: number | null;
  /** Percentile (one of PERCENTILES) → its value. */
  percentiles: Map<number, number>;
}

export interface TemplateUsageRow {
  templateId: number;
  tool: string;
  template: string;
  workflows: number;
  doneAttempts: number;
  runtimeSeconds: DistributionRow;
  maxRssMb: DistributionRow;
}

export interface TemplateUsageQuery {
  tool?: string | null;
  template?: string | null;
  /** Attempts finished at or after this time. */
  since?: Date | null;
}

/** The DONE attempts of the query, one row each: (template id, workflow id, the measures). */
function doneAttempts(db: Database, query: TemplateUsageQuery): string {
  const conditions = ["ti.status = 'DONE'"];
  if (query.tool != null) conditions.push(`tool.name = ${db.literal(query.tool)}`);
  if (query.template != null) conditions.push(`tt.name = ${db.literal(query.template)}`);
  if (query.since != null) conditions.push(`ti.finished_at >= ${db.literal(query.since)}`);
  return `SELECT tt.id AS template_id, ti.workflow_id AS workflow_id,
                 ti.wall_seconds AS runtime, ti.max_rss_mb AS rss
            FROM task_instance ti
            JOIN task t ON t.id = ti.task_id
            JOIN task_template_version v ON v.id = t.task_template_version_id
            JOIN task_template tt ON tt.id = v.task_template_id
            JOIN tool ON tool.id = tt.tool_id
           WHERE ${conditions.join(' AND ')}`;
}

const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/**
 * Per template (of the first `first` by tool and template name): how many DONE attempts and workflows,
 * and the min, mean, max and nearest-rank percentiles of their runtime and max RSS. Window functions do
 * the ranking in the database (SQLite ≥ 3.25, MariaDB ≥ 10.2), which returns the few ranks asked for.
 */
export async function readTemplateUsage(
  db: Database,
  query: TemplateUsageQuery,
  first: number,
): Promise<TemplateUsageRow[]> {
  if (first === 0) return [];
  const done = doneAttempts(db, query);
  const totals = await db.select<Record<string, unknown>>(
    `SELECT d.template_id AS template_id, tool.name AS tool, tt.name AS template,
            COUNT(DISTINCT d.workflow_id) AS workflows, COUNT(*) AS attempts,
            MIN(d.runtime) AS runtime_min, AVG(d.runtime) AS runtime_mean, MAX(d.runtime) AS runtime_max,
            MIN(d.rss) AS rss_min, AVG(d.rss) AS rss_mean, MAX(d.rss) AS rss_max
       FROM (${done}) d
       JOIN task_template tt ON tt.id = d.template_id
       JOIN tool ON tool.id = tt.tool_id
      GROUP BY d.template_id, tool.name, tt.name
      ORDER BY tool.name, tt.name
      LIMIT ${Number(first)}`,
  );
  if (totals.length === 0) return [];
  const byTemplate = new Map<number, TemplateUsageRow>();
  for (const row of totals) {
    const distribution = (prefix: string): DistributionRow => ({
      min: num(row[`${prefix}_min`]),
      mean: num(row[`${prefix}_mean`]),
      max: num(row[`${prefix}_max`]),
      percentiles: new Map(),
    });
    byTemplate.set(Number(row.template_id), {
      templateId: Number(row.template_id),
      tool: String(row.tool),
      template: String(row.template),
      workflows: Number(row.workflows),
      doneAttempts: Number(row.attempts),
      runtimeSeconds: distribution('runtime'),
      maxRssMb: distribution('rss'),
    });
  }
  const ids = [...byTemplate.keys()].map((id) => db.literal(id)).join(',');
  // Nearest rank: the p-th percentile of n values is the value of rank ceil(p·n/100), i.e. the one rank r
  // with p·n/100 ≤ r < p·n/100 + 1 (written so, since SQLite may lack CEIL).
  const rankTests = PERCENTILES.map((p) => `(rn >= n * ${p} / 100.0 AND rn < n * ${p} / 100.0 + 1)`);
  for (const [measure, key] of [
    ['runtime', 'runtimeSeconds'],
    ['rss', 'maxRssMb'],
  ] as const) {
    const ranked = await db.select<Record<string, unknown>>(
      `SELECT template_id, value, rn, n FROM (
         SELECT d.template_id AS template_id, d.${measure} AS value,
                ROW_NUMBER() OVER (PARTITION BY d.template_id ORDER BY d.${measure}) AS rn,
                COUNT(*) OVER (PARTITION BY d.template_id) AS n
           FROM (${done}) d
          WHERE d.${measure} IS NOT NULL AND d.template_id IN (${ids})
       ) r
       WHERE ${rankTests.join(' OR ')}`,
    );
    for (const row of ranked) {
      const usage = byTemplate.get(Number(row.template_id));
      if (!usage) continue;
      const rank = Number(row.rn);
      const n = Number(row.n);
      for (const p of PERCENTILES)
        if (rank === Math.max(1, Math.ceil((p * n) / 100))) usage[key].percentiles.set(p, Number(row.value));
    }
  }
  return [...byTemplate.values()];
}

export interface WorkflowCountRow {
  user: string | null;
  status: string;
  count: number;
}

/** Workflows created at or after `since`, counted by creator and status (the first `first` groups). */
export async function readWorkflowCounts(
  db: Database,
  since: Date,
  first: number,
): Promise<WorkflowCountRow[]> {
  if (first === 0) return [];
  const rows = await db.select<Record<string, unknown>>(
    `SELECT created_by AS user_name, status, COUNT(*) AS n
       FROM workflow
      WHERE created_at >= ? AND binding_token IS NULL
      GROUP BY created_by, status
      ORDER BY created_by, status
      LIMIT ${Number(first)}`,
    [since],
  );
  return rows.map((row) => ({
    user: row.user_name === null || row.user_name === undefined ? null : String(row.user_name),
    status: String(row.status),
    count: Number(row.n),
  }));
}
