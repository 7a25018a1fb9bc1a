import { startTestServer, type TestServer } from '../testing/server';
import { connectClient, SubscriptionRecorder } from '../testing/subscriptions';
import { testDialects } from '../testing/databases';
import { tableRowCounts } from '../testing/row-counts';
import {
  echoTemplates,
  submission,
  task,
  type SubmissionFixture,
  type TaskFixture,
} from '../testing/fixtures';

// Bad input of every kind is refused with a 4xx, a stable code, and nothing written, on both
// databases; input that only looks hostile (a `?`, backslashes, quotes in a key) is stored as it is.

const SUBMIT = /* GraphQL */ `
  mutation Submit($input: WorkflowSubmission!) {
    submitWorkflow(input: $input) {
      workflow {
        id
        name
        tasks(first: 10) {
          nodes {
            key
            name
          }
        }
      }
    }
  }
`;

/**
 * A valid submission of one task `k` but for `fields` of the workflow and `taskFields` of the task; its
 * template stays the one made for the valid task, so each input is refused for its own fault alone.
 */
const oneTask = (fields: Partial<SubmissionFixture> = {}, taskFields: Record<string, unknown> = {}) =>
  submission([{ ...task('k'), ...taskFields } as TaskFixture], {
    taskTemplates: echoTemplates([task('k')]),
    ...fields,
  });

/** A JSON object nested `depth` levels deep, as text (JSON.stringify of it would overflow the stack). */
const nestedJson = (depth: number) => `${'{"a":'.repeat(depth)}{}${'}'.repeat(depth)}`;

/** A submission request body with `json` put in place of the string "NESTED". */
const withNested = (input: Record<string, unknown>, json: string) =>
  JSON.stringify({ query: SUBMIT, variables: { input } }).replace('"NESTED"', json);

const LONE_SURROGATE = 'x\ud800y';

describe.each(testDialects())('bad input [%s]', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(async () => {
    await server.stop();
  });

  const rowCounts = () => tableRowCounts(server.db);

  async function expectRefused(
    query: string,
    variables: Record<string, unknown> | undefined,
    code: string,
    body?: string,
  ) {
    const before = await rowCounts();
    const response = body
      ? await rawPost(body)
      : await server.graphql(query, variables).then((r) => ({ status: r.status, errors: r.errors }));
    expect(response.errors?.[0]?.extensions?.code).toBe(code);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await rowCounts()).toEqual(before);
    return response;
  }

  async function rawPost(body: string) {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const parsed = (await response.json()) as {
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    };
    return { status: response.status, errors: parsed.errors };
  }

  it.each([['0x10'], [' 1'], ['1 '], ['1e1'], ['01'], ['+1'], ['1.0'], [''], ['99999999999999999999']])(
    'refuses the id %j',
    async (id) => {
      await expectRefused('query($id: ID!) { workflow(id: $id) { id } }', { id }, 'BAD_USER_INPUT');
    },
  );

  it.each([
    ['a number beyond the safe integers', Buffer.from('id:99999999999999999999').toString('base64url')],
    ['a hexadecimal id', Buffer.from('id:0x10').toString('base64url')],
    ['a 1 MB cursor', 'A'.repeat(1024 * 1024)],
  ])('refuses a cursor holding %s', async (_what, after) => {
    await expectRefused(
      'query($after: String) { workflows(after: $after) { totalCount } }',
      { after },
      'BAD_USER_INPUT',
    );
  });

  it('refuses NUL in names and keys', async () => {
    await expectRefused(SUBMIT, { input: oneTask({ tool: 'a\u0000b' }) }, 'BAD_USER_INPUT');
    await expectRefused(SUBMIT, { input: oneTask({}, { key: 'a\u0000b' }) }, 'BAD_USER_INPUT');
    await expectRefused(SUBMIT, { input: oneTask({ name: 'a\u0000b' }) }, 'BAD_USER_INPUT');
  });

  it('refuses lone surrogates anywhere in the input', async () => {
    await expectRefused(SUBMIT, { input: oneTask({ tool: LONE_SURROGATE }) }, 'BAD_USER_INPUT');
    await expectRefused(SUBMIT, { input: oneTask({}, { key: LONE_SURROGATE }) }, 'BAD_USER_INPUT');
    await expectRefused(SUBMIT, { input: oneTask({}, { args: { name: LONE_SURROGATE } }) }, 'BAD_USER_INPUT');
    await expectRefused(SUBMIT, { input: oneTask({ workflowArgs: `w${LONE_SURROGATE}` }) }, 'BAD_USER_INPUT');
    // In the document itself rather than in the variables: GraphQL's parser refuses it.
    await expectRefused(
      '',
      undefined,
      'GRAPHQL_PARSE_FAILED',
      '{"query": "{ workflows(filter: {search: \\"a\\ud800\\"}) { totalCount } }"}',
    );
  });

  it('refuses attributes nested 10,000 deep', async () => {
    const deep = nestedJson(10_000);
    await expectRefused('', undefined, 'BAD_USER_INPUT', withNested(oneTask({ attributes: 'NESTED' }), deep));
    await expectRefused(
      '',
      undefined,
      'BAD_USER_INPUT',
      withNested(oneTask({}, { attributes: 'NESTED' }), deep),
    );
    await expectRefused('', undefined, 'BAD_USER_INPUT', withNested(oneTask({}, { args: 'NESTED' }), deep));
    // Just beyond the documented depth (32) is refused too, and just within it stored.
    await expectRefused(
      '',
      undefined,
      'BAD_USER_INPUT',
      withNested(oneTask({ attributes: 'NESTED' }), nestedJson(33)),
    );
    const within = await rawPost(withNested(oneTask({ attributes: 'NESTED' }), nestedJson(31)));
    expect(within.errors).toBeUndefined();
  });

  it('refuses a 1 MB search string', async () => {
    const search = 'x'.repeat(1024 * 1024);
    await expectRefused(
      'query($search: String) { workflows(filter: { search: $search }) { totalCount } }',
      { search },
      'BAD_USER_INPUT',
    );
  });

  it('refuses free text beyond its limit', async () => {
    const big = 'y'.repeat(70_000);
    await expectRefused(SUBMIT, { input: oneTask({ description: big }) }, 'BAD_USER_INPUT');
    await expectRefused(SUBMIT, { input: oneTask({ workflowArgs: big }) }, 'BAD_USER_INPUT');
    await expectRefused(SUBMIT, { input: oneTask({ attributes: { a: big } }) }, 'BAD_USER_INPUT');
    await expectRefused(
      SUBMIT,
      { input: oneTask({ taskTemplates: [{ name: 'step', commandTemplate: `echo {name} ${big}` }] }) },
      'BAD_USER_INPUT',
    );
    await expectRefused(SUBMIT, { input: oneTask({}, { args: { name: big } }) }, 'BAD_USER_INPUT');
    await expectRefused(SUBMIT, { input: oneTask({}, { attributes: { a: big } }) }, 'BAD_USER_INPUT');
    // Multi-byte: 30,000 characters, 90,000 UTF-8 bytes.
    await expectRefused(SUBMIT, { input: oneTask({ description: '€'.repeat(30_000) }) }, 'BAD_USER_INPUT');
    await expectRefused(SUBMIT, { input: oneTask({}, { name: 'n'.repeat(256) }) }, 'BAD_USER_INPUT');
  });

  it('refuses a distributor hostname or a stop reason beyond its limit', async () => {
    await expectRefused(
      'mutation($input: RegisterDistributorInput!) { registerDistributor(input: $input) { id } }',
      { input: { name: 'long-host', backend: 'dummy', hostname: 'h'.repeat(256) } },
      'BAD_USER_INPUT',
    );
    await expectRefused(
      'mutation($reason: String) { stopWorkflow(id: "1", reason: $reason) { id } }',
      { reason: 'r'.repeat(70_000) },
      'BAD_USER_INPUT',
    );
  });

  it('refuses two operations without operationName', async () => {
    await expectRefused(
      '',
      undefined,
      'BAD_USER_INPUT',
      JSON.stringify({ query: 'query A { workflows { totalCount } } query B { tools { id } }' }),
    );
  });

  it('refuses the same over graphql-ws: several operations without operationName, lone surrogates, deep JSON', async () => {
    const client = connectClient(server.url);
    const several = new SubscriptionRecorder(
      client,
      'subscription A { workQueued(distributorId: "1") { at } } subscription B { workQueued(distributorId: "2") { at } }',
      {},
      'workQueued',
    );
    const surrogate = new SubscriptionRecorder(
      client,
      'subscription($id: ID) { workflowStatusChanged(workflowId: $id) { id } }',
      { id: LONE_SURROGATE },
      'workflowStatusChanged',
    );
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i++) deep = [deep];
    const nestedVariables = new SubscriptionRecorder(
      client,
      'subscription($id: ID) { workflowStatusChanged(workflowId: $id) { id } }',
      { id: '1', unused: deep },
      'workflowStatusChanged',
    );
    try {
      for (const attempt of [several, surrogate, nestedVariables]) {
        await attempt.until((r) => r.completed, 'the refusal');
        expect(attempt.errors.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      }
    } finally {
      await client.dispose();
    }
  });

  it('stores keys, names and args holding ?, backslashes, quotes and multi-byte text as they are', async () => {
    const hostile = ["a\\'?", '?', "\\'", '\\', "'?'", '"?"', '`?`', '€?😀', '\\\\?\\'];
    const response = await server.graphql<{
      submitWorkflow: { workflow: { name: string; tasks: { nodes: { key: string; name: string }[] } } };
    }>(SUBMIT, {
      input: submission(
        hostile.map((key, i) => task(key, i === 0 ? [] : [hostile[i - 1]!], { name: `${key}-name` })),
        { name: "w\\'?" },
      ),
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.submitWorkflow.workflow.name).toBe("w\\'?");
    const stored = response.data!.submitWorkflow.workflow.tasks.nodes;
    expect(stored.map((task) => task.key).sort()).toEqual([...hostile].sort());
    expect(stored.map((task) => task.name).sort()).toEqual(hostile.map((key) => `${key}-name`).sort());
  });
});
