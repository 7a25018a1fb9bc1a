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
