import { DataTypes, type QueryInterface } from 'sequelize';

// Migration 0001: every entity of the domain. Migrations are append-only: change the schema in a new file.

const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
const ref = (table: string, allowNull = false, onDelete = 'CASCADE') => ({
  type: DataTypes.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
});
const time = (allowNull = false) => ({ type: DataTypes.DATE(3), allowNull });
const status = { type: DataTypes.STRING(32), allowNull: false };
const json = { type: DataTypes.TEXT, allowNull: true };

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('tool', {
    id,
    name: { type: DataTypes.STRING(255), allowNull: false, unique: true },
    created_at: time(),
  });
  await qi.createTable('tool_version', { id, tool_id: ref('tool'), created_at: time() });
  await qi.addIndex('tool_version', ['tool_id']);

  await qi.createTable('task_template', {
    id,
    tool_id: ref('tool'),
    name: { type: DataTypes.STRING(255), allowNull: false },
    created_at: time(),
  });
  await qi.addIndex('task_template', ['tool_id', 'name'], { unique: true });

  await qi.createTable('task_template_version', {
    id,
    task_template_id: ref('task_template'),
    command_template: { type: DataTypes.TEXT, allowNull: false },
    node_args: { type: DataTypes.TEXT, allowNull: false },
    task_args: { type: DataTypes.TEXT, allowNull: false },
    op_args: { type: DataTypes.TEXT, allowNull: false },
    arg_hash: { type: DataTypes.CHAR(64), allowNull: false },
    created_at: time(),
  });
  await qi.addIndex('task_template_version', ['task_template_id', 'arg_hash'], { unique: true });

  // Immutable, content-addressed resource sets: tasks and attempts point at them, escalation adds new ones.
  await qi.createTable('task_resources', {
    id,
    hash: { type: DataTypes.CHAR(64), allowNull: false, unique: true },
    memory_mb: { type: DataTypes.INTEGER, allowNull: true },
    cores: { type: DataTypes.INTEGER, allowNull: true },
    runtime_seconds: { type: DataTypes.INTEGER, allowNull: true },
    queue: { type: DataTypes.STRING(255), allowNull: true },
    extra: json,
    created_at: time(),
  });

  await qi.createTable('queue', {
    id,
    name: { type: DataTypes.STRING(255), allowNull: false, unique: true },
    backend: { type: DataTypes.STRING(64), allowNull: true },
    min_cores: { type: DataTypes.INTEGER, allowNull: true },
    max_cores: { type: DataTypes.INTEGER, allowNull: true },
    max_memory_mb: { type: DataTypes.INTEGER, allowNull: true },
    max_runtime_seconds: { type: DataTypes.INTEGER, allowNull: true },
    created_at: time(),
    updated_at: time(),
  });

  await qi.createTable('workflow', {
    id,
    tool_id: ref('tool'),
    tool_version_id: ref('tool_version'),
    name: { type: DataTypes.STRING(255), allowNull: true },
    description: { type: DataTypes.TEXT, allowNull: true },
    workflow_args: { type: DataTypes.TEXT, allowNull: false },
    workflow_args_hash: { type: DataTypes.CHAR(64), allowNull: false },
    task_hash: { type: DataTypes.CHAR(64), allowNull: false },
    task_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    status,
    max_concurrently_running: { type: DataTypes.INTEGER, allowNull: false },
    max_attempts: { type: DataTypes.INTEGER, allowNull: false },
    fail_fast: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    default_resources: json,
    attributes: json,
    created_by: { type: DataTypes.STRING(255), allowNull: true },
    // Non-null while a chunked binding is open: such a workflow is invisible and not runnable.
    binding_token: { type: DataTypes.STRING(64), allowNull: true },
    binding_expires_at: time(true),
    created_at: time(),
    updated_at: time(),
    status_updated_at: time(),
  });
  await qi.addIndex('workflow', ['tool_id', 'workflow_args_hash', 'task_hash'], {
    unique: true,
    name: 'workflow_identity',
  });
  await qi.addIndex('workflow', ['status', 'id']);
  await qi.addIndex('workflow', ['created_at']);
  await qi.addIndex('workflow', ['name']);
  await qi.addIndex('workflow', ['created_by']);
  await qi.addIndex('workflow', ['binding_token']);

  // Per-workflow settings of a template: its concurrency limit and default resources.
  await qi.createTable('workflow_task_template', {
    id,
    workflow_id: ref('workflow'),
    task_template_version_id: ref('task_template_version'),
    max_concurrently_running: { type: DataTypes.INTEGER, allowNull: true },
    default_resources: json,
  });
  await qi.addIndex('workflow_task_template', ['workflow_id', 'task_template_version_id'], { unique: true });

  await qi.createTable('workflow_run', {
    id,
    workflow_id: ref('workflow'),
    status,
    user: { type: DataTypes.STRING(255), allowNull: true },
    created_at: time(),
    updated_at: time(),
    status_updated_at: time(),
  });
  await qi.addIndex('workflow_run', ['workflow_id', 'id']);
  await qi.addIndex('workflow_run', ['status']);

  await qi.createTable('task', {
    id,
    workflow_id: ref('workflow'),
    task_template_version_id: ref('task_template_version'),
    task_resources_id: ref('task_resources', false, 'RESTRICT'),
    task_key: { type: DataTypes.STRING(255), allowNull: false },
    name: { type: DataTypes.STRING(255), allowNull: false },
    command: { type: DataTypes.TEXT, allowNull: false },
    args: { type: DataTypes.TEXT, allowNull: false },
    status,
    max_attempts: { type: DataTypes.INTEGER, allowNull: false },
    num_attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    resource_scales: json,
    fallback_queues: json,
    attributes: json,
    created_at: time(),
    status_updated_at: time(),
  });
  await qi.addIndex('task', ['workflow_id', 'task_key'], { unique: true });
  await qi.addIndex('task', ['workflow_id', 'status', 'id']);
  await qi.addIndex('task', ['workflow_id', 'task_template_version_id', 'status']);
  await qi.addIndex('task', ['status', 'id']);

  await qi.createTable('edge', {
    workflow_id: ref('workflow'),
    upstream_task_id: { ...ref('task'), primaryKey: true },
    downstream_task_id: { ...ref('task'), primaryKey: true },
  });
  await qi.addIndex('edge', ['downstream_task_id']);
  await qi.addIndex('edge', ['workflow_id']);

  await qi.createTable('distributor', {
    id,
    name: { type: DataTypes.STRING(255), allowNull: false },
    backend: { type: DataTypes.STRING(64), allowNull: false },
    hostname: { type: DataTypes.STRING(255), allowNull: true },
    capacity: { type: DataTypes.INTEGER, allowNull: true },
    last_heartbeat_at: time(),
    created_at: time(),
  });
  await qi.addIndex('distributor', ['last_heartbeat_at']);

  await qi.createTable('task_instance', {
    id,
    task_id: ref('task'),
    workflow_run_id: ref('workflow_run'),
    workflow_id: ref('workflow'),
    task_resources_id: ref('task_resources', false, 'RESTRICT'),
    distributor_id: ref('distributor', true, 'SET NULL'),
    attempt: { type: DataTypes.INTEGER, allowNull: false },
    status,
    backend_job_id: { type: DataTypes.STRING(255), allowNull: true },
    hostname: { type: DataTypes.STRING(255), allowNull: true },
    submitted_at: time(true),
    started_at: time(true),
    finished_at: time(true),
    heartbeat_at: time(true),
    exit_code: { type: DataTypes.INTEGER, allowNull: true },
    error_kind: { type: DataTypes.STRING(64), allowNull: true },
    error_message: { type: DataTypes.TEXT, allowNull: true },
    stdout_path: { type: DataTypes.STRING(1024), allowNull: true },
    stderr_path: { type: DataTypes.STRING(1024), allowNull: true },
    stdout_tail: { type: DataTypes.TEXT, allowNull: true },
    stderr_tail: { type: DataTypes.TEXT, allowNull: true },
    max_rss_mb: { type: DataTypes.DOUBLE, allowNull: true },
    wall_seconds: { type: DataTypes.DOUBLE, allowNull: true },
    cpu_seconds: { type: DataTypes.DOUBLE, allowNull: true },
    created_at: time(),
    status_updated_at: time(),
  });
  await qi.addIndex('task_instance', ['task_id', 'attempt']);
  await qi.addIndex('task_instance', ['workflow_run_id', 'status']);
  await qi.addIndex('task_instance', ['distributor_id', 'status']);
  await qi.addIndex('task_instance', ['status', 'heartbeat_at']);

  await qi.createTable('audit_event', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
    at: time(),
    entity_type: { type: DataTypes.STRING(16), allowNull: false },
    entity_id: { type: DataTypes.INTEGER, allowNull: false },
    workflow_id: { type: DataTypes.INTEGER, allowNull: true },
    from_status: { type: DataTypes.STRING(32), allowNull: true },
    to_status: { type: DataTypes.STRING(32), allowNull: false },
    reason: { type: DataTypes.TEXT, allowNull: true },
    actor: { type: DataTypes.STRING(255), allowNull: true },
  });
  await qi.addIndex('audit_event', ['workflow_id', 'id']);
  await qi.addIndex('audit_event', ['entity_type', 'entity_id', 'id']);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const table of [
    'audit_event',
    'task_instance',
    'distributor',
    'edge',
    'task',
    'workflow_run',
    'workflow_task_template',
    'workflow',
    'queue',
    'task_resources',
    'task_template_version',
    'task_template',
    'tool_version',
    'tool',
  ]) {
    await qi.dropTable(table);
  }
}
