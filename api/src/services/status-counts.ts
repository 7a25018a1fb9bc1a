import { ALL_TASK_STATUSES, mostPressingStatus, type TaskStatus } from '../domain';
import { emptyStatusCounts } from '../db/ops/reads';

/** Task counts per status (zeros included) with a total; the GraphQL StatusCounts type has this shape. */
export type StatusCounts = {
  total: number;
  /** Tasks on a retry, whatever their status (isTaskRetrying). */
  retrying: number;
  byStatus: { status: TaskStatus; count: number; retrying: number }[];
} & Record<TaskStatus, number>;

export function toStatusCounts(
  rows: readonly { status: TaskStatus; count: number; retrying: number }[],
): StatusCounts {
  const counts = emptyStatusCounts();
  const retrying = emptyStatusCounts();
  let total = 0;
  for (const row of rows) {
    counts[row.status] += row.count;
    retrying[row.status] += row.retrying;
    total += row.count;
  }
  return {
    total,
    retrying: ALL_TASK_STATUSES.reduce((sum, status) => sum + retrying[status], 0),
    byStatus: ALL_TASK_STATUSES.map((status) => ({
      status,
      count: counts[status],
      retrying: retrying[status],
    })),
    ...counts,
  };
}

export function groupStatus(counts: StatusCounts): TaskStatus {
  return mostPressingStatus((status) => counts[status] > 0);
}
