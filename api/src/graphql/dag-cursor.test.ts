import { testDialects } from '../testing/databases';
import { submission, task } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/server';
import { connectClient, SubscriptionRecorder } from '../testing/subscriptions';

// Dag.lastEventId: the cursor that lets a client draw the DAG and then follow taskStatusChanged without
// missing a change made between the two (the web UI's DAG does exactly this).
describe.each(testDialects())('Dag.lastEventId [%s]', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(async () => server.stop());

  async function data<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await server.graphql<T>(query, variables);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data!;
  }

  const readDag = async (id: string) =>
    (
      await data<{
        workflow: { dag: { lastEventId: string | null; nodes: { taskId: string; status: string }[] } };
      }>(
        'query($id: ID!) { workflow(id: $id) { dag(collapse: TASKS) { lastEventId nodes { taskId status } } } }',
        { id },
      )
    ).workflow.dag;

  it('is the newest audit event of the workflow, and taskStatusChanged(since: it) brings exactly the later changes', async () => {
    const submitted = await data<{ submitWorkflow: { workflow: { id: string } } }>(
      `mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }`,
      { input: submission([task('a'), task('b', ['a'])]) },
    );
    const workflowId = submitted.submitWorkflow.workflow.id;
    const before = await readDag(workflowId);
    const events = await data<{ auditEvents: { nodes: { id: string }[] } }>(
      'query($id: ID!) { auditEvents(filter: { workflowId: $id }, first: 1000) { nodes { id } } }',
      { id: workflowId },
    );
    expect(before.lastEventId).toBe(events.auditEvents.nodes.at(-1)!.id);

    // A change after the DAG was read: a → DONE queues b.
    const [a, b] = [...before.nodes].sort((x, y) => Number(x.taskId) - Number(y.taskId)).map((n) => n.taskId);
    await data('mutation($ids: [ID!]!) { setTaskStatus(taskIds: $ids, status: DONE) { id } }', { ids: [a] });

    const client = connectClient(server.url);
    const recorder = new SubscriptionRecorder<{ id: string; entityId: string; toStatus: string }>(
      client,
      'subscription($id: ID!, $since: ID) { taskStatusChanged(workflowId: $id, since: $since) { id entityId toStatus } }',
      { id: workflowId, since: before.lastEventId },
      'taskStatusChanged',
    );
    try {
      await recorder.until((r) => r.values.length >= 2, 'the changes after the cursor');
      expect(recorder.values.map((e) => [e.entityId, e.toStatus])).toEqual([
        [a, 'DONE'],
        [b, 'QUEUED'],
      ]);
      const after = await readDag(workflowId);
      expect(Number(after.lastEventId)).toBe(Number(recorder.values.at(-1)!.id));
      expect(Number(after.lastEventId)).toBeGreaterThan(Number(before.lastEventId));
    } finally {
      recorder.stop();
      await client.dispose();
    }
  });
});
