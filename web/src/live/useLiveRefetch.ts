import { useThrottledCallback } from '../components/useThrottledCallback';
import { useTaskChanges } from './useTaskChanges';

/**
 * How often a page of aggregates over a workflow's attempts (error clusters, usage percentiles, the
 * timeline of up to 100,000 attempts) may be read again while its tasks change: each read is heavy, and a
 * running workflow changes all the time.
 */
export const AGGREGATE_REFETCH_MS = 5000;

/**
 * Keeps a page's query live: every status change of task `taskId` (of any task of the workflow when
 * null) after the cursor `since` (the Workflow/Task/TaskInstance.lastEventId the page's query read before
 * its data, so a change in between is not lost) calls `refetch`, at most once per `intervalMs`, and never
 * while the previous refetch is still running (the changes meanwhile are folded into one more refetch
 * after it). `refetch` should keep the page's data while it runs (Apollo's refetch does: `data` stays),
 * so the page never falls back to a loading state. Returns the throttled refetch, for the page's own
 * reasons to read again (an action it took).
 */
export function useLiveRefetch({
  page,
  workflowId,
  taskId,
  since,
  refetch,
  intervalMs,
}: {
  /** What the cursor belongs to (the route's entity): a new page starts from its own cursor. */
  page: string;
  workflowId: string | undefined;
  taskId: string | null | undefined;
  since: string | undefined;
  refetch: () => Promise<unknown>;
  intervalMs: number;
}): () => void {
  const onChange = useThrottledCallback(refetch, intervalMs);
  useTaskChanges({ page, workflowId, taskId, since, onChange });
  return onChange;
}
