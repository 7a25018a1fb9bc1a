import { ALL_TASK_STATUSES, mostPressingStatus, type TaskStatus } from '../domain';
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

export function groupStatus(counts: StatusCounts): TaskStatus {
  return mostPressingStatus((status) => counts[status] > 0);
}
