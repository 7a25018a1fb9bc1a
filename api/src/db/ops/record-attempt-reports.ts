import type { Transaction } from 'sequelize';
import { bulkUpdateById, type UpdateColumn } from '../bulk';
import type { Database } from '../connection';

// What each kind of report writes on its attempts, one UPDATE per batch (keepExisting: a value not
// reported leaves the stored one).

const LAUNCHED_COLUMNS = [
  { column: 'backend_job_id', keepExisting: true },
  { column: 'stdout_path', keepExisting: true },
  { column: 'stderr_path', keepExisting: true },
  { column: 'submitted_at' },
  { column: 'heartbeat_at' },
] as const satisfies readonly UpdateColumn[];

const RUNNING_COLUMNS = [
  { column: 'hostname', keepExisting: true },
  { column: 'backend_job_id', keepExisting: true },
  { column: 'started_at' },
  { column: 'heartbeat_at' },
] as const satisfies readonly UpdateColumn[];

const FINISHED_COLUMNS = [
  { column: 'exit_code' },
  { column: 'error_kind' },
  { column: 'error_message' },
  { column: 'hostname', keepExisting: true },
  { column: 'started_at', keepExisting: true },
  { column: 'finished_at' },
  { column: 'stdout_path', keepExisting: true },
  { column: 'stderr_path', keepExisting: true },
  { column: 'stdout_tail' },
  { column: 'stderr_tail' },
  { column: 'max_rss_mb' },
  { column: 'wall_seconds' },
  { column: 'cpu_seconds' },
] as const satisfies readonly UpdateColumn[];

type Row<Columns extends readonly UpdateColumn[]> = { id: number } & {
  [C in Columns[number]['column']]: unknown;
};
export type LaunchedRow = Row<typeof LAUNCHED_COLUMNS>;
export type RunningRow = Row<typeof RUNNING_COLUMNS>;
export type FinishedRow = Row<typeof FINISHED_COLUMNS>;

export const recordLaunched = (db: Database, transaction: Transaction, rows: readonly LaunchedRow[]) =>
  bulkUpdateById(db, transaction, 'task_instance', LAUNCHED_COLUMNS, rows);

export const recordRunning = (db: Database, transaction: Transaction, rows: readonly RunningRow[]) =>
  bulkUpdateById(db, transaction, 'task_instance', RUNNING_COLUMNS, rows);

export const recordFinished = (db: Database, transaction: Transaction, rows: readonly FinishedRow[]) =>
  bulkUpdateById(db, transaction, 'task_instance', FINISHED_COLUMNS, rows);
