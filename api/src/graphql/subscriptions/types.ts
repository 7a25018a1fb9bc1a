import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { WorkQueuedReason } from '../../events';
import { WorkflowStatus } from '../types/enums';
import { StatusCounts } from '../types/models.type';

// Payloads of the subscriptions that do not deliver audit events.

registerEnumType(WorkQueuedReason, {
  name: 'WorkQueuedReason',
  description: 'Why distributors were woken (several coalesced wake-ups report the last one).',
});

@ObjectType({ description: "A snapshot of a workflow's task counts, pushed by workflowProgress." })
export class WorkflowProgress {
  @Field(() => ID) workflowId!: number;
  @Field(() => WorkflowStatus) status!: WorkflowStatus;
  @Field(() => StatusCounts) statusCounts!: StatusCounts;
  @Field(() => Boolean, {
    description: 'The workflow is DONE, FAILED or HALTED: these counts are final unless it is resumed.',
  })
  final!: boolean;
  @Field(() => DateTimeISOResolver, { description: 'When the counts were read.' }) at!: Date;
}

@ObjectType({ description: 'A wake-up for a distributor: claim now (the claim decides what there is).' })
export class WorkQueued {
  @Field(() => DateTimeISOResolver) at!: Date;
  @Field(() => WorkQueuedReason) reason!: WorkQueuedReason;
}
