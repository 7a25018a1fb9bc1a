import type { Transaction } from 'sequelize';
import type { TaskStatus } from '../domain';
import type { Database } from './connection';

// Task counts per (workflow, status), kept in the transaction of every task status change (table
// workflow_task_count, migration 0010): progress snapshots, status counts and metrics read a few rows
// instead of recounting a workflow's tasks at every event.
//
// Changes add deltas to their transaction; `flushTaskCounts` writes them once, right before the commit,
// in one statement sorted by (workflow, status). Why: the counter rows of a busy workflow are its hottest
// rows; taken last and in one order, they are held only for the commit and two transactions never wait
// on each other's counters in opposite orders.

/** The deltas of one transaction, kept on the transaction itself (each retry of a transaction is new). */
const DELTAS = Symbol('jobmon.taskCountDeltas');
type Deltas = Map<string, { workflowId: number; status: TaskStatus; delta: number }>;
type WithDeltas = Transaction & { [DELTAS]?: Deltas };

/** Makes `transaction` collect deltas until `flushTaskCounts` (Database.transaction does both). */
export function collectTaskCounts(transaction: Transaction): void {
  (transaction as WithDeltas)[DELTAS] = new Map();
}

/**
 * Adds `delta` tasks of `workflowId` in `status`. In a transaction that collects (every one of
 * Database.transaction), written at its commit; otherwise (a transaction opened elsewhere) written now.
 */
export async function addTaskCount(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  status: TaskStatus,
  delta: number,
): Promise<void> {
  if (delta === 0) return;
  const deltas = (transaction as WithDeltas)[DELTAS];
  if (!deltas) return writeTaskCounts(db, transaction, [{ workflowId, status, delta }]);
  const key = `${workflowId}\u0000${status}`;
  const entry = deltas.get(key);
  if (entry) entry.delta += delta;
  else deltas.set(key, { workflowId, status, delta });
}

/** Writes the transaction's collected deltas (Database.transaction calls it after the work, before COMMIT). */
export async function flushTaskCounts(db: Database, transaction: Transaction): Promise<void> {
  const deltas = (transaction as WithDeltas)[DELTAS];
  if (!deltas || deltas.size === 0) return;
  const rows = [...deltas.values()].filter((row) => row.delta !== 0);
  deltas.clear();
  await writeTaskCounts(db, transaction, rows);
}

const WRITE_CHUNK = 500;

async function writeTaskCounts(
  db: Database,
  transaction: Transaction,
  rows: { workflowId: number; status: TaskStatus; delta: number }[],
): Promise<void> {
  rows.sort(
    (a, b) => a.workflowId - b.workflowId || (a.status < b.status ? -1 : a.status > b.status ? 1 : 0),
  );
  const upsert =
    db.dialect === 'mysql'
      ? 'ON DUPLICATE KEY UPDATE task_count = task_count + VALUES(task_count)'
      : 'ON CONFLICT (workflow_id, status) DO UPDATE SET task_count = task_count + excluded.task_count';
  for (let start = 0; start < rows.length; start += WRITE_CHUNK) {
    const part = rows.slice(start, start + WRITE_CHUNK);
    await db.execute(
      `INSERT INTO workflow_task_count (workflow_id, status, task_count) VALUES ${part.map(() => '(?, ?, ?)').join(', ')} ${upsert}`,
      part.flatMap((row) => [row.workflowId, row.status, row.delta]),
      transaction,
    );
  }
}
