import type { QueryInterface } from 'sequelize';

// Migration 0013: the task index (status, id) goes. No statement reads tasks by status across workflows
// any more (status counts and metrics read workflow_task_count, 0010; every task read names its workflow
// and is served by (workflow_id, status, id) or (workflow_id, task_template_version_id, status)), yet each
// task row bound and each task status change wrote an entry into it.

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.removeIndex('task', 'task_status_id');
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addIndex('task', ['status', 'id'], { name: 'task_status_id' });
}
