import { DataTypes, type QueryInterface } from 'sequelize';

// Migration 0002: the state of a chunked workflow binding (beginWorkflowBinding … commitWorkflowBinding).
// The workflow row itself (hidden by its binding_token) and its tasks live in the normal tables; these
// two tables hold what only an open binding needs, and go when it is committed, aborted or swept.

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  // One row per open binding: the running totals of the chunks added so far.
  await qi.createTable('workflow_binding', {
    workflow_id: {
      type: DataTypes.INTEGER,
      primaryKey: true,
      allowNull: false,
      references: { model: 'workflow', key: 'id' },
      onDelete: 'CASCADE',
    },
    // Order-independent task-set digest (TaskSetHash) of the tasks added so far.
    task_hash_sum: { type: DataTypes.CHAR(64), allowNull: false },
    task_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    edge_count: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
    // Edges written so far whose upstream task has the larger id: none means the ids are a topological order.
    back_edge_count: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
    // The id range of the tasks written so far (ids only grow, so the next chunk's rows lie above it).
    first_task_id: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    last_task_id: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    chunk_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    created_at: { type: DataTypes.DATE(3), allowNull: false },
    updated_at: { type: DataTypes.DATE(3), allowNull: false },
  });

  // Edges whose upstream key was not bound yet when their downstream task was added (a later chunk, or a
  // key that never comes): resolved by key at commit.
  await qi.createTable('binding_edge', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    workflow_id: {
      type: DataTypes.INTEGER,
      allowNull: false,
      references: { model: 'workflow', key: 'id' },
      onDelete: 'CASCADE',
    },
    upstream_key: { type: DataTypes.STRING(255), allowNull: false },
    downstream_task_id: {
      type: DataTypes.INTEGER,
      allowNull: false,
      references: { model: 'task', key: 'id' },
      onDelete: 'CASCADE',
    },
  });
  await qi.addIndex('binding_edge', ['workflow_id', 'upstream_key']);
  await qi.addIndex('binding_edge', ['downstream_task_id']);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('binding_edge');
  await qi.dropTable('workflow_binding');
}
