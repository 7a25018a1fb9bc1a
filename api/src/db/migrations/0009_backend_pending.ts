import { DataTypes, type QueryInterface } from 'sequelize';

// Migration 0009: why the backend has not started a LAUNCHED attempt yet (Slurm's pending reason, e.g.
// "Resources", "Priority", "QOSMaxJobsPerUserLimit"), as its distributor last reported it; Task.blockedBy
// shows it (BACKEND_PENDING). Null once it runs, or when the backend does not say.

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addColumn('task_instance', 'backend_pending_reason', {
    type: DataTypes.STRING(255),
    allowNull: true,
  });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.removeColumn('task_instance', 'backend_pending_reason');
}
