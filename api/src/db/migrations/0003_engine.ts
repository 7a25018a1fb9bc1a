import { DataTypes, type QueryInterface } from 'sequelize';

// Migration 0003: what the execution engine needs beyond the domain tables of 0001.

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  // A distributor is identified by its name, so that a restarted one registers as itself and adopts its
  // instances. The queues it serves (JSON list of names) decide which tasks it may claim.
  await qi.addColumn('distributor', 'queues', { type: DataTypes.TEXT, allowNull: true });
  await qi.addIndex('distributor', ['name'], { unique: true, name: 'distributor_name_unique' });
  // When a kill was asked for: an instance that does not confirm within the kill timeout is given up.
  await qi.addColumn('task_instance', 'kill_requested_at', { type: DataTypes.DATE(3), allowNull: true });
  // Who asked for a cold resume that waits for kills: the new run is created in their name.
  await qi.addColumn('workflow_run', 'resumed_by', { type: DataTypes.STRING(255), allowNull: true });
  // The run's own failure reason (fail fast, stopped, ...), shown with its status.
  await qi.addColumn('workflow_run', 'status_reason', { type: DataTypes.TEXT, allowNull: true });
  // Claims look for runs by status; instances of a run by status (reaper, resume, stop).
  await qi.addIndex('task_instance', ['workflow_id', 'status']);
  await qi.addIndex('task_instance', ['status', 'status_updated_at']);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.removeIndex('task_instance', ['status', 'status_updated_at']);
  // MySQL dropped the foreign key's own index on workflow_id when this one could serve it: give it back.
  if (qi.sequelize.getDialect() !== 'sqlite') await qi.addIndex('task_instance', ['workflow_id']);
  await qi.removeIndex('task_instance', ['workflow_id', 'status']);
  await qi.removeColumn('workflow_run', 'status_reason');
  await qi.removeColumn('workflow_run', 'resumed_by');
  await qi.removeColumn('task_instance', 'kill_requested_at');
  await qi.removeIndex('distributor', 'distributor_name_unique');
  await qi.removeColumn('distributor', 'queues');
}
