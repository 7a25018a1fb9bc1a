import { testDialects } from '../testing/databases';
import { bipartite, submission, task } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/server';

// Lists whose length only the answer knows (a task's upstream and downstream, a DAG drawn task by task)
// charge their real length to the request's response budget before their items are loaded: a dense DAG
// walked a few levels deep is refused with QUERY_TOO_COMPLEX, as a whole, instead of being built.

const BUDGET = 1000;
const SIDE = 30;

describe.each(testDialects())('the response budget [%s]', (dialect) => {
  let server: TestServer;
  let workflowId: string;
  let firstTaskId: string;

  beforeAll(async () => {
    server = await startTestServer(dialect, { maxResponseSize: BUDGET });
    const submitted = await server.graphql<{
      submitWorkflow: { workflow: { id: string; tasks: { nodes: { id: string; key: string }[] } } };
    }>(
      'mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id tasks(first: 1) { nodes { id key } } } } }',
      { input: submission(bipartite(SIDE, 'a', 'b')) },
    );
    expect(submitted.errors).toBeUndefined();
    workflowId = submitted.data!.submitWorkflow.workflow.id;
    firstTaskId = submitted.data!.submitWorkflow.workflow.tasks.nodes[0]!.id;
  });
  afterAll(async () => server.stop());

  it('answers a walk of the DAG within the budget in full', async () => {
    // 30 downstream, then 30 × 30 upstream: 930 values.
    const answer = await server.graphql<{ task: { downstream: { upstream: { id: string }[] }[] } }>(
      `{ task(id: "${firstTaskId}") { downstream { upstream { id } } } }`,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.task.downstream).toHaveLength(SIDE);
    for (const task of answer.data!.task.downstream) expect(task.upstream).toHaveLength(SIDE);
  });

  it('refuses a walk one level deeper (27,930 values) as a whole, though its estimated cost is small', async () => {
    const answer = await server.graphql(
      `{ task(id: "${firstTaskId}") { downstream { upstream { downstream { id key } } } } }`,
    );
    expect(answer.status).toBe(400);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]!.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      maxResponseSize: BUDGET,
    });
  });

  it('refuses a DAG drawn task by task by its task and edge counts', async () => {
    const dag = (collapse: string) =>
      server.graphql(
        `query($id: ID!) { workflow(id: $id) { dag(collapse: ${collapse}) { nodes { id label } edges { source target } } } }`,
        { id: workflowId },
      );
    const refused = await dag('TASKS');
    expect(refused.status).toBe(400);
    expect(refused.errors!.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    // Collapsed by template, the same DAG is two nodes and an edge.
    const collapsed = await dag('TEMPLATES');
    expect(collapsed.errors).toBeUndefined();
    expect(collapsed.data).toMatchObject({ workflow: { dag: { edges: [{ source: 'template:a' }] } } });
  });

  it('charges an expanded template by its own tasks and edges, not the whole workflow’s', async () => {
    // Two templates of 200 tasks linked one to one: the whole DAG task by task is 400 nodes and 200
    // edges (1,200 values with two fields each), over the budget; one template expanded is 200 task
    // nodes, a group and at most 200 edges (about 800), within it.
    const chain = [
      ...Array.from({ length: 200 }, (_, i) => task(`x${i}`, [], { template: 'x' })),
      ...Array.from({ length: 200 }, (_, i) => task(`y${i}`, [`x${i}`], { template: 'y' })),
    ];
    const submitted = await server.graphql<{ submitWorkflow: { workflow: { id: string } } }>(
      'mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }',
      { input: submission(chain) },
    );
    expect(submitted.errors).toBeUndefined();
    const id = submitted.data!.submitWorkflow.workflow.id;
    const dag = (args: string) =>
      server.graphql<{ workflow: { dag: { nodes: { id: string }[]; edges: unknown[] } } }>(
        `query($id: ID!) { workflow(id: $id) { dag(${args}) { nodes { id label } edges { source target } } } }`,
        { id },
      );
    const whole = await dag('collapse: TASKS');
    expect(whole.errors!.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    const expanded = await dag('collapse: TEMPLATES, expand: ["x"]');
    expect(expanded.errors).toBeUndefined();
    expect(expanded.data!.workflow.dag.nodes).toHaveLength(201);
  });

  it('gives each request a budget of its own', async () => {
    for (let i = 0; i < 3; i += 1) {
      const answer = await server.graphql(
        `{ task(id: "${firstTaskId}") { downstream { upstream { id } } } }`,
      );
      expect(answer.errors).toBeUndefined();
    }
  });
});
