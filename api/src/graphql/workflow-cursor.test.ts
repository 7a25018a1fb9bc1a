import type { WorkflowSubmission } from '../services/submission.types';
import { testDialects } from '../testing/databases';
import { startTestServer, type TestServer } from '../testing/server';

// Workflow.lastEventId beside errorClusters, resourceUsage and timeline: the live errors, usage and timeline
// pages follow taskStatusChanged from it, so the audit position must be read before the attempts are, or a
// change made in between would be neither in the page nor replayed to it.

const AUDIT_POSITION = 'SELECT MAX(id) AS id FROM audit_event';

const submission = (args: string): WorkflowSubmission => ({
  tool: 'cursor-tool',
  workflowArgs: args,
  taskTemplates: [{ name: 'fit', commandTemplate: 'fit {i}', defaultResources: { memoryMb: 512 } }],
  tasks: [{ key: 't0', template: 'fit', args: { i: 0 }, upstream: [] }],
});

describe.each(testDialects())('Workflow.lastEventId before the attempts [%s]', (dialect) => {
  let server: TestServer;
  let workflowId: string;
  beforeAll(async () => {
    server = await startTestServer(dialect);
    const submitted = await server.graphql<{ submitWorkflow: { workflow: { id: string } } }>(
      'mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }',
      { input: submission(`cursor-${dialect}`) },
    );
    workflowId = submitted.data!.submitWorkflow.workflow.id;
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await server?.stop();
  });

  /**
   * The statements of one request, each with whether the audit position had been read when it started.
   * The audit read is held until every other statement in flight has ended (and what they set off has
   * started), so a resolver that does not wait for it shows up whatever the database's speed.
   */
  async function statementsOf(query: string): Promise<{ sql: string; afterAuditPosition: boolean }[]> {
    const db = server.db;
    const select = db.select.bind(db);
    const selectDirect = db.selectDirect.bind(db);
    const started: { sql: string; afterAuditPosition: boolean }[] = [];
    let auditRead = false;
    let inFlight = 0;
    let idle: (() => void)[] = [];
    const track = async <T>(sql: string, run: () => Promise<T>): Promise<T> => {
      started.push({ sql, afterAuditPosition: auditRead });
      inFlight++;
      try {
        return await run();
      } finally {
        inFlight--;
        if (inFlight === 0) for (const wake of idle.splice(0)) wake();
      }
    };
    jest.spyOn(db, 'select').mockImplementation((sql, ...rest) => track(sql, () => select(sql, ...rest)));
    jest.spyOn(db, 'selectDirect').mockImplementation(async (sql, options) => {
      if (options?.background || sql !== AUDIT_POSITION) return track(sql, () => selectDirect(sql, options));
      const rows = await selectDirect(sql, options);
      do {
        if (inFlight > 0) await new Promise<void>((wake) => idle.push(wake));
        await new Promise((next) => setImmediate(next));
      } while (inFlight > 0);
      auditRead = true;
      return rows;
    });
    try {
      const result = await server.graphql(query, { id: workflowId });
      expect(result.errors).toBeUndefined();
      return started;
    } finally {
      jest.restoreAllMocks();
      idle = [];
    }
  }

  it.each([
    ['errorClusters', 'errorClusters { attempts }'],
    ['resourceUsage', 'resourceUsage { doneAttempts }'],
    ['timeline', 'timeline { instanceIds }'],
  ])('%s reads no attempt before the audit position', async (_, field) => {
    const statements = await statementsOf(`query($id: ID!) { workflow(id: $id) { lastEventId ${field} } }`);
    const attemptReads = statements.filter((s) => /\btask_instance\b/.test(s.sql));
    expect(attemptReads.length).toBeGreaterThan(0);
    expect(attemptReads.filter((s) => !s.afterAuditPosition)).toEqual([]);
  });
});
