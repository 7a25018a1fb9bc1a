import { insertAttemptRows, type AttemptRowFixture } from '../testing/attempts';
import { changeStatus } from '../db/status-change';
import { EntityType } from '../domain';
import type { WorkflowSubmission } from '../services/submission.types';
import { testDialects } from '../testing/databases';
import { submission, task, type SubmissionFixture } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/server';
import { encodeCursor } from './pagination';

// The read side of the GraphQL API against a real server on SQLite and MySQL: pagination and filters,
// batching (no N+1), depth and cost limits, per-template statistics and the drawable DAG.

const SUBMIT = /* GraphQL */ `
  mutation Submit($input: WorkflowSubmission!) {
    submitWorkflow(input: $input) {
      created
      workflow {
        id
      }
      workflowRun {
        id
      }
    }
  }
`;

interface Submitted {
  workflowId: string;
  runId: string;
}

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

interface Connection<T> {
  totalCount: number;
  pageInfo: PageInfo;
  edges: { cursor: string; node: T }[];
  nodes: T[];
}

interface StatusCounts {
  total: number;
  REGISTERING: number;
  QUEUED: number;
  DONE: number;
  RUNNING: number;
}

/** `count` tasks over the named templates (round robin); task i > fanIn depends on tasks i-1-fanIn … i-1. */
function layered(
  tool: string,
  workflowArgs: string,
  count: number,
  templates: string[],
  fanIn = 2,
): SubmissionFixture {
  const tasks = Array.from({ length: count }, (_, i) =>
    task(`t${i}`, i < fanIn ? [] : Array.from({ length: fanIn }, (_, k) => `t${i - 1 - k}`), {
      name: `task_number_${i}`,
      template: templates[i % templates.length]!,
      args: { i },
    }),
  );
  return submission(tasks, {
    tool,
    workflowArgs,
    taskTemplates: templates.map((name) => ({
      name,
      commandTemplate: `${name} --i {i}`,
      defaultResources: { memoryMb: 100 + name.length, cores: name.length },
    })),
  });
}

describe.each(testDialects())('GraphQL queries [%s]', (dialect) => {
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

  async function submit(input: WorkflowSubmission): Promise<Submitted> {
    const data = await query<{
      submitWorkflow: { created: boolean; workflow: { id: string }; workflowRun: { id: string } };
    }>(SUBMIT, { input });
    expect(data.submitWorkflow.created).toBe(true);
    return { workflowId: data.submitWorkflow.workflow.id, runId: data.submitWorkflow.workflowRun.id };
  }

  async function tasksOf(workflowId: string) {
    return server.db.select<{ id: number; task_key: string; task_resources_id: number; status: string }>(
      'SELECT id, task_key, task_resources_id, status FROM task WHERE workflow_id = ? ORDER BY id',
      [Number(workflowId)],
    );
  }

  /** Attempts written directly: the distributor that would create them is not part of this test. */
  const insertInstances = (instances: AttemptRowFixture[]) => insertAttemptRows(server.db, instances);

  /** Two DONE attempts (after an ERROR one) for every task. */
  async function instancesForEveryTask(submitted: Submitted) {
    const tasks = await tasksOf(submitted.workflowId);
    await insertInstances(
      tasks.flatMap((task, i) =>
        [1, 2, 3].map((attempt) => ({
          taskId: Number(task.id),
          attempt,
          status: attempt === 1 ? 'ERROR' : 'DONE',
          maxRssMb: 100 + i + attempt,
          wallSeconds: 10 + attempt,
        })),
      ),
    );
  }

  /**
   * The statements one request costs. The server's background work (the audit tailer's poll, the reaper)
   * shares the counter and may land inside a run on a loaded machine: it only ever adds, so the least of
   * three runs is the request's own cost.
   */
  async function countQueries(run: () => Promise<unknown>): Promise<number> {
    let least = Infinity;
    for (let i = 0; i < 3; i++) {
      const before = server.db.queryCount;
      await run();
      least = Math.min(least, server.db.queryCount - before);
    }
    return least;
  }

  describe('task pagination and filters', () => {
    let workflow: Submitted;
    const TASK_PAGE = /* GraphQL */ `
      query Page($id: ID!, $first: Int, $after: String, $filter: TaskFilter) {
        workflow(id: $id) {
          tasks(first: $first, after: $after, filter: $filter) {
            totalCount
            pageInfo {
              hasNextPage
              hasPreviousPage
              startCursor
              endCursor
            }
            edges {
              cursor
              node {
                id
              }
            }
            nodes {
              id
              key
              name
              status
              template {
                name
              }
            }
          }
        }
      }
    `;
    type TaskPage = Connection<{
      id: string;
      key: string;
      name: string;
      status: string;
      template: { name: string };
    }>;
    const page = async (variables: Record<string, unknown>) =>
      (await query<{ workflow: { tasks: TaskPage } }>(TASK_PAGE, { id: workflow.workflowId, ...variables }))
        .workflow.tasks;

    beforeAll(async () => {
      workflow = await submit(layered('paging', 'p', 120, ['even', 'odd'], 20));
    });

    it('pages through 120 tasks 50 at a time: every id exactly once, in id order', async () => {
      const seen: string[] = [];
      const hasNext: boolean[] = [];
      let after: string | null = null;
      for (let pageNumber = 0; pageNumber < 10; pageNumber++) {
        const result: TaskPage = await page({ first: 50, after });
        expect(result.totalCount).toBe(120);
        expect(result.pageInfo.hasPreviousPage).toBe(after !== null);
        expect(result.edges.map((edge) => edge.node.id)).toEqual(result.nodes.map((node) => node.id));
        expect(result.pageInfo.startCursor).toBe(result.edges[0]?.cursor ?? null);
        expect(result.pageInfo.endCursor).toBe(result.edges[result.edges.length - 1]?.cursor ?? null);
        seen.push(...result.nodes.map((node) => node.id));
        hasNext.push(result.pageInfo.hasNextPage);
        if (!result.pageInfo.hasNextPage) break;
        after = result.pageInfo.endCursor;
      }
      expect(hasNext).toEqual([true, true, false]);
      expect(seen).toHaveLength(120);
      expect(new Set(seen).size).toBe(120);
      const ids = (await tasksOf(workflow.workflowId)).map((task) => String(task.id));
      expect(seen).toEqual(ids);
    });

    it('an exact last page has no next page; a page after the end is empty', async () => {
      const first = await page({ first: 60 });
      const second = await page({ first: 60, after: first.pageInfo.endCursor });
      expect(second.nodes).toHaveLength(60);
      expect(second.pageInfo.hasNextPage).toBe(false);
      const beyond = await page({ first: 60, after: second.pageInfo.endCursor });
      expect(beyond.nodes).toEqual([]);
      expect(beyond.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: true,
        startCursor: null,
        endCursor: null,
      });
      expect(beyond.totalCount).toBe(120);
    });

    it('defaults to 50 per page; first: 0 returns no nodes but the count', async () => {
      expect((await page({})).nodes).toHaveLength(50);
      const empty = await page({ first: 0 });
      expect(empty.nodes).toEqual([]);
      expect(empty.pageInfo.hasNextPage).toBe(true);
      expect(empty.totalCount).toBe(120);
    });

    it('filters by status', async () => {
      const queued = await page({ first: 200, filter: { status: ['QUEUED'] } });
      expect(queued.totalCount).toBe(20);
      expect(queued.nodes).toHaveLength(20);
      expect(queued.nodes.map((node) => node.key)).toEqual(Array.from({ length: 20 }, (_, i) => `t${i}`));
      const registering = await page({ first: 30, filter: { status: ['REGISTERING'] } });
      expect(registering.totalCount).toBe(100);
      expect(registering.pageInfo.hasNextPage).toBe(true);
      for (const node of registering.nodes) expect(node.status).toBe('REGISTERING');
      const both = await page({ first: 1, filter: { status: ['REGISTERING', 'QUEUED'] } });
      expect(both.totalCount).toBe(120);
      expect((await page({ filter: { status: ['DONE'] } })).totalCount).toBe(0);
    });

    it('filters by template, and pages within the filter', async () => {
      const even = await page({ first: 40, filter: { template: 'even' } });
      expect(even.totalCount).toBe(60);
      expect(even.pageInfo.hasNextPage).toBe(true);
      for (const node of even.nodes) expect(node.template.name).toBe('even');
      const rest = await page({ first: 40, after: even.pageInfo.endCursor, filter: { template: 'even' } });
      expect(rest.nodes).toHaveLength(20);
      expect(rest.pageInfo.hasNextPage).toBe(false);
      const keys = [...even.nodes, ...rest.nodes].map((node) => Number(node.key.slice(1)));
      expect(keys).toEqual(Array.from({ length: 60 }, (_, i) => i * 2));

      const combined = await page({ first: 100, filter: { template: 'odd', status: ['QUEUED'] } });
      expect(combined.totalCount).toBe(10);
      expect((await page({ filter: { template: 'no-such-template' } })).totalCount).toBe(0);
    });

    it('filters by a substring of the name, with LIKE wildcards taken literally', async () => {
      const result = await page({ first: 100, filter: { search: 'number_11' } });
      expect(result.nodes.map((node) => node.key)).toEqual([
        't11',
        't110',
        't111',
        't112',
        't113',
        't114',
        't115',
        't116',
        't117',
        't118',
        't119',
      ]);
      expect(result.totalCount).toBe(11);
      expect((await page({ filter: { search: 'task_number_7' } })).totalCount).toBe(11); // t7, t70 … t79
      // As wildcards, % and __ would match many of these names.
      expect((await page({ filter: { search: 'number%1' } })).totalCount).toBe(0);
      expect((await page({ filter: { search: 'numbe__1' } })).totalCount).toBe(0);
      expect((await page({ filter: { search: 'number!1' } })).totalCount).toBe(0);
      expect((await page({ filter: { search: "number_1'" } })).totalCount).toBe(0);
    });

    it(`refuses first above the cap (maxPageSize) or below 0 with BAD_USER_INPUT`, async () => {
      for (const first of [server.config.maxPageSize + 1, -1]) {
        const response = await server.graphql(TASK_PAGE, { id: workflow.workflowId, first });
        expect(response.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
        expect(response.errors![0]!.message).toContain(
          `first must be between 0 and ${server.config.maxPageSize}`,
        );
      }
      expect(server.config.maxPageSize).toBe(1000);
      expect((await page({ first: 1000 })).nodes).toHaveLength(120);
      const workflows = await server.graphql('{ workflows(first: 1001) { totalCount } }');
      expect(workflows.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('refuses an invalid cursor with BAD_USER_INPUT', async () => {
      for (const after of ['garbage', Buffer.from('id:abc').toString('base64url'), '']) {
        const response = await server.graphql(TASK_PAGE, { id: workflow.workflowId, after });
        expect({ after, code: response.errors?.[0]?.extensions?.code }).toEqual({
          after,
          code: 'BAD_USER_INPUT',
        });
      }
      const audit = await server.graphql('{ auditEvents(after: "nope") { totalCount } }');
      expect(audit.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
      // A well-formed cursor is accepted.
      const ids = await tasksOf(workflow.workflowId);
      const fromCursor = await page({ first: 5, after: encodeCursor(Number(ids[99]!.id)) });
      expect(fromCursor.nodes.map((node) => node.key)).toEqual(['t100', 't101', 't102', 't103', 't104']);
    });
  });

  describe('workflows list', () => {
    let alpha: Submitted;
    let beta: Submitted;
    let gamma: Submitted;
    let other: Submitted;
    const LIST = /* GraphQL */ `
      query List($filter: WorkflowFilter, $first: Int, $after: String) {
        workflows(filter: $filter, first: $first, after: $after) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            id
            name
            workflowArgs
            status
            createdBy
            tool {
              name
            }
            latestRun {
              user
            }
          }
        }
      }
    `;
    type Item = {
      id: string;
      name: string | null;
      workflowArgs: string;
      status: string;
      createdBy: string | null;
      tool: { name: string };
      latestRun: { user: string | null };
    };
    const list = async (variables: Record<string, unknown>) =>
      (await query<{ workflows: Connection<Item> }>(LIST, variables)).workflows;

    beforeAll(async () => {
      const named = (name: string, workflowArgs: string, tool = 'list-tool') => ({
        ...layered(tool, workflowArgs, 2, ['x']),
        name,
      });
      alpha = await submit(named('alpha_report', 'season=summer'));
      beta = await submit(named('beta', 'season=winter 100%'));
      gamma = await submit(named('gamma', 'season=alphabet'));
      other = await submit(named('alpha elsewhere', 'season=summer', 'list-other-tool'));
      // One of them starts running.
      await server.db.transaction((t) =>
        changeStatus(server.db, t, EntityType.WORKFLOW, Number(beta.workflowId), 'QUEUED', 'RUNNING', {
          workflowId: Number(beta.workflowId),
        }),
      );
    });

    it('lists newest first, with totalCount', async () => {
      const result = await list({ filter: { tool: 'list-tool' } });
      expect(result.totalCount).toBe(3);
      expect(result.nodes.map((node) => node.id)).toEqual([
        gamma.workflowId,
        beta.workflowId,
        alpha.workflowId,
      ]);
      expect(result.nodes.map((node) => node.tool.name)).toEqual(['list-tool', 'list-tool', 'list-tool']);

      const all = await list({ first: 1000 });
      const [row] = await server.db.select<{ n: number }>('SELECT COUNT(*) AS n FROM workflow');
      expect(all.totalCount).toBe(Number(row!.n));
      const ids = all.nodes.map((node) => Number(node.id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(ids[0]).toBe(Math.max(...ids));
    });

    it('pages newest first', async () => {
      const first = await list({ filter: { tool: 'list-tool' }, first: 2 });
      expect(first.nodes.map((node) => node.id)).toEqual([gamma.workflowId, beta.workflowId]);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = await list({ filter: { tool: 'list-tool' }, first: 2, after: first.pageInfo.endCursor });
      expect(second.nodes.map((node) => node.id)).toEqual([alpha.workflowId]);
      expect(second.pageInfo.hasNextPage).toBe(false);
      expect(second.totalCount).toBe(3);
    });

    it('filters by status', async () => {
      const running = await list({ filter: { tool: 'list-tool', status: ['RUNNING'] } });
      expect(running.nodes.map((node) => [node.id, node.status])).toEqual([[beta.workflowId, 'RUNNING']]);
      expect(running.totalCount).toBe(1);
      const queued = await list({ filter: { tool: 'list-tool', status: ['QUEUED'] } });
      expect(queued.nodes.map((node) => node.id)).toEqual([gamma.workflowId, alpha.workflowId]);
      const either = await list({ filter: { tool: 'list-tool', status: ['QUEUED', 'RUNNING'] } });
      expect(either.totalCount).toBe(3);
      expect((await list({ filter: { tool: 'list-tool', status: ['DONE'] } })).totalCount).toBe(0);
    });

    it('filters by tool', async () => {
      const result = await list({ filter: { tool: 'list-other-tool' } });
      expect(result.nodes.map((node) => node.id)).toEqual([other.workflowId]);
      const none = await list({ filter: { tool: 'no-such-tool' } });
      expect(none).toMatchObject({ totalCount: 0, nodes: [], pageInfo: { hasNextPage: false } });
    });

    it('searches the name and the workflowArgs', async () => {
      const byName = await list({ filter: { search: 'alpha' } });
      // "alpha_report" and "alpha elsewhere" by name, gamma by its workflowArgs "season=alphabet".
      expect(byName.nodes.map((node) => node.id)).toEqual([
        other.workflowId,
        gamma.workflowId,
        alpha.workflowId,
      ]);
      expect(byName.totalCount).toBe(3);
      const byArgs = await list({ filter: { search: 'winter' } });
      expect(byArgs.nodes.map((node) => node.id)).toEqual([beta.workflowId]);
      const combined = await list({ filter: { search: 'alpha', tool: 'list-tool', status: ['QUEUED'] } });
      expect(combined.nodes.map((node) => node.id)).toEqual([gamma.workflowId, alpha.workflowId]);
      // % and _ are literal characters, not wildcards.
      expect((await list({ filter: { search: '100%' } })).nodes.map((node) => node.id)).toEqual([
        beta.workflowId,
      ]);
      expect((await list({ filter: { search: 'alpha_r' } })).nodes.map((node) => node.id)).toEqual([
        alpha.workflowId,
      ]);
      expect((await list({ filter: { search: 'alpha_e' } })).totalCount).toBe(0);
      expect((await list({ filter: { search: 'season%summer' } })).totalCount).toBe(0);
      expect((await list({ filter: { search: 'season_summer' } })).totalCount).toBe(0);
    });

    it('records no user in open mode', async () => {
      const result = await list({ filter: { tool: 'list-tool' } });
      for (const node of result.nodes) {
        expect(node.createdBy).toBeNull();
        expect(node.latestRun.user).toBeNull();
      }
      expect((await list({ filter: { tool: 'list-tool', user: 'alice' } })).totalCount).toBe(0);
    });
  });

  describe('batched reads (no N+1)', () => {
    const TASKS_DEEP = /* GraphQL */ `
      query Deep($id: ID!) {
        workflow(id: $id) {
          tasks(first: 100) {
            nodes {
              id
              status
              template {
                name
              }
              instances {
                id
                status
                usage {
                  maxRssMb
                }
                resources {
                  memoryMb
                }
              }
              upstream {
                id
              }
              downstream {
                id
              }
              resources {
                cores
              }
            }
          }
        }
      }
    `;
    type DeepTask = {
      id: string;
      status: string;
      template: { name: string };
      instances: {
        id: string;
        status: string;
        usage: { maxRssMb: number };
        resources: { memoryMb: number };
      }[];
      upstream: { id: string }[];
      downstream: { id: string }[];
      resources: { cores: number };
    };
    let big: Submitted;
    let small: Submitted;

    beforeAll(async () => {
      big = await submit(layered('batching', 'big', 100, ['alpha', 'beta', 'gamma'], 3));
      small = await submit(layered('batching', 'small', 20, ['alpha', 'beta', 'gamma'], 3));
      await instancesForEveryTask(big);
      await instancesForEveryTask(small);
    });

    it('answers the deep task listing correctly', async () => {
      const data = await query<{ workflow: { tasks: { nodes: DeepTask[] } } }>(TASKS_DEEP, {
        id: big.workflowId,
      });
      const nodes = data.workflow.tasks.nodes;
      expect(nodes).toHaveLength(100);
      const idOf = nodes.map((node) => node.id);
      for (const [i, node] of nodes.entries()) {
        const template = ['alpha', 'beta', 'gamma'][i % 3]!;
        expect(node.template.name).toBe(template);
        expect(node.resources.cores).toBe(template.length);
        expect(node.instances.map((instance) => instance.status)).toEqual(['ERROR', 'DONE', 'DONE']);
        expect(node.instances.map((instance) => instance.usage.maxRssMb)).toEqual([
          101 + i,
          102 + i,
          103 + i,
        ]);
        for (const instance of node.instances)
          expect(instance.resources.memoryMb).toBe(100 + template.length);
        const upstream = i < 3 ? [] : [idOf[i - 1], idOf[i - 2], idOf[i - 3]];
        expect(node.upstream.map((task) => task.id).sort()).toEqual(upstream.sort());
        // The first three are roots: nothing points at them.
        const downstream = [i + 1, i + 2, i + 3].filter((d) => d >= 3 && d < 100).map((d) => idOf[d]);
        expect(node.downstream.map((task) => task.id).sort()).toEqual(downstream.sort());
        expect(node.status).toBe(i < 3 ? 'QUEUED' : 'REGISTERING');
      }
    });

    it('costs a small constant number of statements, whatever the number of tasks', async () => {
      const bigCount = await countQueries(() => query(TASKS_DEEP, { id: big.workflowId }));
      const smallCount = await countQueries(() => query(TASKS_DEEP, { id: small.workflowId }));
      expect(bigCount).toBeGreaterThan(0);
      expect(bigCount).toBeLessThanOrEqual(12);
      expect(bigCount).toBe(smallCount);
    });

    it('lists workflows with their relations in a constant number of statements', async () => {
      const LIST = /* GraphQL */ `
        query ($first: Int) {
          workflows(first: $first, filter: { tool: "batching-list" }) {
            nodes {
              id
              tool {
                name
              }
              latestRun {
                status
              }
              runs {
                id
              }
              statusCounts {
                total
              }
              taskTemplates {
                name
                statusCounts {
                  total
                }
                usage {
                  doneAttempts
                }
              }
            }
          }
        }
      `;
      for (let i = 0; i < 6; i++) await submit(layered('batching-list', `w${i}`, 4, ['one', 'two']));
      const two = await countQueries(() => query(LIST, { first: 2 }));
      const six = await countQueries(() => query(LIST, { first: 6 }));
      const data = await query<{
        workflows: { nodes: { taskTemplates: { statusCounts: { total: number } }[] }[] };
      }>(LIST, { first: 6 });
      expect(data.workflows.nodes).toHaveLength(6);
      for (const node of data.workflows.nodes)
        expect(node.taskTemplates.map((template) => template.statusCounts.total)).toEqual([2, 2]);
      expect(six).toBeLessThanOrEqual(12);
      expect(six).toBe(two);
    });
  });

  describe('depth and cost limits', () => {
    let taskId: string;

    beforeAll(async () => {
      const submitted = await submit(layered('limits', 'l', 3, ['x'], 1));
      taskId = String((await tasksOf(submitted.workflowId))[2]!.id);
    });

    const nested = (levels: number) =>
      `{ task(id: "${taskId}") { ${'upstream { '.repeat(levels)}id${' }'.repeat(levels)} } }`;

    it(`refuses a query nested deeper than maxQueryDepth with QUERY_TOO_COMPLEX and no data`, async () => {
      expect(server.config.maxQueryDepth).toBe(12);
      const response = await server.graphql(nested(14));
      expect(response.data).toBeUndefined();
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxDepth: 12 });
      expect(response.errors![0]!.message).toContain('too deep');
      expect(response.status).toBe(400);
    });

    it('accepts the same shape within the depth limit', async () => {
      const data = await query<{ task: { upstream: { upstream: { id: string }[] }[] } }>(nested(2));
      expect(data.task.upstream).toHaveLength(1);
      expect(data.task.upstream[0]!.upstream).toHaveLength(1);
      // The boundary: the innermost field of chained(2) is at depth 12, that of chained(3) at 13. (Eleven
      // levels of upstream are within the depth limit but priced over the cost limit.)
      const chained = (upstreams: number) =>
        `{ task(id: "${taskId}") { ${'workflow { tasks(first: 1) { nodes { '.repeat(3)}${'upstream { '.repeat(upstreams)}id${' }'.repeat(3 * 3 + upstreams)} } }`;
      const deepest = await server.graphql<{ task: { id: string } }>(chained(2));
      expect(deepest.errors).toBeUndefined();
      expect(deepest.data!.task).toBeTruthy();
      const tooDeep = await server.graphql(chained(3));
      expect(tooDeep.errors![0]!.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    });

    it('refuses a query whose cost exceeds maxQueryCost with QUERY_TOO_COMPLEX', async () => {
      const before = server.db.queryCount;
      const response = await server.graphql(
        '{ workflows(first: 1000) { nodes { tasks(first: 1000) { nodes { instances { id } } } } } }',
      );
      expect(response.data).toBeUndefined();
      expect(response.status).toBe(400);
      expect(response.errors![0]!.extensions).toMatchObject({
        code: 'QUERY_TOO_COMPLEX',
        maxCost: server.config.maxQueryCost,
      });
      expect(response.errors![0]!.extensions!.cost as number).toBeGreaterThan(server.config.maxQueryCost);
      // Refused before any resolver ran.
      expect(server.db.queryCount).toBe(before);
    });

    it('prices pages given by variables too', async () => {
      const text =
        'query($n: Int) { workflows(first: $n) { nodes { tasks(first: $n) { nodes { id upstream { id } } } } } }';
      const refused = await server.graphql(text, { n: 1000 });
      expect(refused.errors![0]!.extensions?.code).toBe('QUERY_TOO_COMPLEX');
      const accepted = await server.graphql(text, { n: 5 });
      expect(accepted.errors).toBeUndefined();
      const [row] = await server.db.select<{ n: number }>('SELECT COUNT(*) AS n FROM workflow');
      expect((accepted.data as { workflows: { nodes: unknown[] } }).workflows.nodes).toHaveLength(
        Math.min(5, Number(row!.n)),
      );
    });

    it('still answers a normal query on the same server', async () => {
      const data = await query<{ task: { id: string; upstream: { id: string }[] } }>(
        `{ task(id: "${taskId}") { id upstream { id } } }`,
      );
      expect(data.task.id).toBe(taskId);
      expect(data.task.upstream).toHaveLength(1);
    });
  });

  describe('per-template statistics and the DAG', () => {
    // load (l0, l1, l2) → fit (f0, f1) → idle (i0); plus l1 → l2 inside load.
    let stats: Submitted;
    const ids = new Map<string, number>();

    beforeAll(async () => {
      stats = await submit({
        tool: 'stats',
        workflowArgs: 's',
        taskTemplates: [
          { name: 'load', commandTemplate: 'load {n}' },
          { name: 'fit', commandTemplate: 'fit {n}', maxConcurrentlyRunning: 2 },
          { name: 'idle', commandTemplate: 'idle {n}' },
        ],
        tasks: [
          { key: 'l0', template: 'load', args: { n: 0 } },
          { key: 'l1', template: 'load', args: { n: 1 } },
          { key: 'l2', template: 'load', args: { n: 2 }, upstream: ['l1'] },
          { key: 'f0', template: 'fit', args: { n: 0 }, upstream: ['l0', 'l1'] },
          { key: 'f1', template: 'fit', args: { n: 1 }, upstream: ['l2'] },
          { key: 'i0', template: 'idle', args: { n: 0 }, upstream: ['f0', 'f1'] },
        ],
      });
      const tasks = await tasksOf(stats.workflowId);
      for (const task of tasks) ids.set(task.task_key, Number(task.id));
      const attempt = (key: string, n: number, status: string, rss: number | null, wall: number | null) => ({
        taskId: ids.get(key)!,
        attempt: n,
        status,
        maxRssMb: rss,
        wallSeconds: wall,
      });
      await insertInstances([
        attempt('l0', 1, 'DONE', 100, 10),
        attempt('l1', 1, 'ERROR', 9999, 9999), // not DONE: left out of the statistics
        attempt('l1', 2, 'DONE', 200, 20),
        attempt('l2', 1, 'DONE', 300, 60),
        attempt('f0', 1, 'DONE', 1000, 5),
        attempt('f1', 1, 'RESOURCE_ERROR', 5000, 1),
        attempt('f1', 2, 'DONE', 3000, 15),
      ]);
      await server.db.transaction((t) =>
        changeStatus(server.db, t, EntityType.TASK, ids.get('l0')!, 'QUEUED', 'DONE', {
          workflowId: Number(stats.workflowId),
        }),
      );
    });

    it('gives per-template counts and usage of DONE attempts', async () => {
      const data = await query<{
        workflow: {
          taskTemplates: {
            name: string;
            commandTemplate: string;
            maxConcurrentlyRunning: number | null;
            statusCounts: StatusCounts;
            usage: {
              doneAttempts: number;
              maxRssMb: { min: number | null; mean: number | null; max: number | null };
              runtimeSeconds: { min: number | null; mean: number | null; max: number | null };
            };
          }[];
        };
      }>(
        `query($id: ID!) { workflow(id: $id) { taskTemplates {
           name commandTemplate maxConcurrentlyRunning
           statusCounts { total REGISTERING QUEUED DONE RUNNING }
           usage { doneAttempts maxRssMb { min mean max } runtimeSeconds { min mean max } } } } }`,
        { id: stats.workflowId },
      );
      const byName = new Map(data.workflow.taskTemplates.map((template) => [template.name, template]));
      expect([...byName.keys()]).toEqual(['load', 'fit', 'idle']);

      expect(byName.get('load')).toEqual({
        name: 'load',
        commandTemplate: 'load {n}',
        maxConcurrentlyRunning: null,
        statusCounts: { total: 3, REGISTERING: 1, QUEUED: 1, DONE: 1, RUNNING: 0 },
        usage: {
          doneAttempts: 3,
          maxRssMb: { min: 100, mean: 200, max: 300 },
          runtimeSeconds: { min: 10, mean: 30, max: 60 },
        },
      });
      expect(byName.get('fit')).toMatchObject({
        maxConcurrentlyRunning: 2,
        statusCounts: { total: 2, REGISTERING: 2, QUEUED: 0, DONE: 0 },
        usage: {
          doneAttempts: 2,
          maxRssMb: { min: 1000, mean: 2000, max: 3000 },
          runtimeSeconds: { min: 5, mean: 10, max: 15 },
        },
      });
      expect(byName.get('idle')).toMatchObject({
        statusCounts: { total: 1, REGISTERING: 1 },
        usage: {
          doneAttempts: 0,
          maxRssMb: { min: null, mean: null, max: null },
          runtimeSeconds: { min: null, mean: null, max: null },
        },
      });
    });

    it('shows an attempt with its usage and resources through taskInstance(id)', async () => {
      const [instance] = await server.db.select<{ id: number }>(
        'SELECT id FROM task_instance WHERE task_id = ? AND attempt = 2',
        [ids.get('f1')!],
      );
      const data = await query<{
        taskInstance: {
          attempt: number;
          status: string;
          usage: { maxRssMb: number; wallSeconds: number; cpuSeconds: number | null };
          resources: { memoryMb: number };
          task: { id: string };
        };
      }>(
        `query($id: ID!) { taskInstance(id: $id) { attempt status usage { maxRssMb wallSeconds cpuSeconds }
           resources { memoryMb } task { id } } }`,
        { id: String(instance!.id) },
      );
      expect(data.taskInstance).toEqual({
        attempt: 2,
        status: 'DONE',
        usage: { maxRssMb: 3000, wallSeconds: 15, cpuSeconds: null },
        resources: { memoryMb: 1024 },
        task: { id: String(ids.get('f1')) },
      });
    });

    interface DagResult {
      collapsed: boolean;
      nodes: {
        id: string;
        taskId: string | null;
        label: string;
        template: string;
        collapsed: boolean;
        status: string;
        size: number;
        statusCounts: StatusCounts | null;
      }[];
      edges: { source: string; target: string; count: number }[];
    }
    const dag = async (args: string) =>
      (
        await query<{ workflow: { dag: DagResult } }>(
          `query($id: ID!) { workflow(id: $id) { dag${args} { collapsed
             nodes { id taskId label template collapsed status size statusCounts { total REGISTERING QUEUED DONE RUNNING } }
             edges { source target count } } } }`,
          { id: stats.workflowId },
        )
      ).workflow.dag;
    const task = (key: string) => `task:${ids.get(key)}`;
    const sortEdges = (edges: DagResult['edges']) =>
      [...edges].sort((a, b) => `${a.source}>${a.target}`.localeCompare(`${b.source}>${b.target}`));

    it('collapse: TASKS draws every task and every edge', async () => {
      const result = await dag('(collapse: TASKS)');
      expect(result.collapsed).toBe(false);
      expect(result.nodes).toHaveLength(6);
      const byId = new Map(result.nodes.map((node) => [node.id, node]));
      expect(byId.get(task('l0'))).toEqual({
        id: task('l0'),
        taskId: String(ids.get('l0')),
        label: 'l0',
        template: 'load',
        collapsed: false,
        status: 'DONE',
        size: 1,
        statusCounts: null,
      });
      expect(byId.get(task('i0'))).toMatchObject({ template: 'idle', status: 'REGISTERING' });
      expect(sortEdges(result.edges)).toEqual(
        sortEdges(
          [
            ['l0', 'f0'],
            ['l1', 'f0'],
            ['l1', 'l2'],
            ['l2', 'f1'],
            ['f0', 'i0'],
            ['f1', 'i0'],
          ].map(([u, d]) => ({ source: task(u!), target: task(d!), count: 1 })),
        ),
      );
    });

    it('collapse: TEMPLATES draws one node per template with counts, and aggregated edges', async () => {
      const result = await dag('(collapse: TEMPLATES)');
      expect(result.collapsed).toBe(true);
      expect(result.nodes).toEqual([
        {
          id: 'template:load',
          taskId: null,
          label: 'load',
          template: 'load',
          collapsed: true,
          status: 'QUEUED',
          size: 3,
          statusCounts: { total: 3, REGISTERING: 1, QUEUED: 1, DONE: 1, RUNNING: 0 },
        },
        {
          id: 'template:fit',
          taskId: null,
          label: 'fit',
          template: 'fit',
          collapsed: true,
          status: 'REGISTERING',
          size: 2,
          statusCounts: { total: 2, REGISTERING: 2, QUEUED: 0, DONE: 0, RUNNING: 0 },
        },
        {
          id: 'template:idle',
          taskId: null,
          label: 'idle',
          template: 'idle',
          collapsed: true,
          status: 'REGISTERING',
          size: 1,
          statusCounts: { total: 1, REGISTERING: 1, QUEUED: 0, DONE: 0, RUNNING: 0 },
        },
      ]);
      // l1 → l2 stays inside "load" and is not drawn.
      expect(sortEdges(result.edges)).toEqual(
        sortEdges([
          { source: 'template:load', target: 'template:fit', count: 3 },
          { source: 'template:fit', target: 'template:idle', count: 2 },
        ]),
      );
    });

    it('expand draws the named template task by task, the others collapsed', async () => {
      const result = await dag('(collapse: TEMPLATES, expand: ["load"])');
      expect(result.collapsed).toBe(true);
      expect(result.nodes.map((node) => node.id).sort()).toEqual(
        ['template:fit', 'template:idle', task('l0'), task('l1'), task('l2')].sort(),
      );
      expect(result.nodes.find((node) => node.id === task('l1'))).toMatchObject({
        collapsed: false,
        size: 1,
      });
      expect(sortEdges(result.edges)).toEqual(
        sortEdges([
          { source: task('l0'), target: 'template:fit', count: 1 },
          { source: task('l1'), target: 'template:fit', count: 1 },
          { source: task('l2'), target: 'template:fit', count: 1 },
          { source: task('l1'), target: task('l2'), count: 1 },
          { source: 'template:fit', target: 'template:idle', count: 2 },
        ]),
      );

      const middle = await dag('(collapse: TEMPLATES, expand: ["fit"])');
      expect(sortEdges(middle.edges)).toEqual(
        sortEdges([
          { source: 'template:load', target: task('f0'), count: 2 },
          { source: 'template:load', target: task('f1'), count: 1 },
          { source: task('f0'), target: 'template:idle', count: 1 },
          { source: task('f1'), target: 'template:idle', count: 1 },
        ]),
      );
    });

    it('AUTO collapses above collapseAbove tasks only', async () => {
      expect((await dag('(collapse: AUTO, collapseAbove: 5)')).collapsed).toBe(true);
      expect((await dag('(collapse: AUTO, collapseAbove: 5)')).nodes).toHaveLength(3);
      expect((await dag('(collapse: AUTO, collapseAbove: 6)')).collapsed).toBe(false);
      const byDefault = await dag('');
      expect(byDefault.collapsed).toBe(false);
      expect(byDefault.nodes).toHaveLength(6);
    });

    it('draws a large workflow collapsed by default', async () => {
      const large = await submit(layered('stats-large', 'big', 501, ['a', 'b'], 1));
      const result = (
        await query<{ workflow: { dag: DagResult } }>(
          'query($id: ID!) { workflow(id: $id) { dag { collapsed nodes { id size } edges { source target count } } } }',
          { id: large.workflowId },
        )
      ).workflow.dag;
      expect(result.collapsed).toBe(true);
      expect(result.nodes).toEqual([
        { id: 'template:a', size: 251 },
        { id: 'template:b', size: 250 },
      ]);
      expect(sortEdges(result.edges)).toEqual(
        sortEdges([
          { source: 'template:a', target: 'template:b', count: 250 },
          { source: 'template:b', target: 'template:a', count: 250 },
        ]),
      );
    });

    it('auditEvents filters by workflow and entity, and resumes after an id', async () => {
      type Events = Connection<{ id: string; entityType: string; entityId: string; toStatus: string }>;
      const read = async (filter: Record<string, unknown>, first = 100) =>
        (
          await query<{ auditEvents: Events }>(
            `query($filter: AuditEventFilter, $first: Int) { auditEvents(filter: $filter, first: $first) {
               totalCount pageInfo { hasNextPage endCursor } nodes { id entityType entityId toStatus } } }`,
            { filter, first },
          )
        ).auditEvents;
      const all = await read({ workflowId: stats.workflowId });
      // workflow created + queued, run created + bound, l0 and l1 queued, then l0 done.
      expect(all.totalCount).toBe(7);
      const l0 = await read({
        workflowId: stats.workflowId,
        entityType: 'TASK',
        entityId: String(ids.get('l0')),
      });
      expect(l0.nodes.map((event) => event.toStatus)).toEqual(['QUEUED', 'DONE']);
      const since = await read({ workflowId: stats.workflowId, since: all.nodes[4]!.id });
      expect(since.nodes.map((event) => event.id)).toEqual(all.nodes.slice(5).map((event) => event.id));
      expect((await read({ workflowId: stats.workflowId, since: '0' })).totalCount).toBe(7);
      for (const since of ['abc', '-1', '1.5']) {
        const response = await server.graphql(
          'query($since: ID) { auditEvents(filter: { since: $since }) { totalCount nodes { id } } }',
          { since },
        );
        expect({ since, code: response.errors?.[0]?.extensions?.code }).toEqual({
          since,
          code: 'BAD_USER_INPUT',
        });
      }
      const firstPage = await read({ workflowId: stats.workflowId }, 3);
      expect(firstPage.pageInfo.hasNextPage).toBe(true);
      expect(firstPage.nodes.map((event) => event.id)).toEqual(
        all.nodes.slice(0, 3).map((event) => event.id),
      );
    });
  });

  describe('tools and liveness', () => {
    it('tools lists every tool, by name', async () => {
      const data = await query<{ tools: { id: string; name: string; createdAt: string }[] }>(
        '{ tools { id name createdAt } }',
      );
      const rows = await server.db.select<{ id: number; name: string }>('SELECT id, name FROM tool');
      expect(data.tools.map((tool) => tool.name)).toEqual(rows.map((row) => row.name).sort());
      expect(data.tools.map((tool) => tool.name)).toEqual(
        expect.arrayContaining(['paging', 'list-tool', 'stats']),
      );
      for (const tool of data.tools) expect(Number.isNaN(Date.parse(tool.createdAt))).toBe(false);
    });

    it('/healthz answers 200 with status ok', async () => {
      const response = await fetch(`${server.url}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', database: dialect });
    });
  });
});
