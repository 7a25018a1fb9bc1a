import { Relay, startTestServer, testDialects, type TestServer } from '@jobmon/api/testing';
import { createClient, type Client, type Sink, type SubscribePayload } from 'graphql-ws';
import WebSocket from 'ws';
import { ScriptedDistributor, submitWorkflow } from '../testing/protocol';
import { resumeFromLastEvent } from './resumeFromLastEvent';

// A real graphql-ws client (with the browser's reconnect-for-ever policy, but quick retries) behind a
// proxy that cuts the connection: after the reconnect the subscription asks from the last event it
// delivered, so the server replays exactly what was missed, nothing twice.

interface StatusEvent {
  id: string;
  entityId: string;
  toStatus: string;
}

/** The WebSocket the client uses, recording the messages it sends. */
function recordingWebSocket(sent: { type: string; payload?: { variables?: Record<string, unknown> } }[]) {
  return class extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      const send = this.send.bind(this);
      this.send = ((data: string) => {
        sent.push(JSON.parse(data) as (typeof sent)[number]);
        send(data);
      }) as WebSocket['send'];
    }
  };
}

async function until(condition: () => boolean, what: string, deadlineMs = 30_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(testDialects())('resumeFromLastEvent [%s]', (dialect) => {
  let server: TestServer;
  let proxy: Relay;
  let client: Client | undefined;
  beforeAll(async () => {
    server = await startTestServer(dialect);
    proxy = await Relay.start(server.url);
  });
  afterAll(async () => {
    await client?.dispose();
    await proxy?.close();
    await server?.stop();
  });

  it('resubscribes after a reconnect from the last delivered event: the missed events arrive, none twice', async () => {
    const workflow = await submitWorkflow(server.graphql, {
      tool: 'resume-tool',
      workflowArgs: `resume-${dialect}`,
      templates: ['step'],
      tasks: [
        { key: 'a', template: 'step', args: { n: 1 } },
        { key: 'b', template: 'step', args: { n: 2 }, upstream: ['a'] },
      ],
    });
    const [a, b] = [workflow.taskIdsByKey.get('a')!, workflow.taskIdsByKey.get('b')!];
    const read = await server.graphql<{ task: { lastEventId: string } }>(
      'query($id: ID!) { task(id: $id) { lastEventId } }',
      { id: a },
    );
    const since = read.data!.task.lastEventId;

    const sent: Parameters<typeof recordingWebSocket>[0] = [];
    client = resumeFromLastEvent(
      createClient({
        url: `${proxy.url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: recordingWebSocket(sent),
        lazy: true,
        retryAttempts: Infinity,
        retryWait: () => new Promise((resolve) => setTimeout(resolve, 20)),
      }),
    );
    const received: StatusEvent[] = [];
    const errors: unknown[] = [];
    client.subscribe<{ taskStatusChanged: StatusEvent }>(
      {
        query:
          'subscription($id: ID!, $since: ID) { taskStatusChanged(workflowId: $id, since: $since) { id entityId toStatus } }',
        variables: { id: workflow.id, since },
      },
      {
        next: (result) => {
          if (result.errors) errors.push(...result.errors);
          if (result.data) received.push(result.data.taskStatusChanged);
        },
        error: (error) => errors.push(error),
        complete: () => undefined,
      },
    );

    const distributor = await ScriptedDistributor.register(server.graphql, `resume-${dialect}`);
    const attempts = (await distributor.claim(10)).filter((attempt) => attempt.taskId === a);
    await distributor.launchAndRun(attempts);
    await until(() => received.some((e) => e.toStatus === 'RUNNING'), 'a RUNNING');
    const lastBeforeCut = received.at(-1)!.id;

    // The connection drops; a ends (and queues b) while the client is away.
    proxy.cutWebSockets();
    await distributor.finish(attempts);
    proxy.reopenWebSockets();

    await until(() => received.some((e) => e.entityId === b), 'b QUEUED, missed while disconnected');
    expect(errors).toEqual([]);
    expect(received.map((e) => [e.entityId, e.toStatus])).toEqual([
      [a, 'INSTANTIATING'],
      [a, 'LAUNCHED'],
      [a, 'RUNNING'],
      [a, 'DONE'],
      [b, 'QUEUED'],
    ]);
    const subscribes = sent.filter((message) => message.type === 'subscribe');
    expect(subscribes.map((message) => message.payload?.variables?.since)).toEqual([since, lastBeforeCut]);
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
