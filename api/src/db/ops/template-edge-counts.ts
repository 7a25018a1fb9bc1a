import type { Transaction } from 'sequelize';
import type { Database } from '../connection';
import { inList, IN_CHUNK } from './sql';
import { chunks } from '../bulk';

// Template-to-template edge counts (template_edge_count, migration 0012), added as edges are bound: the
// collapsed DAG reads a few rows instead of joining every edge of the workflow to its two tasks. Edges are
// only ever added at bind, under the binding's lock (or in the one transaction of a whole submission), and
// go only with their workflow, so the counts need no other upkeep.

const WRITE_CHUNK = 500;

/**
 * Adds the template pairs of `edges` (task ids of `workflowId`) to the workflow's edge counts.
 * `templateOf` gives the template version of the tasks the caller knows; the others are read.
 */
export async function addTemplateEdgeCounts(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  edges: Iterable<readonly [upstreamId: number, downstreamId: number]>,
  templateOf: (taskId: number) => number | undefined,
): Promise<void> {
  // One pass, nothing held per edge but those touching a task of unknown template (an earlier chunk's).
  // upstream template → downstream template → edges (numbers as keys: no string made per edge).
  const pairs = new Map<number, Map<number, number>>();
  const add = (upstream: number, downstream: number) => {
    let to = pairs.get(upstream);
    if (!to) pairs.set(upstream, (to = new Map()));
    to.set(downstream, (to.get(downstream) ?? 0) + 1);
  };
  const pending: (readonly [number, number])[] = [];
  for (const [up, down] of edges) {
    const upstream = templateOf(up);
    const downstream = templateOf(down);
    if (upstream !== undefined && downstream !== undefined) add(upstream, downstream);
    else pending.push([up, down]);
  }
  const unknown = new Set<number>();
  for (const [up, down] of pending) {
    if (templateOf(up) === undefined) unknown.add(up);
    if (templateOf(down) === undefined) unknown.add(down);
  }
  const read = new Map<number, number>();
  for (const part of chunks([...unknown], IN_CHUNK)) {
    const rows = await db.select<{ id: number; v: number }>(
      `SELECT id, task_template_version_id AS v FROM task WHERE id IN (${inList(db, part)})`,
      [],
      transaction,
    );
    for (const row of rows) read.set(Number(row.id), Number(row.v));
  }
  for (const [up, down] of pending) add(templateOf(up) ?? read.get(up)!, templateOf(down) ?? read.get(down)!);
  const counts = [...pairs].flatMap(([upstream, to]) =>
    [...to].map(([downstream, count]) => ({ upstream, downstream, count })),
  );
  await writeTemplateEdgeCounts(db, transaction, workflowId, counts);
}

/** Adds the template pairs of the binding's staged edges (binding_edge), before they are resolved. */
export async function addStagedTemplateEdgeCounts(
  db: Database,
  transaction: Transaction,
  workflowId: number,
): Promise<void> {
  const rows = await db.select<{ u: number; d: number; n: number }>(
    `SELECT u.task_template_version_id AS u, d.task_template_version_id AS d, COUNT(*) AS n
       FROM binding_edge b JOIN task u ON u.workflow_id = b.workflow_id AND u.task_key = b.upstream_key
       JOIN task d ON d.id = b.downstream_task_id
      WHERE b.workflow_id = ?
      GROUP BY u.task_template_version_id, d.task_template_version_id`,
    [workflowId],
    transaction,
  );
  await writeTemplateEdgeCounts(
    db,
    transaction,
    workflowId,
    rows.map((row) => ({ upstream: Number(row.u), downstream: Number(row.d), count: Number(row.n) })),
  );
}

async function writeTemplateEdgeCounts(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  pairs: { upstream: number; downstream: number; count: number }[],
): Promise<void> {
  // One order, like every counter (db/task-counts.ts).
  pairs.sort((a, b) => a.upstream - b.upstream || a.downstream - b.downstream);
  const upsert =
    db.dialect === 'mysql'
      ? 'ON DUPLICATE KEY UPDATE edge_count = edge_count + VALUES(edge_count)'
      : 'ON CONFLICT (workflow_id, upstream_template_version_id, downstream_template_version_id) DO UPDATE SET edge_count = edge_count + excluded.edge_count';
  for (const part of chunks(pairs, WRITE_CHUNK))
    await db.execute(
      `INSERT INTO template_edge_count
              (workflow_id, upstream_template_version_id, downstream_template_version_id, edge_count)
       VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')} ${upsert}`,
      part.flatMap((pair) => [workflowId, pair.upstream, pair.downstream, pair.count]),
      transaction,
    );
}

/** The workflow's edge counts per (upstream template version, downstream template version). */
export async function readTemplateEdgeCounts(
  db: Database,
  workflowId: number,
): Promise<{ upstream: number; downstream: number; count: number }[]> {
  const rows = await db.select<{ u: number; d: number; n: number }>(
    `SELECT upstream_template_version_id AS u, downstream_template_version_id AS d, edge_count AS n
       FROM template_edge_count WHERE workflow_id = ? AND edge_count <> 0`,
    [workflowId],
  );
  return rows.map((row) => ({ upstream: Number(row.u), downstream: Number(row.d), count: Number(row.n) }));
}
