import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { submitWorkflow } from '../services/submission.service';
import { echoTemplates, submission, task, type TaskFixture } from '../testing/fixtures';
import { startTestServer } from '../testing/server';
import type { Dialect } from '../db';

// `npm run bench:workflow-page` (after `npx tsc -b`): the GraphQL reads the web workflow page sends when
// it opens (WorkflowPage, WorkflowTemplates, WorkflowDag of web/src/operations/workflow-page.graphql, the
// DAG collapsed by template) on a workflow half run, against a real server on MariaDB (or SQLite), and,
// on the same data, the statements that served its template counts, template edges and template usage
// before they were kept (issue L goal 6). Prints the load average with every figure.
//
// The DAG: a layer of roots (1 % of the tasks), then three layers of the rest, each task on two of the
// layer before (about 2 edges a task, like the soak's). Half of the tasks are made DONE, each with a DONE
// attempt that measured its wall time and RSS (written straight into the tables, as the run would leave them).
//
// Env: BENCH_TASKS=100000 · BENCH_DIALECT=mysql · BENCH_REPEAT=3.

const TASKS = Number(process.env.BENCH_TASKS || 100_000);
const DIALECT = (process.env.BENCH_DIALECT || 'mysql') as Dialect;
const REPEAT = Number(process.env.BENCH_REPEAT || 3);
const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** The operations of the page, each with the fragments it spreads (the web's own documents). */
function pageOperations(): Map<string, string> {
  const read = (file: string) => fs.readFileSync(path.join(repoRoot, 'web/src/operations', file), 'utf8');
  const definitions = new Map<string, string>();
  for (const text of [read('fragments.graphql'), read('workflow-page.graphql')]) {
    let depth = 0;
    let start = 0;
    for (let i = 0; i < text.length; i += 1) {
      if (text[i] === '{') depth += 1;
      else if (text[i] === '}' && --depth === 0) {
        const definition = text.slice(start, i + 1).trim();
        const name = /^(?:query|fragment|mutation|subscription)\s+(\w+)/.exec(definition)![1]!;
        definitions.set(name, definition);
        start = i + 1;
      }
    }
  }
  const withFragments = (name: string, seen = new Set<string>()): string[] => {
    if (seen.has(name)) return [];
    seen.add(name);
    const definition = definitions.get(name)!;
    const spreads = [...definition.matchAll(/\.\.\.(\w+)/g)].map((m) => m[1]!);
    return [definition, ...spreads.flatMap((spread) => withFragments(spread, seen))];
  };
  return new Map(
    ['WorkflowPage', 'WorkflowTemplates', 'WorkflowDag'].map((name) => [
      name,
      withFragments(name).join('\n'),
    ]),
  );
}

const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' / ');

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number[]; last: T }> {
  const ms: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < REPEAT; i += 1) {
    const started = performance.now();
    last = await work();
    ms.push(performance.now() - started);
  }
  return { ms, last: last! };
}

const show = (ms: number[]) => ms.map((m) => m.toFixed(0)).join(', ');

async function main(): Promise<void> {
  const server = await startTestServer(DIALECT);
  try {
    const roots = Math.max(1, Math.round(TASKS / 100));
    const perLayer = Math.floor((TASKS - roots) / 3);
    const tasks: TaskFixture[] = [];
    for (let i = 0; i < roots; i += 1) tasks.push(task(`r${i}`, [], { template: 'prep' }));
    let before = Array.from({ length: roots }, (_, i) => `r${i}`);
    for (const [layer, name] of ['transform', 'model', 'aggregate'].entries()) {
      const keys: string[] = [];
      for (let i = 0; i < perLayer; i += 1) {
        const key = `${layer}:${i}`;
        const up = [...new Set([before[i % before.length]!, before[(i * 7 + 1) % before.length]!])];
        tasks.push(task(key, up, { template: name }));
        keys.push(key);
      }
      before = keys;
    }
    const started = performance.now();
    const { workflowId } = await submitWorkflow(
      server.db,
      submission(tasks, { tool: 'bench', taskTemplates: echoTemplates(tasks) }),
      { user: null, maxTasks: tasks.length },
    );
    const edges = await server.db.select<{ n: number }>(
      'SELECT COUNT(*) AS n FROM edge WHERE workflow_id = ?',
      [workflowId],
    );
    console.log(
      `bound ${tasks.length.toLocaleString('en-US')} tasks, ${Number(edges[0]!.n).toLocaleString('en-US')} edges ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s on ${DIALECT} (load ${load()})`,
    );

    // Half run: the first half of the tasks DONE, each with a DONE attempt that measured its usage.
    const [run] = await server.db.select<{ id: number }>(
      'SELECT id FROM workflow_run WHERE workflow_id = ? ORDER BY id DESC LIMIT 1',
      [workflowId],
    );
    const [bounds] = await server.db.select<{ lo: number; hi: number }>(
      'SELECT MIN(id) AS lo, MAX(id) AS hi FROM task WHERE workflow_id = ?',
      [workflowId],
    );
    const half = Number(bounds!.lo) + Math.floor((Number(bounds!.hi) - Number(bounds!.lo)) / 2);
    const now = new Date();
    await server.db.execute(
      `INSERT INTO task_instance (task_id, workflow_run_id, workflow_id, task_resources_id, attempt, status,
         created_at, status_updated_at, wall_seconds, max_rss_mb)
       SELECT id, ?, workflow_id, task_resources_id, 1, 'DONE', ?, ?, 1 + id % 60, 100 + id % 900
         FROM task WHERE workflow_id = ? AND id <= ?`,
      [Number(run!.id), now, now, workflowId, half],
    );
    await server.db.execute(
      "UPDATE task SET status = 'DONE', num_attempts = 1 WHERE workflow_id = ? AND id <= ?",
      [workflowId, half],
    );
    // The kept aggregates follow (statuses written directly, as no transition would).
    await server.db.execute('DELETE FROM workflow_template_task_count WHERE workflow_id = ?', [workflowId]);
    await server.db.execute(
      `INSERT INTO workflow_template_task_count (workflow_id, task_template_version_id, status, task_count, retrying_count)
       SELECT workflow_id, task_template_version_id, status, COUNT(*), 0 FROM task WHERE workflow_id = ?
        GROUP BY workflow_id, task_template_version_id, status`,
      [workflowId],
    );
    await refreshUsage(server.db, workflowId);

    // Before: the statements that served the page's template reads, on the same data.
    const statements = {
      'template edges (edge ⋈ task ⋈ task)': `SELECT ut.task_template_version_id AS uv, dt.task_template_version_id AS dv, COUNT(*) AS n
         FROM edge e JOIN task ut ON ut.id = e.upstream_task_id JOIN task dt ON dt.id = e.downstream_task_id
        WHERE e.workflow_id = ? GROUP BY ut.task_template_version_id, dt.task_template_version_id`,
      'template status counts (task index)': `SELECT workflow_id, task_template_version_id, status, COUNT(*) AS n
         FROM task WHERE workflow_id IN (?) GROUP BY workflow_id, task_template_version_id, status`,
      'template usage (task_instance ⋈ task)': `SELECT ti.workflow_id AS w, t.task_template_version_id AS v, COUNT(*) AS n,
              COUNT(ti.max_rss_mb) AS n_rss, COUNT(ti.wall_seconds) AS n_wall,
              MIN(ti.max_rss_mb) AS min_rss, AVG(ti.max_rss_mb) AS mean_rss, MAX(ti.max_rss_mb) AS max_rss,
              MIN(ti.wall_seconds) AS min_wall, AVG(ti.wall_seconds) AS mean_wall, MAX(ti.wall_seconds) AS max_wall
         FROM task_instance ti JOIN task t ON t.id = ti.task_id
        WHERE ti.workflow_id IN (?) AND ti.status = 'DONE'
        GROUP BY ti.workflow_id, t.task_template_version_id`,
    };
    for (const [name, sql] of Object.entries(statements)) {
      const { ms } = await timed(() => server.db.select(sql, [workflowId]));
      console.log(`before · ${name}: ${show(ms)} ms (load ${load()})`);
    }

    // Now: the page's own operations over HTTP, as the browser sends them.
    let total = 0;
    for (const [name, query] of pageOperations()) {
      const variables = { id: String(workflowId), collapseAbove: 500, expand: [] };
      const { ms, last } = await timed(() => server.graphql(query, variables));
      if ((last as { errors?: unknown }).errors)
        throw new Error(`${name}: ${JSON.stringify((last as { errors?: unknown }).errors)}`);
      total += Math.min(...ms);
      console.log(`now · ${name}: ${show(ms)} ms (load ${load()})`);
    }
    console.log(`now · the page's three reads, best of each: ${total.toFixed(0)} ms (load ${load()})`);
  } finally {
    await server.stop();
  }
}

/** Bench-only: the kept usage aggregates of the workflow from its DONE attempts (none when not kept). */
async function refreshUsage(db: import('../db').Database, workflowId: number): Promise<void> {
  const tables = (await db.sequelize.getQueryInterface().showAllTables()) as unknown[];
  const names = tables.map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName));
  if (!names.includes('template_usage')) return;
  await db.execute('DELETE FROM template_usage WHERE workflow_id = ?', [workflowId]);
  await db.execute(
    `INSERT INTO template_usage (workflow_id, task_template_version_id, done_count,
        rss_count, rss_sum, rss_min, rss_max, wall_count, wall_sum, wall_min, wall_max)
     SELECT ti.workflow_id, t.task_template_version_id, COUNT(*),
            COUNT(ti.max_rss_mb), SUM(ti.max_rss_mb), MIN(ti.max_rss_mb), MAX(ti.max_rss_mb),
            COUNT(ti.wall_seconds), SUM(ti.wall_seconds), MIN(ti.wall_seconds), MAX(ti.wall_seconds)
       FROM task_instance ti JOIN task t ON t.id = ti.task_id
      WHERE ti.workflow_id = ? AND ti.status = 'DONE' GROUP BY ti.workflow_id, t.task_template_version_id`,
    [workflowId],
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
