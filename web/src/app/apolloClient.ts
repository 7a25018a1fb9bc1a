import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { isUnauthenticated, UNAUTHENTICATED_CLOSE_CODE } from '../auth/authErrors';
import { TokenStore } from '../auth/tokenStore';
import { resumeFromLastEvent } from '../live/resumeFromLastEvent';

/** The Apollo Client of the page, with the API token it sends. */
export interface ApolloSession {
  client: ApolloClient;
  tokens: TokenStore;
  /**
   * After the token changed (sign in, sign out, session ended): a new WebSocket, whose connection_init
   * carries the new token, and an emptied cache whose active queries are fetched again with it.
   */
  restart(): Promise<void>;
}

/** Operation context key: the token an operation was sent with (null: none; absent: set by the caller). */
const SENT_TOKEN = 'jobmonSentToken';

/**
 * Queries and mutations over HTTP, subscriptions over graphql-ws, both at /graphql of the server that
 * served the page. The socket reconnects for ever. Subscriptions with a `since` cursor (task and workflow
 * status changes) resume from the last event they delivered, so nothing is missed and little is replayed;
 * the other active queries are refetched after a reconnect (list rows and progress are live-only), except
 * the DAG's: its status stream brings it up to date, and a refetch would lay the graph out again.
 *
 * Authentication: the token of `tokens` goes in the Authorization header of each HTTP request (read per
 * request) and in the connection_init payload of each new socket. An operation refused with
 * UNAUTHENTICATED, or a socket closed with 4401, ends the session of the token it was sent with
 * (revoked or expired); refused without a token, the server has authentication on: Viewer is refetched,
 * which shows the sign-in page.
 */
export function createApolloClient({
  origin = window.location.origin,
  tokens = new TokenStore(),
  fetch,
  webSocketImpl,
}: {
  origin?: string;
  tokens?: TokenStore;
  /** Tests: a fake server (the browser's fetch and WebSocket otherwise). */
  fetch?: typeof globalThis.fetch;
  webSocketImpl?: unknown;
} = {}): ApolloSession {
  const graphqlUrl = new URL('/graphql', origin);
  const wsUrl = new URL(graphqlUrl);
  wsUrl.protocol = graphqlUrl.protocol === 'https:' ? 'wss:' : 'ws:';

  let connectedBefore = false;
  let client: ApolloClient | null = null;
  const refused = (sentToken: string | null) => {
    if (sentToken) tokens.endSession(sentToken);
    else
      void client?.refetchQueries({
        include: 'active',
        onQueryUpdated: (query) => query.queryName === 'Viewer',
      });
  };
  /** The token the current (or last) socket was opened with. */
  let connectionToken: string | null = null;
  const ws = createClient({
    url: wsUrl.toString(),
    webSocketImpl,
    lazy: true,
    connectionParams: () => {
      connectionToken = tokens.token;
      return connectionToken ? { authorization: `Bearer ${connectionToken}` } : {};
    },
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
      closed: (event) => {
        if ((event as { code?: unknown } | null)?.code === UNAUTHENTICATED_CLOSE_CODE)
          refused(connectionToken);
      },
    },
  });
  const authLink = new ApolloLink((operation, forward) => {
    const headers = (operation.getContext().headers ?? {}) as Record<string, string>;
    // An explicit Authorization header (the sign-in page checking a pasted token) is left alone.
    if (headers.authorization !== undefined) return forward(operation);
    const token = tokens.token;
    operation.setContext({
      [SENT_TOKEN]: token,
      headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers,
    });
    return forward(operation);
  });
  const errorLink = new ErrorLink(({ error, operation }) => {
    const sentToken = operation.getContext()[SENT_TOKEN] as string | null | undefined;
    if (sentToken !== undefined && isUnauthenticated(error)) refused(sentToken);
  });
  const transport = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    new GraphQLWsLink(resumeFromLastEvent(ws)),
    new HttpLink({ uri: graphqlUrl.toString(), fetch }),
  );
  const apolloClient = new ApolloClient({
    link: ApolloLink.from([authLink, errorLink, transport]),
    cache: new InMemoryCache({
      typePolicies: {
        // Template ids are shared by the workflows that use a template: its counts belong to the workflow.
        WorkflowTaskTemplate: { keyFields: false },
        StatusCounts: { merge: false },
      },
    }),
  });
  client = apolloClient;
  return {
    client: apolloClient,
    tokens,
    restart() {
      // The new socket's first connect is no reconnect: resetStore refetches what is active.
      connectedBefore = false;
      ws.terminate();
      return apolloClient.resetStore().then(() => undefined);
    },
  };
}
