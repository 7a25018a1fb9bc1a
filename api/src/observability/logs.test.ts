import { reap } from '../services/reaper/reaper';
import { testDialects } from '../testing/databases';
import { submission, task } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/server';

// The server's log lines carry the ids of what they are about (workflowId, workflowRunId, taskId,
// taskInstanceId), read back from the JSON the process logger really writes.

const mockLogLines: string[] = [];
jest.mock('../logger', () => {
  const actual = jest.requireActual<typeof import('../logger')>('../logger');
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
    logger: actual.createLogger({ service: 'jobmon-api', format: 'json', level: 'debug', destination: sink }),
  };
});

type LogLine = Record<string, unknown> & { msg: string };
const logged = (): LogLine[] => mockLogLines.map((line) => JSON.parse(line) as LogLine);

describe.each(testDialects())('scheduling log lines [%s]', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(async () => {
    await server.stop();
  });

  async function idsOf(instanceId: string) {
    const rows = await server.db.select<Record<string, unknown>>(
      'SELECT id, task_id, workflow_id, workflow_run_id FROM task_instance WHERE id = ?',
      [Number(instanceId)],
    );
    const row = rows[0]!;
    return {
      workflowId: Number(row.workflow_id),
      workflowRunId: Number(row.workflow_run_id),
      taskId: Number(row.task_id),
      taskInstanceId: Number(row.id),
    };
  }

  it('a failed report and a reaped instance log every id', async () => {
    // Lines of an earlier database's run could carry the same ids.
    mockLogLines.length = 0;
    const gql = async <T>(query: string, variables: Record<string, unknown>) => {
      const result = await server.graphql<T>(query, variables);
      expect(result.errors).toBeUndefined();
      return result.data!;
    };
    const { registerDistributor } = await gql<{ registerDistributor: { id: string } }>(
      'mutation($input: RegisterDistributorInput!) { registerDistributor(input: $input) { id } }',
      { input: { name: `logs-${dialect}`, backend: 'dummy', capacity: 4 } },
    );
    const distributorId = registerDistributor.id;
    await gql('mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }', {
      input: submission([task('fails'), task('reaped')], { maxAttempts: 1 }),
    });
    const { claimTaskInstances } = await gql<{ claimTaskInstances: { id: string; name: string }[] }>(
      'mutation($d: ID!) { claimTaskInstances(distributorId: $d, limit: 2) { id name } }',
      { d: distributorId },
    );
    const failing = claimTaskInstances.find((instance) => instance.name === 'fails')!.id;
    const silent = claimTaskInstances.find((instance) => instance.name === 'reaped')!.id;

    await gql(
      'mutation($r: [TaskInstanceFinishedInput!]!) { reportTaskInstancesFinished(reports: $r) { accepted } }',
      { r: [{ id: failing, outcome: 'ERROR', exitCode: 3, errorMessage: 'boom' }] },
    );
    const failed = await idsOf(failing);
    expect(logged()).toContainEqual(
      expect.objectContaining({ ...failed, status: 'ERROR', reason: 'boom', msg: 'task instance failed' }),
    );
    // One attempt allowed: the task is given up, and says so with its workflow, run and task.
    expect(logged()).toContainEqual(
      expect.objectContaining({
        workflowId: failed.workflowId,
        workflowRunId: failed.workflowRunId,
        taskId: failed.taskId,
        msg: 'task failed for good',
      }),
    );

    // The distributor then goes silent: a reaper pass a minute later gives its instance up.
    await reap(server.db, {
      heartbeatSeconds: 1,
      killTimeoutSeconds: 60,
      now: new Date(Date.now() + 60_000),
    });
    const reaped = await idsOf(silent);
    expect(logged()).toContainEqual(
      expect.objectContaining({
        ...reaped,
        status: 'UNKNOWN_ERROR',
        actor: 'reaper',
        msg: 'task instance failed',
      }),
    );
  });
});
