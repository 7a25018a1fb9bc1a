import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, JSONObjectResolver, JSONResolver } from 'graphql-scalars';
import { EntityType, TaskInstanceStatus, TaskStatus, WorkflowRunStatus, WorkflowStatus } from './enums';
import { Connection } from './connection';

// Output types. Resolvers return database rows shaped like these classes; fields that need another
// table (tool, runs, instances, …) are field resolvers batched through DataLoader.

@ObjectType({ description: 'A named pipeline or project.' })
export class Tool {
  @Field(() => ID, { description: 'The tool id.' }) id!: number;
  @Field(() => String, { description: 'The tool name (unique).' }) name!: string;
  @Field(() => DateTimeISOResolver, { description: 'When the tool was first used.' }) createdAt!: Date;
}

@ObjectType({ description: 'Compute resources requested for (or given to) a task.' })
export class Resources {
  @Field(() => Int, { nullable: true, description: 'Memory in MiB.' }) memoryMb!: number | null;
  @Field(() => Int, { nullable: true, description: 'CPU cores.' }) cores!: number | null;
  @Field(() => Int, { nullable: true, description: 'Wall-clock runtime limit, in seconds.' })
  runtimeSeconds!: number | null;
  @Field(() => String, { nullable: true, description: 'The queue (Slurm partition, or local) it runs in.' })
  queue!: string | null;
  @Field(() => JSONObjectResolver, { nullable: true, description: 'Backend-specific flags.' })
  extra!: Record<string, unknown> | null;
}

@ObjectType({ description: 'How much to raise resources after a resource failure (0.5 = +50%).' })
export class ResourceScales {
  @Field(() => Float, { nullable: true, description: 'Memory raise after a resource failure (0.5 = +50%).' })
  memory!: number | null;
  @Field(() => Float, { nullable: true, description: 'Runtime raise after a resource failure (0.5 = +50%).' })
  runtime!: number | null;
  @Field(() => [Float], {
    nullable: true,
    description: 'A factor per resource failure (the last repeating), when given as a list.',
  })
  memoryFactors?: number[] | null;
  @Field(() => [Float], { nullable: true, description: 'As memoryFactors, for runtime.' })
  runtimeFactors?: number[] | null;
}

@ObjectType({ description: 'Measured usage of one attempt.' })
export class ResourceUsage {
  @Field(() => Float, { nullable: true, description: 'Peak resident memory (max RSS), in MiB.' }) maxRssMb!:
    number | null;
  @Field(() => Float, { nullable: true, description: 'Wall-clock runtime, in seconds.' }) wallSeconds!:
    number | null;
  @Field(() => Float, { nullable: true, description: 'CPU time (user + system), in seconds.' }) cpuSeconds!:
    number | null;
}

@ObjectType({ description: 'How many tasks are in each status.' })
export class TaskStatusCount {
  @Field(() => TaskStatus, { description: 'The status.' }) status!: TaskStatus;
  @Field(() => Int, { description: 'How many tasks are in it.' }) count!: number;
  @Field(() => Int, {
    description:
      'How many of them are on a retry (an earlier attempt failed; StatusCounts.retrying counts these across statuses).',
  })
  retrying!: number;
}

@ObjectType({ description: 'Task counts per status, with a total.' })
export class StatusCounts {
  @Field(() => Int, { description: 'All tasks.' }) total!: number;
  @Field(() => Int, {
    description:
      'Tasks on a retry: not finished, and an earlier attempt failed. ERROR_RECOVERABLE and ADJUSTING_RESOURCES tasks, QUEUED ones with an attempt behind them, INSTANTIATING, LAUNCHED and RUNNING ones on their second attempt or later. They are also counted in their status (byStatus tells how many per status).',
  })
  retrying!: number;
  @Field(() => [TaskStatusCount], { description: 'One entry per TaskStatus, zeros included.' })
  byStatus!: TaskStatusCount[];
  @Field(() => Int, { description: 'Tasks REGISTERING (waiting for upstream tasks).' }) REGISTERING!: number;
  @Field(() => Int, { description: 'Tasks QUEUED (ready, waiting for a distributor).' }) QUEUED!: number;
  @Field(() => Int, { description: 'Tasks INSTANTIATING (claimed by a distributor).' })
  INSTANTIATING!: number;
  @Field(() => Int, { description: 'Tasks LAUNCHED (accepted by a backend).' }) LAUNCHED!: number;
  @Field(() => Int, { description: 'Tasks RUNNING.' }) RUNNING!: number;
  @Field(() => Int, { description: 'Tasks DONE.' }) DONE!: number;
  @Field(() => Int, { description: 'Tasks whose attempt failed and that will be retried.' })
  ERROR_RECOVERABLE!: number;
  @Field(() => Int, { description: 'Tasks whose resources are being raised after a resource failure.' })
  ADJUSTING_RESOURCES!: number;
  @Field(() => Int, { description: 'Tasks failed for good.' }) ERROR_FATAL!: number;
}

@ObjectType({
  description:
    'min / mean / max of a measure over the attempts that have it (an attempt without the measure, such as a max RSS never sampled, is left out: never counted as 0).',
})
export class Stat {
  @Field(() => Int, { description: 'How many attempts have the measure (the figures are over these).' })
  measured!: number;
  @Field(() => Float, { nullable: true, description: 'The smallest value.' }) min!: number | null;
  @Field(() => Float, { nullable: true, description: 'The arithmetic mean.' }) mean!: number | null;
  @Field(() => Float, { nullable: true, description: 'The largest value.' }) max!: number | null;
}

@ObjectType({ description: 'Usage statistics of the DONE attempts of a template in a workflow.' })
export class UsageStats {
  @Field(() => Int, { description: 'DONE attempts measured.' }) doneAttempts!: number;
  @Field(() => Stat, { description: 'Peak memory (max RSS) of those attempts, in MiB.' }) maxRssMb!: Stat;
  @Field(() => Stat, { description: 'Wall-clock runtime of those attempts, in seconds.' })
  runtimeSeconds!: Stat;
}

@ObjectType({ description: 'A task template as used in one workflow.' })
export class WorkflowTaskTemplate {
  @Field(() => ID, { description: 'The template version id.' }) id!: number;
  @Field(() => String, { description: 'The template name.' }) name!: string;
  @Field(() => String, { description: 'The command with {arg} placeholders.' }) commandTemplate!: string;
  @Field(() => [String], { description: 'Arguments that identify a node of the DAG.' }) nodeArgs!: string[];
  @Field(() => [String], { description: 'Arguments that vary by run but not node identity.' })
  taskArgs!: string[];
  @Field(() => [String], { description: 'Arguments about how it runs (e.g. the interpreter).' })
  opArgs!: string[];
  @Field(() => Int, { nullable: true, description: 'Concurrency limit of this template in the workflow.' })
  maxConcurrentlyRunning!: number | null;
  @Field(() => StatusCounts, {
    description: "Task counts per status of the template's tasks in this workflow.",
  })
  statusCounts!: StatusCounts;
  @Field(() => UsageStats, {
    description: "Usage statistics of the template's DONE attempts in this workflow.",
  })
  usage!: UsageStats;
  workflowId!: number;
  taskTemplateVersionId!: number;
}

@ObjectType({ description: 'A template of a tool: its name and current command template.' })
export class TaskTemplate {
  @Field(() => ID, { description: 'The template version id.' }) id!: number;
  @Field(() => String, { description: 'The template name.' }) name!: string;
  @Field(() => String, { description: 'The command with {arg} placeholders.' }) commandTemplate!: string;
  @Field(() => [String], { description: 'Arguments that identify a node of the DAG.' }) nodeArgs!: string[];
  @Field(() => [String], { description: 'Arguments that vary by run but not node identity.' })
  taskArgs!: string[];
  @Field(() => [String], { description: 'Arguments about how it runs (e.g. the interpreter).' })
  opArgs!: string[];
  /** The template (all its versions); `id` is the version's. */
  taskTemplateId!: number;
}

@ObjectType({ description: 'A DAG of tasks, identified by its tool, workflowArgs and task set.' })
export class Workflow {
  @Field(() => ID, { description: 'The workflow id.' }) id!: number;
  @Field(() => String, { nullable: true, description: 'A human name.' }) name!: string | null;
  @Field(() => String, { nullable: true, description: 'What the workflow does.' }) description!:
    string | null;
  @Field(() => String, {
    description: 'With the tool and the task set, what identifies the workflow (resubmitting finds it).',
  })
  workflowArgs!: string;
  @Field(() => WorkflowStatus, { description: 'Its status, derived from its newest run.' })
  status!: WorkflowStatus;
  @Field(() => DateTimeISOResolver, { description: 'When it was first submitted.' }) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { description: 'When it last changed.' }) updatedAt!: Date;
  @Field(() => DateTimeISOResolver, { description: 'When its status last changed.' }) statusUpdatedAt!: Date;
  @Field(() => Int, { description: '0 pauses the workflow.' }) maxConcurrentlyRunning!: number;
  @Field(() => Int, { description: 'Default attempts per task.' }) maxAttempts!: number;
  @Field(() => Boolean, { description: 'Stop the run at the first task that fails for good.' })
  failFast!: boolean;
  @Field(() => Int, { description: 'How many tasks it has.' }) taskCount!: number;
  @Field(() => String, {
    nullable: true,
    description: 'The user who submitted it (its owner); null in open mode.',
  })
  createdBy!: string | null;
  @Field(() => JSONResolver, {
    nullable: true,
    description: 'Free key/value attributes, for filtering and reports.',
  })
  attributes!: unknown;
  @Field(() => JSONResolver, {
    nullable: true,
    description: 'Default resources of its tasks (below template and task resources).',
  })
  defaultResources!: unknown;
  toolId!: number;
}

@ObjectType({ description: 'One execution of a workflow; a resume makes a new run.' })
export class WorkflowRun {
  @Field(() => ID, { description: 'The run id.' }) id!: number;
  @Field(() => WorkflowRunStatus, { description: 'The run status.' }) status!: WorkflowRunStatus;
  @Field(() => String, { nullable: true, description: 'Who started the run.' }) user!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Why the run is in its status (fail fast, stopped, …).',
  })
  statusReason!: string | null;
  @Field(() => DateTimeISOResolver, { description: 'When the run started.' }) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { description: 'When it last changed.' }) updatedAt!: Date;
  @Field(() => DateTimeISOResolver, { description: 'When its status last changed.' }) statusUpdatedAt!: Date;
  workflowId!: number;
}

@ObjectType({ description: 'One node of a workflow: a rendered command with its resources and edges.' })
export class Task {
  @Field(() => ID, { description: 'The task id.' }) id!: number;
  @Field(() => String, { description: 'The key the task was submitted with (unique in its workflow).' })
  key!: string;
  @Field(() => String, { description: 'A human name (the key unless given).' }) name!: string;
  @Field(() => String, { description: 'The rendered command.' }) command!: string;
  @Field(() => TaskStatus, { description: 'Its status.' }) status!: TaskStatus;
  @Field(() => Int, { description: 'How many attempts it may have.' }) maxAttempts!: number;
  @Field(() => Int, { description: 'How many attempts it has had.' }) numAttempts!: number;
  @Field(() => JSONObjectResolver, { description: 'Its argument values, by template argument name.' })
  args!: Record<string, unknown>;
  @Field(() => ResourceScales, {
    nullable: true,
    description: 'How much its resources rise after a resource failure.',
  })
  resourceScales!: ResourceScales | null;
  @Field(() => [String], {
    description: 'Queues to move to, in order, when a raised request no longer fits its queue.',
  })
  fallbackQueues!: string[];
  @Field(() => JSONResolver, {
    nullable: true,
    description: 'Free key/value attributes, for filtering and reports.',
  })
  attributes!: unknown;
  @Field(() => DateTimeISOResolver, { description: 'When it was bound.' }) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { description: 'When its status last changed.' }) statusUpdatedAt!: Date;
  workflowId!: number;
  taskTemplateVersionId!: number;
  taskResourcesId!: number;
}

@ObjectType({ description: 'One attempt of a task within a run.' })
export class TaskInstance {
  @Field(() => ID, { description: 'The attempt id.' }) id!: number;
  @Field(() => Int, { description: 'Its number among the attempts of its task (1 first).' }) attempt!: number;
  @Field(() => TaskInstanceStatus, { description: 'Its status.' }) status!: TaskInstanceStatus;
  @Field(() => ID, { nullable: true, description: 'The distributor that claimed it.' }) distributorId!:
    number | null;
  @Field(() => String, { nullable: true, description: 'The Slurm job id or local pid.' }) backendJobId!:
    string | null;
  @Field(() => String, { nullable: true, description: 'Where it ran.' }) hostname!: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When the backend accepted it.' })
  submittedAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it started running.' })
  startedAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it ended.' })
  finishedAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Its last heartbeat.' })
  heartbeatAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When a kill was asked for.' })
  killRequestedAt!: Date | null;
  @Field(() => Int, { nullable: true, description: "The command's exit code." }) exitCode!: number | null;
  @Field(() => String, { nullable: true, description: 'The kind of failure (e.g. OUT_OF_MEMORY, TIMEOUT).' })
  errorKind!: string | null;
  @Field(() => String, { nullable: true, description: 'What went wrong, as the worker or backend said.' })
  errorMessage!: string | null;
  @Field(() => String, { nullable: true, description: 'Where its stdout was written.' }) stdoutPath!:
    string | null;
  @Field(() => String, { nullable: true, description: 'Where its stderr was written.' }) stderrPath!:
    string | null;
  @Field(() => String, { nullable: true, description: 'The end of its stdout.' }) stdoutTail!: string | null;
  @Field(() => String, { nullable: true, description: 'The end of its stderr.' }) stderrTail!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'The outcome its command reported after the server had given the attempt up (its distributor was ' +
      'silent, or a kill unconfirmed) and retried the task: recorded, never applied.',
  })
  lateOutcome!: string | null;
  @Field(() => DateTimeISOResolver, { description: 'When it was created (claimed).' }) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { description: 'When its status last changed.' }) statusUpdatedAt!: Date;
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
  @Field(() => DateTimeISOResolver, { description: 'When the change happened.' }) at!: Date;
  @Field(() => EntityType, { description: 'What changed: a workflow, run, task or attempt.' })
  entityType!: EntityType;
  @Field(() => ID, { description: 'The id of what changed.' }) entityId!: number;
  @Field(() => ID, { nullable: true, description: 'The workflow it belongs to.' }) workflowId!: number | null;
  @Field(() => String, { nullable: true, description: 'The status before (null for a creation).' })
  fromStatus!: string | null;
  @Field(() => String, { description: 'The status after.' }) toStatus!: string;
  @Field(() => String, { nullable: true, description: 'Why (stopped, resumed, fail fast, …).' }) reason!:
    string | null;
  @Field(() => String, { nullable: true, description: 'Who made the change (a user, or the server).' })
  actor!: string | null;
}

@ObjectType({ description: 'A drawable node: a task, or a template collapsed with its counts.' })
export class DagNode {
  @Field(() => ID, { description: 'task:<id> or template:<name>' }) id!: string;
  @Field(() => ID, { nullable: true, description: 'The task id (null for a collapsed group).' }) taskId!:
    number | null;
  @Field(() => String, { description: 'What to write on the node.' }) label!: string;
  @Field(() => String, { description: 'The template of the task(s).' }) template!: string;
  @Field(() => Boolean, { description: 'A group of tasks of one template.' }) collapsed!: boolean;
  @Field(() => TaskStatus, { description: 'The task status, or for a group the most pressing one.' })
  status!: TaskStatus;
  @Field(() => Int, { description: 'Tasks in the node (1 for a task).' }) size!: number;
  @Field(() => StatusCounts, {
    nullable: true,
    description: "A group's task counts per status (null for a task).",
  })
  statusCounts!: StatusCounts | null;
}

@ObjectType({ description: 'A drawable edge: an upstream node to a downstream one.' })
export class DagEdge {
  @Field(() => ID, { description: 'The upstream node id.' }) source!: string;
  @Field(() => ID, { description: 'The downstream node id.' }) target!: string;
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
  @Field(() => Boolean, { description: 'Whether some nodes are groups of tasks.' }) collapsed!: boolean;
  @Field(() => [DagNode], { description: 'The nodes to draw.' }) nodes!: DagNode[];
  @Field(() => [DagEdge], { description: 'The edges between them.' }) edges!: DagEdge[];
}

export const WorkflowConnection = Connection(Workflow, 'Workflow');
export const TaskConnection = Connection(Task, 'Task');
export const AuditEventConnection = Connection(AuditEvent, 'AuditEvent');
