import { EventEmitter, on, once } from 'node:events';
import { buildSchema } from 'graphql';
import { createClient, type Client, type Sink, type SubscribePayload } from 'graphql-ws';
import { inMemoryGraphqlWs, type InMemoryGraphqlWs } from '../testing/inMemoryGraphqlWs';
import { resumeFromLastEvent } from './resumeFromLastEvent';

// A real graphql-ws client (with the browser's reconnect-for-ever policy, but immediate retries) on a
// graphql-ws server whose connection the test drops: after the reconnect the subscription asks from the
// last event it delivered, so the server, which replays the events after `since` as Jobmon's does,
// sends exactly what was missed, nothing twice. (The same against a real API server, in Chromium:
// e2e/src/web/web-ui.e2e.test.ts; the server's replay: e2e/src/faults/subscription-resume.e2e.test.ts.)

interface StatusEvent {
  id: string;
  entityId: string;
  toStatus: string;
}

/** An audit log of task status changes, and a taskStatusChanged subscription over it from `since` on. */
function statusChanges() {
  const log: StatusEvent[] = [];
  const published = new EventEmitter();
  const schema = buildSchema(`
    type StatusEvent { id: ID! entityId: ID! toStatus: String! }
    type Query { ok: Boolean }
    type Subscription { taskStatusChanged(workflowId: ID!, since: ID): StatusEvent! }
  `);
  /** The events after `since`, then each one published (an iterator: it ends at once when returned). */
  const taskStatusChanged = ({ since }: { since?: string | null }) => {
    const live = on(published, 'event');
    const missed = log.filter((event) => Number(event.id) > Number(since ?? 0)).values();
    const iterator: AsyncIterableIterator<{ taskStatusChanged: StatusEvent }> = {
      async next() {
        const replayed = missed.next();
        if (!replayed.done) return { done: false, value: { taskStatusChanged: replayed.value } };
        const next = await live.next();
        return next.done
          ? { done: true, value: undefined }
          : { done: false, value: { taskStatusChanged: (next.value as [StatusEvent])[0] } };
      },
      async return() {
        await live.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  };
  return {
    schema,
    roots: { subscription: { taskStatusChanged } },
    publish(entityId: string, toStatus: string): string {
      const event = { id: String(log.length + 1), entityId, toStatus };
      log.push(event);
      published.emit('event', event);
      return event.id;
    },
  };
}

describe('resumeFromLastEvent, after a reconnect', () => {
  let client: Client | undefined;
  afterEach(async () => {
    await client?.dispose();
  });

  it('resubscribes from the last delivered event: the missed events arrive, none twice', async () => {
    const changes = statusChanges();
    const server: InMemoryGraphqlWs = inMemoryGraphqlWs({ schema: changes.schema, roots: changes.roots });
    changes.publish('b', 'REGISTERING');
    const since = changes.publish('a', 'QUEUED');

    client = resumeFromLastEvent(
      createClient({
        url: 'ws://in-memory/graphql',
        webSocketImpl: server.WebSocket,
        lazy: true,
        retryAttempts: Infinity,
        retryWait: async () => {},
      }),
    );
    const received: StatusEvent[] = [];
    const errors: unknown[] = [];
    const arrivals = new EventEmitter();
    /** Waits for the events `condition` wants (Jest's timeout ends a test whose events never come). */
    const until = async (condition: () => boolean) => {
      while (!condition()) await once(arrivals, 'event');
    };
    client.subscribe<{ taskStatusChanged: StatusEvent }>(
      {
        query:
          'subscription($id: ID!, $since: ID) { taskStatusChanged(workflowId: $id, since: $since) { id entityId toStatus } }',
        variables: { id: '1', since },
      },
      {
        next: (result) => {
          if (result.errors) errors.push(...result.errors);
          if (result.data) received.push(result.data.taskStatusChanged);
          arrivals.emit('event');
        },
        error: (error) => errors.push(error),
        complete: () => undefined,
      },
    );

    for (const status of ['INSTANTIATING', 'LAUNCHED', 'RUNNING']) changes.publish('a', status);
    await until(() => received.some((e) => e.toStatus === 'RUNNING'));
    const lastBeforeCut = received.at(-1)!.id;

    // The connection drops; a ends (and queues b) while the client is away.
    server.drop();
    changes.publish('a', 'DONE');
    changes.publish('b', 'QUEUED');

    await until(() => received.some((e) => e.entityId === 'b'));
    expect(errors).toEqual([]);
    expect(server.serverErrors).toEqual([]);
    expect(received.map((e) => [e.entityId, e.toStatus])).toEqual([
      ['a', 'INSTANTIATING'],
      ['a', 'LAUNCHED'],
      ['a', 'RUNNING'],
      ['a', 'DONE'],
      ['b', 'QUEUED'],
    ]);
    expect(server.subscribes.map((payload) => payload.variables?.since)).toEqual([since, lastBeforeCut]);
  });
});

describe('resumeFromLastEvent, when the server ends a subscription as too slow', () => {
  /** A graphql-ws client the test drives: what was subscribed, and each subscription's sink. */
  function fakeClient() {
    const subscriptions: { payload: SubscribePayload; sink: Sink; disposed: boolean }[] = [];
    const client = {
      subscribe(payload: SubscribePayload, sink: Sink) {
        const subscription = {
          payload: JSON.parse(JSON.stringify(payload)) as SubscribePayload,
          sink,
          disposed: false,
        };
        subscriptions.push(subscription);
        return () => void (subscription.disposed = true);
      },
    } as unknown as Client;
    return { client, subscriptions };
  }
  const tooSlow = (lastDeliveredId: string) => [
    {
      message: 'Subscriber too slow',
      extensions: { code: 'SUBSCRIBER_TOO_SLOW', lastDeliveredId, bufferSize: 1000 },
    },
  ];

  it('subscribes again from the lastDeliveredId the error names, and the page never sees the error', () => {
    const { client, subscriptions } = fakeClient();
    const seen: unknown[] = [];
    const dispose = resumeFromLastEvent(client).subscribe(
      { query: 'subscription', variables: { id: '1', since: '10' } },
      {
        next: (value) => seen.push(value),
        error: (error) => seen.push({ error }),
        complete: () => seen.push('complete'),
      },
    );
    subscriptions[0]!.sink.next({ data: { taskStatusChanged: { id: '11' } } });
    subscriptions[0]!.sink.error(tooSlow('11'));
    expect(subscriptions.map((s) => s.payload.variables?.since)).toEqual(['10', '11']);
    expect(seen).toEqual([{ data: { taskStatusChanged: { id: '11' } } }]);

    dispose();
    expect(subscriptions[1]!.disposed).toBe(true);
  });

  it('hands other errors over, and leaves subscriptions without since alone', () => {
    const { client, subscriptions } = fakeClient();
    const errors: unknown[] = [];
    resumeFromLastEvent(client).subscribe(
      { query: 'subscription', variables: { id: '1', since: '10' } },
      { next: () => undefined, error: (error) => errors.push(error), complete: () => undefined },
    );
    const other = [{ message: 'Workflow 1 was not found', extensions: { code: 'NOT_FOUND' } }];
    subscriptions[0]!.sink.error(other);
    expect(errors).toEqual([other]);

    resumeFromLastEvent(client).subscribe(
      { query: 'subscription', variables: { workflowId: '1' } },
      { next: () => undefined, error: (error) => errors.push(error), complete: () => undefined },
    );
    subscriptions[1]!.sink.error(tooSlow('3'));
    expect(subscriptions).toHaveLength(2);
    expect(errors).toHaveLength(2);
  });
});
