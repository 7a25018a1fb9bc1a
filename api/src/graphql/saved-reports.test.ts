import { buildSchema, parse, validate } from 'graphql';
import fs from 'node:fs';
import path from 'node:path';
import { insertAttemptRows } from '../testing/attempts';
import { EXAMPLES_0007 } from '../db/migrations/0007_saved_reports';
import { REPORT_LIMITS, Role } from '../domain';
import { testDialects } from '../testing/databases';
import { startTestServerWithTokens, type TestServer } from '../testing/server';

// Saved reports (SPEC §9) with tokens on, on SQLite and MariaDB: anyone signed in lists them, only the
// owner or an admin overwrites or deletes, names are unique per owner, sizes are capped, the shipped
// examples stay and run; and the aggregates the examples read (templateUsage, workflowCounts, lastAttempt).

type Errors = { message: string; extensions?: Record<string, unknown> }[] | undefined;
const codes = (errors: Errors) => (errors ?? []).map((error) => error.extensions?.code);

interface ReportShape {
  id: string;
  name: string;
  description: string | null;
  query: string;
  variables: Record<string, unknown> | null;
  owner: string | null;
  example: boolean;
}

const FIELDS = 'id name description query variables owner example';
const SAVE = `mutation ($input: ReportInput!) { saveReport(input: $input) { ${FIELDS} } }`;
const DELETE = `mutation ($id: ID!) { deleteReport(id: $id) { ${FIELDS} } }`;
const LIST = `query ($filter: ReportFilter, $first: Int, $after: String) {
  reports(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ${FIELDS} }
  }
}`;

const QUERY = 'query Mine { workflows(first: 5) { nodes { id name status } } }';

describe.each(testDialects())('saved reports [%s]', (dialect) => {
  let server: TestServer;
  let tokens: Record<'alice' | 'bob' | 'admin' | 'distributor', string>;

  beforeAll(async () => {
    ({ server, tokens } = await startTestServerWithTokens(dialect, {
      alice: ['alice', Role.USER],
      bob: ['bob', Role.USER],
      admin: ['root', Role.ADMIN],
      distributor: ['alice', Role.DISTRIBUTOR],
    }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  const as: TestServer['as'] = (...request) => server.as(...request);

  const save = (token: string, input: Record<string, unknown>) =>
    as<{ saveReport: ReportShape }>(token, SAVE, { input });

  const stored = async () =>
    (await server.db.models.SavedReport.findAll({ order: [['id', 'ASC']] })).map((row) =>
      row.get({ plain: true }),
    );

  it('ships the examples: listed to everyone, marked, nobody’s, never overwritten or deleted', async () => {
    const listed = await as<{ reports: { totalCount: number; nodes: ReportShape[] } }>(tokens.bob, LIST, {
      filter: { example: true },
    });
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.reports.nodes.map((r) => [r.name, r.owner, r.example])).toEqual(
      EXAMPLES_0007.map((example) => [example.name, null, true]),
    );
    const first = listed.data!.reports.nodes[0]!;
    for (const token of [tokens.alice, tokens.admin]) {
      const deleted = await as(token, DELETE, { id: first.id });
      expect(codes(deleted.errors)).toEqual(['FORBIDDEN']);
      const overwritten = await save(token, { id: first.id, name: first.name, query: QUERY });
      expect(codes(overwritten.errors)).toEqual(['FORBIDDEN']);
    }
    const again = await as<{ reports: { nodes: ReportShape[] } }>(tokens.bob, LIST, {
      filter: { example: true },
    });
    expect(again.data!.reports.nodes).toEqual(listed.data!.reports.nodes);
  });

  it('every example is valid against the schema and runs without errors', async () => {
    const schema = buildSchema(fs.readFileSync(path.join(__dirname, '../../../schema.graphql'), 'utf8'));
    const { data } = await as<{ reports: { nodes: ReportShape[] } }>(tokens.alice, LIST, {
      filter: { example: true },
    });
    // A workflow with a failed task, so that the first example has one to find.
    const workflowId = await workflowWithFailure(server, tokens.alice);
    for (const report of data!.reports.nodes) {
      expect(validate(schema, parse(report.query))).toEqual([]);
      const variables = {
        ...report.variables,
        ...('workflowId' in (report.variables ?? {}) ? { workflowId } : {}),
      };
      const ran = await as(tokens.bob, report.query, variables);
      expect([report.name, ran.errors]).toEqual([report.name, undefined]);
    }
  });

  it('lets anyone signed in list reports; only the owner or an admin overwrites or deletes', async () => {
    const saved = await save(tokens.alice, {
      name: 'my workflows',
      description: 'the newest five',
      query: QUERY,
      variables: { n: 5 },
    });
    expect(saved.errors).toBeUndefined();
    const mine = saved.data!.saveReport;
    expect(mine).toMatchObject({ name: 'my workflows', owner: 'alice', example: false, variables: { n: 5 } });

    // Bob lists and reads it ...
    const bobs = await as<{ reports: { nodes: ReportShape[] } }>(tokens.bob, LIST, {
      filter: { owner: 'alice' },
    });
    expect(bobs.data!.reports.nodes.map((r) => r.id)).toContain(mine.id);
    // ... but neither overwrites nor deletes it, and nothing changes.
    const before = await stored();
    expect(codes((await save(tokens.bob, { id: mine.id, name: 'taken', query: QUERY })).errors)).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes((await as(tokens.bob, DELETE, { id: mine.id })).errors)).toEqual(['FORBIDDEN']);
    expect(await stored()).toEqual(before);

    // A distributor token saves nothing; without a token nothing is listed.
    expect(codes((await save(tokens.distributor, { name: 'x', query: QUERY })).errors)).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes((await as(undefined, LIST)).errors)).toEqual(['UNAUTHENTICATED']);

    // The owner overwrites it; an admin too, and it stays alice's.
    const renamed = await save(tokens.alice, { id: mine.id, name: 'my newest workflows', query: QUERY });
    expect(renamed.data!.saveReport).toMatchObject({
      id: mine.id,
      name: 'my newest workflows',
      owner: 'alice',
    });
    const byAdmin = await save(tokens.admin, {
      id: mine.id,
      name: 'my newest workflows',
      query: 'query { tools { name } }',
    });
    expect(byAdmin.data!.saveReport).toMatchObject({
      id: mine.id,
      owner: 'alice',
      query: 'query { tools { name } }',
    });
    // An admin deletes it; it is gone.
    const deleted = await as<{ deleteReport: ReportShape }>(tokens.admin, DELETE, { id: mine.id });
    expect(deleted.data!.deleteReport.id).toBe(mine.id);
    expect(codes((await as(tokens.alice, DELETE, { id: mine.id })).errors)).toEqual(['NOT_FOUND']);
  });

  it('keeps names unique per owner', async () => {
    const first = await save(tokens.alice, { name: 'failures', query: QUERY });
    expect(first.errors).toBeUndefined();
    const before = await stored();
    const twice = await save(tokens.alice, { name: 'failures', query: 'query { tools { id } }' });
    expect([twice.status, codes(twice.errors)]).toEqual([400, ['BAD_USER_INPUT']]);
    expect(twice.errors![0]!.message).toMatch(/already a report named "failures"/);
    expect(await stored()).toEqual(before);
    // Another owner may use the name.
    const bobs = await save(tokens.bob, { name: 'failures', query: QUERY });
    expect(bobs.data!.saveReport.owner).toBe('bob');
    // Renaming onto one's own other report is refused too.
    const other = await save(tokens.alice, { name: 'other', query: QUERY });
    const clash = await save(tokens.alice, { id: other.data!.saveReport.id, name: 'failures', query: QUERY });
    expect(codes(clash.errors)).toEqual(['BAD_USER_INPUT']);
    const names = (await stored()).filter((r) => r.owner === 'alice').map((r) => r.name);
    expect(names.sort()).toEqual(['failures', 'other']);
  });

  it('refuses oversized or malformed reports with BAD_USER_INPUT and writes nothing', async () => {
    const before = await stored();
    const bad: Record<string, unknown>[] = [
      { name: 'n'.repeat(256), query: QUERY },
      { name: '', query: QUERY },
      { name: ' padded', query: QUERY },
      { name: 'big', query: `query { ${'tools { id } '.repeat(REPORT_LIMITS.maxQueryBytes / 10)} }` },
      { name: 'broken', query: 'query { tools { ' },
      { name: 'writes', query: 'mutation { deleteReport(id: 1) { id } }' },
      { name: 'vars', query: QUERY, variables: { big: 'x'.repeat(REPORT_LIMITS.maxVariablesBytes) } },
      { name: 'about', query: QUERY, description: 'd'.repeat(REPORT_LIMITS.maxDescriptionBytes + 1) },
    ];
    for (const input of bad) {
      const refused = await save(tokens.alice, input);
      expect([String(input.name).slice(0, 10), refused.status, codes(refused.errors)]).toEqual([
        String(input.name).slice(0, 10),
        400,
        ['BAD_USER_INPUT'],
      ]);
    }
    expect(await stored()).toEqual(before);
  });

  it('pages reports with a bounded first', async () => {
    const page = await as<{ reports: { pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      tokens.bob,
      LIST,
      {
        first: 2,
      },
    );
    expect(page.data!.reports.pageInfo.hasNextPage).toBe(true);
    const next = await as<{ reports: { nodes: ReportShape[] } }>(tokens.bob, LIST, {
      first: 2,
      after: page.data!.reports.pageInfo.endCursor,
    });
    expect(next.data!.reports.nodes[0]!.name).toBe(EXAMPLES_0007[2]!.name);
    // A page beyond the cost limit is refused before it runs.
    expect(codes((await as(tokens.bob, LIST, { first: 100_000 })).errors)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('templateUsage gives nearest-rank percentiles of DONE attempts per template across workflows', async () => {
    const tool = `usage-${process.pid}`;
    const a = await submitted(server, tokens.alice, tool, 'a', 6);
    const b = await submitted(server, tokens.alice, tool, 'b', 4);
    // Ten DONE attempts of "step" over two workflows with runtimes 1..10 and memory 100..1000, and a failed
    // attempt that must not count.
    await insertAttempts(server, [
      ...a.tasks.map((task, i) => ({
        ...task,
        status: 'DONE',
        wall: i + 1,
        rss: (i + 1) * 100,
      })),
      ...b.tasks.map((task, i) => ({
        ...task,
        status: 'DONE',
        wall: i + 7,
        rss: (i + 7) * 100,
      })),
      {
        ...a.tasks[0]!,
        status: 'ERROR',
        wall: 999,
        rss: 99_999,
        attempt: 2,
      },
    ]);
    const result = await as<{ templateUsage: Record<string, unknown>[] }>(
      tokens.bob,
      `query ($tool: String) { templateUsage(tool: $tool) {
         tool template workflows doneAttempts
         runtimeSeconds { min p50 p90 p95 p99 max mean } maxRssMb { p50 p95 max } } }`,
      { tool },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.templateUsage).toEqual([
      {
        tool,
        template: 'step',
        workflows: 2,
        doneAttempts: 10,
        runtimeSeconds: { min: 1, p50: 5, p90: 9, p95: 10, p99: 10, max: 10, mean: 5.5 },
        maxRssMb: { p50: 500, p95: 1000, max: 1000 },
      },
    ]);
    // since: attempts finished at or after it (these finished now).
    const later = await as<{ templateUsage: unknown[] }>(
      tokens.bob,
      `query ($tool: String) { templateUsage(tool: $tool, since: "2999-01-01T00:00:00.000Z") { template } }`,
      { tool },
    );
    expect(later.data!.templateUsage).toEqual([]);
    const earlier = await as<{ templateUsage: { doneAttempts: number }[] }>(
      tokens.bob,
      `query ($tool: String, $since: DateTimeISO) { templateUsage(tool: $tool, since: $since) { doneAttempts } }`,
      { tool, since: new Date(Date.now() - 3_600_000).toISOString() },
    );
    expect(earlier.data!.templateUsage).toEqual([{ doneAttempts: 10 }]);
    const none = await as<{ templateUsage: unknown[] }>(
      tokens.bob,
      `query { templateUsage(tool: "no such tool") { template } }`,
    );
    expect(none.data!.templateUsage).toEqual([]);
  });

  it('workflowCounts counts recent workflows by creator and status', async () => {
    const result = await as<{ workflowCounts: { user: string | null; status: string; count: number }[] }>(
      tokens.bob,
      `query { workflowCounts(lastDays: 7) { user status count } }`,
    );
    expect(result.errors).toBeUndefined();
    const total = await server.db.models.Workflow.count({ where: { createdBy: 'alice' } });
    const alices = result.data!.workflowCounts.filter((row) => row.user === 'alice');
    expect(alices.reduce((sum, row) => sum + row.count, 0)).toBe(total);
    expect(total).toBeGreaterThan(0);
    const future = await as<{ workflowCounts: unknown[] }>(
      tokens.bob,
      `query { workflowCounts(since: "2999-01-01T00:00:00.000Z") { count } }`,
    );
    expect(future.data!.workflowCounts).toEqual([]);
    expect(codes((await as(tokens.bob, `query { workflowCounts(lastDays: 0) { count } }`)).errors)).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});

const SUBMIT = `mutation ($input: WorkflowSubmission!) {
  submitWorkflow(input: $input) { workflow { id } }
}`;

interface SubmittedWorkflow {
  workflowId: number;
  tasks: { taskId: number }[];
}

async function submitted(
  server: TestServer,
  token: string,
  tool: string,
  workflowArgs: string,
  count: number,
): Promise<SubmittedWorkflow> {
  const input = {
    tool,
    workflowArgs,
    taskTemplates: [{ name: 'step', commandTemplate: 'echo {i}', nodeArgs: ['i'] }],
    tasks: Array.from({ length: count }, (_, i) => ({ key: `t${i}`, template: 'step', args: { i } })),
  };
  const result = await server.graphql<{
    submitWorkflow: { workflow: { id: string } };
  }>(SUBMIT, { input }, { token });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  const workflowId = Number(result.data!.submitWorkflow.workflow.id);
  const rows = await server.db.select<{ id: number }>(
    'SELECT id FROM task WHERE workflow_id = ? ORDER BY id',
    [workflowId],
  );
  return { workflowId, tasks: rows.map((row) => ({ taskId: Number(row.id) })) };
}

/** Attempts written directly: these tests read what attempts recorded, not how they ran. */
function insertAttempts(
  server: TestServer,
  attempts: {
    taskId: number;
    status: string;
    wall: number;
    rss: number;
    attempt?: number;
    errorMessage?: string;
  }[],
) {
  return insertAttemptRows(
    server.db,
    attempts.map(({ wall, rss, ...attempt }) => ({
      ...attempt,
      wallSeconds: wall,
      maxRssMb: rss,
      finishedAt: new Date(),
    })),
  );
}

/** A workflow of alice's whose first task failed for good, with its attempt's error. */
async function workflowWithFailure(server: TestServer, token: string): Promise<string> {
  const workflow = await submitted(server, token, `failing-${process.pid}`, 'x', 2);
  const task = workflow.tasks[0]!;
  await insertAttempts(server, [
    {
      ...task,
      status: 'ERROR',
      wall: 1,
      rss: 1,
      errorMessage: 'boom',
    },
  ]);
  await server.db.execute("UPDATE task SET status = 'ERROR_FATAL' WHERE id = ?", [task.taskId]);
  return String(workflow.workflowId);
}
