import type { Database } from '../db';

/**
 * Where the kept task counts (workflow_task_count) disagree with a recount of the tasks: one line per
 * (workflow, status) that differs. Empty when they agree; tests assert that after every transition.
 */
export async function taskCountMismatches(db: Database): Promise<string[]> {
  const recount = await db.select<{ workflow_id: number; status: string; n: number }>(
    'SELECT workflow_id, status, COUNT(*) AS n FROM task GROUP BY workflow_id, status',
  );
  const kept = await db.select<{ workflow_id: number; status: string; task_count: number }>(
    'SELECT workflow_id, status, task_count FROM workflow_task_count WHERE task_count <> 0',
  );
  const key = (workflowId: number, status: string) => `workflow ${Number(workflowId)} ${status}`;
  const expected = new Map(recount.map((row) => [key(row.workflow_id, row.status), Number(row.n)]));
  const actual = new Map(kept.map((row) => [key(row.workflow_id, row.status), Number(row.task_count)]));
  const out: string[] = [];
  for (const name of new Set([...expected.keys(), ...actual.keys()]))
    if ((expected.get(name) ?? 0) !== (actual.get(name) ?? 0))
      out.push(`${name}: kept ${actual.get(name) ?? 0}, counted ${expected.get(name) ?? 0}`);
  return out.sort();
}
