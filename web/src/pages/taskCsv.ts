import type { ApolloClient } from '@apollo/client';
import {
  TaskCsvPageDocument,
  WebServerLimitsDocument,
  type TaskCsvPageQuery,
  type TaskFilter,
  type TaskOrder,
  type TaskTableRowFragment,
} from '../generated/graphql';

// The CSV download of a task table: every task of the filter, read a bounded page at a time (each page
// turned into CSV text and dropped), in the table's order.

export const CSV_PAGE_SIZE = 500;

export const CSV_HEADER = [
  'id',
  'key',
  'name',
  'template',
  'status',
  'attempts',
  'last_error',
  'runtime_seconds',
  'max_rss_mb',
] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(task: TaskTableRowFragment): string {
  return (
    [
      task.id,
      task.key,
      task.name,
      task.template.name,
      task.status,
      task.numAttempts,
      task.lastError,
      task.lastAttempt?.usage.wallSeconds,
      task.lastAttempt?.usage.maxRssMb,
    ]
      .map(csvField)
      .join(',') + '\r\n'
  );
}

/**
 * The CSV text of every task of `workflowId` matching `filter`, in `orderBy`, a page at a time: the
 * caller writes each chunk out before the next page is read. `onProgress` gets the rows done so far.
 */
export async function* taskCsvChunks(
  client: ApolloClient,
  workflowId: string,
  filter: TaskFilter,
  orderBy: TaskOrder,
  onProgress: (done: number) => void = () => undefined,
): AsyncGenerator<string> {
  // A server configured with a smaller page size (JOBMON_MAX_PAGE_SIZE) would refuse CSV_PAGE_SIZE.
  const limits = await client.query({ query: WebServerLimitsDocument });
  const first = Math.max(1, Math.min(CSV_PAGE_SIZE, limits.data?.serverLimits.maxPageSize ?? CSV_PAGE_SIZE));
  yield CSV_HEADER.join(',') + '\r\n';
  let after: string | null = null;
  let done = 0;
  for (;;) {
    // no-cache: the pages pass through; nothing of them is kept in the normalised cache.
    const result: { data?: TaskCsvPageQuery } = await client.query({
      query: TaskCsvPageDocument,
      variables: { id: workflowId, filter, orderBy, first, after },
      fetchPolicy: 'no-cache',
    });
    const tasks = result.data?.workflow?.tasks;
    if (!tasks) throw new Error(`Workflow ${workflowId} was not found`);
    yield tasks.nodes.map(csvRow).join('');
    done += tasks.nodes.length;
    onProgress(done);
    if (!tasks.pageInfo.hasNextPage || !tasks.pageInfo.endCursor) return;
    after = tasks.pageInfo.endCursor;
  }
}

/**
 * Saves the chunks as a file: a Blob made of the chunks (the browser keeps a large one out of the page's
 * heap), offered as a download.
 */
export async function downloadCsv(chunks: AsyncIterable<string>, fileName: string): Promise<void> {
  const parts: BlobPart[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv;charset=utf-8' }));
  try {
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = fileName;
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
  } finally {
    // Revoked after the click has started the download.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
