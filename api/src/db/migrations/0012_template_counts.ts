import { DataTypes, type QueryInterface } from 'sequelize';

// Migration 0012: the kept task counts (0010, 0011) per (workflow, template version, status) instead of
// per (workflow, status), so that a template's counts (the collapsed DAG, the templates table) are a few
// rows too, and a workflow's a SUM over them: one source of truth (db/task-counts.ts). And the
// template-to-template edge counts of each workflow, written at bind (db/ops/template-edge-counts.ts), which
// the collapsed DAG read by joining every edge to its two tasks. And the usage of DONE attempts per
// (workflow, template version) (db/template-usage.ts), which the templates table read by joining every DONE
// attempt to its task. All filled from what exists; the retry
// rule (isTaskRetrying of @jobmon/core) is written out as it stood, so that the migration does not change
// when the code does.

/** The key column of a table per workflow, whose rows go with it (fresh: Sequelize writes into it). */
const workflowKey = () => ({
  type: DataTypes.INTEGER,
  allowNull: false,
  primaryKey: true,
  references: { model: 'workflow', key: 'id' },
  onDelete: 'CASCADE',
});

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('workflow_template_task_count', {
    workflow_id: workflowKey(),
    task_template_version_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    status: { type: DataTypes.STRING(32), allowNull: false, primaryKey: true },
    task_count: { type: DataTypes.INTEGER, allowNull: false },
    retrying_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  });
  await qi.sequelize.query(
    `INSERT INTO workflow_template_task_count (workflow_id, task_template_version_id, status, task_count, retrying_count)
       SELECT workflow_id, task_template_version_id, status, COUNT(*),
              SUM(CASE WHEN status IN ('ERROR_RECOVERABLE', 'ADJUSTING_RESOURCES') THEN 1
                       WHEN status = 'QUEUED' AND num_attempts >= 1 THEN 1
                       WHEN status IN ('INSTANTIATING', 'LAUNCHED', 'RUNNING') AND num_attempts >= 2 THEN 1
                       ELSE 0 END)
         FROM task GROUP BY workflow_id, task_template_version_id, status`,
  );
  await qi.dropTable('workflow_task_count');

  await qi.createTable('template_edge_count', {
    workflow_id: workflowKey(),
    upstream_template_version_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    downstream_template_version_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    edge_count: { type: DataTypes.INTEGER, allowNull: false },
  });
  await qi.sequelize.query(
    `INSERT INTO template_edge_count
            (workflow_id, upstream_template_version_id, downstream_template_version_id, edge_count)
       SELECT e.workflow_id, u.task_template_version_id, d.task_template_version_id, COUNT(*)
         FROM edge e JOIN task u ON u.id = e.upstream_task_id JOIN task d ON d.id = e.downstream_task_id
        GROUP BY e.workflow_id, u.task_template_version_id, d.task_template_version_id`,
  );

  // Fresh objects per column: Sequelize writes into the ones it is given.
  const count = () => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
  const total = () => ({ type: DataTypes.DOUBLE, allowNull: false, defaultValue: 0 });
  const bound = () => ({ type: DataTypes.DOUBLE, allowNull: true });
  // Each measure of a DONE attempt (rss, wall) has the same four columns, and the same four aggregates.
  const measureColumns = (name: string) => ({
    [`${name}_count`]: count(),
    [`${name}_sum`]: total(),
    [`${name}_min`]: bound(),
    [`${name}_max`]: bound(),
  });
  const measure = (column: string) =>
    `COUNT(${column}), COALESCE(SUM(${column}), 0), MIN(${column}), MAX(${column})`;
  await qi.createTable('template_usage', {
    workflow_id: workflowKey(),
    task_template_version_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    done_count: count(),
    ...measureColumns('rss'),
    ...measureColumns('wall'),
  });
  await qi.sequelize.query(
    `INSERT INTO template_usage (workflow_id, task_template_version_id, done_count,
        rss_count, rss_sum, rss_min, rss_max, wall_count, wall_sum, wall_min, wall_max)
     SELECT ti.workflow_id, t.task_template_version_id, COUNT(*),
            ${measure('ti.max_rss_mb')},
            ${measure('ti.wall_seconds')}
       FROM task_instance ti JOIN task t ON t.id = ti.task_id
      WHERE ti.status = 'DONE' GROUP BY ti.workflow_id, t.task_template_version_id`,
  );
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('template_usage');
  await qi.dropTable('template_edge_count');
  await qi.createTable('workflow_task_count', {
    workflow_id: workflowKey(),
    status: { type: DataTypes.STRING(32), allowNull: false, primaryKey: true },
    task_count: { type: DataTypes.INTEGER, allowNull: false },
    retrying_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  });
  await qi.sequelize.query(
    `INSERT INTO workflow_task_count (workflow_id, status, task_count, retrying_count)
       SELECT workflow_id, status, SUM(task_count), SUM(retrying_count) FROM workflow_template_task_count
        GROUP BY workflow_id, status`,
  );
  await qi.dropTable('workflow_template_task_count');
}
