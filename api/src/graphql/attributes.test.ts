import { DEFAULT_INPUT_LIMITS } from '../domain';
import type { WorkflowSubmission } from '../services/submission.types';
import { testDialects } from '../testing/databases';
import { startTestServer, type TestServer } from '../testing/server';

// Attributes after submission (setWorkflowAttributes, setTaskAttributes) and the attribute filters of
// the workflow list and a workflow's tasks, against a real server on SQLite and MySQL.

const SUBMIT = `mutation ($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }`;
const SET_WORKFLOW = `mutation ($id: ID!, $attributes: JSONObject!) {
  setWorkflowAttributes(workflowId: $id, attributes: $attributes) { id attributes } }`;
const SET_TASKS = `mutation ($ids: [ID!]!, $attributes: JSONObject!) {
  setTaskAttributes(taskIds: $ids, attributes: $attributes) { id attributes } }`;
const WORKFLOWS = `query ($filter: WorkflowFilter) { workflows(filter: $filter) { totalCount nodes { id } } }`;
const TASKS = `query ($id: ID!, $filter: TaskFilter) {
  workflow(id: $id) { tasks(filter: $filter, first: 50) { totalCount nodes { id key attributes } } } }`;

describe.each(testDialects())('attributes [%s]', (dialect) => {
  let server: TestServer;
  const limits = { ...DEFAULT_INPUT_LIMITS, maxTextBytes: 2000 };

  beforeAll(async () => {
    server = await startTestServer(dialect, { limits });
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function gql<T>(query: string, variables: Record<string, unknown>) {
    return server.graphql<T>(query, variables);
  }
  async function ok<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await gql<T>(query, variables);
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data!;
  }
  const submission = (workflowArgs: string, attributes?: Record<string, unknown>): WorkflowSubmission => ({
    tool: `attributes-${dialect}`,
    workflowArgs,
    attributes,
    taskTemplates: [{ name: 'fit', commandTemplate: 'fit {loc}' }],
    tasks: ['kenya', 'peru', 'chad'].map((loc) => ({
      key: loc,
      template: 'fit',
      args: { loc },
      attributes: { region: loc === 'peru' ? 'americas' : 'africa', 'odd "key"': loc },
    })),
  });
  const submit = async (workflowArgs: string, attributes?: Record<string, unknown>) =>
    (
      await ok<{ submitWorkflow: { workflow: { id: string } } }>(SUBMIT, {
        input: submission(workflowArgs, attributes),
      })
    ).submitWorkflow.workflow.id;
  const workflowIds = async (attributes: Record<string, unknown>) =>
    (
      await ok<{ workflows: { nodes: { id: string }[] } }>(WORKFLOWS, {
        filter: { tool: `attributes-${dialect}`, attributes },
      })
    ).workflows.nodes.map((node) => node.id);
  const taskKeys = async (id: string, attributes: Record<string, unknown>) =>
    (
      await ok<{ workflow: { tasks: { nodes: { key: string }[] } } }>(TASKS, { id, filter: { attributes } })
    ).workflow.tasks.nodes.map((node) => node.key);

  it('filters workflows and tasks by attributes; every pair must match, values compared as text', async () => {
    const a = await submit('a', { release: 'gbd2023', round: 7 });
    const b = await submit('b', { release: 'gbd2021', round: 7 });
    expect(await workflowIds({ release: 'gbd2023' })).toEqual([a]);
    expect(await workflowIds({ round: 7 })).toEqual([b, a]);
    expect(await workflowIds({ round: '7' })).toEqual([b, a]);
    expect(await workflowIds({ round: 7, release: 'gbd2021' })).toEqual([b]);
    expect(await workflowIds({ release: 'none' })).toEqual([]);
    expect(await workflowIds({ missing: 'x' })).toEqual([]);
    expect(await taskKeys(a, { region: 'africa' })).toEqual(['kenya', 'chad']);
    // Keys with quotes and spaces are keys like any other (quoted into the JSON path).
    expect(await taskKeys(a, { 'odd "key"': 'peru' })).toEqual(['peru']);
    expect(await taskKeys(a, { region: 'africa', 'odd "key"': 'chad' })).toEqual(['chad']);
  });

  it('filters a sorted listing of tasks by attributes as it does the id-ordered one', async () => {
    const id = await submit('sorted');
    const SORTED = `query ($id: ID!, $filter: TaskFilter) { workflow(id: $id) {
      tasks(filter: $filter, first: 50, orderBy: { field: ID, direction: DESC }) { totalCount nodes { key } } } }`;
    const sorted = async (attributes: Record<string, unknown>) => {
      const data = await ok<{ workflow: { tasks: { totalCount: number; nodes: { key: string }[] } } }>(
        SORTED,
        {
          id,
          filter: { attributes },
        },
      );
      return {
        total: data.workflow.tasks.totalCount,
        keys: data.workflow.tasks.nodes.map((node) => node.key),
      };
    };
    expect(await sorted({ region: 'africa' })).toEqual({ total: 2, keys: ['chad', 'kenya'] });
    expect(await sorted({ region: 'africa', 'odd "key"': 'chad' })).toEqual({ total: 1, keys: ['chad'] });
  });

  it('changes attributes after submission: keys given replace theirs, null removes one; the filters see it', async () => {
    const id = await submit('changed', { release: 'gbd2023', stage: 'draft' });
    const changed = await ok<{ setWorkflowAttributes: { attributes: unknown } }>(SET_WORKFLOW, {
      id,
      attributes: { stage: 'final', reviewer: 'ana', release: null },
    });
    expect(changed.setWorkflowAttributes.attributes).toEqual({ stage: 'final', reviewer: 'ana' });
    expect(await workflowIds({ stage: 'final' })).toEqual([id]);
    expect(await workflowIds({ stage: 'draft' })).toEqual([]);

    const tasks = await ok<{ workflow: { tasks: { nodes: { id: string; key: string }[] } } }>(TASKS, { id });
    const byKey = new Map(tasks.workflow.tasks.nodes.map((task) => [task.key, task.id]));
    const set = await ok<{ setTaskAttributes: { id: string; attributes: unknown }[] }>(SET_TASKS, {
      ids: [byKey.get('kenya'), byKey.get('chad')],
      attributes: { checked: true, region: 'east africa' },
    });
    expect(set.setTaskAttributes.map((task) => task.attributes)).toEqual([
      { region: 'east africa', 'odd "key"': 'kenya', checked: true },
      { region: 'east africa', 'odd "key"': 'chad', checked: true },
    ]);
    expect(await taskKeys(id, { region: 'east africa' })).toEqual(['kenya', 'chad']);
    expect(await taskKeys(id, { region: 'americas' })).toEqual(['peru']);
  });

  it('refuses bad attributes and filters with BAD_USER_INPUT (nothing written), unknown ids with NOT_FOUND', async () => {
    const id = await submit('refused', { stage: 'draft' });
    const tasks = await ok<{ workflow: { tasks: { nodes: { id: string }[] } } }>(TASKS, { id });
    const taskId = tasks.workflow.tasks.nodes[0]!.id;
    const code = (response: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
      response.errors?.map((error) => error.extensions?.code);
    // Over the free-text cap once stored (2000 bytes here).
    expect(code(await gql(SET_WORKFLOW, { id, attributes: { note: 'x'.repeat(3000) } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(code(await gql(SET_WORKFLOW, { id, attributes: {} }))).toEqual(['BAD_USER_INPUT']);
    expect(code(await gql(SET_TASKS, { ids: [taskId], attributes: { ['k'.repeat(300)]: 1 } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    // One unknown task: nothing is written to the others.
    expect(code(await gql(SET_TASKS, { ids: [taskId, '99999999'], attributes: { a: 1 } }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(code(await gql(SET_WORKFLOW, { id: '99999999', attributes: { a: 1 } }))).toEqual(['NOT_FOUND']);
    expect(await workflowIds({ stage: 'draft' })).toEqual([id]);
    expect(await taskKeys(id, { a: 1 })).toEqual([]);
    // Filters: scalar values only, at most 10 keys.
    expect(code(await gql(WORKFLOWS, { filter: { attributes: { stage: { nested: true } } } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]));
    expect(code(await gql(WORKFLOWS, { filter: { attributes: many } }))).toEqual(['BAD_USER_INPUT']);
  });
});
