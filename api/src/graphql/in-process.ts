import type { ApolloServer } from '@apollo/server';
import {
  ErrorCode,
  GraphQLRequestError,
  graphqlResult,
  type GraphQLDocument,
  type GraphQLResponseBody,
  type GraphQLTransport,
} from '@jobmon/core';
import { UnauthenticatedError, type Principal } from '../domain';
import type { Context } from './context';

/** How long a request may take by default (as GraphQLClient's). */
const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * GraphQL into the API of this process, for a client that lives in it (the embedded distributor of
 * `jobmon server`): each request is authenticated with the client's token and executed by the server's
 * Apollo with a context of its own, as an HTTP request would be — the same plugins (authorization, input
 * checks, query limits, metrics) and the same error formatting — without the HTTP round trip (the fetch,
 * the body's JSON both ways, the socket). Results and errors come back as GraphQLClient gives them.
 */
export function inProcessTransport(
  apollo: ApolloServer<Context>,
  context: (principal: Principal | null) => Context,
  authenticate: (token: string | null) => Promise<Principal | null>,
  token: string | undefined,
  where = 'the in-process API',
): GraphQLTransport {
  const run = async <TResult>(query: string, variables: unknown): Promise<TResult> => {
    let principal: Principal | null;
    try {
      // Every request, as over HTTP: a revoked token stops working at once.
      principal = await authenticate(token ?? null);
    } catch (error) {
      if (error instanceof UnauthenticatedError)
        return graphqlResult<TResult>(
          { errors: [{ message: error.message, extensions: { code: error.code } }] },
          401,
          where,
        );
      throw error;
    }
    const response = await apollo.executeOperation<TResult & Record<string, unknown>>(
      { query, variables: (variables ?? {}) as Record<string, unknown> },
      { contextValue: context(principal) },
    );
    if (response.body.kind !== 'single')
      throw new GraphQLRequestError(`${where} answered incrementally`, { unreachable: true });
    return graphqlResult<TResult>(
      response.body.singleResult as GraphQLResponseBody<TResult>,
      response.http.status ?? 200,
      where,
    );
  };
  return {
    request<TResult, TVariables>(
      document: GraphQLDocument<TResult, TVariables>,
      variables: TVariables | undefined,
      options: { timeoutMs?: number } = {},
    ): Promise<TResult> {
      const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      let timer: NodeJS.Timeout | undefined;
      // As over HTTP, a request that takes too long fails (retryable) while the server goes on with it.
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new GraphQLRequestError(`${where} did not answer within ${timeoutMs} ms`, {
                unreachable: true,
                retryable: true,
              }),
            ),
          timeoutMs,
        );
        timer.unref();
      });
      const answer = run<TResult>(document.toString(), variables).catch((error: unknown) => {
        if (error instanceof GraphQLRequestError) throw error;
        // Over HTTP the handler answers such a failure 500 INTERNAL_SERVER_ERROR: retryable the same way.
        return graphqlResult<TResult>(
          {
            errors: [
              {
                message: `Internal server error: ${(error as Error).message}`,
                extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
              },
            ],
          },
          500,
          where,
        );
      });
      return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
    },
  };
}
