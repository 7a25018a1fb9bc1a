import type { Transaction } from 'sequelize';
import { chunks } from '../bulk';
import type { Database } from '../connection';
import { IN_CHUNK, inList } from './sql';

/**
 * A resubmission of an existing workflow: each task whose submitted resources differ from what its last
 * submission asked for takes the new ones (its next attempt uses them); a task asking for the same keeps
 * its current resources (raised by escalation, or changed by hand). `submitted` is task key → resource
 * set id (rows content-addressed by hash, so equal requests have equal ids). Returns the changed task ids.
 */
export async function applySubmittedResources(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  submitted: ReadonlyMap<string, number>,
): Promise<number[]> {
  const rows = await db.select<{ id: number; task_key: string; submitted_resources_id: number | null }>(
    'SELECT id, task_key, submitted_resources_id FROM task WHERE workflow_id = ?',
    [workflowId],
    transaction,
  );
  const byResources = new Map<number, number[]>();
  for (const row of rows) {
    const wanted = submitted.get(row.task_key);
    if (wanted === undefined || Number(row.submitted_resources_id) === wanted) continue;
    const ids = byResources.get(wanted) ?? [];
    ids.push(Number(row.id));
    byResources.set(wanted, ids);
  }
  const changed: number[] = [];
  for (const [resourcesId, ids] of byResources)
    for (const part of chunks(ids, IN_CHUNK)) {
      await db.execute(
        `UPDATE task SET task_resources_id = ?, submitted_resources_id = ? WHERE id IN (${inList(db, part)})`,
        [resourcesId, resourcesId],
        transaction,
      );
      changed.push(...part);
    }
  return changed;
}

/** Task key → submitted resource set id of a workflow's tasks (a chunked binding's staged ones). */
export async function submittedResourcesByKey(
  db: Database,
  transaction: Transaction,
  workflowId: number,
): Promise<Map<string, number>> {
  const rows = await db.select<{ task_key: string; submitted_resources_id: number }>(
    'SELECT task_key, submitted_resources_id FROM task WHERE workflow_id = ?',
    [workflowId],
    transaction,
  );
  return new Map(rows.map((row) => [row.task_key, Number(row.submitted_resources_id)]));
}
