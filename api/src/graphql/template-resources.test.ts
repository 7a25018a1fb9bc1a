import { Role } from '../domain';
import { testDialects } from '../testing/databases';
import { independent, submission, task } from '../testing/fixtures';
import { startTestServerWithTokens, type TestServer } from '../testing/server';

// updateTemplateTaskResources: every task of one template of a workflow at once, owner or admin, all or
// nothing; the workflow's other templates and the same template in another workflow are left alone.

const SUBMIT = `mutation ($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }`;
const TASKS = `query ($id: ID!) {
  workflow(id: $id) {
    tasks(first: 50) {
      nodes { key resources { memoryMb runtimeSeconds cores } resourceScales { memory memoryFactors runtime } }
    }
  }
}`;
const UPDATE = `mutation ($id: ID!, $name: String!, $resources: ResourcesInput!, $scales: ResourceScalesInput) {
  updateTemplateTaskResources(workflowId: $id, templateName: $name, resources: $resources, resourceScales: $scales) {
    workflow { id } templateName taskCount
  }
}`;
const REGISTER = `mutation ($name: String!) { registerDistributor(input: { name: $name, backend: "dummy" }) { id } }`;
const CLAIM = `mutation ($id: ID!) {
  claimTaskInstances(distributorId: $id, limit: 20) { id templateName resources { memoryMb runtimeSeconds } }
}`;

type Errors = { extensions?: Record<string, unknown> }[] | undefined;
const codes = (errors: Errors) => (errors ?? []).map((error) => error.extensions?.code);
interface TaskView {
  key: string;
  resources: { memoryMb: number; runtimeSeconds: number; cores: number };
  resourceScales: { memory: number | null; memoryFactors: number[] | null; runtime: number | null } | null;
}

describe.each(testDialects())('updateTemplateTaskResources [%s]', (dialect) => {
  let server: TestServer;
  let tokens: Record<'alice' | 'bob' | 'admin' | 'dist', string>;

  beforeAll(async () => {
    ({ server, tokens } = await startTestServerWithTokens(dialect, {
      alice: ['alice', Role.USER],
      bob: ['bob', Role.USER],
      admin: ['root', Role.ADMIN],
      dist: ['alice', Role.DISTRIBUTOR],
    }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Alice's workflow: three `fit` tasks (two resource sets, one with its own scales) and a `collect`. */
  async function submitFitAndCollect(): Promise<string> {
    const result = await server.as<{ submitWorkflow: { workflow: { id: string } } }>(tokens.alice, SUBMIT, {
      input: submission([
        task('fit1', [], { template: 'fit', resources: { memoryMb: 1000, runtimeSeconds: 600 } }),
        task('fit2', [], { template: 'fit', resources: { memoryMb: 1000, runtimeSeconds: 600 } }),
        task('fit3', [], {
          template: 'fit',
          resources: { memoryMb: 500, runtimeSeconds: 900 },
          resourceScales: { runtime: 0.25 },
        }),
        task('collect', ['fit1', 'fit2', 'fit3'], { template: 'collect', resources: { memoryMb: 1000 } }),
      ]),
    });
    expect(result.errors).toBeUndefined();
    return result.data!.submitWorkflow.workflow.id;
  }

  async function tasksOf(workflowId: string): Promise<Record<string, TaskView>> {
    const result = await server.as<{ workflow: { tasks: { nodes: TaskView[] } } }>(tokens.admin, TASKS, {
      id: workflowId,
    });
    expect(result.errors).toBeUndefined();
    return Object.fromEntries(result.data!.workflow.tasks.nodes.map((node) => [node.key, node]));
  }

  it("changes every task of the template, keeping each task's other fields; nothing else changes", async () => {
    const workflowId = await submitFitAndCollect();
    const other = await submitFitAndCollect();
    const otherBefore = await tasksOf(other);

    const updated = await server.as<{
      updateTemplateTaskResources: { workflow: { id: string }; templateName: string; taskCount: number };
    }>(tokens.alice, UPDATE, {
      id: workflowId,
      name: 'fit',
      resources: { memoryMb: 4096 },
      scales: { memoryFactors: [1, 2] },
    });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateTemplateTaskResources).toEqual({
      workflow: { id: workflowId },
      templateName: 'fit',
      taskCount: 3,
    });
    const after = await tasksOf(workflowId);
    expect(after.fit1!.resources).toEqual({ memoryMb: 4096, runtimeSeconds: 600, cores: 1 });
    expect(after.fit2!.resources).toEqual({ memoryMb: 4096, runtimeSeconds: 600, cores: 1 });
    expect(after.fit3!.resources).toEqual({ memoryMb: 4096, runtimeSeconds: 900, cores: 1 });
    expect(after.fit1!.resourceScales).toMatchObject({ memory: null, memoryFactors: [1, 2] });
    // fit3's own runtime scale is kept beside the new memory factors.
    expect(after.fit3!.resourceScales).toMatchObject({ memory: null, memoryFactors: [1, 2], runtime: 0.25 });
    expect(after.collect!.resources.memoryMb).toBe(1000);
    expect(after.collect!.resourceScales?.memoryFactors ?? null).toBeNull();
    // The same template in another workflow of the same owner is not this workflow's.
    expect(await tasksOf(other)).toEqual(otherBefore);

    // The next attempts ask for it.
    const registered = await server.as<{ registerDistributor: { id: string } }>(tokens.dist, REGISTER, {
      name: `template-resources-${dialect}`,
    });
    const claim = await server.as<{
      claimTaskInstances: { templateName: string; resources: { memoryMb: number; runtimeSeconds: number } }[];
    }>(tokens.dist, CLAIM, { id: registered.data!.registerDistributor.id });
    expect(claim.errors).toBeUndefined();
    const claimedHere = claim.data!.claimTaskInstances.filter(
      (instance) => instance.resources.memoryMb === 4096,
    );
    expect(claimedHere.map((instance) => instance.templateName)).toEqual(['fit', 'fit', 'fit']);
  });

  it('a template of more tasks than an id list holds is changed by one UPDATE per column, not task by task', async () => {
    const many = independent(2100, 'n').map((fixture) => ({ ...fixture, template: 'many' }));
    const submitted = await server.as<{ submitWorkflow: { workflow: { id: string } } }>(
      tokens.alice,
      SUBMIT,
      {
        input: { ...submission(many), maxConcurrentlyRunning: 0 },
      },
    );
    expect(submitted.errors).toBeUndefined();
    const execute = jest.spyOn(server.db, 'execute');
    try {
      const updated = await server.as<{ updateTemplateTaskResources: { taskCount: number } }>(
        tokens.alice,
        UPDATE,
        {
          id: submitted.data!.submitWorkflow.workflow.id,
          name: 'many',
          resources: { memoryMb: 3000 },
          scales: { runtime: 1 },
        },
      );
      expect(updated.errors).toBeUndefined();
      expect(updated.data!.updateTemplateTaskResources.taskCount).toBe(2100);
      const taskUpdates = execute.mock.calls
        .map(([sql]) => sql.replace(/\s+/g, ' ').trim())
        .filter((sql) => sql.startsWith('UPDATE task SET'));
      expect(taskUpdates.map((sql) => sql.slice(0, 'UPDATE task SET resource_scales'.length))).toEqual([
        'UPDATE task SET task_resources_',
        'UPDATE task SET resource_scales',
      ]);
    } finally {
      execute.mockRestore();
    }
    const counted = await server.db.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM task t JOIN task_resources r ON r.id = t.task_resources_id
        WHERE t.workflow_id = ? AND r.memory_mb = 3000 AND t.resource_scales LIKE '%"runtime":1%'`,
      [Number(submitted.data!.submitWorkflow.workflow.id)],
    );
    expect(Number(counted[0]!.n)).toBe(2100);
  });

  it('another user is refused (FORBIDDEN), an admin may; refusals change nothing', async () => {
    const workflowId = await submitFitAndCollect();
    const before = await tasksOf(workflowId);
    const refused = await server.as(tokens.bob, UPDATE, {
      id: workflowId,
      name: 'fit',
      resources: { cores: 4 },
    });
    expect(codes(refused.errors)).toEqual(['FORBIDDEN']);
    const bad = await server.as(tokens.alice, UPDATE, {
      id: workflowId,
      name: 'fit',
      resources: { memoryMb: 2048, cores: -1 },
    });
    expect(codes(bad.errors)).toEqual(['BAD_USER_INPUT']);
    const unknownTemplate = await server.as(tokens.alice, UPDATE, {
      id: workflowId,
      name: 'nope',
      resources: { cores: 4 },
    });
    expect(codes(unknownTemplate.errors)).toEqual(['NOT_FOUND']);
    const unknownWorkflow = await server.as(tokens.admin, UPDATE, {
      id: '987654321',
      name: 'fit',
      resources: { cores: 4 },
    });
    expect(codes(unknownWorkflow.errors)).toEqual(['NOT_FOUND']);
    expect(await tasksOf(workflowId)).toEqual(before);

    const byAdmin = await server.as<{ updateTemplateTaskResources: { taskCount: number } }>(
      tokens.admin,
      UPDATE,
      { id: workflowId, name: 'collect', resources: { cores: 4 }, scales: { memory: 1 } },
    );
    expect(byAdmin.errors).toBeUndefined();
    expect(byAdmin.data!.updateTemplateTaskResources.taskCount).toBe(1);
    const after = await tasksOf(workflowId);
    expect(after.collect!.resources).toEqual({
      memoryMb: 1000,
      runtimeSeconds: before.collect!.resources.runtimeSeconds,
      cores: 4,
    });
    expect(after.collect!.resourceScales).toMatchObject({ memory: 1 });
    expect(after.fit1).toEqual(before.fit1);
  });
});
