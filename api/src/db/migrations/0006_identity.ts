import { DataTypes, type QueryInterface } from 'sequelize';

// Migration 0006: identity (users, token lineage, distributor owners, attempt credentials).
// - A workflow's identity includes its owner: the same submission by another user is another workflow.
//   `owner_key` is created_by, '' for none (open mode): a unique index treats NULLs as all different.
// - Users can be disabled (every token of theirs refused); a token made with a token records it (it dies
//   with it).
// - A distributor runs its owner's work only unless an admin lets it run everyone's.
// - Each attempt gets a credential of its own (only its SHA-256 is stored) for its worker's reports.

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addColumn('workflow', 'owner_key', {
    type: DataTypes.STRING(255),
    allowNull: false,
    defaultValue: '',
  });
  await qi.sequelize.query("UPDATE workflow SET owner_key = COALESCE(created_by, '')");
  // The new index first: on MySQL the old one serves the tool_id foreign key until another can.
  await qi.addIndex('workflow', ['tool_id', 'workflow_args_hash', 'task_hash', 'owner_key'], {
    unique: true,
    name: 'workflow_owner_identity',
  });
  await qi.removeIndex('workflow', 'workflow_identity');
  await qi.addColumn('api_user', 'disabled_at', { type: DataTypes.DATE(3), allowNull: true });
  await qi.addColumn('api_token', 'parent_token_id', { type: DataTypes.INTEGER, allowNull: true });
  await qi.addIndex('api_token', ['parent_token_id']);
  await qi.addColumn('distributor', 'serves_all_users', {
    type: DataTypes.BOOLEAN,
    allowNull: false,
    defaultValue: false,
  });
  await qi.addColumn('task_instance', 'report_token_hash', { type: DataTypes.CHAR(64), allowNull: true });
  await qi.addIndex('task_instance', ['report_token_hash'], { name: 'task_instance_report_token' });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.removeIndex('task_instance', 'task_instance_report_token');
  await qi.removeColumn('task_instance', 'report_token_hash');
  await qi.removeColumn('distributor', 'serves_all_users');
  await qi.removeIndex('api_token', ['parent_token_id']);
  await qi.removeColumn('api_token', 'parent_token_id');
  await qi.removeColumn('api_user', 'disabled_at');
  await qi.addIndex('workflow', ['tool_id', 'workflow_args_hash', 'task_hash'], {
    unique: true,
    name: 'workflow_identity',
  });
  await qi.removeIndex('workflow', 'workflow_owner_identity');
  await qi.removeColumn('workflow', 'owner_key');
}
