import { DataTypes, type QueryInterface } from 'sequelize';

// Migration 0011: of each kept task count (workflow_task_count, 0010), how many tasks are on a retry
// (isTaskRetrying of @jobmon/core), kept by the same deltas (db/task-counts.ts), so that progress and
// status counts show retrying tasks without reading them. Filled from the tasks that exist; the rule is
// written out here as it stood, so that the migration does not change when the code does. The template
// index (workflow_id, task_template_version_id, status) stays as it is: its entries of one status are in id
// order, which the claim's pick of a template's oldest QUEUED tasks reads and stops on (num_attempts in it
// would break that order); a template's retrying counts read the rows of its active tasks instead.

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addColumn('workflow_task_count', 'retrying_count', {
    type: DataTypes.INTEGER,
    allowNull: false,
    defaultValue: 0,
  });
  await qi.sequelize.query(
    `UPDATE workflow_task_count SET retrying_count = task_count
      WHERE status IN ('ERROR_RECOVERABLE', 'ADJUSTING_RESOURCES')`,
  );
  await qi.sequelize.query(
    `UPDATE workflow_task_count SET retrying_count = (
        SELECT COUNT(*) FROM task
         WHERE task.workflow_id = workflow_task_count.workflow_id AND task.status = workflow_task_count.status
           AND task.num_attempts >= CASE WHEN task.status = 'QUEUED' THEN 1 ELSE 2 END)
      WHERE status IN ('QUEUED', 'INSTANTIATING', 'LAUNCHED', 'RUNNING')`,
  );
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  // Not removeColumn: on SQLite it rebuilds the table and loses the composite primary key.
  await qi.sequelize.query('ALTER TABLE workflow_task_count DROP COLUMN retrying_count');
}
