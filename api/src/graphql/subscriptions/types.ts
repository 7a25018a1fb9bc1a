import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { WorkQueuedReason } from '../../events';
import { WorkflowStatus } from '../types/enums';
import { StatusCounts } from '../types/models.type';

// Payloads of the subscriptions that do not deliver audit events.

registerEnumType(WorkQueuedReason, {
  name: 'WorkQueuedReason',
  description: 'Why distributors were woken (several coalesced wake-ups report the last one).',
  valuesConfig: {
    TASKS_QUEUED: { description: 'Tasks became QUEUED.' },
    RUN_BOUND: { description: 'A workflow run was bound: its first tasks are ready.' },
    SIGNALLED: { description: 'The server said so (e.g. a concurrency limit was raised).' },
    KILL_REQUESTED: {
      description: 'Attempts were asked to die (stop, cold resume, fail fast): heartbeat now to hear it.',
    },
  },
});

@ObjectType({ description: "A snapshot of a workflow's task counts, pushed by workflowProgress." })
export class WorkflowProgress {
  @Field(() => ID, { description: 'The workflow.' }) workflowId!: number;
  @Field(() => WorkflowStatus, { description: 'Its status.' }) status!: WorkflowStatus;
  @Field(() => StatusCounts, { description: 'Its task counts per status.' }) statusCounts!: StatusCounts;
  @Field(() => Boolean, {
    description: 'The workflow is DONE, FAILED or HALTED: these counts are final unless it is resumed.',
  })
  final!: boolean;
  @Field(() => DateTimeISOResolver, { description: 'When the counts were read.' }) at!: Date;
}

@ObjectType({ description: 'A wake-up for a distributor: claim now (the claim decides what there is).' })
export class WorkQueued {
  @Field(() => DateTimeISOResolver, { description: 'When the wake-up was sent.' }) at!: Date;
  @Field(() => WorkQueuedReason, { description: 'Why.' }) reason!: WorkQueuedReason;
}
