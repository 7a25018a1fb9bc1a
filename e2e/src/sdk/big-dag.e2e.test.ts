import { startTestServer, testDialects } from '@jobmon/api/testing';
import { JobmonClient, Tool } from '@jobmon/client-sdk';

// A 100,000-task DAG bound through the SDK in one call: the server's default items per request (tasks +
// upstream keys, 10,000) splits it in chunks. A file of its own (it is the heaviest binding in the suite), so Jest runs it beside others.

describe.each(testDialects())('a 100k-task DAG through the SDK [%s]', (dialect) => {
  it('submits in one call (chunked under the hood) and the server holds every task and edge', async () => {
    // No distributor: this is about binding; the tasks stay QUEUED/REGISTERING until the server stops.
    const server = await startTestServer(dialect);
    try {
      const tool = new Tool('big-e2e');
      const step = tool.taskTemplate({ name: 'step', commandTemplate: 'true {i}' });
      const tasks = Array.from({ length: 100_000 }, (_, i) => step.createTask({ args: { i } }));
      // A fan: each task after the first thousand waits for one of them (99,000 edges across chunks).
      for (let i = 1000; i < tasks.length; i += 1) tasks[i]!.addUpstream(tasks[i % 1000]!);
      const workflow = tool.workflow({ workflowArgs: dialect }).addTasks(...tasks);
      const chunks: number[] = [];
      const id = await workflow.submit({
        // The commit of 100,000 tasks takes the server (in this test process) long when the machine is
        // loaded: the request waits for its answer, it does not time the server.
        client: new JobmonClient({ serverUrl: server.url, timeoutMs: 600_000 }),
        onChunk: ({ sentTasks }) => chunks.push(sentTasks),
      });
      // 1,000 tasks without upstream and 4,500 with one make the first 10,000 items; 5,000 tasks each after.
      expect(chunks[0]).toBe(5500);
      expect(chunks.length).toBe(20);
      expect(chunks.at(-1)).toBe(100_000);
      const view = await server.graphql<{
        workflow: { taskCount: number; statusCounts: { QUEUED: number } };
      }>('query($id: ID!) { workflow(id: $id) { taskCount statusCounts { QUEUED } } }', { id });
      expect(view.data?.workflow).toEqual({ taskCount: 100_000, statusCounts: { QUEUED: 1000 } });
    } finally {
      await server.stop();
    }
  }, 300_000);
});
