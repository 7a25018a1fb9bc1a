import type { Transaction } from 'sequelize';
import { bulkUpdateById } from '../bulk';
import type { Database } from '../connection';
import { forUpdate } from './sql';
import { selectByIds } from './sql';

/** A row's attributes as stored (JSON text, or null). */
export interface AttributeRow {
  id: number;
  attributes: string | null;
}

/** The visible workflow's attributes, its row locked; null when there is no such workflow. */
export async function lockWorkflowAttributes(
  db: Database,
  transaction: Transaction,
  workflowId: number,
): Promise<AttributeRow | null> {
  const rows = await db.select<AttributeRow>(
    `SELECT id, attributes FROM workflow WHERE id = ? AND binding_token IS NULL${forUpdate(db)}`,
    [workflowId],
    transaction,
  );
  return rows[0] ?? null;
}

/** The tasks' attributes (of visible workflows), their rows locked. */
export async function lockTaskAttributes(
  db: Database,
  transaction: Transaction,
  taskIds: readonly number[],
): Promise<AttributeRow[]> {
  return selectByIds<AttributeRow>(
    db,
    transaction,
    'SELECT t.id, t.attributes FROM task t JOIN workflow w ON w.id = t.workflow_id',
    taskIds,
    { column: 't.id', lock: true, extraWhere: 'w.binding_token IS NULL' },
  );
}

/** Writes each row's attributes (one statement per chunk). */
export async function writeAttributes(
  db: Database,
  transaction: Transaction,
  table: 'workflow' | 'task',
  rows: readonly { id: number; attributes: string | null }[],
): Promise<void> {
  if (rows.length) await bulkUpdateById(db, transaction, table, [{ column: 'attributes' }], rows);
}
