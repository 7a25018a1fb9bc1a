import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelAttributes,
  type Sequelize,
} from 'sequelize';
import type { TaskInstanceStatus, TaskStatus, WorkflowRunStatus, WorkflowStatus } from '../domain';

// Sequelize models of every entity. The schema itself is owned by the migrations (never `sync()` outside
// tests); these definitions must agree with them, which the migration test checks.

/** A TEXT column holding JSON, so SQLite and MySQL/MariaDB behave the same. */
function jsonColumn(name: string) {
  return {
    type: DataTypes.TEXT,
    allowNull: true,
    get(this: Model) {
      const raw = this.getDataValue(name) as unknown;
      return typeof raw === 'string' ? (JSON.parse(raw) as unknown) : (raw ?? null);
    },
    set(this: Model, value: unknown) {
      this.setDataValue(name, value === null || value === undefined ? null : JSON.stringify(value));
    },
  };
}

const pk = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true };
const int = (allowNull = false) => ({ type: DataTypes.INTEGER, allowNull });
const str = (length = 255, allowNull = false) => ({ type: DataTypes.STRING(length), allowNull });
const text = (allowNull = false) => ({ type: DataTypes.TEXT, allowNull });
const time = (allowNull = false) => ({ type: DataTypes.DATE(3), allowNull });

export type Json = unknown;

export class ToolModel extends Model<InferAttributes<ToolModel>, InferCreationAttributes<ToolModel>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare createdAt: CreationOptional<Date>;
}

export class ToolVersionModel extends Model<
  InferAttributes<ToolVersionModel>,
  InferCreationAttributes<ToolVersionModel>
> {
  declare id: CreationOptional<number>;
  declare toolId: ForeignKey<number>;
  declare createdAt: CreationOptional<Date>;
}

export class TaskTemplateModel extends Model<
  InferAttributes<TaskTemplateModel>,
  InferCreationAttributes<TaskTemplateModel>
> {
  declare id: CreationOptional<number>;
  declare toolId: number;
  declare name: string;
  declare createdAt: CreationOptional<Date>;
}

export class TaskTemplateVersionModel extends Model<
  InferAttributes<TaskTemplateVersionModel>,
  InferCreationAttributes<TaskTemplateVersionModel>
> {
  declare id: CreationOptional<number>;
  declare taskTemplateId: number;
  declare commandTemplate: string;
  declare nodeArgs: string[];
  declare taskArgs: string[];
  declare opArgs: string[];
  declare argHash: string;
  declare createdAt: CreationOptional<Date>;
}

export class TaskResourcesModel extends Model<
  InferAttributes<TaskResourcesModel>,
  InferCreationAttributes<TaskResourcesModel>
> {
  declare id: CreationOptional<number>;
  declare hash: string;
  declare memoryMb: number | null;
  declare cores: number | null;
  declare runtimeSeconds: number | null;
  declare queue: string | null;
  declare extra: Json;
  declare createdAt: CreationOptional<Date>;
}

export class QueueModel extends Model<InferAttributes<QueueModel>, InferCreationAttributes<QueueModel>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare backend: string | null;
  declare minCores: number | null;
  declare maxCores: number | null;
  declare maxMemoryMb: number | null;
  declare maxRuntimeSeconds: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class WorkflowModel extends Model<
  InferAttributes<WorkflowModel>,
  InferCreationAttributes<WorkflowModel>
> {
  declare id: CreationOptional<number>;
  declare toolId: number;
  declare toolVersionId: number;
  declare name: string | null;
  declare description: string | null;
  declare workflowArgs: string;
  declare workflowArgsHash: string;
  declare taskHash: string;
  declare taskCount: number;
  declare status: WorkflowStatus;
  declare maxConcurrentlyRunning: number;
  declare maxAttempts: number;
  declare failFast: boolean;
  declare defaultResources: Json;
  declare attributes: Json;
  declare createdBy: string | null;
  /** Part of the workflow's identity: createdBy, '' for none (open mode). */
  declare ownerKey: CreationOptional<string>;
  declare bindingToken: string | null;
  declare bindingExpiresAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare statusUpdatedAt: Date;
}

export class WorkflowTaskTemplateModel extends Model<
  InferAttributes<WorkflowTaskTemplateModel>,
  InferCreationAttributes<WorkflowTaskTemplateModel>
> {
  declare id: CreationOptional<number>;
  declare workflowId: number;
  declare taskTemplateVersionId: number;
  declare maxConcurrentlyRunning: number | null;
  declare defaultResources: Json;
}

export class WorkflowRunModel extends Model<
  InferAttributes<WorkflowRunModel>,
  InferCreationAttributes<WorkflowRunModel>
> {
  declare id: CreationOptional<number>;
  declare workflowId: number;
  declare status: WorkflowRunStatus;
  declare user: string | null;
  declare resumedBy: CreationOptional<string | null>;
  declare statusReason: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare statusUpdatedAt: Date;
}

export class TaskModel extends Model<InferAttributes<TaskModel>, InferCreationAttributes<TaskModel>> {
  declare id: CreationOptional<number>;
  declare workflowId: number;
  declare taskTemplateVersionId: number;
  declare taskResourcesId: number;
  declare submittedResourcesId: CreationOptional<number | null>;
  declare key: string;
  declare name: string;
  declare command: string;
  declare args: Record<string, unknown>;
  declare status: TaskStatus;
  declare maxAttempts: number;
  declare numAttempts: CreationOptional<number>;
  declare resourceScales: Json;
  declare fallbackQueues: Json;
  declare attributes: Json;
  declare createdAt: CreationOptional<Date>;
  declare statusUpdatedAt: Date;
}

/**
 * How many of a workflow's tasks of a template version are in a status, kept with every change
 * (db/task-counts.ts); the workflow's counts are the SUM over its templates.
 */
export class WorkflowTemplateTaskCountModel extends Model<
  InferAttributes<WorkflowTemplateTaskCountModel>,
  InferCreationAttributes<WorkflowTemplateTaskCountModel>
> {
  declare workflowId: number;
  declare taskTemplateVersionId: number;
  declare status: TaskStatus;
  declare taskCount: number;
  /** Of taskCount, the tasks on a retry (isTaskRetrying). */
  declare retryingCount: CreationOptional<number>;
}

/** How many edges of a workflow run from tasks of one template version to tasks of another (written at bind). */
export class TemplateEdgeCountModel extends Model<
  InferAttributes<TemplateEdgeCountModel>,
  InferCreationAttributes<TemplateEdgeCountModel>
> {
  declare workflowId: number;
  declare upstreamTemplateVersionId: number;
  declare downstreamTemplateVersionId: number;
  declare edgeCount: number;
}

/** Usage of a workflow's DONE attempts of one template version, kept as they end (db/template-usage.ts). */
export class TemplateUsageModel extends Model<
  InferAttributes<TemplateUsageModel>,
  InferCreationAttributes<TemplateUsageModel>
> {
  declare workflowId: number;
  declare taskTemplateVersionId: number;
  declare doneCount: number;
  /** Of doneCount, the attempts that measured their max RSS. */
  declare rssCount: number;
  declare rssSum: number;
  declare rssMin: number | null;
  declare rssMax: number | null;
  /** Of doneCount, the attempts that measured their wall time. */
  declare wallCount: number;
  declare wallSum: number;
  declare wallMin: number | null;
  declare wallMax: number | null;
}

export class EdgeModel extends Model<InferAttributes<EdgeModel>, InferCreationAttributes<EdgeModel>> {
  declare workflowId: number;
  declare upstreamTaskId: number;
  declare downstreamTaskId: number;
}

export class DistributorModel extends Model<
  InferAttributes<DistributorModel>,
  InferCreationAttributes<DistributorModel>
> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare backend: string;
  declare hostname: string | null;
  declare capacity: number | null;
  /** JSON list of the queue names it serves. */
  declare queues: string | null;
  /** The user whose token registered it (null in open mode): only they may claim and report for it. */
  declare owner: CreationOptional<string | null>;
  /** Set by an admin: it runs every user's work (as its own operating-system user), not only its owner's. */
  declare servesAllUsers: CreationOptional<boolean>;
  declare lastHeartbeatAt: Date;
  declare createdAt: CreationOptional<Date>;
}

export class TaskInstanceModel extends Model<
  InferAttributes<TaskInstanceModel>,
  InferCreationAttributes<TaskInstanceModel>
> {
  declare id: CreationOptional<number>;
  declare taskId: number;
  declare workflowRunId: number;
  declare workflowId: number;
  declare taskResourcesId: number;
  declare distributorId: number | null;
  declare attempt: number;
  declare status: TaskInstanceStatus;
  declare backendJobId: string | null;
  declare hostname: string | null;
  declare submittedAt: Date | null;
  declare startedAt: Date | null;
  declare finishedAt: Date | null;
  declare heartbeatAt: Date | null;
  declare exitCode: number | null;
  declare errorKind: string | null;
  declare errorMessage: string | null;
  declare stdoutPath: string | null;
  declare stderrPath: string | null;
  declare stdoutTail: string | null;
  declare stderrTail: string | null;
  declare maxRssMb: number | null;
  declare wallSeconds: number | null;
  declare cpuSeconds: number | null;
  declare killRequestedAt: CreationOptional<Date | null>;
  declare nonce: CreationOptional<string | null>;
  declare givenUpAt: CreationOptional<Date | null>;
  declare lateOutcome: CreationOptional<string | null>;
  /** SHA-256 of the attempt's own credential (its worker reports with it, and with nothing else). */
  declare reportTokenHash: CreationOptional<string | null>;
  /** Why the backend holds a LAUNCHED attempt pending (Slurm's reason), as its distributor last said. */
  declare backendPendingReason: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare statusUpdatedAt: Date;
}

export class AuditEventModel extends Model<
  InferAttributes<AuditEventModel>,
  InferCreationAttributes<AuditEventModel>
> {
  declare id: CreationOptional<number>;
  declare at: Date;
  declare entityType: string;
  declare entityId: number;
  declare workflowId: number | null;
  declare fromStatus: string | null;
  declare toStatus: string;
  declare reason: string | null;
  declare actor: string | null;
}

export class ApiUserModel extends Model<
  InferAttributes<ApiUserModel>,
  InferCreationAttributes<ApiUserModel>
> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare createdAt: CreationOptional<Date>;
  /** A disabled user's tokens are all refused. */
  declare disabledAt: CreationOptional<Date | null>;
}

export class ApiTokenModel extends Model<
  InferAttributes<ApiTokenModel>,
  InferCreationAttributes<ApiTokenModel>
> {
  declare id: CreationOptional<number>;
  declare userId: number;
  declare name: string | null;
  declare role: string;
  /** SHA-256 (hex) of the token; the token itself is shown once and never stored. */
  declare tokenHash: string;
  declare tokenPrefix: string;
  declare createdAt: CreationOptional<Date>;
  declare expiresAt: Date | null;
  declare lastUsedAt: CreationOptional<Date | null>;
  declare revokedAt: CreationOptional<Date | null>;
  /** The token it was made with (null: made on the database); revoking that one revokes this one. */
  declare parentTokenId: CreationOptional<number | null>;
}

export class SavedReportModel extends Model<
  InferAttributes<SavedReportModel>,
  InferCreationAttributes<SavedReportModel>
> {
  declare id: CreationOptional<number>;
  /** The user who saved it, '' for nobody (open mode, the shipped examples). */
  declare owner: string;
  declare name: string;
  declare description: string | null;
  declare query: string;
  declare variables: Json;
  /** A shipped example: listed and run like any report, never changed or deleted. */
  declare example: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export interface Models {
  Tool: typeof ToolModel;
  ToolVersion: typeof ToolVersionModel;
  TaskTemplate: typeof TaskTemplateModel;
  TaskTemplateVersion: typeof TaskTemplateVersionModel;
  TaskResources: typeof TaskResourcesModel;
  Queue: typeof QueueModel;
  Workflow: typeof WorkflowModel;
  WorkflowTaskTemplate: typeof WorkflowTaskTemplateModel;
  WorkflowRun: typeof WorkflowRunModel;
  Task: typeof TaskModel;
  Edge: typeof EdgeModel;
  WorkflowTemplateTaskCount: typeof WorkflowTemplateTaskCountModel;
  TemplateEdgeCount: typeof TemplateEdgeCountModel;
  TemplateUsage: typeof TemplateUsageModel;
  Distributor: typeof DistributorModel;
  TaskInstance: typeof TaskInstanceModel;
  AuditEvent: typeof AuditEventModel;
  ApiUser: typeof ApiUserModel;
  ApiToken: typeof ApiTokenModel;
  SavedReport: typeof SavedReportModel;
}

const common = { underscored: true, freezeTableName: true } as const;

type ModelClass = { init(attributes: never, options: object): unknown };

/**
 * Binds a subclass of `model` to `sequelize`, so that several databases can live in one process
 * (a benchmark comparing SQLite with MySQL, a test with two servers).
 */
function init<C extends ModelClass>(
  model: C,
  sequelize: Sequelize,
  tableName: string,
  attributes: ModelAttributes,
  options: { timestamps?: boolean; updatedAt?: boolean } = {},
): C {
  const Base = model as unknown as typeof Model;
  const bound = class extends Base {};
  Object.defineProperty(bound, 'name', { value: Base.name });
  bound.init(attributes, { sequelize, tableName, ...common, timestamps: false, ...options });
  return bound as unknown as C;
}

/** Binds every model to a Sequelize instance; the models are classes, so one process holds one database. */
export function defineModels(sequelize: Sequelize): Models {
  const Tool = init(
    ToolModel,
    sequelize,
    'tool',
    { id: pk, name: str(), createdAt: time() },
    {
      timestamps: true,
      updatedAt: false,
    },
  );
  const ToolVersion = init(
    ToolVersionModel,
    sequelize,
    'tool_version',
    { id: pk, toolId: int(), createdAt: time() },
    {
      timestamps: true,
      updatedAt: false,
    },
  );
  const TaskTemplate = init(
    TaskTemplateModel,
    sequelize,
    'task_template',
    { id: pk, toolId: int(), name: str(), createdAt: time() },
    { timestamps: true, updatedAt: false },
  );
  const TaskTemplateVersion = init(
    TaskTemplateVersionModel,
    sequelize,
    'task_template_version',
    {
      id: pk,
      taskTemplateId: int(),
      commandTemplate: text(),
      nodeArgs: { ...jsonColumn('nodeArgs'), allowNull: false },
      taskArgs: { ...jsonColumn('taskArgs'), allowNull: false },
      opArgs: { ...jsonColumn('opArgs'), allowNull: false },
      argHash: { type: DataTypes.CHAR(64), allowNull: false },
      createdAt: time(),
    },
    { timestamps: true, updatedAt: false },
  );
  const TaskResources = init(
    TaskResourcesModel,
    sequelize,
    'task_resources',
    {
      id: pk,
      hash: { type: DataTypes.CHAR(64), allowNull: false },
      memoryMb: int(true),
      cores: int(true),
      runtimeSeconds: int(true),
      queue: str(255, true),
      extra: jsonColumn('extra'),
      createdAt: time(),
    },
    { timestamps: true, updatedAt: false },
  );
  const Queue = init(
    QueueModel,
    sequelize,
    'queue',
    {
      id: pk,
      name: str(),
      backend: str(64, true),
      minCores: int(true),
      maxCores: int(true),
      maxMemoryMb: int(true),
      maxRuntimeSeconds: int(true),
      createdAt: time(),
      updatedAt: time(),
    },
    { timestamps: true },
  );
  const Workflow = init(
    WorkflowModel,
    sequelize,
    'workflow',
    {
      id: pk,
      toolId: int(),
      toolVersionId: int(),
      name: str(255, true),
      description: text(true),
      workflowArgs: text(),
      workflowArgsHash: { type: DataTypes.CHAR(64), allowNull: false },
      taskHash: { type: DataTypes.CHAR(64), allowNull: false },
      taskCount: int(),
      status: str(32),
      maxConcurrentlyRunning: int(),
      maxAttempts: int(),
      failFast: { type: DataTypes.BOOLEAN, allowNull: false },
      defaultResources: jsonColumn('defaultResources'),
      attributes: jsonColumn('attributes'),
      createdBy: str(255, true),
      ownerKey: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
      bindingToken: str(64, true),
      bindingExpiresAt: time(true),
      createdAt: time(),
      updatedAt: time(),
      statusUpdatedAt: time(),
    },
    { timestamps: true },
  );
  const WorkflowTaskTemplate = init(WorkflowTaskTemplateModel, sequelize, 'workflow_task_template', {
    id: pk,
    workflowId: int(),
    taskTemplateVersionId: int(),
    maxConcurrentlyRunning: int(true),
    defaultResources: jsonColumn('defaultResources'),
  });
  const WorkflowRun = init(
    WorkflowRunModel,
    sequelize,
    'workflow_run',
    {
      id: pk,
      workflowId: int(),
      status: str(32),
      user: str(255, true),
      resumedBy: str(255, true),
      statusReason: { type: DataTypes.TEXT, allowNull: true },
      createdAt: time(),
      updatedAt: time(),
      statusUpdatedAt: time(),
    },
    { timestamps: true },
  );
  const Task = init(
    TaskModel,
    sequelize,
    'task',
    {
      id: pk,
      workflowId: int(),
      taskTemplateVersionId: int(),
      taskResourcesId: int(),
      /** What the task's (latest) submission asked for; taskResourcesId is what its next attempt gets. */
      submittedResourcesId: int(true),
      key: { ...str(), field: 'task_key' },
      name: str(),
      command: text(),
      args: { ...jsonColumn('args'), allowNull: false },
      status: str(32),
      maxAttempts: int(),
      numAttempts: int(),
      resourceScales: jsonColumn('resourceScales'),
      fallbackQueues: jsonColumn('fallbackQueues'),
      attributes: jsonColumn('attributes'),
      createdAt: time(),
      statusUpdatedAt: time(),
    },
    { timestamps: true, updatedAt: false },
  );
  const Edge = init(EdgeModel, sequelize, 'edge', {
    workflowId: int(),
    upstreamTaskId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    downstreamTaskId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
  });
  const WorkflowTemplateTaskCount = init(
    WorkflowTemplateTaskCountModel,
    sequelize,
    'workflow_template_task_count',
    {
      workflowId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
      taskTemplateVersionId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
      status: { type: DataTypes.STRING(32), allowNull: false, primaryKey: true },
      taskCount: int(),
      retryingCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
  );
  const TemplateEdgeCount = init(TemplateEdgeCountModel, sequelize, 'template_edge_count', {
    workflowId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    upstreamTemplateVersionId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    downstreamTemplateVersionId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    edgeCount: int(),
  });
  // Fresh objects per attribute: Sequelize writes into the ones it is given.
  const usageCount = () => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
  const usageSum = () => ({ type: DataTypes.DOUBLE, allowNull: false, defaultValue: 0 });
  const usageBound = () => ({ type: DataTypes.DOUBLE, allowNull: true });
  const TemplateUsage = init(TemplateUsageModel, sequelize, 'template_usage', {
    workflowId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    taskTemplateVersionId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    doneCount: usageCount(),
    rssCount: usageCount(),
    rssSum: usageSum(),
    rssMin: usageBound(),
    rssMax: usageBound(),
    wallCount: usageCount(),
    wallSum: usageSum(),
    wallMin: usageBound(),
    wallMax: usageBound(),
  });
  const Distributor = init(
    DistributorModel,
    sequelize,
    'distributor',
    {
      id: pk,
      name: str(),
      backend: str(64),
      hostname: str(255, true),
      capacity: int(true),
      queues: { type: DataTypes.TEXT, allowNull: true },
      owner: str(255, true),
      servesAllUsers: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      lastHeartbeatAt: time(),
      createdAt: time(),
    },
    { timestamps: true, updatedAt: false },
  );
  const TaskInstance = init(
    TaskInstanceModel,
    sequelize,
    'task_instance',
    {
      id: pk,
      taskId: int(),
      workflowRunId: int(),
      workflowId: int(),
      taskResourcesId: int(),
      distributorId: int(true),
      attempt: int(),
      status: str(32),
      backendJobId: str(255, true),
      hostname: str(255, true),
      submittedAt: time(true),
      startedAt: time(true),
      finishedAt: time(true),
      heartbeatAt: time(true),
      exitCode: int(true),
      errorKind: str(64, true),
      errorMessage: text(true),
      stdoutPath: str(1024, true),
      stderrPath: str(1024, true),
      stdoutTail: text(true),
      stderrTail: text(true),
      maxRssMb: { type: DataTypes.DOUBLE, allowNull: true },
      wallSeconds: { type: DataTypes.DOUBLE, allowNull: true },
      cpuSeconds: { type: DataTypes.DOUBLE, allowNull: true },
      killRequestedAt: time(true),
      nonce: { type: DataTypes.CHAR(32), allowNull: true },
      givenUpAt: time(true),
      lateOutcome: str(32, true),
      reportTokenHash: { type: DataTypes.CHAR(64), allowNull: true },
      backendPendingReason: str(255, true),
      createdAt: time(),
      statusUpdatedAt: time(),
    },
    { timestamps: true, updatedAt: false },
  );
  const AuditEvent = init(AuditEventModel, sequelize, 'audit_event', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
    at: time(),
    entityType: str(16),
    entityId: int(),
    workflowId: int(true),
    fromStatus: str(32, true),
    toStatus: str(32),
    reason: text(true),
    actor: str(255, true),
  });
  const ApiUser = init(
    ApiUserModel,
    sequelize,
    'api_user',
    { id: pk, name: str(), createdAt: time(), disabledAt: time(true) },
    { timestamps: true, updatedAt: false },
  );
  const ApiToken = init(
    ApiTokenModel,
    sequelize,
    'api_token',
    {
      id: pk,
      userId: int(),
      name: str(255, true),
      role: str(16),
      tokenHash: { type: DataTypes.CHAR(64), allowNull: false },
      tokenPrefix: str(16),
      createdAt: time(),
      expiresAt: time(true),
      lastUsedAt: time(true),
      revokedAt: time(true),
      parentTokenId: int(true),
    },
    { timestamps: true, updatedAt: false },
  );

  const SavedReport = init(
    SavedReportModel,
    sequelize,
    'saved_report',
    {
      id: pk,
      owner: str(),
      name: str(),
      description: text(true),
      query: text(),
      variables: jsonColumn('variables'),
      example: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      createdAt: time(),
      updatedAt: time(),
    },
    { timestamps: true },
  );

  return {
    Tool,
    ToolVersion,
    TaskTemplate,
    TaskTemplateVersion,
    TaskResources,
    Queue,
    Workflow,
    WorkflowTaskTemplate,
    WorkflowRun,
    Task,
    Edge,
    WorkflowTemplateTaskCount,
    TemplateEdgeCount,
    TemplateUsage,
    Distributor,
    TaskInstance,
    AuditEvent,
    ApiUser,
    ApiToken,
    SavedReport,
  };
}
