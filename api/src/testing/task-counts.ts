import type { Database } from '../db';
import { isTaskRetrying, type TaskStatus } from '../domain';

/**
 * Where the kept task counts (workflow_task_count) disagree with a recount of the tasks: one line per
 * (workflow, status) whose tasks or retrying tasks (isTaskRetrying) differ. Empty when they agree; tests
 * assert that after every transition.
 */
export async function taskCountMismatches(db: Database): Promise<string[]> {
  const tasks = await db.select<{ workflow_id: number; status: TaskStatus; num_attempts: number; n: number }>(
    'SELECT workflow_id, status, num_attempts, COUNT(*) AS n FROM task GROUP BY workflow_id, status, num_attempts',
  );
  const kept = await db.select<{
    workflow_id: number;
    status: string;
    task_count: number;
    retrying_count: number;
  }>(
    'SELECT workflow_id, status, task_count, retrying_count FROM workflow_task_count WHERE task_count <> 0 OR retrying_count <> 0',
  );
  const key = (workflowId: number, status: string) => `workflow ${Number(workflowId)} ${status}`;
  const expected = new Map<string, { tasks: number; retrying: number }>();
  for (const row of tasks) {
    const entry = expected.get(key(row.workflow_id, row.status)) ?? { tasks: 0, retrying: 0 };
    entry.tasks += Number(row.n);
    if (isTaskRetrying(row.status, Number(row.num_attempts))) entry.retrying += Number(row.n);
    expected.set(key(row.workflow_id, row.status), entry);
  }
  const actual = new Map(
    kept.map((row) => [
      key(row.workflow_id, row.status),
      { tasks: Number(row.task_count), retrying: Number(row.retrying_count) },
    ]),
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
