import { testDialects } from '../testing/databases';
import { submission, task } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/server';
import { connectClient, SubscriptionRecorder } from '../testing/subscriptions';

// Task.lastEventId and TaskInstance.lastEventId: the cursor that lets the task and attempt pages read a
// task and then follow taskStatusChanged without missing a change made between the two.
describe.each(testDialects())('Task.lastEventId and TaskInstance.lastEventId [%s]', (dialect) => {
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

  const newestAuditId = async () => {
    const events = await data<{ auditEvents: { totalCount: number; nodes: { id: string }[] } }>(
      '{ auditEvents(first: 1000) { totalCount nodes { id } } }',
    );
    expect(events.auditEvents.totalCount).toBeLessThan(1000);
    return events.auditEvents.nodes.at(-1)!.id;
  };

  it('is the newest audit event when the task is read, and taskStatusChanged(since: it) brings exactly the later changes', async () => {
    const submitted = await data<{
      submitWorkflow: { workflow: { id: string; tasks: { nodes: { id: string; key: string }[] } } };
    }>(
      `mutation($input: WorkflowSubmission!) {
         submitWorkflow(input: $input) { workflow { id tasks(first: 10) { nodes { id key } } } }
       }`,
      { input: submission([task('a'), task('b', ['a'])]) },
    );
    const { workflow } = submitted.submitWorkflow;
    const idOf = (key: string) => workflow.tasks.nodes.find((t) => t.key === key)!.id;
    const [a, b] = [idOf('a'), idOf('b')];

    const before = (
      await data<{ task: { lastEventId: string; status: string } }>(
        'query($id: ID!) { task(id: $id) { lastEventId status } }',
        { id: b },
      )
    ).task;
    expect(before.status).toBe('REGISTERING');
    expect(before.lastEventId).toBe(await newestAuditId());

    // A change after the task was read: a → DONE queues b.
    await data('mutation($ids: [ID!]!) { setTaskStatus(taskIds: $ids, status: DONE) { id } }', { ids: [a] });

    const client = connectClient(server.url);
    const recorder = new SubscriptionRecorder<{ id: string; entityId: string; toStatus: string }>(
      client,
      'subscription($id: ID!, $since: ID) { taskStatusChanged(workflowId: $id, since: $since) { id entityId toStatus } }',
      { id: workflow.id, since: before.lastEventId },
      'taskStatusChanged',
    );
    try {
      await recorder.until((r) => r.values.length >= 2, 'the changes after the cursor');
      expect(recorder.values.map((e) => [e.entityId, e.toStatus])).toEqual([
        [a, 'DONE'],
        [b, 'QUEUED'],
      ]);
      const after = (
        await data<{ task: { lastEventId: string; status: string } }>(
          'query($id: ID!) { task(id: $id) { lastEventId status } }',
          { id: b },
        )
      ).task;
      expect(after.status).toBe('QUEUED');
      expect(after.lastEventId).toBe(recorder.values.at(-1)!.id);
    } finally {
      recorder.stop();
      await client.dispose();
    }
  });

  it('is the same on an attempt and on its task in one request', async () => {
    const submitted = await data<{ submitWorkflow: { workflow: { id: string } } }>(
      `mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }`,
      { input: submission([task('only')]) },
    );
    const distributor = await data<{ registerDistributor: { id: string } }>(
      `mutation($input: RegisterDistributorInput!) { registerDistributor(input: $input) { id } }`,
      { input: { name: `cursor-${dialect}`, backend: 'dummy', capacity: 10, hostname: 'test-host' } },
    );
    const claimed = await data<{ claimTaskInstances: { id: string; workflowId: string }[] }>(
      'mutation($id: ID!) { claimTaskInstances(distributorId: $id, limit: 10) { id workflowId } }',
      { id: distributor.registerDistributor.id },
    );
    const attempt = claimed.claimTaskInstances.find(
      (c) => c.workflowId === submitted.submitWorkflow.workflow.id,
    )!;
    const read = await data<{
      taskInstance: { lastEventId: string; status: string; task: { lastEventId: string; status: string } };
    }>('query($id: ID!) { taskInstance(id: $id) { lastEventId status task { lastEventId status } } }', {
      id: attempt.id,
    });
    expect(read.taskInstance.status).toBe('INSTANTIATED');
    expect(read.taskInstance.task.status).toBe('INSTANTIATING');
    expect(read.taskInstance.lastEventId).toBe(await newestAuditId());
    expect(read.taskInstance.task.lastEventId).toBe(read.taskInstance.lastEventId);
  });
});
