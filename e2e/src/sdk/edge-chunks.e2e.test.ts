import { startTestServer, testDialects } from '@jobmon/api/testing';
import { JobmonClient, Tool } from '@jobmon/client-sdk';

// A DAG of few tasks but many edges is cut by the server's items per request (tasks + upstream keys), not
// by tasks alone: here 80 tasks and 1,600 edges go in several requests of at most 500 items, and the
// server holds every edge, including those naming tasks of earlier chunks.

const MAX_ITEMS = 500;
const SIDE = 40;

describe.each(testDialects())('a DAG whose edges exceed one request [%s]', (dialect) => {
  it('is bound in several requests, each within the items limit, with every edge', async () => {
    const server = await startTestServer(dialect, { maxItemsPerRequest: MAX_ITEMS });
    try {
      const tool = new Tool('edge-chunks');
      const up = tool.taskTemplate({ name: 'up', commandTemplate: 'true {i}' });
      const down = tool.taskTemplate({ name: 'down', commandTemplate: 'true {i}' });
      const uppers = Array.from({ length: SIDE }, (_, i) => up.createTask({ args: { i } }));
      const lowers = Array.from({ length: SIDE }, (_, i) => down.createTask({ args: { i } }));
      for (const lower of lowers) for (const upper of uppers) lower.addUpstream(upper);
      const sent: number[] = [];
      const id = await tool
        .workflow({ workflowArgs: `edges-${dialect}` })
        .addTasks(...uppers, ...lowers)
        .submit({
          client: new JobmonClient({ serverUrl: server.url, timeoutMs: 120_000 }),
          onChunk: ({ sentTasks }) => sent.push(sentTasks),
        });
      // Each chunk: whole tasks, at most 500 items; the 40 upper tasks and 12 lower ones (40 + 12 × 41 =
      // 532 > 500, so 11) make the first.
      const perChunk = sent.map((total, i) => total - (sent[i - 1] ?? 0));
      expect(sent.at(-1)).toBe(2 * SIDE);
      expect(perChunk.length).toBeGreaterThanOrEqual(4);
      expect(perChunk[0]).toBe(SIDE + Math.floor((MAX_ITEMS - SIDE) / (SIDE + 1)));
      const rows = await server.db.select<{ up: string; down: string }>(
        `SELECT u.task_key AS up, d.task_key AS down FROM edge e
           JOIN task u ON u.id = e.upstream_task_id JOIN task d ON d.id = e.downstream_task_id
          WHERE e.workflow_id = ?`,
        [Number(id)],
      );
      const expected = lowers.flatMap((lower) => uppers.map((upper) => `${upper.key}→${lower.key}`)).sort();
      expect(rows.map((row) => `${row.up}→${row.down}`).sort()).toEqual(expected);
    } finally {
      await server.stop();
    }
  }, 300_000);
});
