import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { resumeFromLastEvent } from '../live/resumeFromLastEvent';

/**
 * Queries and mutations over HTTP, subscriptions over graphql-ws, both at /graphql of the server that
 * served the page. The socket reconnects for ever. Subscriptions with a `since` cursor (task and workflow
 * status changes) resume from the last event they delivered, so nothing is missed and little is replayed;
 * the other active queries are refetched after a reconnect (list rows and progress are live-only), except
 * the DAG's: its status stream brings it up to date, and a refetch would lay the graph out again.
 */
export function createApolloClient(origin: string = window.location.origin): ApolloClient {
  const graphqlUrl = new URL('/graphql', origin);
  const wsUrl = new URL(graphqlUrl);
  wsUrl.protocol = graphqlUrl.protocol === 'https:' ? 'wss:' : 'ws:';

  let connectedBefore = false;
  let client: ApolloClient | null = null;
  const ws = createClient({
    url: wsUrl.toString(),
    lazy: true,
    retryAttempts: Infinity,
    // 0.5–1 s, doubling up to 15–30 s: graphql-ws's default doubles without bound, so a page left open
    // through a long outage would wait many minutes after the server is back.
    retryWait: (retries) =>
      new Promise((resolve) =>
        setTimeout(resolve, Math.min(1000 * 2 ** retries, 30_000) * (0.5 + Math.random() / 2)),
      ),
    on: {
      connected: () => {
        if (connectedBefore)
          void client?.refetchQueries({
            include: 'active',
            onQueryUpdated: (query) => query.queryName !== 'WorkflowDag',
          });
        connectedBefore = true;
      },
    },
  });
  const link = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    new GraphQLWsLink(resumeFromLastEvent(ws)),
    new HttpLink({ uri: graphqlUrl.toString() }),
  );
  client = new ApolloClient({
    link,
    cache: new InMemoryCache({
      typePolicies: {
        // Template ids are shared by the workflows that use a template: its counts belong to the workflow.
        WorkflowTaskTemplate: { keyFields: false },
        StatusCounts: { merge: false },
      },
    }),
  });
  return client;
}
