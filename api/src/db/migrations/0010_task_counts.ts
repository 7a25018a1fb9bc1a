import { DataTypes, type QueryInterface } from 'sequelize';

// Migration 0010: task counts per (workflow, status), kept in the same transaction as every task status
// change (db/task-counts.ts), so that progress snapshots, status counts and metrics read a few rows
// instead of recounting a workflow's tasks at every event. Filled from the tasks that exist.

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
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
  });
  await qi.sequelize.query(
    `INSERT INTO workflow_task_count (workflow_id, status, task_count)
       SELECT workflow_id, status, COUNT(*) FROM task GROUP BY workflow_id, status`,
  );
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('workflow_task_count');
}
