import { startTestServer, type TestServer } from '../testing/server';
import { testDialects } from '../testing/databases';
import { submission, task } from '../testing/fixtures';

// The distributor protocol and run controls over GraphQL: happy path and every refusal, on both databases.

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterDistributorInput!) {
    registerDistributor(input: $input) {
      id
      name
      backend
      queues
    }
  }
`;
const CLAIM = /* GraphQL */ `
  mutation Claim($distributorId: ID!, $limit: Int!) {
    claimTaskInstances(distributorId: $distributorId, limit: $limit) {
      id
      taskId
      attempt
      command
      templateName
      concurrencyLimit
      resources {
        memoryMb
        cores
        runtimeSeconds
        queue
      }
    }
  }
`;
const FINISHED = /* GraphQL */ `
  mutation Finished($reports: [TaskInstanceFinishedInput!]!, $distributorId: ID, $claimLimit: Int) {
    reportTaskInstancesFinished(reports: $reports, distributorId: $distributorId, claimLimit: $claimLimit) {
      accepted
      ignored {
        id
        reason
      }
      killInstanceIds
      claimed {
        id
        command
      }
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
const WORKFLOW = /* GraphQL */ `
  query Workflow($id: ID!) {
    workflow(id: $id) {
      status
      latestRun {
        status
        statusReason
      }
      tasks(first: 10) {
        nodes {
          key
          status
          instances {
            status
            exitCode
            stdoutTail
            usage {
              maxRssMb
            }
          }
        }
      }
    }
  }
`;

describe.each(testDialects())('the distributor protocol over GraphQL [%s]', (dialect) => {
  let server: TestServer;
  let distributorId: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    const registered = await server.graphql<{ registerDistributor: { id: string } }>(REGISTER, {
      input: { name: 'gql-test', backend: 'dummy', capacity: 4, queues: [{ name: 'local', maxCores: 2 }] },
    });
    expect(registered.errors).toBeUndefined();
    distributorId = registered.data!.registerDistributor.id;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('registers by name: the same name is the same distributor', async () => {
    const again = await server.graphql<{ registerDistributor: { id: string; queues: string[] } }>(REGISTER, {
      input: { name: 'gql-test', backend: 'dummy', queues: [{ name: 'local', maxCores: 2 }] },
    });
    expect(again.data!.registerDistributor).toMatchObject({ id: distributorId, queues: ['local'] });
  });

  it('claims, reports and claims the next task in one round trip, then shows the attempt', async () => {
    const submitted = await server.graphql<{ submitWorkflow: { workflow: { id: string } } }>(SUBMIT, {
      input: submission([task('one', [], { resources: { cores: 8 } }), task('two', ['one'])], {
        maxConcurrentlyRunning: 7,
      }),
    });
    const workflowId = submitted.data!.submitWorkflow.workflow.id;
    const claim = await server.graphql<{
      claimTaskInstances: { id: string; command: string; resources: { cores: number; queue: string } }[];
    }>(CLAIM, { distributorId, limit: 10 });
    expect(claim.errors).toBeUndefined();
    // 8 cores do not fit the 2-core local queue: the attempt gets 2.
    expect(claim.data!.claimTaskInstances).toEqual([
      expect.objectContaining({
        command: 'echo step --name one',
        concurrencyLimit: 7,
        resources: expect.objectContaining({ cores: 2, queue: 'local' }),
      }),
    ]);
    const first = claim.data!.claimTaskInstances[0]!.id;
    const finished = await server.graphql<{
      reportTaskInstancesFinished: { accepted: string[]; claimed: { id: string; command: string }[] };
    }>(FINISHED, {
      reports: [
        { id: first, outcome: 'DONE', exitCode: 0, stdoutTail: 'hello\n', usage: { maxRssMb: 12.5 } },
      ],
      distributorId,
      claimLimit: 4,
    });
    expect(finished.errors).toBeUndefined();
    expect(finished.data!.reportTaskInstancesFinished.accepted).toEqual([first]);
    expect(finished.data!.reportTaskInstancesFinished.claimed.map((c) => c.command)).toEqual([
      'echo step --name two',
    ]);
    const second = finished.data!.reportTaskInstancesFinished.claimed[0]!.id;
    await server.graphql(FINISHED, { reports: [{ id: second, outcome: 'DONE', exitCode: 0 }] });
    const view = await server.graphql<{
      workflow: {
        status: string;
        latestRun: { status: string; statusReason: string };
        tasks: { nodes: { key: string; status: string; instances: Record<string, unknown>[] }[] };
      };
    }>(WORKFLOW, { id: workflowId });
    expect(view.data!.workflow.status).toBe('DONE');
    expect(view.data!.workflow.latestRun).toEqual({ status: 'DONE', statusReason: 'every task done' });
    expect(view.data!.workflow.tasks.nodes[0]!.instances).toEqual([
      { status: 'DONE', exitCode: 0, stdoutTail: 'hello\n', usage: { maxRssMb: 12.5 } },
    ]);
  });

  it.each([
    ['an unknown distributor', CLAIM, () => ({ distributorId: '999999', limit: 1 }), 'NOT_FOUND'],
    ['a negative limit', CLAIM, () => ({ distributorId, limit: -1 }), 'BAD_USER_INPUT'],
    ['a malformed id', CLAIM, () => ({ distributorId: 'abc', limit: 1 }), 'BAD_USER_INPUT'],
    [
      'an invalid distributor name',
      REGISTER,
      () => ({ input: { name: 'has spaces', backend: 'local' } }),
      'BAD_USER_INPUT',
    ],
    ['an unknown outcome', FINISHED, () => ({ reports: [{ id: '1', outcome: 'MAYBE' }] }), 'BAD_USER_INPUT'],
    [
      'resuming an unknown workflow',
      'mutation { resumeWorkflow(id: "424242") { id } }',
      () => ({}),
      'NOT_FOUND',
    ],
    [
      'a status no person may set',
      'mutation { setTaskStatus(taskIds: ["1"], status: RUNNING) { id } }',
      () => ({}),
      'BAD_USER_INPUT',
    ],
    [
      'a negative concurrency limit',
      'mutation { setMaxConcurrentlyRunning(workflowId: "1", limit: -2) { id } }',
      () => ({}),
      'BAD_USER_INPUT',
    ],
  ])('refuses %s', async (_what, query, variables, code) => {
    const result = await server.graphql(query, variables());
    expect(result.data?.[Object.keys(result.data ?? {})[0] ?? ''] ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
  });

  it('updateTaskResources changes what the next attempt asks for, keeping the fields not given', async () => {
    const submitted = await server.graphql<{ submitWorkflow: { workflow: { id: string } } }>(SUBMIT, {
      input: submission([task('big', [], { resources: { memoryMb: 1000, runtimeSeconds: 600 } })]),
    });
    const workflowId = submitted.data!.submitWorkflow.workflow.id;
    const listed = await server.graphql<{ workflow: { tasks: { nodes: { id: string }[] } } }>(
      `query($id: ID!) { workflow(id: $id) { tasks(first: 1) { nodes { id } } } }`,
      { id: workflowId },
    );
    const taskId = listed.data!.workflow.tasks.nodes[0]!.id;
    const UPDATE = `mutation($ids: [ID!]!, $resources: ResourcesInput!, $scales: ResourceScalesInput) {
      updateTaskResources(taskIds: $ids, resources: $resources, resourceScales: $scales) {
        id resources { memoryMb runtimeSeconds cores } resourceScales { memory runtime }
      }
    }`;
    const updated = await server.graphql<{
      updateTaskResources: { id: string; resources: { memoryMb: number; runtimeSeconds: number } }[];
    }>(UPDATE, { ids: [taskId], resources: { memoryMb: 4096 }, scales: { memory: 1 } });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateTaskResources).toEqual([
      {
        id: taskId,
        resources: { memoryMb: 4096, runtimeSeconds: 600, cores: 1 },
        resourceScales: expect.objectContaining({ memory: 1 }),
      },
    ]);
    // Refusals write nothing: bad values, unknown tasks.
    const bad = await server.graphql(UPDATE, { ids: [taskId], resources: { memoryMb: -1 } });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await server.graphql(UPDATE, { ids: [taskId, '987654321'], resources: { cores: 8 } });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const claim = await server.graphql<{
      claimTaskInstances: {
        id: string;
        resources: { memoryMb: number; runtimeSeconds: number; cores: number };
      }[];
    }>(CLAIM, { distributorId, limit: 10 });
    const mine = claim.data!.claimTaskInstances.find((instance) => instance.resources.memoryMb === 4096);
    expect(mine?.resources).toMatchObject({ memoryMb: 4096, runtimeSeconds: 600, cores: 1 });
    await server.graphql(FINISHED, {
      reports: claim.data!.claimTaskInstances.map((instance) => ({ id: instance.id, outcome: 'DONE' })),
    });
  });

  it('answers ILLEGAL_TRANSITION when a finished workflow is stopped', async () => {
    const submitted = await server.graphql<{ submitWorkflow: { workflow: { id: string } } }>(SUBMIT, {
      input: submission([task('only')]),
    });
    const workflowId = submitted.data!.submitWorkflow.workflow.id;
    const claim = await server.graphql<{ claimTaskInstances: { id: string }[] }>(CLAIM, {
      distributorId,
      limit: 1,
    });
    await server.graphql(FINISHED, {
      reports: [{ id: claim.data!.claimTaskInstances[0]!.id, outcome: 'DONE' }],
    });
    const stop = await server.graphql(`mutation { stopWorkflow(id: "${workflowId}") { status } }`);
    expect(stop.errors?.[0]?.extensions?.code).toBe('ILLEGAL_TRANSITION');
    expect(stop.errors?.[0]?.message).toBe(`workflow ${workflowId} is already DONE: nothing to stop`);
    for (const mode of ['HOT', 'COLD']) {
      const resume = await server.graphql(
        `mutation { resumeWorkflow(id: "${workflowId}", mode: ${mode}) { status } }`,
      );
      expect(resume.errors?.[0]?.extensions?.code).toBe('ILLEGAL_TRANSITION');
      expect(resume.errors?.[0]?.message).toBe(`workflow ${workflowId} is already DONE: nothing to resume`);
    }
  });
});
