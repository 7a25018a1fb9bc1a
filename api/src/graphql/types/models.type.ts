import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, JSONObjectResolver, JSONResolver } from 'graphql-scalars';
import { EntityType, TaskInstanceStatus, TaskStatus, WorkflowRunStatus, WorkflowStatus } from './enums';
import { Connection } from './connection';

// Output types. Resolvers return database rows shaped like these classes; fields that need another
// table (tool, runs, instances, …) are field resolvers batched through DataLoader.

@ObjectType({ description: 'A named pipeline or project.' })
export class Tool {
  @Field(() => ID) id!: number;
  @Field(() => String) name!: string;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

@ObjectType({ description: 'Compute resources requested for (or given to) a task.' })
export class Resources {
  @Field(() => Int, { nullable: true, description: 'Memory in MiB.' }) memoryMb!: number | null;
  @Field(() => Int, { nullable: true }) cores!: number | null;
  @Field(() => Int, { nullable: true }) runtimeSeconds!: number | null;
  @Field(() => String, { nullable: true }) queue!: string | null;
  @Field(() => JSONObjectResolver, { nullable: true, description: 'Backend-specific flags.' })
  extra!: Record<string, unknown> | null;
}

@ObjectType({ description: 'How much to raise resources after a resource failure (0.5 = +50%).' })
export class ResourceScales {
  @Field(() => Float, { nullable: true }) memory!: number | null;
  @Field(() => Float, { nullable: true }) runtime!: number | null;
}

@ObjectType({ description: 'Measured usage of one attempt.' })
export class ResourceUsage {
  @Field(() => Float, { nullable: true }) maxRssMb!: number | null;
  @Field(() => Float, { nullable: true }) wallSeconds!: number | null;
  @Field(() => Float, { nullable: true }) cpuSeconds!: number | null;
}

@ObjectType({ description: 'How many tasks are in each status.' })
export class TaskStatusCount {
  @Field(() => TaskStatus) status!: TaskStatus;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'Task counts per status, with a total.' })
export class StatusCounts {
  @Field(() => Int) total!: number;
  @Field(() => [TaskStatusCount], { description: 'One entry per TaskStatus, zeros included.' })
  byStatus!: TaskStatusCount[];
  @Field(() => Int) REGISTERING!: number;
  @Field(() => Int) QUEUED!: number;
  @Field(() => Int) INSTANTIATING!: number;
  @Field(() => Int) LAUNCHED!: number;
  @Field(() => Int) RUNNING!: number;
  @Field(() => Int) DONE!: number;
  @Field(() => Int) ERROR_RECOVERABLE!: number;
  @Field(() => Int) ADJUSTING_RESOURCES!: number;
  @Field(() => Int) ERROR_FATAL!: number;
}

@ObjectType({
  description:
    'min / mean / max of a measure over the attempts that have it (an attempt without the measure, such as a max RSS never sampled, is left out: never counted as 0).',
})
export class Stat {
  @Field(() => Int, { description: 'How many attempts have the measure (the figures are over these).' })
  measured!: number;
  @Field(() => Float, { nullable: true }) min!: number | null;
  @Field(() => Float, { nullable: true }) mean!: number | null;
  @Field(() => Float, { nullable: true }) max!: number | null;
}

@ObjectType({ description: 'Usage statistics of the DONE attempts of a template in a workflow.' })
export class UsageStats {
  @Field(() => Int) doneAttempts!: number;
  @Field(() => Stat) maxRssMb!: Stat;
  @Field(() => Stat) runtimeSeconds!: Stat;
}

@ObjectType({ description: 'A task template as used in one workflow.' })
export class WorkflowTaskTemplate {
  @Field(() => ID) id!: number;
  @Field(() => String) name!: string;
  @Field(() => String) commandTemplate!: string;
  @Field(() => [String]) nodeArgs!: string[];
  @Field(() => [String]) taskArgs!: string[];
  @Field(() => [String]) opArgs!: string[];
  @Field(() => Int, { nullable: true, description: 'Concurrency limit of this template in the workflow.' })
  maxConcurrentlyRunning!: number | null;
  @Field(() => StatusCounts) statusCounts!: StatusCounts;
  @Field(() => UsageStats) usage!: UsageStats;
  workflowId!: number;
  taskTemplateVersionId!: number;
}

@ObjectType({ description: 'A template of a tool: its name and current command template.' })
export class TaskTemplate {
  @Field(() => ID) id!: number;
  @Field(() => String) name!: string;
  @Field(() => String) commandTemplate!: string;
  @Field(() => [String]) nodeArgs!: string[];
  @Field(() => [String]) taskArgs!: string[];
  @Field(() => [String]) opArgs!: string[];
  /** The template (all its versions); `id` is the version's. */
  taskTemplateId!: number;
}

@ObjectType({ description: 'A DAG of tasks, identified by its tool, workflowArgs and task set.' })
export class Workflow {
  @Field(() => ID) id!: number;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => String) workflowArgs!: string;
  @Field(() => WorkflowStatus) status!: WorkflowStatus;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver) updatedAt!: Date;
  @Field(() => DateTimeISOResolver) statusUpdatedAt!: Date;
  @Field(() => Int, { description: '0 pauses the workflow.' }) maxConcurrentlyRunning!: number;
  @Field(() => Int) maxAttempts!: number;
  @Field(() => Boolean) failFast!: boolean;
  @Field(() => Int) taskCount!: number;
  @Field(() => String, { nullable: true }) createdBy!: string | null;
  @Field(() => JSONResolver, { nullable: true }) attributes!: unknown;
  @Field(() => JSONResolver, { nullable: true }) defaultResources!: unknown;
  toolId!: number;
}

@ObjectType({ description: 'One execution of a workflow; a resume makes a new run.' })
export class WorkflowRun {
  @Field(() => ID) id!: number;
  @Field(() => WorkflowRunStatus) status!: WorkflowRunStatus;
  @Field(() => String, { nullable: true }) user!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Why the run is in its status (fail fast, stopped, …).',
  })
  statusReason!: string | null;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver) updatedAt!: Date;
  @Field(() => DateTimeISOResolver) statusUpdatedAt!: Date;
  workflowId!: number;
}

@ObjectType({ description: 'One node of a workflow: a rendered command with its resources and edges.' })
export class Task {
  @Field(() => ID) id!: number;
  @Field(() => String, { description: 'The key the task was submitted with (unique in its workflow).' })
  key!: string;
  @Field(() => String) name!: string;
  @Field(() => String) command!: string;
  @Field(() => TaskStatus) status!: TaskStatus;
  @Field(() => Int) maxAttempts!: number;
  @Field(() => Int) numAttempts!: number;
  @Field(() => JSONObjectResolver) args!: Record<string, unknown>;
  @Field(() => ResourceScales, { nullable: true }) resourceScales!: ResourceScales | null;
  @Field(() => [String]) fallbackQueues!: string[];
  @Field(() => JSONResolver, { nullable: true }) attributes!: unknown;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver) statusUpdatedAt!: Date;
  workflowId!: number;
  taskTemplateVersionId!: number;
  taskResourcesId!: number;
}

@ObjectType({ description: 'One attempt of a task within a run.' })
export class TaskInstance {
  @Field(() => ID) id!: number;
  @Field(() => Int) attempt!: number;
  @Field(() => TaskInstanceStatus) status!: TaskInstanceStatus;
  @Field(() => ID, { nullable: true }) distributorId!: number | null;
  @Field(() => String, { nullable: true }) backendJobId!: string | null;
  @Field(() => String, { nullable: true }) hostname!: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) submittedAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) startedAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) finishedAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) heartbeatAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When a kill was asked for.' })
  killRequestedAt!: Date | null;
  @Field(() => Int, { nullable: true }) exitCode!: number | null;
  @Field(() => String, { nullable: true }) errorKind!: string | null;
  @Field(() => String, { nullable: true }) errorMessage!: string | null;
  @Field(() => String, { nullable: true }) stdoutPath!: string | null;
  @Field(() => String, { nullable: true }) stderrPath!: string | null;
  @Field(() => String, { nullable: true }) stdoutTail!: string | null;
  @Field(() => String, { nullable: true }) stderrTail!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'The outcome its command reported after the server had given the attempt up (its distributor was ' +
      'silent, or a kill unconfirmed) and retried the task: recorded, never applied.',
  })
  lateOutcome!: string | null;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver) statusUpdatedAt!: Date;
  taskId!: number;
  workflowRunId!: number;
  workflowId!: number;
  taskResourcesId!: number;
  maxRssMb!: number | null;
  wallSeconds!: number | null;
  cpuSeconds!: number | null;
}

@ObjectType({ description: 'One status change, written in the same transaction as the change.' })
export class AuditEvent {
  @Field(() => ID, { description: 'Monotonic: resume a subscription with since: <id>.' }) id!: number;
  @Field(() => DateTimeISOResolver) at!: Date;
  @Field(() => EntityType) entityType!: EntityType;
  @Field(() => ID) entityId!: number;
  @Field(() => ID, { nullable: true }) workflowId!: number | null;
  @Field(() => String, { nullable: true }) fromStatus!: string | null;
  @Field(() => String) toStatus!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => String, { nullable: true }) actor!: string | null;
}

@ObjectType({ description: 'A drawable node: a task, or a template collapsed with its counts.' })
export class DagNode {
  @Field(() => ID, { description: 'task:<id> or template:<name>' }) id!: string;
  @Field(() => ID, { nullable: true }) taskId!: number | null;
  @Field(() => String) label!: string;
  @Field(() => String) template!: string;
  @Field(() => Boolean) collapsed!: boolean;
  @Field(() => TaskStatus, { description: 'The task status, or for a group the most pressing one.' })
  status!: TaskStatus;
  @Field(() => Int, { description: 'Tasks in the node (1 for a task).' }) size!: number;
  @Field(() => StatusCounts, { nullable: true }) statusCounts!: StatusCounts | null;
}

@ObjectType()
export class DagEdge {
  @Field(() => ID) source!: string;
  @Field(() => ID) target!: string;
  @Field(() => Int, { description: 'How many task edges this edge stands for.' }) count!: number;
}

@ObjectType({ description: 'Nodes and edges to draw a workflow.' })
export class Dag {
  @Field(() => ID, {
    nullable: true,
    description:
      'The newest AuditEvent id of the workflow when the DAG was read: the DAG shows every change up to it; ' +
      'subscribe to taskStatusChanged with since: lastEventId to get every change after it.',
  })
  lastEventId!: number | null;
  @Field(() => Boolean) collapsed!: boolean;
  @Field(() => [DagNode]) nodes!: DagNode[];
  @Field(() => [DagEdge]) edges!: DagEdge[];
}

export const WorkflowConnection = Connection(Workflow, 'Workflow');
export const TaskConnection = Connection(Task, 'Task');
export const AuditEventConnection = Connection(AuditEvent, 'AuditEvent');
