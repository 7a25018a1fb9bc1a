import type { Database } from '../db';
import { isTaskRetrying, type TaskStatus } from '../domain';

/**
 * Where the kept task counts (workflow_template_task_count) disagree with a recount of the tasks: one line
 * per (workflow, template version, status) whose tasks or retrying tasks (isTaskRetrying) differ. A
 * workflow's counts are the SUM of its templates' rows, so they agree when these do. Empty when they
 * agree; tests assert that after every transition.
 */
export async function taskCountMismatches(db: Database): Promise<string[]> {
  const tasks = await db.select<{
    workflow_id: number;
    task_template_version_id: number;
    status: TaskStatus;
    num_attempts: number;
    n: number;
  }>(
    `SELECT workflow_id, task_template_version_id, status, num_attempts, COUNT(*) AS n FROM task
      GROUP BY workflow_id, task_template_version_id, status, num_attempts`,
  );
  const kept = await db.select<{
    workflow_id: number;
    task_template_version_id: number;
    status: string;
    task_count: number;
    retrying_count: number;
  }>(
    `SELECT workflow_id, task_template_version_id, status, task_count, retrying_count
       FROM workflow_template_task_count WHERE task_count <> 0 OR retrying_count <> 0`,
  );
  const key = (row: { workflow_id: number; task_template_version_id: number; status: string }) =>
    `workflow ${Number(row.workflow_id)} template ${Number(row.task_template_version_id)} ${row.status}`;
  const expected = new Map<string, { tasks: number; retrying: number }>();
  for (const row of tasks) {
    const entry = expected.get(key(row)) ?? { tasks: 0, retrying: 0 };
    entry.tasks += Number(row.n);
    if (isTaskRetrying(row.status, Number(row.num_attempts))) entry.retrying += Number(row.n);
    expected.set(key(row), entry);
  }
  const actual = new Map(
    kept.map((row) => [key(row), { tasks: Number(row.task_count), retrying: Number(row.retrying_count) }]),
  );
  const none = { tasks: 0, retrying: 0 };
  const out: string[] = [];
  for (const name of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(name) ?? none;
    const have = actual.get(name) ?? none;
    if (want.tasks !== have.tasks) out.push(`${name}: kept ${have.tasks}, counted ${want.tasks}`);
    if (want.retrying !== have.retrying)
      out.push(`${name} retrying: kept ${have.retrying}, counted ${want.retrying}`);
  }
  return out.sort();
}

/**
 * Where the kept template-to-template edge counts (template_edge_count) disagree with a recount of the
 * edges: one line per (workflow, upstream template version, downstream template version). Empty when they agree.
 */
export async function templateEdgeCountMismatches(db: Database): Promise<string[]> {
  const counted = await db.select<{ w: number; u: number; d: number; n: number }>(
    `SELECT e.workflow_id AS w, ut.task_template_version_id AS u, dt.task_template_version_id AS d, COUNT(*) AS n
       FROM edge e JOIN task ut ON ut.id = e.upstream_task_id JOIN task dt ON dt.id = e.downstream_task_id
      GROUP BY e.workflow_id, ut.task_template_version_id, dt.task_template_version_id`,
  );
  const kept = await db.select<{ w: number; u: number; d: number; n: number }>(
    `SELECT workflow_id AS w, upstream_template_version_id AS u, downstream_template_version_id AS d,
            edge_count AS n FROM template_edge_count WHERE edge_count <> 0`,
  );
  const key = (row: { w: number; u: number; d: number }) =>
    `workflow ${Number(row.w)} templates ${Number(row.u)} -> ${Number(row.d)}`;
  const want = new Map(counted.map((row) => [key(row), Number(row.n)]));
  const have = new Map(kept.map((row) => [key(row), Number(row.n)]));
  const out: string[] = [];
  for (const name of new Set([...want.keys(), ...have.keys()]))
    if ((want.get(name) ?? 0) !== (have.get(name) ?? 0))
      out.push(`${name}: kept ${have.get(name) ?? 0}, counted ${want.get(name) ?? 0}`);
  return out.sort();
}

/**
 * Where the kept usage of DONE attempts (template_usage) disagrees with a recount of the attempts: one line
 * per (workflow, template version) and value. Empty when they agree.
 */
export async function templateUsageMismatches(db: Database): Promise<string[]> {
  const fields = 'n, n_rss, sum_rss, min_rss, max_rss, n_wall, sum_wall, min_wall, max_wall';
  const counted = await db.select<Record<string, unknown>>(
    `SELECT ti.workflow_id AS w, t.task_template_version_id AS v, COUNT(*) AS n,
            COUNT(ti.max_rss_mb) AS n_rss, COALESCE(SUM(ti.max_rss_mb), 0) AS sum_rss,
            MIN(ti.max_rss_mb) AS min_rss, MAX(ti.max_rss_mb) AS max_rss,
            COUNT(ti.wall_seconds) AS n_wall, COALESCE(SUM(ti.wall_seconds), 0) AS sum_wall,
            MIN(ti.wall_seconds) AS min_wall, MAX(ti.wall_seconds) AS max_wall
       FROM task_instance ti JOIN task t ON t.id = ti.task_id
      WHERE ti.status = 'DONE' GROUP BY ti.workflow_id, t.task_template_version_id`,
  );
  const kept = await db.select<Record<string, unknown>>(
    `SELECT workflow_id AS w, task_template_version_id AS v, done_count AS n, rss_count AS n_rss,
            rss_sum AS sum_rss, rss_min AS min_rss, rss_max AS max_rss, wall_count AS n_wall,
            wall_sum AS sum_wall, wall_min AS min_wall, wall_max AS max_wall
       FROM template_usage WHERE done_count <> 0`,
  );
  const key = (row: Record<string, unknown>) => `workflow ${Number(row.w)} template ${Number(row.v)}`;
  // Sums of doubles may differ in their last bits with the order of addition.
  const value = (v: unknown) => (v === null || v === undefined ? 'none' : Number(Number(v).toFixed(6)));
  const want = new Map(counted.map((row) => [key(row), row]));
  const have = new Map(kept.map((row) => [key(row), row]));
  const out: string[] = [];
  for (const name of new Set([...want.keys(), ...have.keys()]))
    for (const field of fields.split(', ')) {
      const a = value(
        want.get(name)?.[field] ?? (field.startsWith('n') || field.startsWith('sum') ? 0 : null),
      );
      const b = value(
        have.get(name)?.[field] ?? (field.startsWith('n') || field.startsWith('sum') ? 0 : null),
      );
      if (a !== b) out.push(`${name} ${field}: kept ${b}, counted ${a}`);
    }
  return out.sort();
}
