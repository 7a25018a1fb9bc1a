import { insertAttemptRows, type AttemptRowFixture } from '../testing/attempts';
import { Role } from '../domain';
import type { WorkflowSubmission } from '../services/submission.types';
import { testDialects } from '../testing/databases';
import { startTestServer, startTestServerWithTokens, type TestServer } from '../testing/server';

// Workflow.errorClusters and Task.blockedBy against a real server on SQLite and MySQL: what they answer,
// their filters and bounds, that a page of tasks costs a fixed number of statements, and who may read them.

const SUBMIT = `mutation ($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }`;
const CLUSTERS = `query ($id: ID!, $template: String, $first: Int) {
  workflow(id: $id) {
    errorClusters(templateName: $template, first: $first) {
      representative attempts tasks templateNames sampleTaskIds firstAt lastAt
    }
  }
}`;
const BLOCKED = `query ($id: ID!) {
  workflow(id: $id) { tasks(first: 100) { nodes { id name status waitingReason blockedBy { kind message } } } }
}`;

interface Cluster {
  representative: string;
  attempts: number;
  tasks: number;
  templateNames: string[];
  sampleTaskIds: string[];
  firstAt: string;
  lastAt: string;
}
interface BlockedTask {
  id: string;
  name: string;
  status: string;
  waitingReason: string | null;
  blockedBy: { kind: string; message: string }[];
}

let workflows = 0;
/** A chain of `count` tasks over templates fit and agg (alternating); task 0 in `queue` if given. */
function chain(count: number, queue?: string): WorkflowSubmission {
  return {
    tool: `investigate-${process.pid}`,
    workflowArgs: `w${++workflows}`,
    taskTemplates: [
      { name: 'fit', commandTemplate: 'fit {i}', nodeArgs: ['i'] },
      { name: 'agg', commandTemplate: 'agg {i}', nodeArgs: ['i'] },
    ],
    tasks: Array.from({ length: count }, (_, i) => ({
      key: `t${i}`,
      name: `t${i}`,
      template: i % 2 === 0 ? 'fit' : 'agg',
      args: { i },
      upstream: i === 0 ? [] : [`t${i - 1}`],
      ...(i === 0 && queue ? { resources: { queue } } : {}),
    })),
  };
}

const traceback = (n: number) =>
  [
    'Traceback (most recent call last):',
    `  File "/ihme/scratch/u${n}/fit.py", line ${100 + n}, in <module>`,
    '    main()',
    `KeyError: 'location_${n}'`,
  ].join('\n');

describe.each(testDialects())('errorClusters and blockedBy [%s]', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, { countQueries: true });
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function query<T>(text: string, variables?: Record<string, unknown>): Promise<T> {
    const response = await server.graphql<T>(text, variables);
    if (response.errors) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
    return response.data!;
  }
  async function submit(input: WorkflowSubmission): Promise<number> {
    const data = await query<{ submitWorkflow: { workflow: { id: string } } }>(SUBMIT, { input });
    return Number(data.submitWorkflow.workflow.id);
  }
  const tasksOf = (workflowId: number) =>
    server.db.select<{ id: number; task_resources_id: number }>(
      'SELECT id, task_resources_id FROM task WHERE workflow_id = ? ORDER BY id',
      [workflowId],
    );

  /** Attempts written directly (their distributor is not part of this test). */
  const insertAttempts = (attempts: AttemptRowFixture[]) => insertAttemptRows(server.db, attempts);

  describe('errorClusters', () => {
    let workflowId: number;
    let taskIds: number[];
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 2, 3, minute));

    beforeAll(async () => {
      workflowId = await submit(chain(6));
      const tasks = await tasksOf(workflowId);
      taskIds = tasks.map((t) => Number(t.id));
      const on = (i: number) => ({ taskId: taskIds[i]! });
      await insertAttempts([
        // KeyErrors of fit tasks 0, 2 and 4 (task 0 twice), differing in numbers and paths.
        ...[0, 0, 2, 4].map((i, k) => ({
          ...on(i),
          attempt: k + 1,
          status: 'ERROR',
          errorMessage: `exit code 1: KeyError: 'location_${10 + k}'`,
          stderrTail: `${traceback(10 + k)}\n`,
          finishedAt: at(10 + k),
        })),
        // Out of memory on agg tasks 1 and 3, and on fit task 2.
        ...[1, 3, 2].map((i, k) => ({
          ...on(i),
          attempt: 10 + k,
          status: 'RESOURCE_ERROR',
          errorMessage: `Slurm job ${5550 + k} ran out of memory (OUT_OF_MEMORY)`,
          finishedAt: at(20 + k),
        })),
        // Not failures: not clustered.
        {
          ...on(5),
          attempt: 1,
          status: 'DONE',
          errorMessage: 'exit code 1: KeyError: x',
          finishedAt: at(30),
        },
        { ...on(5), attempt: 2, status: 'RUNNING' },
      ]);
    });

    it('groups the failed attempts by their error, most attempts first', async () => {
      const data = await query<{ workflow: { errorClusters: Cluster[] } }>(CLUSTERS, {
        id: String(workflowId),
      });
      expect(data.workflow.errorClusters).toEqual([
        {
          representative: `exit code 1: KeyError: 'location_10'\n${traceback(10)
            .split('\n')
            .map((l) => l.trim())
            .join('\n')}`,
          attempts: 4,
          tasks: 3,
          templateNames: ['fit'],
          sampleTaskIds: [0, 2, 4].map((i) => String(taskIds[i])),
          firstAt: at(10).toISOString(),
          lastAt: at(13).toISOString(),
        },
        {
          representative: 'Slurm job 5550 ran out of memory (OUT_OF_MEMORY)',
          attempts: 3,
          tasks: 3,
          templateNames: ['agg', 'fit'],
          sampleTaskIds: [1, 3, 2].map((i) => String(taskIds[i])),
          firstAt: at(20).toISOString(),
          lastAt: at(22).toISOString(),
        },
      ]);
    });

    it('keeps one template’s attempts with templateName, and the biggest clusters with first', async () => {
      const agg = await query<{ workflow: { errorClusters: Cluster[] } }>(CLUSTERS, {
        id: String(workflowId),
        template: 'agg',
      });
      expect(agg.workflow.errorClusters.map((c) => [c.attempts, c.templateNames])).toEqual([[2, ['agg']]]);
      const none = await query<{ workflow: { errorClusters: Cluster[] } }>(CLUSTERS, {
        id: String(workflowId),
        template: 'no-such-template',
      });
      expect(none.workflow.errorClusters).toEqual([]);
      const one = await query<{ workflow: { errorClusters: Cluster[] } }>(CLUSTERS, {
        id: String(workflowId),
        first: 1,
      });
      expect(one.workflow.errorClusters.map((c) => c.attempts)).toEqual([4]);
    });

    it('refuses a negative or unbounded first', async () => {
      const negative = await server.graphql(CLUSTERS, { id: String(workflowId), first: -1 });
      expect(negative.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      // The cost limit refuses it before it runs.
      const huge = await server.graphql(CLUSTERS, { id: String(workflowId), first: 1_000_000 });
      expect(huge.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    });

    it('is empty for a workflow without failures', async () => {
      const clean = await submit(chain(2));
      const data = await query<{ workflow: { errorClusters: Cluster[] } }>(CLUSTERS, { id: String(clean) });
      expect(data.workflow.errorClusters).toEqual([]);
    });
  });

  describe('blockedBy', () => {
    const blocked = async (workflowId: number) =>
      (await query<{ workflow: { tasks: { nodes: BlockedTask[] } } }>(BLOCKED, { id: String(workflowId) }))
        .workflow.tasks.nodes;
    const kindsOf = (tasks: BlockedTask[]) =>
      Object.fromEntries(tasks.map((t) => [t.name, t.blockedBy.map((b) => b.kind)]));

    it('says why each task waits, as the facts change', async () => {
      const workflowId = await submit(chain(3));
      // No distributor yet: the first task is QUEUED with nobody to run it; the others wait for upstream.
      let tasks = await blocked(workflowId);
      expect(tasks.map((t) => t.status)).toEqual(['QUEUED', 'REGISTERING', 'REGISTERING']);
      expect(kindsOf(tasks)).toEqual({
        t0: ['NO_DISTRIBUTOR_FOR_QUEUE'],
        t1: ['UPSTREAM_NOT_DONE'],
        t2: ['UPSTREAM_NOT_DONE'],
      });
      expect(tasks[0]!.blockedBy[0]!.message).toMatch(/No distributor is registered/);
      // waitingReason is blockedBy's NO_DISTRIBUTOR_FOR_QUEUE.
      expect(tasks[0]!.waitingReason).toBe(tasks[0]!.blockedBy[0]!.message);
      expect(tasks[1]!.blockedBy[0]!.message).toBe('1 of its 1 upstream task is not DONE yet');

      await query(
        `mutation { registerDistributor(input: { name: "local-${workflowId}", backend: "dummy" }) { id } }`,
      );
      tasks = await blocked(workflowId);
      expect(kindsOf(tasks).t0).toEqual([]);
      expect(tasks[0]!.waitingReason).toBeNull();

      await query(`mutation { setMaxConcurrentlyRunning(workflowId: "${workflowId}", limit: 0) { id } }`);
      await query(
        `mutation { setMaxConcurrentlyRunning(workflowId: "${workflowId}", templateName: "fit", limit: 0) { id } }`,
      );
      tasks = await blocked(workflowId);
      expect(kindsOf(tasks).t0).toEqual(['WORKFLOW_LIMIT', 'TEMPLATE_LIMIT']);

      await server.db.execute('UPDATE workflow_run SET status = ? WHERE workflow_id = ?', [
        'STOPPED',
        workflowId,
      ]);
      tasks = await blocked(workflowId);
      expect(kindsOf(tasks)).toEqual({
        t0: ['WORKFLOW_NOT_RUNNING', 'WORKFLOW_LIMIT', 'TEMPLATE_LIMIT'],
        t1: ['WORKFLOW_NOT_RUNNING', 'UPSTREAM_NOT_DONE'],
        t2: ['WORKFLOW_NOT_RUNNING', 'UPSTREAM_NOT_DONE'],
      });
      expect(tasks[0]!.blockedBy[0]!.message).toMatch(/run is STOPPED/);
    });

    it('names a queue no distributor serves', async () => {
      await query(
        `mutation { registerDistributor(input: { name: "slurm-q", backend: "dummy", queues: [{ name: "all.q" }] }) { id } }`,
      );
      // The distributor registered earlier serves every queue: take it out of the picture.
      await server.db.execute('DELETE FROM distributor WHERE queues IS NULL', []);
      const workflowId = await submit(chain(1, 'gpu.q'));
      const [task] = await blocked(workflowId);
      expect(task!.blockedBy).toEqual([
        {
          kind: 'NO_DISTRIBUTOR_FOR_QUEUE',
          message: expect.stringMatching(
            /No distributor serves queue gpu\.q \(registered distributors serve all\.q\)/,
          ),
        },
      ]);
    });

    it('gives the backend’s pending reason of a LAUNCHED task', async () => {
      const workflowId = await submit(chain(1));
      const [row] = await tasksOf(workflowId);
      await insertAttempts([
        {
          taskId: Number(row!.id),
          attempt: 1,
          status: 'LAUNCHED',
          backendJobId: '4411',
          backendPendingReason: 'Priority',
        },
      ]);
      await server.db.execute('UPDATE task SET status = ? WHERE id = ?', ['LAUNCHED', Number(row!.id)]);
      const data = await query<{
        task: { blockedBy: BlockedTask['blockedBy']; instances: { backendPendingReason: string | null }[] };
      }>(
        `query ($id: ID!) { task(id: $id) { blockedBy { kind message } instances { backendPendingReason } } }`,
        { id: String(row!.id) },
      );
      expect(data.task.blockedBy).toEqual([
        { kind: 'BACKEND_PENDING', message: 'The backend holds its job 4411 pending: Priority' },
      ]);
      expect(data.task.instances).toEqual([{ backendPendingReason: 'Priority' }]);
    });

    it('refuses a heartbeat’s pending reason for an instance it does not list, one too long or with a NUL, writing nothing', async () => {
      const { registerDistributor } = await query<{ registerDistributor: { id: string } }>(
        `mutation { registerDistributor(input: { name: "pending-check", backend: "dummy" }) { id } }`,
      );
      const HEARTBEAT = `mutation ($d: ID!, $active: [ID!]!, $pending: [BackendPendingInput!]) {
        heartbeatDistributor(distributorId: $d, activeInstanceIds: $active, pending: $pending) { killInstanceIds }
      }`;
      const before = await server.db.select<{ t: unknown }>(
        'SELECT last_heartbeat_at AS t FROM distributor WHERE id = ?',
        [Number(registerDistributor.id)],
      );
      for (const [active, pending] of [
        [[], [{ id: '5', reason: 'Priority' }]],
        [['5'], [{ id: '5', reason: 'x'.repeat(256) }]],
        // Text no column should hold (a NUL: SQLite would keep it, MySQL refuse it) is refused as any name is.
        [['5'], [{ id: '5', reason: 'Priority\u0000' }]],
      ] as const) {
        const response = await server.graphql(HEARTBEAT, { d: registerDistributor.id, active, pending });
        expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      }
      const after = await server.db.select<{ t: unknown }>(
        'SELECT last_heartbeat_at AS t FROM distributor WHERE id = ?',
        [Number(registerDistributor.id)],
      );
      expect(after).toEqual(before);
    });

    it('costs the same statements for a page of 4 tasks as for one of 40', async () => {
      const small = await submit(chain(4));
      const big = await submit(chain(40));
      const cost = async (workflowId: number) => {
        let least = Infinity;
        // Background work (the reaper, the audit tailer) only ever adds: the least of three is the request's.
        for (let i = 0; i < 3; i++) {
          const before = server.db.queryCount;
          await blocked(workflowId);
          least = Math.min(least, server.db.queryCount - before);
        }
        return least;
      };
      expect(await cost(big)).toBe(await cost(small));
    });
  });
});

describe.each(testDialects())('errorClusters and blockedBy with tokens [%s]', (dialect) => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  let workflowId: string;

  beforeAll(async () => {
    ({
      server,
      tokens: { alice, bob },
    } = await startTestServerWithTokens(dialect, {
      alice: ['alice', Role.USER],
      bob: ['bob', Role.USER],
    }));
    const submitted = await server.as<{ submitWorkflow: { workflow: { id: string } } }>(alice, SUBMIT, {
      input: chain(2),
    });
    workflowId = submitted.data!.submitWorkflow.workflow.id;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const BOTH = `query ($id: ID!) { workflow(id: $id) { errorClusters { attempts } tasks { nodes { blockedBy { kind } } } } }`;

  it('refuses a request without a token', async () => {
    const response = await server.graphql(BOTH, { id: workflowId });
    expect(response.status).toBe(401);
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('answers whoever may read the workflow: its owner, and other users (reads are open to every token)', async () => {
    for (const token of [alice, bob]) {
      const response = await server.as<{
        workflow: { errorClusters: unknown[]; tasks: { nodes: { blockedBy: { kind: string }[] }[] } };
      }>(token, BOTH, { id: workflowId });
      expect(response.errors).toBeUndefined();
      expect(response.data!.workflow.errorClusters).toEqual([]);
      expect(response.data!.workflow.tasks.nodes.map((t) => t.blockedBy.map((b) => b.kind))).toEqual([
        ['NO_DISTRIBUTOR_FOR_QUEUE'],
        ['UPSTREAM_NOT_DONE'],
      ]);
    }
  });
});
