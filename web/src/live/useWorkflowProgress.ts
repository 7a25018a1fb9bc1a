import { useApolloClient, useSubscription } from '@apollo/client/react';
import {
  WorkflowLiveFieldsFragmentDoc,
  WorkflowProgressDocument,
  type WorkflowLiveFieldsFragment,
  type WorkflowProgressSubscription,
} from '../generated/graphql';

/**
 * Follows workflowProgress and writes each snapshot (status and task counts) into the cached Workflow,
 * so every view of that workflow (a list row, the page header) updates without a refetch.
 */
export function useWorkflowProgress(
  workflowId: string,
  options: {
    skip?: boolean;
    onProgress?: (progress: WorkflowProgressSubscription['workflowProgress']) => void;
  } = {},
): void {
  const client = useApolloClient();
  useSubscription(WorkflowProgressDocument, {
    // Events are handled in onData, not kept in the cache (each would be normalised and broadcast).
    fetchPolicy: 'no-cache',
    variables: { workflowId },
    skip: options.skip,
    ignoreResults: true,
    onData: ({ data }) => {
      const progress = data.data?.workflowProgress;
      if (!progress) return;
      client.cache.writeFragment({
        fragment: WorkflowLiveFieldsFragmentDoc,
        fragmentName: 'WorkflowLiveFields',
        // __typename is part of what Apollo stores (it adds the field to every selection).
        data: {
          __typename: 'Workflow',
          id: progress.workflowId,
          status: progress.status,
          statusCounts: progress.statusCounts,
        } as WorkflowLiveFieldsFragment,
      });
      options.onProgress?.(progress);
    },
  });
}
