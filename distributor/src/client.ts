// The distributor's and the worker's GraphQL transport is the one of every Jobmon client (@jobmon/core).
export {
  GraphQLClient,
  GraphQLRequestError,
  graphqlEndpoint,
  type GraphQLClientOptions,
  type GraphQLTransport,
} from '@jobmon/core';

/** Exponential backoff with jitter: 100 ms doubling up to `maxMs`. */
export function backoffMs(attempt: number, maxMs = 5_000): number {
  const base = Math.min(maxMs, 100 * 2 ** Math.min(attempt, 16));
  return Math.round(base / 2 + Math.random() * (base / 2));
}
