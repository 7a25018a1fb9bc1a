import { ALL_TASK_STATUSES, type TaskStatus } from '../domain';
import { emptyStatusCounts } from '../db/ops/reads';

/** Task counts per status (zeros included) with a total; the GraphQL StatusCounts type has this shape. */
export type StatusCounts = { total: number; byStatus: { status: TaskStatus; count: number }[] } & Record<
  TaskStatus,
  number
>;

export function toStatusCounts(rows: readonly { status: TaskStatus; count: number }[]): StatusCounts {
  const counts = emptyStatusCounts();
  let total = 0;
  for (const row of rows) {
    counts[row.status] += row.count;
    total += row.count;
  }
  return {
    total,
    byStatus: ALL_TASK_STATUSES.map((status) => ({ status, count: counts[status] })),
    ...counts,
  };
}

/** The status a collapsed group shows: failures first, then activity, then waiting, then done. */
const GROUP_PRIORITY: readonly TaskStatus[] = [
  'ERROR_FATAL',
  'ERROR_RECOVERABLE',
  'ADJUSTING_RESOURCES',
  'RUNNING',
  'LAUNCHED',
  'INSTANTIATING',
  'QUEUED',
  'REGISTERING',
  'DONE',
];

export function groupStatus(counts: StatusCounts): TaskStatus {
  return GROUP_PRIORITY.find((status) => counts[status] > 0) ?? 'REGISTERING';
}
