import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';

/**
 * Queries and mutations over HTTP, subscriptions over graphql-ws, both at /graphql of the server that
 * served the page. After the socket reconnects, active queries are refetched: events sent while it was
 * down are not replayed to these subscriptions.
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
    on: {
      connected: () => {
        if (connectedBefore) void client?.refetchQueries({ include: 'active' });
        connectedBefore = true;
      },
    },
  });
  const link = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    new GraphQLWsLink(ws),
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
