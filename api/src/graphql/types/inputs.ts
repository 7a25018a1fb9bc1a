import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { JSONObjectResolver, JSONResolver } from 'graphql-scalars';
import { EntityType, SortDirection, TaskOrderField, TaskStatus, WorkflowStatus } from './enums';
import type {
  TaskSubmission,
  TaskTemplateSubmission,
  WorkflowBindingSubmission,
  WorkflowSubmission as WorkflowSubmissionShape,
} from '../../services/submission.types';

// The submission input (field names fixed: clients depend on them) and the list filters.

@InputType({ description: 'Compute resources; memory in MiB, runtime in seconds.' })
export class ResourcesInput {
  @Field(() => Int, { nullable: true, description: 'Memory in MiB.' }) memoryMb?: number | null;
  @Field(() => Int, { nullable: true, description: 'CPU cores.' }) cores?: number | null;
  @Field(() => Int, { nullable: true, description: 'Wall-clock runtime limit, in seconds.' })
  runtimeSeconds?: number | null;
  @Field(() => String, { nullable: true, description: 'The queue (Slurm partition) to run in.' }) queue?:
    string | null;
  @Field(() => JSONResolver, {
    nullable: true,
    description: 'Backend-specific flags (e.g. account, constraints).',
  })
  extra?: Record<string, unknown> | null;
}

@InputType({ description: 'How much to raise memory/runtime after a resource failure (default 0.5 = +50%).' })
export class ResourceScalesInput {
  @Field(() => Float, {
    nullable: true,
    description: 'How much memory grows after each memory failure (0.5: +50%, the default).',
  })
  memory?: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'How much runtime grows after each runtime failure (0.5: +50%, the default).',
  })
  runtime?: number | null;
  @Field(() => [Float], {
    nullable: true,
    description:
      "Jobmon's list of scales: the factor of the first resource failure, of the second, … (the last one " +
      'repeats once used up); wins over memory. At most 100.',
  })
  memoryFactors?: number[] | null;
  @Field(() => [Float], {
    nullable: true,
    description: 'As memoryFactors, for runtime.',
  })
  runtimeFactors?: number[] | null;
}

@InputType({ description: 'A task template of a submission: a command with {arg} placeholders.' })
export class TaskTemplateInput implements TaskTemplateSubmission {
  @Field(() => String, { description: 'The template name (unique in the tool).' }) name!: string;
  @Field(() => String, { description: 'e.g. "python fit.py --loc {location} --year {year}"' })
  commandTemplate!: string;
  @Field(() => [String], { nullable: true, description: 'Arguments that identify a node of the DAG.' })
  nodeArgs?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Arguments that vary by run but not node identity.' })
  taskArgs?: string[] | null;
  @Field(() => [String], {
    nullable: true,
    description: 'Arguments about how it runs (e.g. the interpreter).',
  })
  opArgs?: string[] | null;
  @Field(() => ResourcesInput, { nullable: true, description: 'Default resources of its tasks.' })
  defaultResources?: ResourcesInput | null;
  @Field(() => Int, {
    nullable: true,
    description: 'At most this many of its tasks run at once in the workflow.',
  })
  maxConcurrentlyRunning?: number | null;
}

@InputType({ description: 'A task of a submission.' })
export class TaskInput implements TaskSubmission {
  @Field(() => String, { description: 'Unique in the submission: how upstream lists name this task.' })
  key!: string;
  @Field(() => String, { description: 'The name of its template in taskTemplates.' }) template!: string;
  @Field(() => JSONResolver, { description: 'Its argument values, by template argument name.' })
  args!: Record<string, unknown>;
  @Field(() => String, { nullable: true, description: 'A human name (default: the key).' }) name?:
    string | null;
  @Field(() => [String], { nullable: true, description: 'Keys of the tasks it depends on.' }) upstream?:
    string[] | null;
  @Field(() => ResourcesInput, {
    nullable: true,
    description: 'Its resources (over the template and workflow defaults).',
  })
  resources?: ResourcesInput | null;
  @Field(() => Int, { nullable: true, description: "Attempts it may have (default: the workflow's)." })
  maxAttempts?: number | null;
  @Field(() => ResourceScalesInput, {
    nullable: true,
    description: 'How much to raise resources after a resource failure (default +50%).',
  })
  resourceScales?: ResourceScalesInput | null;
  @Field(() => [String], {
    nullable: true,
    description: 'Queues to move to, in order, when a raised request no longer fits.',
  })
  fallbackQueues?: string[] | null;
  @Field(() => JSONObjectResolver, { nullable: true, description: 'Free key/value attributes.' })
  attributes?: Record<string, unknown> | null;
}

@InputType({
  description:
    'A WorkflowSubmission without its tasks, for beginWorkflowBinding: the tasks follow in chunks (addWorkflowTasks).',
})
export class WorkflowBindingInput implements WorkflowBindingSubmission {
  @Field(() => String, { description: 'The tool (created on first use).' }) tool!: string;
  @Field(() => String, { description: 'With the tool and the task set, what identifies the workflow.' })
  workflowArgs!: string;
  @Field(() => String, { nullable: true, description: 'A human name.' }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'What the workflow does.' }) description?:
    string | null;
  @Field(() => Int, { nullable: true, description: 'At most this many tasks run at once (0 pauses it).' })
  maxConcurrentlyRunning?: number | null;
  @Field(() => Int, { nullable: true, description: 'Default attempts per task (3 unless given).' })
  maxAttempts?: number | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Stop the run at the first task that fails for good.',
  })
  failFast?: boolean | null;
  @Field(() => ResourcesInput, { nullable: true, description: 'Default resources of every task.' })
  defaultResources?: ResourcesInput | null;
  @Field(() => JSONObjectResolver, { nullable: true, description: 'Free key/value attributes.' })
  attributes?: Record<string, unknown> | null;
  @Field(() => [TaskTemplateInput], { description: 'The templates its tasks use.' })
  taskTemplates!: TaskTemplateInput[];
}

@InputType({ description: 'A whole workflow: its settings, templates and every task.' })
export class WorkflowSubmission extends WorkflowBindingInput implements WorkflowSubmissionShape {
  @Field(() => [TaskInput], { description: 'Every task of the DAG.' }) tasks!: TaskInput[];
  @Field(() => String, {
    nullable: true,
    description:
      "Who submits, as the client knows it (Jobmon's clients send their operating-system user): recorded " +
      "as the workflow's creator and its run's user in open mode (no token). With tokens the token's user " +
      "is recorded and this is ignored. It is no part of the workflow's identity.",
  })
  user?: string | null;
}

@InputType({ description: 'Which workflows to list.' })
export class WorkflowFilter {
  @Field(() => [WorkflowStatus], { nullable: true, description: 'Only workflows in these statuses.' })
  status?: WorkflowStatus[] | null;
  @Field(() => String, { nullable: true, description: 'Tool name.' }) tool?: string | null;
  @Field(() => String, { nullable: true, description: 'Who created the workflow.' }) user?: string | null;
  @Field(() => String, { nullable: true, description: 'Substring of the name or workflowArgs.' })
  search?: string | null;
  @Field(() => JSONObjectResolver, {
    nullable: true,
    description:
      'Attributes `{ key: value }`: only workflows whose attributes hold every pair (values compared as text; at most 10 keys).',
  })
  attributes?: Record<string, unknown> | null;
}

@InputType({ description: 'Which tasks to list.' })
export class TaskFilter {
  @Field(() => [TaskStatus], { nullable: true, description: 'Only tasks in these statuses.' }) status?:
    TaskStatus[] | null;
  @Field(() => String, { nullable: true, description: 'Template name.' }) template?: string | null;
  @Field(() => String, { nullable: true, description: 'Substring of the name.' }) search?: string | null;
  @Field(() => JSONObjectResolver, {
    nullable: true,
    description:
      'Attributes `{ key: value }`: only tasks whose attributes hold every pair (values compared as text; at most 10 keys).',
  })
  attributes?: Record<string, unknown> | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      'true: only tasks on a retry (not finished, and an earlier attempt failed: the tasks StatusCounts.retrying ' +
      'counts, in whatever status); false: only the others.',
  })
  retrying?: boolean | null;
}

@InputType({ description: 'How Workflow.tasks is sorted: by `field`, then by task id, both in `direction`.' })
export class TaskOrder {
  @Field(() => TaskOrderField, { defaultValue: TaskOrderField.ID, description: 'What to sort by.' })
  field!: TaskOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC, description: 'Which way.' })
  direction!: SortDirection;
}

@InputType({ description: 'Which audit events to list.' })
export class AuditEventFilter {
  @Field(() => ID, { nullable: true, description: 'Only events of this workflow.' }) workflowId?:
    string | null;
  @Field(() => EntityType, { nullable: true, description: 'Only events about this kind of entity.' })
  entityType?: EntityType | null;
  @Field(() => ID, { nullable: true, description: 'Only events about this entity (with entityType).' })
  entityId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only events after this id.' }) since?: string | null;
}
