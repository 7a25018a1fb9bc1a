import type { Database } from '../db';
import { FAILED_ATTEMPT_STATUSES, readFailedAttemptsPage } from '../db/ops/failed-attempts';
import { ErrorClusterer, type ErrorClusterSummary } from '../domain/error-clusters';

/** Attempts read per statement: bounds memory to one page of cut texts plus the clusterer's groups. */
const PAGE = 5000;

/**
 * Workflow.errorClusters: the workflow's failed attempts (of the named templates' versions only, when
 * given), read a page at a time and clustered (domain/error-clusters.ts); the `first` biggest clusters.
 */
export async function clusterWorkflowErrors(
  db: Database,
  workflowId: number,
  templateNames: ReadonlyMap<number, string>,
  onlyVersions: readonly number[] | null,
  first: number,
): Promise<ErrorClusterSummary[]> {
  const clusterer = new ErrorClusterer();
  for (const status of FAILED_ATTEMPT_STATUSES) {
    const read = (afterId: number) =>
      readFailedAttemptsPage(db, workflowId, status, onlyVersions, afterId, PAGE);
    let page = await read(0);
    for (;;) {
      // The next page is read (by the driver, off this thread) while this one is clustered.
      const next = page.length === PAGE ? read(page[page.length - 1]!.id) : null;
      for (const row of page)
        clusterer.add({
          errorMessage: row.errorMessage,
          stderrTail: row.stderrTail,
          taskId: row.taskId,
          templateName: templateNames.get(row.taskTemplateVersionId) ?? '?',
          at: row.at,
        });
      if (!next) break;
      page = await next;
    }
  }
  return clusterer.clusters().slice(0, first);
}
