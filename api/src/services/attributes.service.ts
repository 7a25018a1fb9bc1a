import {
  checkAttributeChanges,
  mergeAttributes,
  NotFoundError,
  storedAttributes,
  type InputLimits,
} from '../domain';
import type { Database } from '../db';
import {
  lockTaskAttributes,
  lockWorkflowAttributes,
  writeAttributes,
  type AttributeRow,
} from '../db/ops/attributes';

// Attributes changed after submission (Jobmon's workflow.add_attributes / task attributes): the keys
// given replace theirs, a null value removes a key; stored within the free-text cap, all or nothing.

const parsed = (row: AttributeRow): unknown => (row.attributes ? JSON.parse(row.attributes) : null);

export async function setWorkflowAttributes(
  db: Database,
  workflowId: number,
  changes: unknown,
  limits: InputLimits,
): Promise<void> {
  checkAttributeChanges(changes, limits);
  await db.transaction(async (transaction) => {
    const row = await lockWorkflowAttributes(db, transaction, workflowId);
    if (!row) throw new NotFoundError('Workflow', String(workflowId));
    const attributes = storedAttributes(
      mergeAttributes(parsed(row), changes),
      `workflow ${workflowId}`,
      limits,
    );
    await writeAttributes(db, transaction, 'workflow', [{ id: workflowId, attributes }]);
  });
}

/** Returns the task ids, in the order given (each once). */
export async function setTaskAttributes(
  db: Database,
  taskIds: readonly number[],
  changes: unknown,
  limits: InputLimits,
): Promise<number[]> {
  checkAttributeChanges(changes, limits);
  const ids = [...new Set(taskIds)];
  if (ids.length === 0) return [];
  await db.transaction(async (transaction) => {
    const rows = await lockTaskAttributes(db, transaction, ids);
    const found = new Set(rows.map((row) => Number(row.id)));
    const missing = ids.find((id) => !found.has(id));
    if (missing !== undefined) throw new NotFoundError('Task', String(missing));
    const updated = rows.map((row) => ({
      id: Number(row.id),
      attributes: storedAttributes(mergeAttributes(parsed(row), changes), `task ${row.id}`, limits),
    }));
    await writeAttributes(db, transaction, 'task', updated);
  });
  return ids;
}
