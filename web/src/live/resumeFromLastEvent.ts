import { ErrorCode } from '@jobmon/core';
import type { Client, FormattedExecutionResult, Sink, SubscribePayload } from 'graphql-ws';

/**
 * A graphql-ws client whose subscriptions resume from the last event they delivered, after a reconnect
 * and after the server ended them for falling behind.
 *
 * graphql-ws (retryAttempts) resubscribes every active subscription when its socket comes back, sending
 * the same payload object again. For a subscription that has a `since` variable (taskStatusChanged,
 * workflowStatusChanged: their events are AuditEvents with monotonic ids) the payload's `since` is moved to
 * the id of each event delivered, so after a reconnect the server replays only what was missed while the
 * socket was down, not everything since the page first subscribed. A subscription the server ends with
 * SUBSCRIBER_TOO_SLOW (a busy page that fell too far behind) is started again from the `lastDeliveredId`
 * the error names, as the server asks, instead of ending the page's live updates.
 */
export function resumeFromLastEvent(client: Client): Client {
  return {
    ...client,
    subscribe<Data = Record<string, unknown>, Extensions = unknown>(
      payload: SubscribePayload,
      sink: Sink<FormattedExecutionResult<Data, Extensions>>,
    ): () => void {
      if (!payload.variables || !('since' in payload.variables)) return client.subscribe(payload, sink);
      const variables = { ...payload.variables };
      const resumable = { ...payload, variables };
      let disposed = false;
      let dispose = () => {};
      const start = () => {
        dispose = client.subscribe<Data, Extensions>(resumable, {
          next: (result) => {
            const id = eventIdOf(result.data);
            if (id !== undefined) variables.since = id;
            sink.next(result);
          },
          error: (error) => {
            const lastDeliveredId = tooSlowResumeId(error);
            if (lastDeliveredId === undefined || disposed) return sink.error(error);
            variables.since = lastDeliveredId;
            start();
          },
          complete: () => sink.complete(),
        });
      };
      start();
      return () => {
        disposed = true;
        dispose();
      };
    },
  };
}

/** The id of the event in a subscription result (its one root field), if it has one. */
function eventIdOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const fields = Object.values(data);
  if (fields.length !== 1) return undefined;
  const event = fields[0] as { id?: unknown } | null;
  return typeof event?.id === 'string' ? event.id : undefined;
}

/** For a SUBSCRIBER_TOO_SLOW error (graphql-ws hands GraphQL errors over as an array), where to resume. */
function tooSlowResumeId(error: unknown): string | undefined {
  if (!Array.isArray(error)) return undefined;
  for (const item of error as { extensions?: { code?: unknown; lastDeliveredId?: unknown } }[])
    if (
      item.extensions?.code === ErrorCode.SUBSCRIBER_TOO_SLOW &&
      typeof item.extensions.lastDeliveredId === 'string'
    )
      return item.extensions.lastDeliveredId;
  return undefined;
}
