import type { ModelStatic, Model } from 'sequelize';
import { createTestDatabase, testDialects, type TestDatabase } from '../testing/databases';
import { submission, task } from '../testing/fixtures';
import { tableNames } from '../testing/row-counts';
import {
  taskCountMismatches,
  templateEdgeCountMismatches,
  templateUsageMismatches,
} from '../testing/task-counts';
import { submitWorkflow } from '../services/submission.service';
import { Database } from './connection';
import { migrateDown, migrateUp, migrationNames } from './migrate';

// The schema is owned by the migrations; the Sequelize models must agree with it. These tests migrate
// databases of their own (up, again, down, up) on every dialect.

function modelTableNames(db: Database): string[] {
  return Object.values(db.models)
    .map((model) => (model as ModelStatic<Model>).getTableName() as string)
    .sort();
}

describe.each(testDialects())('migrations [%s]', (dialect) => {
  let target: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    target = await createTestDatabase(dialect);
    db = await Database.connect(target.url);
  });

  afterAll(async () => {
    await db?.close();
    await target?.drop();
  });

  it('starts from an empty database', async () => {
    expect(await tableNames(db)).toEqual([]);
  });

  it('migrateUp creates every table of the models, and records what it applied', async () => {
    expect(await migrateUp(db)).toEqual(migrationNames);
    const tables = await tableNames(db);
    // Some tables (e.g. the state of an open chunked binding) are only read with raw SQL and have no model.
    expect(tables).toEqual(expect.arrayContaining([...modelTableNames(db), 'jobmon_migrations']));
    const recorded = await db.select<{ name: string }>('SELECT name FROM jobmon_migrations ORDER BY name');
    expect(recorded.map((row) => row.name)).toEqual(migrationNames);
  });

  it('a second migrateUp applies nothing', async () => {
    const tables = await tableNames(db);
    expect(await migrateUp(db)).toEqual([]);
    expect(await tableNames(db)).toEqual(tables);
  });

  it('every model attribute is a column of its table, and every column is an attribute', async () => {
    const qi = db.sequelize.getQueryInterface();
    const mismatches: string[] = [];
    for (const model of Object.values(db.models) as ModelStatic<Model>[]) {
      const table = model.getTableName() as string;
      const columns = await qi.describeTable(table);
      const attributes = Object.entries(model.getAttributes());
      const fields = new Set(attributes.map(([, attribute]) => attribute.field ?? ''));
      for (const [name, attribute] of attributes) {
        const field = attribute.field!;
        const column = columns[field];
        if (!column) {
          mismatches.push(`${table}.${field} (attribute ${model.name}.${name}) has no column`);
          continue;
        }
        // A NOT NULL column the model thinks nullable would fail at insert time; the reverse loses a check.
        const modelAllowsNull = attribute.allowNull !== false && !attribute.primaryKey;
        if (!column.primaryKey && modelAllowsNull !== column.allowNull)
          mismatches.push(
            `${table}.${field}: model allowNull=${modelAllowsNull}, column allowNull=${column.allowNull}`,
          );
        if (Boolean(attribute.primaryKey) !== column.primaryKey)
          mismatches.push(
            `${table}.${field}: model primaryKey=${Boolean(attribute.primaryKey)}, column ${column.primaryKey}`,
          );
      }
      for (const column of Object.keys(columns))
        if (!fields.has(column)) mismatches.push(`${table}.${column} is not an attribute of ${model.name}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('the models can write and read a row of every table the binding uses', async () => {
    // A smoke test of the agreement above through Sequelize itself (types, JSON getters, timestamps).
    const tool = await db.models.Tool.create({ name: 'migrate-smoke' });
    const toolVersion = await db.models.ToolVersion.create({ toolId: tool.id });
    const workflow = await db.models.Workflow.create({
      toolId: tool.id,
      toolVersionId: toolVersion.id,
      name: 'w',
      description: null,
      workflowArgs: 'args',
      workflowArgsHash: 'a'.repeat(64),
      taskHash: 'b'.repeat(64),
      taskCount: 0,
      status: 'REGISTERING',
      maxConcurrentlyRunning: 5,
      maxAttempts: 3,
      failFast: true,
      defaultResources: { memoryMb: 10 },
      attributes: { team: 'x' },
      createdBy: null,
      bindingToken: null,
      bindingExpiresAt: null,
      statusUpdatedAt: new Date(),
    });
    const read = await db.models.Workflow.findByPk(workflow.id);
    expect(read?.failFast).toBe(true);
    expect(read?.defaultResources).toEqual({ memoryMb: 10 });
    expect(read?.attributes).toEqual({ team: 'x' });
    expect(read?.createdAt).toBeInstanceOf(Date);
    await db.execute('DELETE FROM workflow');
    await db.execute('DELETE FROM tool_version');
    await db.execute('DELETE FROM tool');
  });

  it('migrateDown drops every table, and migrateUp afterwards rebuilds them', async () => {
    expect(await migrateDown(db)).toEqual([...migrationNames].reverse());
    expect(await tableNames(db)).toEqual(['jobmon_migrations']);
    expect(await db.select('SELECT name FROM jobmon_migrations')).toEqual([]);

    expect(await migrateUp(db)).toEqual(migrationNames);
    expect(await tableNames(db)).toEqual(
      expect.arrayContaining([...modelTableNames(db), 'jobmon_migrations']),
    );
    expect(await migrateUp(db)).toEqual([]);
  });

  /** A task's status and attempts written straight into its row: what a migration finds, not the kept counts. */
  const setTask = (workflowId: number, key: string, status: string, attempts: number) =>
    db.execute('UPDATE task SET status = ?, num_attempts = ? WHERE workflow_id = ? AND task_key = ?', [
      status,
      attempts,
      workflowId,
      key,
    ]);

  it('0010 fills the task counts from the tasks a database already holds', async () => {
    const { workflowId } = await submitWorkflow(
      db,
      submission([task('a'), task('b', ['a']), task('c', ['a'])]),
      {
        user: null,
        maxTasks: 100,
      },
    );
    await migrateDown(db, '0010_task_counts');
    expect(await tableNames(db)).not.toContain('workflow_task_count');
    await migrateUp(db);
    expect(await taskCountMismatches(db)).toEqual([]);
    // Kept per template since 0012: the workflow's counts are their SUM.
    const kept = await db.select<{ status: string; task_count: number }>(
      `SELECT status, SUM(task_count) AS task_count FROM workflow_template_task_count WHERE workflow_id = ?
        GROUP BY status ORDER BY status`,
      [workflowId],
    );
    expect(kept.map((row) => [row.status, Number(row.task_count)])).toEqual([
      ['QUEUED', 1],
      ['REGISTERING', 2],
    ]);
  });

  it('0011 fills the retrying counts from the tasks a database already holds', async () => {
    const { workflowId } = await submitWorkflow(
      db,
      submission([task('queued'), task('second'), task('first'), task('failed'), task('fresh')]),
      { user: null, maxTasks: 100 },
    );
    await migrateDown(db, '0010_task_counts');
    const set = (key: string, status: string, attempts: number) => setTask(workflowId, key, status, attempts);
    await set('queued', 'QUEUED', 1);
    await set('second', 'RUNNING', 2);
    await set('first', 'RUNNING', 1);
    await set('failed', 'ERROR_RECOVERABLE', 1);
    await migrateUp(db);
    expect(await taskCountMismatches(db)).toEqual([]);
    const kept = await db.select<{ status: string; task_count: number; retrying_count: number }>(
      `SELECT status, SUM(task_count) AS task_count, SUM(retrying_count) AS retrying_count
         FROM workflow_template_task_count WHERE workflow_id = ? GROUP BY status ORDER BY status`,
      [workflowId],
    );
    expect(kept.map((row) => [row.status, Number(row.task_count), Number(row.retrying_count)])).toEqual([
      ['ERROR_RECOVERABLE', 1, 1],
      ['QUEUED', 2, 1],
      ['RUNNING', 2, 1],
    ]);
  });

  it('0012 keeps the task counts per template and fills them and the template edge counts', async () => {
    const { workflowId } = await submitWorkflow(
      db,
      submission([
        task('a1', [], { template: 'a' }),
        task('a2', [], { template: 'a' }),
        task('b1', ['a1', 'a2'], { template: 'b' }),
        task('b2', ['a2', 'b1'], { template: 'b' }),
      ]),
      { user: null, maxTasks: 100 },
    );
    await migrateDown(db, '0012_template_counts');
    expect(await tableNames(db)).toContain('workflow_task_count');
    expect(await tableNames(db)).not.toContain('template_edge_count');
    const set = (key: string, status: string, attempts: number) => setTask(workflowId, key, status, attempts);
    // Since the down migration: what 0012 must find, not what the kept counts said.
    await set('a1', 'DONE', 1);
    await set('a2', 'RUNNING', 2);
    await migrateUp(db);
    expect(await tableNames(db)).not.toContain('workflow_task_count');
    expect(await taskCountMismatches(db)).toEqual([]);
    expect(await templateEdgeCountMismatches(db)).toEqual([]);
    const kept = await db.select<{
      name: string;
      status: string;
      task_count: number;
      retrying_count: number;
    }>(
      `SELECT tt.name, c.status, c.task_count, c.retrying_count FROM workflow_template_task_count c
         JOIN task_template_version v ON v.id = c.task_template_version_id
         JOIN task_template tt ON tt.id = v.task_template_id
        WHERE c.workflow_id = ? ORDER BY tt.name, c.status`,
      [workflowId],
    );
    expect(
      kept.map((row) => [row.name, row.status, Number(row.task_count), Number(row.retrying_count)]),
    ).toEqual([
      ['a', 'DONE', 1, 0],
      ['a', 'RUNNING', 1, 1],
      ['b', 'REGISTERING', 2, 0],
    ]);
    const edges = await db.select<{ up: string; down: string; n: number }>(
      `SELECT ut.name AS up, dt.name AS down, c.edge_count AS n FROM template_edge_count c
         JOIN task_template_version uv ON uv.id = c.upstream_template_version_id
         JOIN task_template ut ON ut.id = uv.task_template_id
         JOIN task_template_version dv ON dv.id = c.downstream_template_version_id
         JOIN task_template dt ON dt.id = dv.task_template_id
        WHERE c.workflow_id = ? ORDER BY ut.name, dt.name`,
      [workflowId],
    );
    expect(edges.map((row) => [row.up, row.down, Number(row.n)])).toEqual([
      ['a', 'b', 3],
      ['b', 'b', 1],
    ]);
  });

  it('0012 fills the usage of DONE attempts per template from the attempts a database already holds', async () => {
    const { workflowId, workflowRunId } = await submitWorkflow(
      db,
      submission([
        task('x1', [], { template: 'x' }),
        task('x2', [], { template: 'x' }),
        task('y1', [], { template: 'y' }),
      ]),
      { user: null, maxTasks: 100 },
    );
    await migrateDown(db, '0012_template_counts');
    const attempt = (key: string, status: string, rss: number | null, wall: number | null) =>
      db.execute(
        `INSERT INTO task_instance (task_id, workflow_run_id, workflow_id, task_resources_id, attempt, status,
           created_at, status_updated_at, max_rss_mb, wall_seconds)
         SELECT id, ?, workflow_id, task_resources_id, 1, ?, ?, ?, ?, ? FROM task WHERE workflow_id = ? AND task_key = ?`,
        [workflowRunId, status, new Date(), new Date(), rss, wall, workflowId, key],
      );
    await attempt('x1', 'DONE', 100, null);
    await attempt('x2', 'DONE', 300, 2);
    await attempt('x2', 'ERROR', 900, 9); // not DONE: not counted
    await attempt('y1', 'DONE', null, null);
    await migrateUp(db);
    expect(await templateUsageMismatches(db)).toEqual([]);
    const kept = await db.select<Record<string, unknown>>(
      `SELECT tt.name, u.done_count, u.rss_count, u.rss_sum, u.rss_min, u.rss_max, u.wall_count, u.wall_sum
         FROM template_usage u JOIN task_template_version v ON v.id = u.task_template_version_id
         JOIN task_template tt ON tt.id = v.task_template_id WHERE u.workflow_id = ? ORDER BY tt.name`,
      [workflowId],
    );
    expect(
      kept.map((row) =>
        Object.values(row).map((v) => (typeof v === 'string' ? v : v === null ? null : Number(v))),
      ),
    ).toEqual([
      ['x', 2, 2, 400, 100, 300, 1, 2],
      ['y', 1, 0, 0, null, null, 0, 0],
    ]);
  });
});

// MySQL only: SQLite is one process's file (jobmon server), where replicas do not exist.
(testDialects().includes('mysql') ? describe : describe.skip)('replicas starting together [mysql]', () => {
  it('take turns migrating: one applies everything, the other finds it done', async () => {
    const target = await createTestDatabase('mysql');
    const first = await Database.connect(target.url);
    const second = await Database.connect(target.url);
    try {
      const results = await Promise.all([migrateUp(first), migrateUp(second)]);
      expect(results.map((applied) => applied.length).sort((a, b) => a - b)).toEqual([
        0,
        migrationNames.length,
      ]);
      const recorded = await first.select<{ name: string }>(
        'SELECT name FROM jobmon_migrations ORDER BY name',
      );
      expect(recorded.map((row) => row.name)).toEqual(migrationNames);
    } finally {
      await first.close();
      await second.close();
      await target.drop();
    }
  });
});
