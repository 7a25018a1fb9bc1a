import { testDialects } from '../testing/databases';
import { tableRowCounts } from '../testing/row-counts';
import { echoTemplates, submission, task, uniqueWorkflowArgs, type TaskFixture } from '../testing/fixtures';
import { taskCountMismatches, templateEdgeCountMismatches } from '../testing/task-counts';
import { startTestServer, type TestServer } from '../testing/server';
import { sweepExpiredBindings } from './binding.service';

// The chunked binding end to end (GraphQL over HTTP against a real server), on SQLite and on MySQL.

/** The one template of every `task` fixture (`echo step --name {name}`), for the binding's begin. */
const TEMPLATES = echoTemplates([task('any')]);

const BEGIN = /* GraphQL */ `
  mutation Begin($input: WorkflowBindingInput!) {
    beginWorkflowBinding(input: $input) {
      bindingId
      expiresAt
      taskCount
      chunkCount
    }
  }
`;
const ADD = /* GraphQL */ `
  mutation Add($bindingId: ID!, $tasks: [TaskInput!]!) {
    addWorkflowTasks(bindingId: $bindingId, tasks: $tasks) {
      bindingId
      expiresAt
      taskCount
      chunkCount
    }
  }
`;
const COMMIT = /* GraphQL */ `
  mutation Commit($bindingId: ID!) {
    commitWorkflowBinding(bindingId: $bindingId) {
      created
      workflow {
        id
        status
        taskCount
        statusCounts {
          total
          REGISTERING
          QUEUED
        }
      }
      workflowRun {
        id
        status
      }
    }
  }
`;
const ABORT = /* GraphQL */ `
  mutation Abort($bindingId: ID!) {
    abortWorkflowBinding(bindingId: $bindingId)
  }
`;
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
const DAG = /* GraphQL */ `
  query Dag($id: ID!) {
    workflow(id: $id) {
      tasks(first: 100) {
        nodes {
          key
          name
          command
          status
          upstream {
            key
          }
        }
      }
    }
  }
`;

/** Three layers of five; every task of layers 1 and 2 has two upstreams in the layer before. */
function layeredDag(): { a: TaskFixture[]; b: TaskFixture[]; c: TaskFixture[] } {
  const a = [0, 1, 2, 3, 4].map((i) => task(`a${i}`));
  const b = [0, 1, 2, 3, 4].map((i) => task(`b${i}`, [`a${i}`, `a${(i + 1) % 5}`]));
  const c = [0, 1, 2, 3, 4].map((i) => task(`c${i}`, [`b${i}`, `b${(i + 1) % 5}`]));
  return { a, b, c };
}

const TABLES = [
  'workflow',
  'workflow_task_template',
  'workflow_run',
  'task',
  'edge',
  'binding_edge',
  'workflow_binding',
  'audit_event',
];

describe.each(testDialects())('chunked workflow binding [%s]', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(async () => {
    await server?.stop();
  });
  // Bound, aborted or expired: the kept task and template edge counts agree with the tasks and edges.
  afterEach(async () => {
    expect(await taskCountMismatches(server.db)).toEqual([]);
    expect(await templateEdgeCountMismatches(server.db)).toEqual([]);
  });

  async function ok<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await server.graphql<T>(query, variables);
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data!;
  }

  async function begin(args: string, extra: Record<string, unknown> = {}): Promise<string> {
    const { tasks: _none, ...input } = submission([], {
      workflowArgs: args,
      name: 'chunked',
      taskTemplates: TEMPLATES,
      ...extra,
    });
    const data = await ok<{ beginWorkflowBinding: { bindingId: string } }>(BEGIN, { input });
    return data.beginWorkflowBinding.bindingId;
  }

  const add = (bindingId: string, tasks: TaskFixture[]) =>
    ok<{ addWorkflowTasks: { taskCount: number; chunkCount: number } }>(ADD, { bindingId, tasks });

  const counts = () => tableRowCounts(server.db, TABLES);

  async function workflowOfBinding(bindingId: string): Promise<number> {
    const rows = await server.db.select<{ id: number }>('SELECT id FROM workflow WHERE binding_token = ?', [
      bindingId,
    ]);
    return Number(rows[0]!.id);
  }

  async function dagOf(workflowId: string | number) {
    const data = await ok<{
      workflow: {
        tasks: {
          nodes: {
            key: string;
            name: string;
            command: string;
            status: string;
            upstream: { key: string }[];
          }[];
        };
      };
    }>(DAG, { id: String(workflowId) });
    return data.workflow.tasks.nodes
      .map((node) => ({ ...node, upstream: node.upstream.map((u) => u.key).sort() }))
      .sort((x, y) => x.key.localeCompare(y.key));
  }

  it('binds a DAG in three chunks with edges across them, equal to the same DAG in one request', async () => {
    const args = uniqueWorkflowArgs('binding');
    const { a, b, c } = layeredDag();
    const bindingId = await begin(args);
    expect(bindingId).toMatch(/^[0-9a-f]{64}$/);
    // Chunk 1: layer b (its upstreams come in a LATER chunk) and c0 (its upstreams are in this chunk).
    expect(await add(bindingId, [...b, c[0]!])).toEqual({
      addWorkflowTasks: expect.objectContaining({ taskCount: 6, chunkCount: 1 }),
    });
    await add(bindingId, a); // chunk 2: the roots
    await add(bindingId, c.slice(1)); // chunk 3: upstreams in an EARLIER chunk

    // Before the commit: invisible and not runnable.
    const workflowId = await workflowOfBinding(bindingId);
    const listed = await ok<{ workflows: { nodes: { id: string }[]; totalCount: number } }>(
      `query { workflows(first: 100) { totalCount nodes { id } } }`,
      {},
    );
    expect(listed.workflows.nodes.map((n) => n.id)).not.toContain(String(workflowId));
    const hidden = await server.graphql(`query($id: ID!) { workflow(id: $id) { id } }`, {
      id: String(workflowId),
    });
    expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const [someTask] = await server.db.select<{ id: number }>(
      'SELECT id FROM task WHERE workflow_id = ? LIMIT 1',
      [workflowId],
    );
    const hiddenTask = await server.graphql(`query($id: ID!) { task(id: $id) { id } }`, {
      id: String(someTask!.id),
    });
    expect(hiddenTask.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const notRegistering = await server.db.select<{ n: number }>(
      "SELECT COUNT(*) AS n FROM task WHERE workflow_id = ? AND status <> 'REGISTERING'",
      [workflowId],
    );
    expect(Number(notRegistering[0]!.n)).toBe(0);
    const runs = await server.db.select<{ n: number }>(
      'SELECT COUNT(*) AS n FROM workflow_run WHERE workflow_id = ?',
      [workflowId],
    );
    expect(Number(runs[0]!.n)).toBe(0);

    const committed = await ok<{
      commitWorkflowBinding: {
        created: boolean;
        workflow: {
          id: string;
          status: string;
          taskCount: number;
          statusCounts: { total: number; QUEUED: number };
        };
        workflowRun: { status: string };
      };
    }>(COMMIT, { bindingId });
    expect(committed.commitWorkflowBinding).toMatchObject({
      created: true,
      workflow: {
        id: String(workflowId),
        status: 'QUEUED',
        taskCount: 15,
        statusCounts: { total: 15, QUEUED: 5 },
      },
      workflowRun: { status: 'BOUND' },
    });
    const staged = await server.db.select<{ n: number }>(
      'SELECT COUNT(*) AS n FROM binding_edge WHERE workflow_id = ?',
      [workflowId],
    );
    expect(Number(staged[0]!.n)).toBe(0);
    const visible = await ok<{ workflows: { nodes: { id: string }[] } }>(
      `query { workflows(first: 100) { nodes { id } } }`,
      {},
    );
    expect(visible.workflows.nodes.map((n) => n.id)).toContain(String(workflowId));

    // The same DAG in one request, tasks in another order: the same workflow (same task hash).
    const again = await ok<{ submitWorkflow: { created: boolean; workflow: { id: string } } }>(SUBMIT, {
      input: submission([...c, ...a, ...b], {
        workflowArgs: args,
        name: 'chunked',
        taskTemplates: TEMPLATES,
      }),
    });
    expect(again.submitWorkflow).toMatchObject({ created: false, workflow: { id: String(workflowId) } });

    // And bound in one request under other workflowArgs, it has the same tasks, commands and edges.
    const single = await ok<{ submitWorkflow: { created: boolean; workflow: { id: string } } }>(SUBMIT, {
      input: submission([...a, ...b, ...c], {
        workflowArgs: `${args}-single`,
        name: 'chunked',
        taskTemplates: TEMPLATES,
      }),
    });
    expect(single.submitWorkflow.created).toBe(true);
    const chunkedDag = await dagOf(workflowId);
    expect(chunkedDag).toHaveLength(15);
    expect(chunkedDag.find((t) => t.key === 'b2')).toEqual({
      key: 'b2',
      name: 'b2',
      command: 'echo step --name b2',
      status: 'REGISTERING',
      upstream: ['a2', 'a3'],
    });
    expect(chunkedDag).toEqual(await dagOf(single.submitWorkflow.workflow.id));
  });

  it('counts the edges between templates across chunks: in the chunk, to an earlier chunk, staged for a later one', async () => {
    const { a, b, c } = layeredDag();
    const as = a.map((t) => ({ ...t, template: 'a' }));
    const bs = b.map((t) => ({ ...t, template: 'b' }));
    const cs = c.map((t) => ({ ...t, template: 'c' }));
    const bindingId = await begin(uniqueWorkflowArgs('binding'), {
      taskTemplates: echoTemplates([...as, ...bs, ...cs]),
    });
    await add(bindingId, [...bs, cs[0]!]); // b → a staged; c0 → b in the chunk
    await add(bindingId, as);
    await add(bindingId, cs.slice(1)); // c → b of an earlier chunk
    const workflowId = await workflowOfBinding(bindingId);
    await ok(COMMIT, { bindingId });
    expect(await templateEdgeCountMismatches(server.db)).toEqual([]);
    const data = await ok<{
      workflow: { dag: { collapsed: boolean; edges: { source: string; target: string; count: number }[] } };
    }>(
      'query($id: ID!) { workflow(id: $id) { dag(collapse: TEMPLATES) { collapsed edges { source target count } } } }',
      { id: String(workflowId) },
    );
    expect(data.workflow.dag.collapsed).toBe(true);
    expect([...data.workflow.dag.edges].sort((x, y) => x.source.localeCompare(y.source))).toEqual([
      { source: 'template:a', target: 'template:b', count: 10 },
      { source: 'template:b', target: 'template:c', count: 10 },
    ]);
  });

  it('finds an identical existing workflow at commit and leaves nothing of the binding behind', async () => {
    const args = uniqueWorkflowArgs('binding');
    const { a, b, c } = layeredDag();
    const first = await ok<{ submitWorkflow: { workflow: { id: string }; workflowRun: { id: string } } }>(
      SUBMIT,
      {
        input: submission([...a, ...b, ...c], {
          workflowArgs: args,
          name: 'chunked',
          taskTemplates: TEMPLATES,
        }),
      },
    );
    const before = await counts();
    const bindingId = await begin(args);
    await add(bindingId, [...c, ...b]);
    await add(bindingId, a);
    const committed = await ok<{
      commitWorkflowBinding: { created: boolean; workflow: { id: string }; workflowRun: { id: string } };
    }>(COMMIT, { bindingId });
    expect(committed.commitWorkflowBinding).toEqual({
      created: false,
      workflow: expect.objectContaining({ id: first.submitWorkflow.workflow.id }),
      workflowRun: expect.objectContaining({ id: first.submitWorkflow.workflowRun.id }),
    });
    expect(await counts()).toEqual(before);
  });

  it('a chunked resubmission with changed resources gives the existing workflow’s tasks the new ones', async () => {
    const args = uniqueWorkflowArgs('binding');
    const { a, b, c } = layeredDag();
    const first = await ok<{ submitWorkflow: { workflow: { id: string } } }>(SUBMIT, {
      // As `begin` describes it (the same tool, templates and args): the same workflow.
      input: submission([...a, ...b, ...c], {
        workflowArgs: args,
        name: 'chunked',
        taskTemplates: TEMPLATES,
      }),
    });
    const workflowId = Number(first.submitWorkflow.workflow.id);
    const bindingId = await begin(args);
    await add(bindingId, [...c, ...b]);
    await add(
      bindingId,
      a.map((t) => (t.key === 'a0' ? { ...t, resources: { memoryMb: 7777 } } : t)),
    );
    const committed = await ok<{ commitWorkflowBinding: { created: boolean } }>(COMMIT, { bindingId });
    expect(committed.commitWorkflowBinding.created).toBe(false);
    const rows = await server.db.select<{ task_key: string; memory_mb: number }>(
      `SELECT t.task_key, r.memory_mb FROM task t JOIN task_resources r ON r.id = t.task_resources_id
        WHERE t.workflow_id = ? AND t.task_key IN ('a0', 'a1') ORDER BY t.task_key`,
      [workflowId],
    );
    // a0 asks for more; a1 asks for what it asked before and keeps it (the server's default).
    expect(rows.map((row) => [row.task_key, Number(row.memory_mb)])).toEqual([
      ['a0', 7777],
      ['a1', 1024],
    ]);
  });

  it('refuses a bad chunk whole, writing nothing of it', async () => {
    const bindingId = await begin(uniqueWorkflowArgs('binding'));
    await add(bindingId, [task('x0'), task('x1', ['x0', 'later'])]);
    const before = await counts();
    const bad = await server.graphql(ADD, {
      bindingId,
      tasks: [
        task('x2', ['x0']),
        { key: 'x3', template: 'step', args: {} },
        { key: 'x4', template: 'nope', args: {} },
      ],
    });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.extensions?.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('missing argument "name"'),
        expect.stringContaining('unknown template "nope"'),
      ]),
    );
    expect(await counts()).toEqual(before);

    // A key of an earlier chunk, or twice in one chunk, or its own upstream.
    const duplicate = await server.graphql(ADD, { bindingId, tasks: [task('x5', ['x0']), task('x1')] });
    expect(duplicate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(duplicate.errors?.[0]?.message).toContain('"x1": duplicate key');
    const twice = await server.graphql(ADD, { bindingId, tasks: [task('x6'), task('x6')] });
    expect(twice.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const self = await server.graphql(ADD, { bindingId, tasks: [task('x7', ['x7'])] });
    expect(self.errors?.[0]?.message).toContain('lists itself as upstream');
    const empty = await server.graphql(ADD, { bindingId, tasks: [] });
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await counts()).toEqual(before);

    // An unknown upstream key is found at commit; the binding stays open to be completed.
    const unknown = await server.graphql(COMMIT, { bindingId });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors?.[0]?.message).toContain('task "x1": unknown upstream key "later"');
    expect(await counts()).toEqual(before);
    await add(bindingId, [task('later')]);
    const committed = await ok<{
      commitWorkflowBinding: { created: boolean; workflow: { statusCounts: { QUEUED: number } } };
    }>(COMMIT, { bindingId });
    expect(committed.commitWorkflowBinding).toMatchObject({
      created: true,
      workflow: { statusCounts: { QUEUED: 2 } },
    });
    // Committed: the binding is gone.
    const gone = await server.graphql(ADD, { bindingId, tasks: [task('x9')] });
    expect(gone.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses a cycle across chunks at commit, and abort then leaves no rows behind', async () => {
    const before = await counts();
    const bindingId = await begin(uniqueWorkflowArgs('binding'));
    await add(bindingId, [task('r'), task('p', ['r', 'q2'])]);
    await add(bindingId, [task('q1', ['p'])]);
    await add(bindingId, [task('q2', ['q1'])]);
    const cyclic = await server.graphql(COMMIT, { bindingId });
    expect(cyclic.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(cyclic.errors?.[0]?.message).toMatch(/cycle: "(p|q1|q2)" -> "(p|q1|q2)" -> "(p|q1|q2)" -> "\1"/);
    const workflowId = await workflowOfBinding(bindingId);
    const queued = await server.db.select<{ n: number }>(
      "SELECT COUNT(*) AS n FROM task WHERE workflow_id = ? AND status <> 'REGISTERING'",
      [workflowId],
    );
    expect(Number(queued[0]!.n)).toBe(0);

    expect((await ok<{ abortWorkflowBinding: boolean }>(ABORT, { bindingId })).abortWorkflowBinding).toBe(
      true,
    );
    expect(await counts()).toEqual(before);
    const again = await server.graphql(COMMIT, { bindingId });
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('deletes expired bindings, and only those', async () => {
    const before = await counts();
    const { a, b, c } = layeredDag();
    const expiring = await begin(uniqueWorkflowArgs('binding'));
    await add(expiring, [...c, ...b]);
    await add(expiring, a);
    expect(await sweepExpiredBindings(server.db)).toBe(0);

    const inTwoHours = new Date(Date.now() + 2 * 3600_000);
    expect(await sweepExpiredBindings(server.db, inTwoHours)).toBe(1);
    expect(await counts()).toEqual(before);
    const late = await server.graphql(ADD, { bindingId: expiring, tasks: [task('z')] });
    expect(late.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await sweepExpiredBindings(server.db, inTwoHours)).toBe(0);
  });

  it('refuses a binding without templates and a commit without tasks', async () => {
    const none = await server.graphql(BEGIN, {
      input: { tool: 'binding-test', workflowArgs: uniqueWorkflowArgs('binding'), taskTemplates: [] },
    });
    expect(none.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const bindingId = await begin(uniqueWorkflowArgs('binding'));
    const empty = await server.graphql(COMMIT, { bindingId });
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await ok(ABORT, { bindingId });
    const unknown = await server.graphql(ADD, { bindingId: 'f'.repeat(64), tasks: [task('z')] });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
