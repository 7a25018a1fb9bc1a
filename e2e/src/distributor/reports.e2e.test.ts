import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, startServer, type JobmonServer } from '@jobmon/api';
import { createTestDatabase, submission, testDialects, type TestDatabase } from '@jobmon/api/testing';
import { runWorker, startDistributor, type Distributor } from '@jobmon/distributor';
import { graphqlAt as gql } from '../testing/e2e';

// Reports the server cannot store, end to end, on SQLite and on MySQL. Output tails: real
// commands printing around 64 KiB through the local backend to a real API server. Before, a tail of 64 KiB or more overflowed MySQL's TEXT column:
// the report failed, was retried, and the run stalled with its task RUNNING. Every run must end, each tail
// being the output's last bytes that fit the column, cut on a character boundary.

jest.setTimeout(180_000);

const MAX_TAIL = 65_535;

const OUTPUTS: [string, Buffer][] = [
  ['64 KiB − 1', Buffer.from('x'.repeat(65_535 - 4) + 'end\n')],
  ['64 KiB', Buffer.from('x'.repeat(65_536 - 4) + 'end\n')],
  ['70 KB', Buffer.from('x'.repeat(70_000 - 4) + 'end\n')],
  ['1 MB', Buffer.from('x'.repeat(1_000_000 - 4) + 'end\n')],
  // 2-, 3- and 4-byte characters: the 64 KiB boundary falls inside one.
  ['multi-byte', Buffer.from('é€😀\n'.repeat(8_000) + 'fin\n')],
];

/** The last `max` bytes of `output` from its first whole UTF-8 character (the expectation, worked out apart). */
function expectedTail(output: Buffer, max: number): string {
  let start = Math.max(0, output.length - max);
  while (start < output.length && (output[start]! & 0xc0) === 0x80) start += 1;
  return output.subarray(start).toString('utf8');
}

interface View {
  status: string;
  tasks: {
    nodes: {
      key: string;
      status: string;
      instances: { status: string; stdoutTail: string; stderrTail: string }[];
    }[];
  };
}
const VIEW = `query($id: ID!) { workflow(id: $id) { status tasks(first: 100) { nodes { key status
  instances { status stdoutTail stderrTail } } } } }`;

describe.each(testDialects())('reports the server cannot store, end to end [%s]', (dialect) => {
  let database: TestDatabase | undefined;
  let server: JobmonServer | undefined;
  let distributor: Distributor | undefined;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-tail-e2e-'));
    database = await createTestDatabase(dialect);
    server = await startServer({
      ...loadConfig({ JOBMON_AUTH: 'off' }),
      databaseUrl: database.url,
      port: 0,
      heartbeatSeconds: 2,
    });
  });
  afterAll(async () => {
    await distributor?.stop();
    await server?.stop();
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ends every run, each tail the last bytes of the output that fit, on a character boundary', async () => {
    const files = OUTPUTS.map(([, output], i) => {
      const file = path.join(dir, `output-${i}.txt`);
      fs.writeFileSync(file, output);
      return file;
    });
    const input = submission(
      files.map((file, i) => ({ key: `out${i}`, template: 'print', args: { file } })),
      {
        tool: 'tail-e2e',
        maxAttempts: 1,
        taskTemplates: [{ name: 'print', commandTemplate: 'cat {file}; cat {file} >&2', nodeArgs: ['file'] }],
      },
    );
    const { submitWorkflow } = await gql<{ submitWorkflow: { workflow: { id: string } } }>(
      server!.url,
      `mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }`,
      { input },
    );
    distributor = startDistributor({
      serverUrl: server!.url,
      backend: 'local',
      name: `tail-e2e-${dialect}-${process.pid}`,
      slots: 2,
      pollIntervalMs: 200,
      heartbeatSeconds: 1,
      logDir: path.join(dir, 'logs'),
    });
    await distributor.ready;
    // The run ends (before the fix it never did on MySQL: the 64 KiB reports were retried for ever).
    let final: View;
    for (;;) {
      final = (await gql<{ workflow: View }>(server!.url, VIEW, { id: submitWorkflow.workflow.id })).workflow;
      if (['DONE', 'FAILED', 'HALTED'].includes(final.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(final.status).toBe('DONE');
    for (const [i, [what, output]] of OUTPUTS.entries()) {
      const task = final.tasks.nodes.find((node) => node.key === `out${i}`)!;
      expect({ what, status: task.status, instances: task.instances.length }).toEqual({
        what,
        status: 'DONE',
        instances: 1,
      });
      const expected = expectedTail(output, MAX_TAIL);
      for (const tail of [task.instances[0]!.stdoutTail, task.instances[0]!.stderrTail]) {
        expect({ what, bytes: Buffer.byteLength(tail), same: tail === expected }).toEqual({
          what,
          bytes: Buffer.byteLength(expected),
          same: true,
        });
      }
    }
  });

  it('jobmon-worker ends an attempt whose report is refused as REPORT_REFUSED: the run ends instead of stalling', async () => {
    // Only this test's own claimer may take the task: the first test's local distributor goes.
    await distributor?.stop();
    distributor = undefined;
    const input = submission([{ key: 'refused', template: 'run', args: { n: 1 } }], {
      tool: 'refused-e2e',
      maxAttempts: 1,
    });
    const { submitWorkflow } = await gql<{ submitWorkflow: { workflow: { id: string } } }>(
      server!.url,
      `mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }`,
      { input },
    );
    // Another host's backend claims it and hands it to a worker whose host name no column can hold.
    const { registerDistributor } = await gql<{ registerDistributor: { id: string } }>(
      server!.url,
      'mutation($name: String!) { registerDistributor(input: { name: $name, backend: "slurm" }) { id } }',
      { name: `refused-${dialect}-${process.pid}` },
    );
    const { claimTaskInstances } = await gql<{ claimTaskInstances: { id: string; command: string }[] }>(
      server!.url,
      'mutation($d: ID!) { claimTaskInstances(distributorId: $d, limit: 1) { id command } }',
      { d: registerDistributor.id },
    );
    const result = await runWorker({
      serverUrl: server!.url,
      taskInstanceId: claimTaskInstances[0]!.id,
      command: claimTaskInstances[0]!.command,
      logDir: path.join(dir, 'worker-logs'),
      heartbeatSeconds: 0.2,
      hostname: 'h'.repeat(300),
      reportTimeoutMs: 60_000,
    });
    expect(result).toMatchObject({ exitCode: 0, delivered: true });
    const { workflow } = await gql<{
      workflow: {
        status: string;
        tasks: {
          nodes: {
            status: string;
            instances: { status: string; errorKind: string; errorMessage: string }[];
          }[];
        };
      };
    }>(
      server!.url,
      `query($id: ID!) { workflow(id: $id) { status tasks { nodes { status instances { status errorKind errorMessage } } } } }`,
      { id: submitWorkflow.workflow.id },
    );
    // One attempt, ended as an error that says why; with no attempt left the workflow ends.
    expect(workflow.status).toBe('FAILED');
    expect(workflow.tasks.nodes[0]!.status).toBe('ERROR_FATAL');
    expect(workflow.tasks.nodes[0]!.instances).toEqual([
      expect.objectContaining({ status: 'ERROR', errorKind: 'REPORT_REFUSED' }),
    ]);
    expect(workflow.tasks.nodes[0]!.instances[0]!.errorMessage).toMatch(
      /refused this attempt's DONE report \(BAD_USER_INPUT\): .*hostname is longer than 255 characters/,
    );
  });
});
