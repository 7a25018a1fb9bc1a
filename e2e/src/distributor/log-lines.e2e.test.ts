import { startTestServer, submission, testDialects, type TestServer } from '@jobmon/api/testing';
import { startDistributor, type Backend, type ClaimedInstance, type Distributor } from '@jobmon/distributor';

// The distributor's log lines about an attempt carry the API's id fields (workflowId, workflowRunId,
// taskId, taskInstanceId), read back from the JSON its logger really writes.

const mockLogLines: string[] = [];
// The distributor's modules log through dist/logger; its root logger is replaced by one writing here.
jest.mock('@jobmon/distributor/dist/logger', () => {
  const actual = jest.requireActual<typeof import('@jobmon/distributor/dist/logger')>(
    '@jobmon/distributor/dist/logger',
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Writable: Sink } = require('node:stream') as typeof import('node:stream');
  const sink = new Sink({
    write(chunk: Buffer, _encoding, done) {
      mockLogLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return {
    ...actual,
    logger: actual.createLogger({
      service: 'jobmon-distributor',
      format: 'json',
      level: 'debug',
      destination: sink,
    }),
  };
});

type LogLine = Record<string, unknown> & { msg: string };
const logged = (): LogLine[] => mockLogLines.map((line) => JSON.parse(line) as LogLine);

/** A backend that refuses everything it is given. */
function refusingBackend(): Backend {
  return {
    kind: 'dummy',
    capacity: 1,
    queues: [{ name: 'refusing' }],
    freeSlots: () => 1,
    start: () => undefined,
    submit: async (instances: readonly ClaimedInstance[]) =>
      instances.map((instance) => ({ id: instance.id, accepted: false as const, reason: 'no room here' })),
    status: async () => new Map(),
    cancel: async () => undefined,
    adopt: async (instances) =>
      instances.map((instance) => ({ id: instance.id, state: 'NOT_STARTED' as const })),
    shutdown: async () => undefined,
  };
}

describe.each(testDialects())('distributor log lines [%s]', (dialect) => {
  let server: TestServer;
  let distributor: Distributor | null = null;

  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(async () => {
    await distributor?.stop();
    await server.stop();
  });

  it('a refused submission logs the attempt with every id', async () => {
    mockLogLines.length = 0;
    const submitted = await server.graphql<{ submitWorkflow: { workflow: { id: string } } }>(
      'mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }',
      {
        input: submission([{ key: 'refused', template: 't', args: {} }], {
          tool: 'distributor-logs',
          maxAttempts: 1,
        }),
      },
    );
    expect(submitted.errors).toBeUndefined();
    distributor = startDistributor({
      serverUrl: server.url,
      backend: refusingBackend(),
      name: `logs-${dialect}`,
      pollIntervalMs: 100,
      heartbeatSeconds: 1,
    });
    await distributor.ready;
    const deadline = Date.now() + 30_000;
    const refusal = () => logged().find((line) => line.msg === 'the backend refused a task instance');
    while (!refusal()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the refusal to be logged');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const rows = await server.db.select<Record<string, unknown>>(
      'SELECT id, task_id, workflow_id, workflow_run_id FROM task_instance',
    );
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(refusal()).toMatchObject({
      service: 'jobmon-distributor',
      workflowId: String(row.workflow_id),
      workflowRunId: String(row.workflow_run_id),
      taskId: String(row.task_id),
      taskInstanceId: String(row.id),
      reason: 'no room here',
    });
  });
});
