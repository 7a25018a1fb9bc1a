import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { JSONObjectResolver, JSONResolver } from 'graphql-scalars';
import { EntityType, TaskStatus, WorkflowStatus } from './enums';
import type {
  TaskSubmission,
  TaskTemplateSubmission,
  WorkflowBindingSubmission,
  WorkflowSubmission as WorkflowSubmissionShape,
} from '../../services/submission.types';

// The submission input (field names fixed: clients depend on them) and the list filters.

@InputType({ description: 'Compute resources; memory in MiB, runtime in seconds.' })
export class ResourcesInput {
  @Field(() => Int, { nullable: true }) memoryMb?: number | null;
  @Field(() => Int, { nullable: true }) cores?: number | null;
  @Field(() => Int, { nullable: true }) runtimeSeconds?: number | null;
  @Field(() => String, { nullable: true }) queue?: string | null;
  @Field(() => JSONResolver, { nullable: true }) extra?: Record<string, unknown> | null;
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

@InputType()
export class TaskTemplateInput implements TaskTemplateSubmission {
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'e.g. "python fit.py --loc {location} --year {year}"' })
  commandTemplate!: string;
  @Field(() => [String], { nullable: true }) nodeArgs?: string[] | null;
  @Field(() => [String], { nullable: true }) taskArgs?: string[] | null;
  @Field(() => [String], { nullable: true }) opArgs?: string[] | null;
  @Field(() => ResourcesInput, { nullable: true }) defaultResources?: ResourcesInput | null;
  @Field(() => Int, { nullable: true }) maxConcurrentlyRunning?: number | null;
}

@InputType()
export class TaskInput implements TaskSubmission {
  @Field(() => String) key!: string;
  @Field(() => String) template!: string;
  @Field(() => JSONResolver) args!: Record<string, unknown>;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => [String], { nullable: true }) upstream?: string[] | null;
  @Field(() => ResourcesInput, { nullable: true }) resources?: ResourcesInput | null;
  @Field(() => Int, { nullable: true }) maxAttempts?: number | null;
  @Field(() => ResourceScalesInput, { nullable: true }) resourceScales?: ResourceScalesInput | null;
  @Field(() => [String], { nullable: true }) fallbackQueues?: string[] | null;
  @Field(() => JSONObjectResolver, { nullable: true }) attributes?: Record<string, unknown> | null;
}

@InputType({
  description:
    'A WorkflowSubmission without its tasks, for beginWorkflowBinding: the tasks follow in chunks (addWorkflowTasks).',
})
export class WorkflowBindingInput implements WorkflowBindingSubmission {
  @Field(() => String) tool!: string;
  @Field(() => String) workflowArgs!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Int, { nullable: true }) maxConcurrentlyRunning?: number | null;
  @Field(() => Int, { nullable: true }) maxAttempts?: number | null;
  @Field(() => Boolean, { nullable: true }) failFast?: boolean | null;
  @Field(() => ResourcesInput, { nullable: true }) defaultResources?: ResourcesInput | null;
  @Field(() => JSONObjectResolver, { nullable: true }) attributes?: Record<string, unknown> | null;
  @Field(() => [TaskTemplateInput]) taskTemplates!: TaskTemplateInput[];
}

@InputType({ description: 'A whole workflow: its settings, templates and every task.' })
export class WorkflowSubmission extends WorkflowBindingInput implements WorkflowSubmissionShape {
  @Field(() => [TaskInput]) tasks!: TaskInput[];
  @Field(() => String, {
    nullable: true,
    description:
      "Who submits, as the client knows it (Jobmon's clients send their operating-system user): recorded " +
      "as the workflow's creator and its run's user in open mode (no token). With tokens the token's user " +
      "is recorded and this is ignored. It is no part of the workflow's identity.",
  })
  user?: string | null;
}

@InputType()
export class WorkflowFilter {
  @Field(() => [WorkflowStatus], { nullable: true }) status?: WorkflowStatus[] | null;
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

@InputType()
export class TaskFilter {
  @Field(() => [TaskStatus], { nullable: true }) status?: TaskStatus[] | null;
  @Field(() => String, { nullable: true, description: 'Template name.' }) template?: string | null;
  @Field(() => String, { nullable: true, description: 'Substring of the name.' }) search?: string | null;
  @Field(() => JSONObjectResolver, {
    nullable: true,
    description:
      'Attributes `{ key: value }`: only tasks whose attributes hold every pair (values compared as text; at most 10 keys).',
  })
  attributes?: Record<string, unknown> | null;
}

@InputType()
export class AuditEventFilter {
  @Field(() => ID, { nullable: true }) workflowId?: string | null;
  @Field(() => EntityType, { nullable: true }) entityType?: EntityType | null;
  @Field(() => ID, { nullable: true }) entityId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only events after this id.' }) since?: string | null;
}
