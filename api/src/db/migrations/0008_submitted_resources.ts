import { DataTypes, type QueryInterface } from 'sequelize';

// Migration 0008: what each task's submission asked for (`task.submitted_resources_id`), beside what its
// next attempt gets (`task_resources_id`, raised by escalation or changed by hand). A resubmission of the
// same workflow compares its resources with the submitted ones: a changed request replaces the task's
// resources (the next attempt uses it), an unchanged one keeps what escalation raised. Existing tasks
// take their current resources as their submitted ones.

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addColumn('task', 'submitted_resources_id', { type: DataTypes.INTEGER, allowNull: true });
  await qi.sequelize.query('UPDATE task SET submitted_resources_id = task_resources_id');
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.removeColumn('task', 'submitted_resources_id');
}
