import { startTestServer, type TestServer } from '../testing/server';
import { testDialects } from '../testing/databases';
import { independent, submission } from '../testing/fixtures';

// Reports the server cannot store as they are, on both databases: output tails of any size are
// stored by their last 65,535 UTF-8 bytes (a MySQL TEXT), cut on a character boundary, and the run goes
// on; a report with a field beyond its limit is refused with BAD_USER_INPUT and changes nothing.

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterDistributorInput!) {
    registerDistributor(input: $input) {
      id
    }
  }
`;
const SUBMIT = /* GraphQL */ `
  mutation Submit($input: WorkflowSubmission!) {
    submitWorkflow(input: $input) {
      workflow {
        id
      }
    }
  }
`;
const CLAIM = /* GraphQL */ `
  mutation Claim($distributorId: ID!, $limit: Int!) {
    claimTaskInstances(distributorId: $distributorId, limit: $limit) {
      id
      taskId
    }
  }
`;
const FINISHED = /* GraphQL */ `
  mutation Finished($reports: [TaskInstanceFinishedInput!]!) {
    reportTaskInstancesFinished(reports: $reports) {
      accepted
      ignored {
        id
        reason
      }
    }
  }
`;
const INSTANCE = /* GraphQL */ `
  query Instance($id: ID!) {
    taskInstance(id: $id) {
      status
      hostname
      errorMessage
      stdoutTail
      stderrTail
      task {
        status
      }
    }
  }
`;
const WORKFLOW = /* GraphQL */ `
  query Workflow($id: ID!) {
    workflow(id: $id) {
      status
    }
  }
`;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const MAX_TAIL = 65_535;

/** `size` bytes of output ending in a recognisable line. */
const ascii = (size: number) => 'x'.repeat(size - 6) + '\nend.\n';

const OUTPUTS: [string, string][] = [
  ['64 KiB − 1', ascii(65_535)],
  ['64 KiB', ascii(65_536)],
  ['70 KB', ascii(70_000)],
  ['1 MB', ascii(1_000_000)],
  // 3- and 4-byte characters whose boundaries do not fall on the cut: the cut must move to one.
  ['multi-byte', 'é€😀'.repeat(10_000) + 'fin'],
];

interface Instance {
  status: string;
  hostname: string | null;
  errorMessage: string | null;
  stdoutTail: string | null;
  stderrTail: string | null;
  task: { status: string };
}

describe.each(testDialects())('reports the server cannot store as they are [%s]', (dialect) => {
  let server: TestServer;
  let distributorId: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    const registered = await server.graphql<{ registerDistributor: { id: string } }>(REGISTER, {
      input: { name: 'tails', backend: 'dummy', capacity: 100 },
    });
    distributorId = registered.data!.registerDistributor.id;
  });
  afterAll(async () => {
    await server.stop();
  });

  /** Submits `count` independent tasks and claims them all. */
  async function claimed(count: number) {
    const submitted = await server.graphql<{ submitWorkflow: { workflow: { id: string } } }>(SUBMIT, {
      input: submission(independent(count, 'k'), { maxAttempts: 1 }),
    });
    expect(submitted.errors).toBeUndefined();
    const claim = await server.graphql<{ claimTaskInstances: { id: string }[] }>(CLAIM, {
      distributorId,
      limit: count,
    });
    expect(claim.data!.claimTaskInstances).toHaveLength(count);
    return {
      workflowId: submitted.data!.submitWorkflow.workflow.id,
      ids: claim.data!.claimTaskInstances.map((instance) => instance.id),
    };
  }

  const instance = async (id: string) =>
    (await server.graphql<{ taskInstance: Instance }>(INSTANCE, { id })).data!.taskInstance;

  it('stores the last 65,535 bytes of every tail, cut on a character boundary, and the run ends', async () => {
    const { workflowId, ids } = await claimed(OUTPUTS.length);
    const reports = OUTPUTS.map(([, output], i) => ({
      id: ids[i],
      outcome: 'DONE',
      exitCode: 0,
      stdoutTail: output,
      stderrTail: output,
    }));
    const finished = await server.graphql<{ reportTaskInstancesFinished: { accepted: string[] } }>(FINISHED, {
      reports,
    });
    expect(finished.errors).toBeUndefined();
    expect(finished.data!.reportTaskInstancesFinished.accepted.sort()).toEqual([...ids].sort());
    for (const [i, [what, output]] of OUTPUTS.entries()) {
      const stored = await instance(ids[i]!);
      expect({ what, status: stored.status, task: stored.task.status }).toEqual({
        what,
        status: 'DONE',
        task: 'DONE',
      });
      for (const tail of [stored.stdoutTail!, stored.stderrTail!]) {
        expect({ what, fits: bytes(tail) <= MAX_TAIL, whole: bytes(tail) > MAX_TAIL - 4 }).toEqual({
          what,
          fits: true,
          whole: bytes(output) >= MAX_TAIL,
        });
        // The newest output, whole characters only.
        expect(output.endsWith(tail)).toBe(true);
        expect(tail).not.toContain('\ufffd');
        if (bytes(output) <= MAX_TAIL) expect(tail).toBe(output);
      }
    }
    const workflow = await server.graphql<{ workflow: { status: string } }>(WORKFLOW, { id: workflowId });
    expect(workflow.data!.workflow.status).toBe('DONE');
  });

  it.each([
    ['an error message over 65,535 bytes', { errorMessage: 'e'.repeat(70_000) }],
    ['a multi-byte error message over 65,535 bytes', { errorMessage: '€'.repeat(21_846) }],
    ['a hostname over 255 characters', { hostname: 'h'.repeat(256) }],
    ['an errorKind over 64 characters', { errorKind: 'K'.repeat(65) }],
    ['a log path over 1024 characters', { stdoutPath: `/${'p'.repeat(1024)}` }],
    ['a NUL in a hostname', { hostname: 'a\u0000b' }],
  ])('refuses %s with BAD_USER_INPUT and changes nothing', async (_what, fields) => {
    const { ids } = await claimed(1);
    const before = await instance(ids[0]!);
    const refused = await server.graphql(FINISHED, {
      reports: [{ id: ids[0], outcome: 'ERROR', exitCode: 1, ...fields }],
    });
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await instance(ids[0]!)).toEqual(before);
  });

  it("refuses a batch whose later report cannot be stored before its first is written (the distributor's Report)", async () => {
    const { ids } = await claimed(2);
    const before = await Promise.all(ids.map((id) => instance(id!)));
    const BATCH = `mutation ($launches: [TaskInstanceLaunchInput!]!, $finished: [TaskInstanceFinishedInput!]!, $distributorId: ID!) {
      launched: reportTaskInstancesLaunched(distributorId: $distributorId, launches: $launches) { accepted }
      finished: reportTaskInstancesFinished(reports: $finished) { accepted }
    }`;
    const refused = await server.graphql(BATCH, {
      distributorId,
      launches: [{ id: ids[0] }],
      finished: [{ id: ids[1], outcome: 'ERROR', exitCode: 1, hostname: 'h'.repeat(256) }],
    });
    expect([refused.status, refused.errors?.[0]?.extensions?.code]).toEqual([400, 'BAD_USER_INPUT']);
    expect(await Promise.all(ids.map((id) => instance(id!)))).toEqual(before);
  });

  it('takes a NUL in an error message (it is what the command printed)', async () => {
    const { ids } = await claimed(1);
    const finished = await server.graphql(FINISHED, {
      reports: [
        { id: ids[0], outcome: 'ERROR', exitCode: 1, errorMessage: 'a\u0000b', stderrTail: 'c\u0000d' },
      ],
    });
    expect(finished.errors).toBeUndefined();
    const stored = await instance(ids[0]!);
    expect(stored).toMatchObject({ status: 'ERROR', errorMessage: 'a\u0000b', stderrTail: 'c\u0000d' });
  });
});
