import { UnauthenticatedError } from '../../domain';
import { testDialects } from '../../testing/databases';
import { startTestServer, type TestServer } from '../../testing/server';
import { connectClient, SubscriptionRecorder } from '../../testing/subscriptions';

// The authentication hook of graphql-ws: the token of `connection_init` goes to userFromToken, whose user
// is the caller of every operation on that connection; a refused token closes the connection. Open mode
// accepts everyone, so this test stands in a token check of its own.

jest.mock('../context', () => {
  const actual = jest.requireActual<typeof import('../context')>('../context');
  return {
    ...actual,
    userFromToken: jest.fn(async (token: string | null) => {
      if (token === 'stolen') throw new UnauthenticatedError('Token revoked');
      return token === 'alice-token' ? 'alice' : null;
    }),
  };
});

const SUBMIT = `mutation ($input: WorkflowSubmission!) {
  submitWorkflow(input: $input) { workflow { id createdBy latestRun { user } } }
}`;

interface Submitted {
  workflow: { id: string; createdBy: string | null; latestRun: { user: string | null } };
}

let submissions = 0;
const input = () => {
  submissions += 1;
  return {
    tool: `auth-${process.pid}`,
    workflowArgs: `w${submissions}`,
    taskTemplates: [{ name: 'hello', commandTemplate: 'echo {who}' }],
    tasks: [{ key: 'a', template: 'hello', args: { who: 'a' } }],
  };
};

describe.each(testDialects())('graphql-ws authentication [%s]', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(dialect);
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function submitOver(connectionParams: Record<string, unknown> | undefined) {
    const client = connectClient(server.url, connectionParams);
    const recorder = new SubscriptionRecorder<Submitted>(
      client,
      SUBMIT,
      { input: input() },
      'submitWorkflow',
    );
    try {
      await recorder.until((r) => r.completed, 'the operation to end');
      return recorder;
    } finally {
      await client.dispose();
    }
  }

  it('makes the user of the connection_init token the caller of operations on the connection', async () => {
    for (const params of [{ token: 'alice-token' }, { authorization: 'Bearer alice-token' }]) {
      const recorder = await submitOver(params);
      expect(recorder.errors).toEqual([]);
      expect(recorder.values[0]?.workflow).toMatchObject({
        createdBy: 'alice',
        latestRun: { user: 'alice' },
      });
    }
  });

  it('serves a connection without a token in open mode, as nobody', async () => {
    const recorder = await submitOver(undefined);
    expect(recorder.errors).toEqual([]);
    expect(recorder.values[0]?.workflow).toMatchObject({ createdBy: null, latestRun: { user: null } });
  });

  it('closes a connection whose token is refused, saying why', async () => {
    const recorder = await submitOver({ token: 'stolen' });
    expect(recorder.values).toEqual([]);
    expect(recorder.failure).toMatchObject({ code: 4401, reason: 'Token revoked' });
  });
});
