import { isTaskRetrying, type TaskStatus } from '../domain';
import { insertAttemptRows } from '../testing/attempts';
import { testDialects } from '../testing/databases';
import { startTestServer, type TestServer } from '../testing/server';
import { encodeCursor } from './pagination';

// Workflow.tasks(orderBy) for the web UI's task table: sorted on the server by id, name, status, attempts
// and the last attempt's runtime and max RSS, paged by keyset cursors that stay put while rows change;
// Task.lastAttempt and Task.lastError read in bulk (one statement per page, not per row).

const COUNT = 24;

interface Expected {
  id: string;
  name: string;
  status: string;
  attempts: number;
  runtime: number; // -1: no attempt
  maxRss: number;
  lastError: string | null;
  lastAttemptError: string | null;
  template: string;
}

type Field = 'ID' | 'NAME' | 'STATUS' | 'ATTEMPTS' | 'RUNTIME' | 'MAX_RSS';
const FIELDS: Field[] = ['ID', 'NAME', 'STATUS', 'ATTEMPTS', 'RUNTIME', 'MAX_RSS'];

const PAGE = /* GraphQL */ `
  query Page($id: ID!, $first: Int, $after: String, $filter: TaskFilter, $orderBy: TaskOrder) {
    workflow(id: $id) {
      tasks(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
        totalCount
        pageInfo {
          hasNextPage
          hasPreviousPage
          endCursor
        }
        nodes {
          id
          name
          status
          numAttempts
          lastError
          lastAttempt {
            attempt
            errorMessage
            usage {
              wallSeconds
              maxRssMb
            }
          }
        }
      }
    }
  }
`;

interface Node {
  id: string;
  name: string;
  status: string;
  numAttempts: number;
  lastError: string | null;
  lastAttempt: {
    attempt: number;
    errorMessage: string | null;
    usage: { wallSeconds: number | null; maxRssMb: number | null };
  } | null;
}
interface TaskPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  nodes: Node[];
}

describe.each(testDialects())('Workflow.tasks(orderBy) [%s]', (dialect) => {
  let server: TestServer;
  let workflowId: string;
  let expected: Expected[];

  async function query<T>(text: string, variables?: Record<string, unknown>): Promise<T> {
    const response = await server.graphql<T>(text, variables);
    if (response.errors) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
    return response.data!;
  }

  const page = async (variables: Record<string, unknown>) =>
    (await query<{ workflow: { tasks: TaskPage } }>(PAGE, { id: workflowId, ...variables })).workflow.tasks;

  /** Every page of a listing, `first` at a time. */
  async function all(variables: Record<string, unknown>, first: number): Promise<Node[]> {
    const seen: Node[] = [];
    let after: string | null = null;
    for (let i = 0; i < 100; i++) {
      const result: TaskPage = await page({ ...variables, first, after });
      expect(result.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...result.nodes);
      if (!result.pageInfo.hasNextPage) return seen;
      after = result.pageInfo.endCursor;
    }
    throw new Error('more than 100 pages');
  }

  const keyOf = (field: Field, row: Expected): string | number =>
    ({
      ID: Number(row.id),
      NAME: row.name,
      STATUS: row.status,
      ATTEMPTS: row.attempts,
      RUNTIME: row.runtime,
      MAX_RSS: row.maxRss,
    })[field];

  function sorted(rows: Expected[], field: Field, direction: 'ASC' | 'DESC'): string[] {
    const sign = direction === 'ASC' ? 1 : -1;
    return [...rows]
      .sort((a, b) => {
        const [x, y] = [keyOf(field, a), keyOf(field, b)];
        const byKey = x < y ? -1 : x > y ? 1 : 0;
        return sign * (byKey || Number(a.id) - Number(b.id));
      })
      .map((row) => row.id);
  }

  const insertAttempt = (
    taskId: number,
    attempt: number,
    values: { wall: number; rss: number; error: string | null; status: string },
  ) =>
    insertAttemptRows(server.db, [
      {
        taskId,
        attempt,
        status: values.status,
        wallSeconds: values.wall,
        maxRssMb: values.rss,
        errorMessage: values.error,
      },
    ]);

  beforeAll(async () => {
    server = await startTestServer(dialect, { maxPageSize: 100 }, { countQueries: true });
    const submitted = await query<{
      submitWorkflow: { workflow: { id: string }; workflowRun: { id: string } };
    }>(
      `mutation($input: WorkflowSubmission!) {
         submitWorkflow(input: $input) { workflow { id } workflowRun { id } }
       }`,
      {
        input: {
          tool: 'task-order',
          workflowArgs: `order-${dialect}`,
          taskTemplates: [
            { name: 'a', commandTemplate: 'echo a {i}', nodeArgs: ['i'] },
            { name: 'b', commandTemplate: 'echo b {i}', nodeArgs: ['i'] },
          ],
          // Names out of id order (lower case and digits: both databases' collations agree on them).
          tasks: Array.from({ length: COUNT }, (_, i) => ({
            key: `k${i}`,
            name: `n_${String((i * 7) % COUNT).padStart(2, '0')}`,
            template: i % 2 ? 'b' : 'a',
            args: { i },
          })),
        },
      },
    );
    workflowId = submitted.submitWorkflow.workflow.id;
    const tasks = await server.db.select<{ id: number; name: string }>(
      'SELECT id, name FROM task WHERE workflow_id = ? ORDER BY id',
      [Number(workflowId)],
    );
    const statuses = ['DONE', 'ERROR_FATAL', 'QUEUED', 'RUNNING'];
    expected = [];
    for (const [i, task] of tasks.entries()) {
      const status = statuses[i % statuses.length]!;
      let attempts = 0;
      let runtime = -1;
      let maxRss = -1;
      let lastError: string | null = null;
      let lastAttemptError: string | null = null;
      if (i % 4 !== 2) {
        // Ties in runtime (the id breaks them); a first attempt bigger than any last one, so a sort by
        // the largest attempt instead of the last would show.
        if (i % 3 === 0) {
          await insertAttempt(task.id, 1, { wall: 1000, rss: 9000, error: `boom ${i}`, status: 'ERROR' });
          attempts++;
          lastError = `boom ${i}`;
        }
        runtime = (i * 5) % 11;
        maxRss = ((i * 3) % 7) + 0.5;
        const error = status === 'ERROR_FATAL' ? `fatal ${i}` : null;
        await insertAttempt(task.id, attempts + 1, {
          wall: runtime,
          rss: maxRss,
          error,
          status: error ? 'ERROR' : 'DONE',
        });
        attempts++;
        if (error) lastError = lastAttemptError = error;
      }
      await server.db.execute('UPDATE task SET status = ?, num_attempts = ? WHERE id = ?', [
        status,
        attempts,
        task.id,
      ]);
      expected.push({
        id: String(task.id),
        name: task.name,
        status,
        attempts,
        runtime,
        maxRss,
        lastError,
        lastAttemptError,
        template: i % 2 ? 'b' : 'a',
      });
    }
  });

  afterAll(async () => {
    await server?.stop();
  });

  it.each(FIELDS.flatMap((field) => (['ASC', 'DESC'] as const).map((direction) => [field, direction])))(
    'sorts by %s %s on the server, 5 at a time, every task once',
    async (field, direction) => {
      const rows = await all({ orderBy: { field, direction } }, 5);
      expect(rows.map((row) => row.id)).toEqual(
        sorted(expected, field as Field, direction as 'ASC' | 'DESC'),
      );
    },
  );

  it('gives each task its last attempt (not its largest) and its last error', async () => {
    const rows = await all({ orderBy: { field: 'ID', direction: 'DESC' } }, 50);
    for (const row of rows) {
      const want = expected.find((e) => e.id === row.id)!;
      expect(row.numAttempts).toBe(want.attempts);
      expect(row.lastError).toBe(want.lastError);
      if (want.attempts === 0) expect(row.lastAttempt).toBeNull();
      else
        expect(row.lastAttempt).toEqual({
          attempt: want.attempts,
          errorMessage: want.lastAttemptError,
          usage: { wallSeconds: want.runtime, maxRssMb: want.maxRss },
        });
    }
  });

  it('reads the last attempts and errors of a page in a fixed number of statements, whatever its size', async () => {
    const cost = async (first: number) => {
      let least = Infinity;
      for (let i = 0; i < 3; i++) {
        const before = server.db.queryCount;
        await page({ first, orderBy: { field: 'RUNTIME', direction: 'DESC' } });
        least = Math.min(least, server.db.queryCount - before);
      }
      return least;
    };
    expect(await cost(20)).toBe(await cost(2));
  });

  it('filters by status, template and name while sorted; the count is the filtered one', async () => {
    const filter = { status: ['ERROR_FATAL', 'DONE'], template: 'a' };
    const want = expected.filter((e) => filter.status.includes(e.status) && e.template === 'a');
    expect(want.length).toBeGreaterThan(3);
    const result = await page({ first: 3, filter, orderBy: { field: 'MAX_RSS', direction: 'DESC' } });
    expect(result.totalCount).toBe(want.length);
    const rows = await all({ filter, orderBy: { field: 'MAX_RSS', direction: 'DESC' } }, 3);
    expect(rows.map((row) => row.id)).toEqual(sorted(want, 'MAX_RSS', 'DESC'));

    const named = await all({ filter: { search: 'n_1' }, orderBy: { field: 'NAME', direction: 'DESC' } }, 4);
    expect(named.map((row) => row.name)).toEqual(
      expected
        .filter((e) => e.name.includes('n_1'))
        .map((e) => e.name)
        .sort()
        .reverse(),
    );
    expect(
      (await page({ filter: { template: 'no-such' }, orderBy: { field: 'NAME', direction: 'ASC' } })).nodes,
    ).toEqual([]);
  });

  it('filters by retrying (isTaskRetrying): a task on its second attempt is in, one on its first is not, in either order, page by page', async () => {
    const retrying = expected.filter((e) => isTaskRetrying(e.status as TaskStatus, e.attempts));
    const others = expected.filter((e) => !retrying.includes(e));
    // The fixture holds both kinds of RUNNING task.
    const running = (attempts: number) =>
      expected.find((e) => e.status === 'RUNNING' && e.attempts === attempts)!;
    expect(retrying).toContainEqual(running(2));
    expect(others).toContainEqual(running(1));
    expect(retrying.length).toBeGreaterThan(1);

    for (const orderBy of [null, { field: 'ATTEMPTS', direction: 'DESC' }]) {
      const order = orderBy ? sorted(expected, 'ATTEMPTS', 'DESC') : expected.map((e) => e.id);
      for (const [flag, want] of [
        [true, retrying],
        [false, others],
      ] as const) {
        const filter = { retrying: flag };
        expect((await page({ first: 1, filter, orderBy })).totalCount).toBe(want.length);
        const rows = await all({ filter, orderBy }, 1);
        expect(rows.map((row) => row.id)).toEqual(order.filter((id) => want.some((e) => e.id === id)));
      }
    }
    const runningRetrying = await all({ filter: { retrying: true, status: ['RUNNING'] } }, 5);
    expect(runningRetrying.map((row) => row.id)).toEqual(
      retrying.filter((e) => e.status === 'RUNNING').map((e) => e.id),
    );
  });

  it('continues after its cursor while rows change: a row moved before the cursor is not seen again, none after it is skipped', async () => {
    const orderBy = { field: 'RUNTIME', direction: 'DESC' };
    const firstPage = await page({ first: 6, orderBy });
    const order = sorted(expected, 'RUNTIME', 'DESC');
    expect(firstPage.nodes.map((row) => row.id)).toEqual(order.slice(0, 6));
    // A task not seen yet gets a new, longest attempt: it moves before the cursor.
    const moved = expected.find((e) => e.id === order[10])!;
    await insertAttempt(Number(moved.id), moved.attempts + 1, {
      wall: 5000,
      rss: 1,
      error: null,
      status: 'RUNNING',
    });
    try {
      const rest: Node[] = [];
      let after = firstPage.pageInfo.endCursor;
      for (;;) {
        const next = await page({ first: 6, after, orderBy });
        rest.push(...next.nodes);
        if (!next.pageInfo.hasNextPage) break;
        after = next.pageInfo.endCursor;
      }
      expect(rest.map((row) => row.id)).toEqual(order.slice(6).filter((id) => id !== moved.id));
    } finally {
      await server.db.execute('DELETE FROM task_instance WHERE task_id = ? AND wall_seconds = 5000', [
        Number(moved.id),
      ]);
    }
  });

  it('refuses first above the page size, and a cursor of another order, with BAD_USER_INPUT', async () => {
    const tooMany = await server.graphql(PAGE, {
      id: workflowId,
      first: 101,
      orderBy: { field: 'NAME', direction: 'ASC' },
    });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(tooMany.errors?.[0]?.message).toContain('first must be between 0 and 100');

    const byName = await page({ first: 2, orderBy: { field: 'NAME', direction: 'ASC' } });
    for (const [after, orderBy] of [
      [byName.pageInfo.endCursor, { field: 'NAME', direction: 'DESC' }],
      [byName.pageInfo.endCursor, { field: 'RUNTIME', direction: 'ASC' }],
      [byName.pageInfo.endCursor, null],
      [encodeCursor(Number(expected[0]!.id)), { field: 'NAME', direction: 'ASC' }],
      ['not a cursor', { field: 'NAME', direction: 'ASC' }],
    ] as const) {
      const response = await server.graphql(PAGE, { id: workflowId, first: 2, after, orderBy });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    // The default order is id ascending: its cursor is the id cursor.
    const byId = await page({ first: 2, orderBy: { field: 'ID', direction: 'ASC' } });
    const next = await page({ first: 2, after: byId.pageInfo.endCursor });
    expect(next.nodes.map((n) => n.id)).toEqual(expected.slice(2, 4).map((e) => e.id));
  });

  it('Workflow.lastEventId is the audit position read before the page: auditEvents since it hold exactly the later changes', async () => {
    const read = await query<{ workflow: { lastEventId: string; tasks: { nodes: { id: string }[] } } }>(
      'query($id: ID!) { workflow(id: $id) { lastEventId tasks(first: 1) { nodes { id } } } }',
      { id: workflowId },
    );
    const newest = await query<{ auditEvents: { totalCount: number; nodes: { id: string }[] } }>(
      '{ auditEvents(first: 100) { totalCount nodes { id } } }',
    );
    expect(newest.auditEvents.totalCount).toBeLessThanOrEqual(100);
    expect(read.workflow.lastEventId).toBe(newest.auditEvents.nodes.at(-1)?.id ?? '0');
    const queued = expected.find((e) => e.status === 'QUEUED')!;
    await query('mutation($ids: [ID!]!) { setTaskStatus(taskIds: $ids, status: ERROR_FATAL) { id } }', {
      ids: [queued.id],
    });
    try {
      const later = await query<{ auditEvents: { nodes: { entityId: string; toStatus: string }[] } }>(
        'query($since: ID!) { auditEvents(filter: { since: $since }, first: 100) { nodes { entityId toStatus } } }',
        { since: read.workflow.lastEventId },
      );
      expect(later.auditEvents.nodes).toEqual([{ entityId: queued.id, toStatus: 'ERROR_FATAL' }]);
    } finally {
      await server.db.execute('UPDATE task SET status = ? WHERE id = ?', ['QUEUED', Number(queued.id)]);
    }
  });
});
