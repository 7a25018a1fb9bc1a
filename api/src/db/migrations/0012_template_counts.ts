import { DataTypes, type QueryInterface } from 'sequelize';

// Migration 0012: the kept task counts (0010, 0011) per (workflow, template version, status) instead of
// per (workflow, status), so that a template's counts (the collapsed DAG, the templates table) are a few
// rows too, and a workflow's a SUM over them: one source of truth (db/task-counts.ts). And the
// template-to-template edge counts of each workflow, written at bind (db/ops/template-edge-counts.ts), which
// the collapsed DAG read by joining every edge to its two tasks. Both filled from what exists; the retry
// rule (isTaskRetrying of @jobmon/core) is written out as it stood, so that the migration does not change
// when the code does.

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('workflow_template_task_count', {
    workflow_id: {
      type: DataTypes.INTEGER,
      allowNull: false,
      primaryKey: true,
      references: { model: 'workflow', key: 'id' },
      onDelete: 'CASCADE',
    },
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
    workflow_id: {
      type: DataTypes.INTEGER,
      allowNull: false,
      primaryKey: true,
      references: { model: 'workflow', key: 'id' },
      onDelete: 'CASCADE',
    },
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
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('template_edge_count');
  await qi.createTable('workflow_task_count', {
    workflow_id: {
      type: DataTypes.INTEGER,
      allowNull: false,
      primaryKey: true,
      references: { model: 'workflow', key: 'id' },
      onDelete: 'CASCADE',
    },
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
