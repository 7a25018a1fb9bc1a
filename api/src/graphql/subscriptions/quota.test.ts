import type { Client } from 'graphql-ws';
import { Role } from '../../domain';
import { createApiToken } from '../../services/auth.service';
import { testDialects } from '../../testing/databases';
import { submission, task } from '../../testing/fixtures';
import { startTestServer, type TestServer } from '../../testing/server';
import { connectClient, eventually, SubscriptionRecorder } from '../../testing/subscriptions';
import { TOO_MANY_SOCKETS_CLOSE_CODE } from './quota';

// graphql-ws caps: subscriptions per socket and per user, sockets per user. An operation over a cap is
// refused with TOO_MANY_SUBSCRIPTIONS and the ones already open live on; a socket over the cap is closed
// with 4429. Before the caps, 20,000 subscriptions on one socket were all accepted.

const PER_SOCKET = 3;
const PER_USER = 5;
const SOCKETS_PER_USER = 2;
const PROGRESS = 'subscription($id: ID!) { workflowProgress(workflowId: $id) { status } }';

describe.each(testDialects())('subscription caps [%s]', (dialect) => {
  let server: TestServer;
  let workflowId: string;
  const tokens = {} as Record<'alice' | 'bob', string>;
  const clients: Client[] = [];
  const connect = (token: string) => {
    const client = connectClient(server.url, { authorization: `Bearer ${token}` });
    clients.push(client);
    return client;
  };
  /** A live subscription: it has delivered its first snapshot. */
  const subscribe = async (client: Client) => {
    const recorder = new SubscriptionRecorder<{ status: string }>(
      client,
      PROGRESS,
      { id: workflowId },
      'workflowProgress',
    );
    await recorder.until((r) => r.values.length > 0 || r.completed, 'a snapshot or a refusal');
    return recorder;
  };
  const refusalCodes = (recorder: SubscriptionRecorder<unknown>) =>
    recorder.errors.map((error) => error.extensions?.code);

  beforeAll(async () => {
    server = await startTestServer(dialect, {
      auth: true,
      maxSubscriptionsPerSocket: PER_SOCKET,
      maxSubscriptionsPerUser: PER_USER,
      maxSocketsPerUser: SOCKETS_PER_USER,
    });
    tokens.alice = (await createApiToken(server.db, { user: 'alice', role: Role.USER })).token;
    tokens.bob = (await createApiToken(server.db, { user: 'bob', role: Role.USER })).token;
    const submitted = await server.graphql<{ submitWorkflow: { workflow: { id: string } } }>(
      'mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }',
      { input: submission([task('a')]) },
      { token: tokens.alice },
    );
    expect(submitted.errors).toBeUndefined();
    workflowId = submitted.data!.submitWorkflow.workflow.id;
  });
  afterAll(async () => {
    try {
      await Promise.all(clients.map((client) => client.dispose()));
    } finally {
      await server?.stop();
    }
  });

  it('caps subscriptions per socket and per user, and sockets per user', async () => {
    // Per socket: the fourth on one socket is refused; the three open live on.
    const first = connect(tokens.alice);
    const open = [await subscribe(first), await subscribe(first), await subscribe(first)];
    const overSocket = await subscribe(first);
    expect(refusalCodes(overSocket)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    for (const recorder of open)
      expect({ errors: recorder.errors, done: recorder.completed }).toEqual({ errors: [], done: false });
    // Completing one frees its place.
    open.shift()!.stop();
    await eventually(
      () => server.subscriptions.activeSubscriptions.get('workflowProgress') === 2,
      'the subscription to end',
    );
    open.push(await subscribe(first));
    expect(open[2]!.errors).toEqual([]);

    // Per user: alice's second socket gets the two left of her five; bob is not counted with her.
    const second = connect(tokens.alice);
    open.push(await subscribe(second), await subscribe(second));
    const overUser = await subscribe(second);
    expect(refusalCodes(overUser)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    expect(overUser.errors[0]!.extensions).toMatchObject({ limit: PER_USER });
    const bobs = connect(tokens.bob);
    expect((await subscribe(bobs)).errors).toEqual([]);

    // Sockets per user: alice's third socket is closed; bob's second is not.
    const third = await subscribe(connect(tokens.alice));
    expect(third.failure).toMatchObject({ code: TOO_MANY_SOCKETS_CLOSE_CODE });
    expect((await subscribe(connect(tokens.bob))).errors).toEqual([]);
    for (const recorder of open) expect(recorder.failure).toBeNull();
  }, 60_000);
});
