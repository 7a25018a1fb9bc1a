import { echoTemplates, type TaskFixture, type TestServer } from '@jobmon/api/testing';

// A test acting as the distributor through the GraphQL protocol (docs/distributor-protocol.md), so it
// decides exactly when each task starts and ends; plus workflow submission.

type Graphql = TestServer['graphql'];

async function call<T>(graphql: Graphql, query: string, variables: Record<string, unknown>): Promise<T> {
  const result = await graphql<T>(query, variables);
  if (result.errors?.length || !result.data)
    throw new Error(`GraphQL failed: ${JSON.stringify(result.errors ?? result)}`);
  return result.data;
}

export interface SubmittedWorkflow {
  id: string;
  taskIdsByKey: Map<string, string>;
}

/** A task of a submission (key, template, args, upstream). */
export type TaskSpec = TaskFixture;

export async function submitWorkflow(
  graphql: Graphql,
  input: { tool: string; workflowArgs: string; name?: string; templates: string[]; tasks: TaskSpec[] },
): Promise<SubmittedWorkflow> {
  const echo = new Map(echoTemplates(input.tasks).map((template) => [template.name, template]));
  const data = await call<{ submitWorkflow: { workflow: { id: string; taskCount: number } } }>(
    graphql,
    `mutation Submit($input: WorkflowSubmission!) {
       submitWorkflow(input: $input) { workflow { id taskCount } }
     }`,
    {
      input: {
        tool: input.tool,
        workflowArgs: input.workflowArgs,
        name: input.name,
        taskTemplates: input.templates.map(
          (name) => echo.get(name) ?? { name, commandTemplate: `echo ${name}`, nodeArgs: [] },
        ),
        tasks: input.tasks,
      },
    },
  );
  const id = data.submitWorkflow.workflow.id;
  return { id, taskIdsByKey: await taskIdsByKey(graphql, id) };
}

async function taskIdsByKey(graphql: Graphql, workflowId: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  let after: string | null = null;
  for (;;) {
    const data: {
      workflow: {
        tasks: {
          nodes: { id: string; key: string }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
    } = await call(
      graphql,
      `query Tasks($id: ID!, $after: String) {
         workflow(id: $id) { tasks(first: 1000, after: $after) { nodes { id key } pageInfo { hasNextPage endCursor } } }
       }`,
      { id: workflowId, after },
    );
    for (const task of data.workflow.tasks.nodes) ids.set(task.key, task.id);
    if (!data.workflow.tasks.pageInfo.hasNextPage) return ids;
    after = data.workflow.tasks.pageInfo.endCursor;
  }
}

export interface ClaimedAttempt {
  id: string;
  taskId: string;
}

/**
 * A distributor driven by the test: claim, launch, run and finish attempts when the test says. It
 * heartbeats whenever it acts (it has no loop of its own): the reaper gives up the attempts of a
 * distributor silent for 3 heartbeat periods (90 s), after which it may claim nothing, and a file of
 * browser tests on a loaded machine outlasts that.
 */
export class ScriptedDistributor {
  private constructor(
    private readonly graphql: Graphql,
    readonly id: string,
  ) {}

  static async register(graphql: Graphql, name: string): Promise<ScriptedDistributor> {
    const data = await call<{ registerDistributor: { id: string } }>(
      graphql,
      `mutation Register($input: RegisterDistributorInput!) { registerDistributor(input: $input) { id } }`,
      { input: { name, backend: 'dummy', capacity: 100_000, hostname: 'e2e-host' } },
    );
    return new ScriptedDistributor(graphql, data.registerDistributor.id);
  }

  /** Tells the server this distributor is alive (its attempts' own heartbeats are not sent). */
  private async heartbeat(): Promise<void> {
    await call(
      this.graphql,
      `mutation Alive($id: ID!) { heartbeatDistributor(distributorId: $id, activeInstanceIds: []) { killInstanceIds } }`,
      { id: this.id },
    );
  }

  async claim(limit: number): Promise<ClaimedAttempt[]> {
    await this.heartbeat();
    const data = await call<{ claimTaskInstances: ClaimedAttempt[] }>(
      this.graphql,
      `mutation Claim($id: ID!, $limit: Int!) { claimTaskInstances(distributorId: $id, limit: $limit) { id taskId } }`,
      { id: this.id, limit },
    );
    return data.claimTaskInstances;
  }

  async launchAndRun(attempts: readonly ClaimedAttempt[]): Promise<void> {
    if (attempts.length === 0) return;
    await this.heartbeat();
    await call(
      this.graphql,
      `mutation Launched($id: ID!, $launches: [TaskInstanceLaunchInput!]!) {
         reportTaskInstancesLaunched(distributorId: $id, launches: $launches) { accepted }
       }`,
      { id: this.id, launches: attempts.map((a) => ({ id: a.id, backendJobId: `job-${a.id}` })) },
    );
    await call(
      this.graphql,
      `mutation Running($reports: [TaskInstanceRunningInput!]!) { reportTaskInstancesRunning(reports: $reports) { accepted } }`,
      {
        reports: attempts.map((a) => ({
          id: a.id,
          hostname: 'e2e-host',
          startedAt: new Date().toISOString(),
        })),
      },
    );
  }

  async finish(
    attempts: readonly ClaimedAttempt[],
    outcome: { outcome: 'DONE' | 'ERROR'; exitCode?: number; stderrTail?: string; errorMessage?: string } = {
      outcome: 'DONE',
      exitCode: 0,
    },
  ): Promise<void> {
    if (attempts.length === 0) return;
    await this.heartbeat();
    await call(
      this.graphql,
      `mutation Finished($reports: [TaskInstanceFinishedInput!]!) { reportTaskInstancesFinished(reports: $reports) { accepted } }`,
      {
        reports: attempts.map((a) => ({
          id: a.id,
          hostname: 'e2e-host',
          finishedAt: new Date().toISOString(),
          usage: { maxRssMb: 42, wallSeconds: 1.5, cpuSeconds: 1.2 },
          stdoutTail: `stdout of attempt ${a.id}\n`,
          ...outcome,
        })),
      },
    );
  }
}
