import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Database } from '@jobmon/api';

// A bare taskStatusChanged subscriber, and the audit log it must match: the fault tests compare what a
// subscriber received with the log (none missing, none twice, in order).

export interface TaskEvent {
  id: string;
  entityId: string;
  fromStatus: string | null;
  toStatus: string;
}

const SUBSCRIPTION = `subscription($workflowId: ID!, $since: ID) {
  taskStatusChanged(workflowId: $workflowId, since: $since) { id entityId fromStatus toStatus } }`;

/**
 * One connection of a subscriber (graphql-ws at `url`, ws://…/graphql): events go to `onEvent` until the
 * socket closes. No automatic reconnect: the caller decides where to resume. `ended` says how it ended.
 */
export function subscribeTaskEvents(
  url: string,
  workflowId: string,
  since: string,
  onEvent: (event: TaskEvent) => void,
): { ended: Promise<string>; close(): void } {
  const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  const ended = new Promise<string>((resolve) => {
    client.subscribe<{ taskStatusChanged: TaskEvent }>(
      { query: SUBSCRIPTION, variables: { workflowId, since } },
      {
        next: (message) => {
          if (message.data) onEvent(message.data.taskStatusChanged);
          else resolve(`errors: ${JSON.stringify(message.errors)}`);
        },
        error: (error) => resolve(`error: ${(error as { code?: number }).code ?? String(error)}`),
        complete: () => resolve('complete'),
      },
    );
  });
  void ended.then(() => client.dispose());
  return { ended, close: () => void client.dispose() };
}

/** The task events of a workflow in the audit log, in id order, as a subscriber receives them. */
export async function taskEventsInLog(db: Database, workflowId: string): Promise<TaskEvent[]> {
  const rows = await db.select<{
    id: number;
    entity_id: number;
    from_status: string | null;
    to_status: string;
  }>(
    `SELECT id, entity_id, from_status, to_status FROM audit_event
     WHERE workflow_id = ? AND entity_type = 'TASK' ORDER BY id`,
    [Number(workflowId)],
  );
  return rows.map((row) => ({
    id: String(row.id),
    entityId: String(row.entity_id),
    fromStatus: row.from_status,
    toStatus: row.to_status,
  }));
}

export interface TaskEventFollower {
  /** Every event received, over every connection, in arrival order. */
  readonly events: TaskEvent[];
  /** Connections that delivered at least one event. */
  readonly connectionsWithEvents: number;
  /** The id of the last event applied ('0' before any). */
  lastId(): string;
  stop(): void;
}

/**
 * A subscriber as a client should be: when its connection ends (cut, server or database trouble), it
 * subscribes again with `since: <the last event id it applied>`, until stopped.
 */
export function followTaskEvents(url: string, workflowId: string): TaskEventFollower {
  const events: TaskEvent[] = [];
  let connectionsWithEvents = 0;
  let stopped = false;
  let current: { close(): void } | undefined;
  const lastId = () => events.at(-1)?.id ?? '0';
  const connect = () => {
    let delivered = false;
    const connection = subscribeTaskEvents(url, workflowId, lastId(), (event) => {
      if (!delivered) connectionsWithEvents += 1;
      delivered = true;
      events.push(event);
    });
    current = connection;
    void connection.ended.then(() => {
      if (!stopped) setTimeout(() => !stopped && connect(), 200);
    });
  };
  connect();
  return {
    events,
    get connectionsWithEvents() {
      return connectionsWithEvents;
    },
    lastId,
    stop() {
      stopped = true;
      current?.close();
    },
  };
}
