import { bulkInsert } from '../db/bulk';
import { insertAttemptRows, type AttemptRowFixture } from '../testing/attempts';
import type { WorkflowSubmission } from '../services/submission.types';
import { testDialects } from '../testing/databases';
import { startTestServer, type TestServer } from '../testing/server';

// Resource usage, percentiles across the workflows of a tool, suggestions and the timeline, against a
// real server on SQLite and MySQL.

const SUBMIT = /* GraphQL */ `
  mutation Submit($input: WorkflowSubmission!) {
    submitWorkflow(input: $input) {
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
  workflowId: number;
  runId: number;
}

const submission = (tool: string, args: string, count: number): WorkflowSubmission => ({
  tool,
  workflowArgs: args,
  taskTemplates: [
    { name: 'fit', commandTemplate: 'fit {i}', defaultResources: { memoryMb: 2048, runtimeSeconds: 600 } },
  ],
  tasks: Array.from({ length: count }, (_, i) => ({
    key: `t${i}`,
    template: 'fit',
    args: { i },
    upstream: [],
  })),
});

describe.each(testDialects())('resource usage and timeline [%s]', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(dialect);
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
    const data = await query<{ submitWorkflow: { workflow: { id: string }; workflowRun: { id: string } } }>(
      SUBMIT,
      { input },
    );
    return {
      workflowId: Number(data.submitWorkflow.workflow.id),
      runId: Number(data.submitWorkflow.workflowRun.id),
    };
  }

  interface Attempt extends Omit<AttemptRowFixture, 'taskId'> {
    taskIndex: number;
  }

  /** Attempts written directly (no distributor here), returning their ids in order. */
  async function insertAttempts(submitted: Submitted, attempts: Attempt[]): Promise<number[]> {
    const tasks = await server.db.select<{ id: number }>(
      'SELECT id FROM task WHERE workflow_id = ? ORDER BY id',
      [submitted.workflowId],
    );
    return insertAttemptRows(
      server.db,
      attempts.map(({ taskIndex, ...attempt }) => ({ taskId: Number(tasks[taskIndex]!.id), ...attempt })),
    );
  }

  it('never averages a missing max RSS as 0: min, mean and their count are over measured attempts', async () => {
    const wf = await submit(submission('usage-tool-a', 'a1', 3));
    await insertAttempts(wf, [
      { taskIndex: 0, attempt: 1, status: 'DONE', maxRssMb: 100, wallSeconds: 10 },
      { taskIndex: 1, attempt: 1, status: 'DONE', maxRssMb: 300, wallSeconds: 30 },
      // Ended before the first sample on a host without an exit sample: no figure.
      { taskIndex: 2, attempt: 1, status: 'DONE', maxRssMb: null, wallSeconds: 0.01 },
    ]);
    const data = await query<{
      workflow: {
        taskTemplates: { usage: { doneAttempts: number; maxRssMb: Record<string, number | null> } }[];
      };
    }>(
      `query($id: ID!) { workflow(id: $id) { taskTemplates { usage { doneAttempts
         maxRssMb { measured min mean max } } } } }`,
      { id: String(wf.workflowId) },
    );
    expect(data.workflow.taskTemplates[0]!.usage).toEqual({
      doneAttempts: 3,
      maxRssMb: { measured: 2, min: 100, mean: 200, max: 300 },
    });
  });

  it('gives the DONE attempts of each template as points with requested resources, capped per template', async () => {
    const wf = await submit(submission('usage-tool-b', 'b1', 4));
    const ids = await insertAttempts(wf, [
      { taskIndex: 0, attempt: 1, status: 'ERROR', maxRssMb: 50, wallSeconds: 1 },
      { taskIndex: 0, attempt: 2, status: 'DONE', maxRssMb: 500, wallSeconds: 50 },
      { taskIndex: 1, attempt: 1, status: 'DONE', maxRssMb: null, wallSeconds: 60 },
      { taskIndex: 2, attempt: 1, status: 'DONE', maxRssMb: 700, wallSeconds: 70 },
      { taskIndex: 3, attempt: 1, status: 'DONE', maxRssMb: 800, wallSeconds: 80 },
    ]);
    type Points = {
      name: string;
      doneAttempts: number;
      capped: boolean;
      instanceIds: number[];
      runtimeSeconds: (number | null)[];
      maxRssMb: (number | null)[];
      requestedMemoryMb: (number | null)[];
      requestedRuntimeSeconds: (number | null)[];
    };
    const ask = (cap: number) =>
      query<{ workflow: { resourceUsage: Points[] } }>(
        `query($id: ID!, $cap: Int!) { workflow(id: $id) { resourceUsage(maxPointsPerTemplate: $cap) {
           name doneAttempts capped instanceIds runtimeSeconds maxRssMb requestedMemoryMb requestedRuntimeSeconds } } }`,
        { id: String(wf.workflowId), cap },
      );
    const all = (await ask(100)).workflow.resourceUsage;
    expect(all).toEqual([
      {
        name: 'fit',
        doneAttempts: 4,
        capped: false,
        instanceIds: ids.slice(1),
        runtimeSeconds: [50, 60, 70, 80],
        maxRssMb: [500, null, 700, 800],
        requestedMemoryMb: [2048, 2048, 2048, 2048],
        requestedRuntimeSeconds: [600, 600, 600, 600],
      },
    ]);
    const capped = (await ask(2)).workflow.resourceUsage[0]!;
    expect(capped).toMatchObject({
      doneAttempts: 4,
      capped: true,
      instanceIds: ids.slice(3),
      maxRssMb: [700, 800],
    });
    const refused = await server.graphql(
      `query($id: ID!) { workflow(id: $id) { resourceUsage(maxPointsPerTemplate: 1000000) { name } } }`,
      { id: String(wf.workflowId) },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("gives a template's usage percentiles across the workflows of its tool, and a rounded suggestion", async () => {
    const first = await submit(submission('usage-tool-c', 'c1', 10));
    const second = await submit(submission('usage-tool-c', 'c2', 10));
    // 20 DONE attempts: max RSS 100..1000 (one missing in each workflow), runtime 30..600 s.
    for (const [wf, offset] of [
      [first, 0],
      [second, 10],
    ] as const)
      await insertAttempts(
        wf,
        Array.from({ length: 10 }, (_, i) => ({
          taskIndex: i,
          attempt: 1,
          status: 'DONE',
          maxRssMb: i === 9 ? null : (offset + i + 1) * 50,
          wallSeconds: (offset + i + 1) * 30,
        })),
      );
    const data = await query<{
      taskTemplate: {
        name: string;
        usage: {
          doneAttempts: number;
          workflows: number;
          sampleSize: number;
          measuredMaxRss: number;
          maxRssMb: { percentile: number; value: number | null }[];
          runtimeSeconds: { percentile: number; value: number | null }[];
          requestedMemoryMb: { percentile: number; value: number | null }[];
        };
        resourceSuggestion: {
          memoryMb: number | null;
          runtimeSeconds: number | null;
          basedOnAttempts: number;
        };
      } | null;
    }>(
      `{ taskTemplate(tool: "usage-tool-c", name: "fit") { name
          usage(percentiles: [50, 95]) { doneAttempts workflows sampleSize measuredMaxRss
            maxRssMb { percentile value } runtimeSeconds { percentile value } requestedMemoryMb { percentile value } }
          resourceSuggestion(percentile: 95, headroom: 1.2) { memoryMb runtimeSeconds basedOnAttempts } } }`,
    );
    const template = data.taskTemplate!;
    expect(template.name).toBe('fit');
    // Measured RSS: 50..450 and 550..950 (18 values); nearest rank p50 = 9th = 450, p95 = 18th = 950.
    expect(template.usage).toEqual({
      doneAttempts: 20,
      workflows: 2,
      sampleSize: 20,
      measuredMaxRss: 18,
      maxRssMb: [
        { percentile: 50, value: 450 },
        { percentile: 95, value: 950 },
      ],
      runtimeSeconds: [
        { percentile: 50, value: 300 },
        { percentile: 95, value: 570 },
      ],
      requestedMemoryMb: [
        { percentile: 50, value: 2048 },
        { percentile: 95, value: 2048 },
      ],
    });
    // 950 × 1.2 = 1140 → 1280 MB; 570 × 1.2 = 684 s → 720 s.
    expect(template.resourceSuggestion).toEqual({ memoryMb: 1280, runtimeSeconds: 720, basedOnAttempts: 20 });
    const unknown = await query<{ taskTemplate: null }>(
      `{ taskTemplate(tool: "usage-tool-c", name: "nope") { id } }`,
    );
    expect(unknown.taskTemplate).toBeNull();
    // Names no tool or template can have are refused as every name filter is (400, nothing read).
    for (const [tool, name] of [
      ['usage-tool-c', 'fit\u0000'],
      ['x'.repeat(100_000), 'fit'],
    ]) {
      const refused = await server.graphql(
        `query ($t: String!, $n: String!) { taskTemplate(tool: $t, name: $n) { id } }`,
        {
          t: tool,
          n: name,
        },
      );
      expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('gives the timeline as parallel arrays, paged, with the number running from the audit log', async () => {
    const wf = await submit(submission('usage-tool-d', 'd1', 3));
    const t0 = new Date(Date.now() + 60_000);
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const ids = await insertAttempts(wf, [
      {
        taskIndex: 0,
        attempt: 1,
        status: 'ERROR',
        maxRssMb: null,
        wallSeconds: 5,
        startedAt: at(0),
        finishedAt: at(5),
      },
      {
        taskIndex: 0,
        attempt: 2,
        status: 'DONE',
        maxRssMb: null,
        wallSeconds: 4,
        startedAt: at(6),
        finishedAt: at(10),
      },
      { taskIndex: 1, attempt: 1, status: 'RUNNING', maxRssMb: null, wallSeconds: null, startedAt: at(2) },
    ]);
    const audit = (id: number, s: number, from: string, to: string) => ({
      at: at(s),
      entity_type: 'TASK_INSTANCE',
      entity_id: id,
      workflow_id: wf.workflowId,
      from_status: from,
      to_status: to,
    });
    await bulkInsert(
      server.db,
      undefined,
      'audit_event',
      ['at', 'entity_type', 'entity_id', 'workflow_id', 'from_status', 'to_status'],
      [
        audit(ids[0]!, 0, 'LAUNCHED', 'RUNNING'),
        audit(ids[2]!, 2, 'LAUNCHED', 'RUNNING'),
        audit(ids[0]!, 5, 'RUNNING', 'ERROR'),
        audit(ids[1]!, 6, 'LAUNCHED', 'RUNNING'),
        audit(ids[1]!, 10, 'RUNNING', 'DONE'),
      ],
    );
    type Page = {
      origin: string;
      instanceIds: number[];
      attempts: number[];
      statusNames: string[];
      statusCodes: number[];
      startedMs: (number | null)[];
      finishedMs: (number | null)[];
      hasMore: boolean;
      endCursor: number | null;
      concurrency: { atMs: number[]; running: number[]; truncated: boolean };
    };
    const page = (first: number, after: number | null) =>
      query<{ workflow: { timeline: Page } }>(
        `query($id: ID!, $limit: Int!, $after: Int) { workflow(id: $id) { timeline(limit: $limit, after: $after) {
           origin instanceIds attempts statusNames statusCodes startedMs finishedMs hasMore endCursor
           concurrency { atMs running truncated } } } }`,
        { id: String(wf.workflowId), limit: first, after },
      ).then((data) => data.workflow.timeline);
    const one = await page(2, null);
    const base = t0.getTime() - new Date(one.origin).getTime();
    expect(one.instanceIds).toEqual(ids.slice(0, 2));
    expect(one.attempts).toEqual([1, 2]);
    expect(one.statusCodes.map((code) => one.statusNames[code])).toEqual(['ERROR', 'DONE']);
    expect(one.startedMs).toEqual([base, base + 6000]);
    expect(one.finishedMs).toEqual([base + 5000, base + 10_000]);
    expect(one.hasMore).toBe(true);
    expect(one.concurrency).toEqual({
      atMs: [0, 2, 5, 6, 10].map((s) => base + s * 1000),
      running: [1, 2, 1, 2, 1],
      truncated: false,
    });
    const two = await page(2, one.endCursor);
    expect(two.instanceIds).toEqual(ids.slice(2));
    expect(two.startedMs).toEqual([base + 2000]);
    expect(two.finishedMs).toEqual([null]);
    expect(two.hasMore).toBe(false);
    expect(two.concurrency.atMs).toEqual([]);
  });
});
