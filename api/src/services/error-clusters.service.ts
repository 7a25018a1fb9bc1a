import type { Database } from '../db';
import { readFailedAttemptsPage } from '../db/ops/failed-attempts';
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
  let afterId = 0;
  for (;;) {
    const page = await readFailedAttemptsPage(db, workflowId, onlyVersions, afterId, PAGE);
    for (const row of page)
      clusterer.add({
        errorMessage: row.errorMessage,
        stderrTail: row.stderrTail,
        taskId: row.taskId,
        templateName: templateNames.get(row.taskTemplateVersionId) ?? '?',
        at: row.at,
      });
    if (page.length < PAGE) break;
    afterId = page[page.length - 1]!.id;
  }
  return clusterer.clusters().slice(0, first);
}
