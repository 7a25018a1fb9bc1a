import type { Transaction } from 'sequelize';
import type { TaskStatus } from '../domain';
import type { Database } from './connection';

// Task counts per (workflow, template version, status), kept in the transaction of every task status
// change (table workflow_template_task_count, migrations 0010-0012): progress snapshots, status counts,
// metrics and the collapsed DAG read a few rows instead of recounting a workflow's tasks at every event; a
// workflow's counts are the SUM over its templates' rows. Each row also keeps how many of its tasks are on
// a retry (retrying_count; the rule is isTaskRetrying of @jobmon/core): a retry is a matter of status and
// num_attempts, and both change only with a status change (status-change.ts).
//
// Changes add deltas to their transaction; `flushTaskCounts` writes them once, right before the commit,
// in one statement sorted by (workflow, template version, status). Why: the counter rows of a busy
// workflow are its hottest rows; taken last and in one order, they are held only for the commit and two
// transactions never wait on each other's counters in opposite orders.

/** The deltas of one transaction, kept on the transaction itself (each retry of a transaction is new). */
const DELTAS = Symbol('jobmon.taskCountDeltas');
interface Delta {
  workflowId: number;
  taskTemplateVersionId: number;
  status: TaskStatus;
  /** Tasks in the status. */
  delta: number;
  /** Of them, tasks on a retry. */
  retrying: number;
}
type Deltas = Map<string, Delta>;
type WithDeltas = Transaction & { [DELTAS]?: Deltas };

/** Makes `transaction` collect deltas until `flushTaskCounts` (Database.transaction does both). */
export function collectTaskCounts(transaction: Transaction): void {
  (transaction as WithDeltas)[DELTAS] = new Map();
}

/**
 * Adds `delta` tasks of `workflowId` and `taskTemplateVersionId` in `status`, `retrying` of them on a retry. In a transaction that
 * collects (every one of Database.transaction), written at its commit; otherwise (a transaction opened
 * elsewhere) written now.
 */
export async function addTaskCount(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  taskTemplateVersionId: number,
  status: TaskStatus,
  delta: number,
  retrying = 0,
): Promise<void> {
  if (delta === 0 && retrying === 0) return;
  const row = { workflowId, taskTemplateVersionId, status, delta, retrying };
  const deltas = (transaction as WithDeltas)[DELTAS];
  if (!deltas) return writeTaskCounts(db, transaction, [row]);
  const key = `${workflowId}\u0000${taskTemplateVersionId}\u0000${status}`;
  const entry = deltas.get(key);
  if (entry) {
    entry.delta += delta;
    entry.retrying += retrying;
  } else deltas.set(key, row);
}

/** Writes the transaction's collected deltas (Database.transaction calls it after the work, before COMMIT). */
export async function flushTaskCounts(db: Database, transaction: Transaction): Promise<void> {
  const deltas = (transaction as WithDeltas)[DELTAS];
  if (!deltas || deltas.size === 0) return;
  const rows = [...deltas.values()].filter((row) => row.delta !== 0 || row.retrying !== 0);
  deltas.clear();
  await writeTaskCounts(db, transaction, rows);
}

const WRITE_CHUNK = 500;

async function writeTaskCounts(db: Database, transaction: Transaction, rows: Delta[]): Promise<void> {
  rows.sort(
    (a, b) =>
      a.workflowId - b.workflowId ||
      a.taskTemplateVersionId - b.taskTemplateVersionId ||
      (a.status < b.status ? -1 : a.status > b.status ? 1 : 0),
  );
  const upsert =
    db.dialect === 'mysql'
      ? 'ON DUPLICATE KEY UPDATE task_count = task_count + VALUES(task_count), retrying_count = retrying_count + VALUES(retrying_count)'
      : 'ON CONFLICT (workflow_id, task_template_version_id, status) DO UPDATE SET task_count = task_count + excluded.task_count, retrying_count = retrying_count + excluded.retrying_count';
  for (let start = 0; start < rows.length; start += WRITE_CHUNK) {
    const part = rows.slice(start, start + WRITE_CHUNK);
    await db.execute(
      `INSERT INTO workflow_template_task_count (workflow_id, task_template_version_id, status, task_count, retrying_count)
       VALUES ${part.map(() => '(?, ?, ?, ?, ?)').join(', ')} ${upsert}`,
      part.flatMap((row) => [row.workflowId, row.taskTemplateVersionId, row.status, row.delta, row.retrying]),
      transaction,
    );
  }
}
