import { useState } from 'react';
import { useSubscription } from '@apollo/client/react';
import { TaskStatusChangedDocument } from '../generated/graphql';

/**
 * Calls `onChange` for every status change of task `taskId` (of any task of the workflow when `taskId` is
 * null: the task table) after the AuditEvent id `since`, which the
 * page read with the task (Task.lastEventId, TaskInstance.lastEventId: read before the task itself), so a
 * change made between the page's query and this subscription is still delivered (replayed by the
 * server). The first cursor read for a page is kept: the page's later refetches do not restart the
 * subscription, and after a reconnect the link resumes it from the last event it delivered.
 * Nothing is followed while `workflowId` or `since` is unknown.
 */
export function useTaskChanges({
  page,
  workflowId,
  taskId,
  since,
  onChange,
}: {
  /** What the cursor belongs to (the route's entity): a new page starts from its own cursor. */
  page: string;
  workflowId: string | undefined;
  taskId: string | null | undefined;
  since: string | undefined;
  onChange: () => void;
}): void {
  const [cursor, setCursor] = useState<{ page: string; since: string }>();
  if (since !== undefined && cursor?.page !== page) setCursor({ page, since });
  const current = cursor?.page === page ? cursor.since : undefined;
  useSubscription(TaskStatusChangedDocument, {
    // Events are handled in onData, not kept in the cache (each would be normalised and broadcast).
    fetchPolicy: 'no-cache',
    variables: { workflowId: workflowId ?? '', since: current },
    skip: !workflowId || current === undefined,
    ignoreResults: true,
    onData: ({ data }) => {
      const changed = data.data?.taskStatusChanged.entityId;
      if (changed !== undefined && (taskId === null || changed === taskId)) onChange();
    },
  });
}
