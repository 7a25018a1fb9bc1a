import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { backoffMs, graphqlEndpoint } from './client';
import { WorkQueuedDocument, type WorkQueuedReason } from './generated/graphql';
import type { Logger } from './logger';

/** The graphql-ws URL of a server given by its base URL or /graphql endpoint (same port and path). */
export function subscriptionUrl(serverUrl: string): string {
  return graphqlEndpoint(serverUrl).replace(/^http/, 'ws');
}

/**
 * Follows `workQueued(distributorId)` and calls `onWake` for each wake-up. Only a hint (the slow poll
 * covers a lost one), so it never fails the distributor: when the server goes away it reconnects with
 * backoff, for as long as it is not stopped. Returns the function that stops it.
 */
export function followWakeups(options: {
  serverUrl: string;
  distributorId: string;
  token?: string;
  log: Logger;
  onWake(reason: WorkQueuedReason): void;
}): () => void {
  let stopped = false;
  let unsubscribe: (() => void) | undefined;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;
  const client: Client = createClient({
    url: subscriptionUrl(options.serverUrl),
    webSocketImpl: WebSocket,
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : undefined,
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => !stopped,
    retryWait: async (retries) => new Promise((resolve) => setTimeout(resolve, backoffMs(retries))),
  });

  const subscribe = () => {
    if (stopped) return;
    unsubscribe = client.subscribe(
      { query: WorkQueuedDocument.toString(), variables: { distributorId: options.distributorId } },
      {
        next: (message) => {
          failures = 0;
          const reason = (message.data as { workQueued?: { reason: WorkQueuedReason } } | null)?.workQueued
            ?.reason;
          if (reason) options.onWake(reason);
        },
        error: (error: unknown) => {
          failures += 1;
          if (failures === 1)
            options.log.debug({ err: String(error) }, 'workQueued subscription failed; retrying');
          resubscribe();
        },
        complete: () => resubscribe(),
      },
    );
  };
  const resubscribe = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      subscribe();
    }, backoffMs(failures));
    retry.unref();
  };

  subscribe();
  return () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    try {
      unsubscribe?.();
    } catch {
      // already gone
    }
    Promise.resolve(client.dispose()).catch(() => undefined);
  };
}
