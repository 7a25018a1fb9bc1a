import { startTestServer, type TestServer } from '../testing/server';
import { testDialects } from '../testing/databases';
import { tableRowCounts } from '../testing/row-counts';
import { connectClient, SubscriptionRecorder } from '../testing/subscriptions';
import { bipartite, chain, echoTemplates, submission } from '../testing/fixtures';

// One request carries at most maxItemsPerRequest items (tasks + upstream keys): its reading is synchronous
// work no other request interleaves with. Beyond it the request is refused with BAD_USER_INPUT before
// anything runs, whether the items are tasks or edges, and nothing is written.

const MAX_ITEMS = 50;

const SUBMIT = 'mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }';
const BEGIN = 'mutation($input: WorkflowBindingInput!) { beginWorkflowBinding(input: $input) { bindingId } }';
const ADD =
  'mutation($id: ID!, $tasks: [TaskInput!]!) { addWorkflowTasks(bindingId: $id, tasks: $tasks) { taskCount } }';

describe.each(testDialects())('items per request [%s]', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(dialect, { maxItemsPerRequest: MAX_ITEMS });
  });
  afterAll(async () => {
    await server.stop();
  });

  const rowCounts = () => tableRowCounts(server.db);

  async function expectRefused(query: string, variables: Record<string, unknown>, items: number) {
    const before = await rowCounts();
    const response = await server.graphql(query, variables);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      items,
      maxItemsPerRequest: MAX_ITEMS,
    });
    expect(response.data).toBeUndefined();
    expect(await rowCounts()).toEqual(before);
  }

  it('says its limit in serverLimits', async () => {
    const response = await server.graphql<{ serverLimits: { maxItemsPerRequest: number } }>(
      '{ serverLimits { maxItemsPerRequest } }',
    );
    expect(response.data?.serverLimits.maxItemsPerRequest).toBe(MAX_ITEMS);
  });

  it('refuses a submission of more tasks than the limit, and writes nothing', async () => {
    await expectRefused(SUBMIT, { input: submission(chain(26)) }, 26 + 25);
  });

  it('refuses a submission of few tasks but more edges than the limit, and writes nothing', async () => {
    // 14 tasks, 49 edges: 63 items, though far fewer tasks than the limit.
    const dag = bipartite(7);
    await expectRefused(SUBMIT, { input: submission(dag, { taskTemplates: echoTemplates(dag) }) }, 14 + 49);
  });

  it('accepts a submission at the limit', async () => {
    const dag = chain(25); // 25 tasks + 24 edges
    const response = await server.graphql(SUBMIT, { input: submission(dag) });
    expect(response.errors).toBeUndefined();
    expect(response.status).toBe(200);
  });

  it('refuses a chunk of the binding over the limit, and writes nothing of it', async () => {
    const dag = bipartite(7);
    const { tasks: _tasks, ...fields } = submission(dag, { taskTemplates: echoTemplates(dag) });
    const begun = await server.graphql<{ beginWorkflowBinding: { bindingId: string } }>(BEGIN, {
      input: fields,
    });
    const id = begun.data!.beginWorkflowBinding.bindingId;
    await expectRefused(ADD, { id, tasks: dag }, 14 + 49);
    // The same tasks in chunks within the limit are taken.
    const added = await server.graphql<{ addWorkflowTasks: { taskCount: number } }>(ADD, {
      id,
      tasks: dag.slice(0, 7),
    });
    expect(added.data?.addWorkflowTasks.taskCount).toBe(7);
    await server.graphql('mutation($id: ID!) { abortWorkflowBinding(bindingId: $id) }', { id });
  });

  it('refuses the same over graphql-ws, and writes nothing', async () => {
    const before = await rowCounts();
    const client = connectClient(server.url);
    const dag = bipartite(7);
    const attempt = new SubscriptionRecorder(
      client,
      SUBMIT,
      { input: submission(dag, { taskTemplates: echoTemplates(dag) }) },
      'submitWorkflow',
    );
    try {
      await attempt.until((r) => r.completed, 'the refusal');
      expect(attempt.errors.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(await rowCounts()).toEqual(before);
    } finally {
      await client.dispose();
    }
  });
});
