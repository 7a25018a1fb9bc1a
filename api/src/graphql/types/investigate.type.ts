import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { BlockKind } from '../../domain/blocked-by';

// Types that answer "what went wrong" and "why is it waiting" (Workflow.errorClusters, Task.blockedBy).

registerEnumType(BlockKind, {
  name: 'BlockKind',
  description: 'What holds a task back (Task.blockedBy).',
  valuesConfig: {
    UPSTREAM_NOT_DONE: { description: 'REGISTERING: some of its upstream tasks are not DONE yet.' },
    WORKFLOW_LIMIT: {
      description: "QUEUED: the workflow's maxConcurrentlyRunning is reached (0 pauses it).",
    },
    TEMPLATE_LIMIT: { description: "QUEUED: its template's limit within the workflow is reached." },
    NO_DISTRIBUTOR_FOR_QUEUE: {
      description: "QUEUED: no registered distributor runs its owner's work in its queue.",
    },
    BACKEND_PENDING: {
      description:
        "LAUNCHED: the backend holds the job; the message carries the backend's own reason (Slurm's pending reason, e.g. Resources, Priority, QOSMaxJobsPerUserLimit).",
    },
    WORKFLOW_NOT_RUNNING: {
      description:
        "The workflow's newest run does not schedule tasks (stopped, failed, being resumed) or there is none.",
    },
  },
});

@ObjectType({ description: 'One reason a task is waiting.' })
export class BlockReason {
  @Field(() => BlockKind, { description: 'Which kind of obstacle.' }) kind!: BlockKind;
  @Field(() => String, { description: 'What holds it back, in words, with what to do about it.' })
  message!: string;
}

@ObjectType({
  description:
    'Failed attempts of a workflow whose error texts (error message and the end of stderr) are alike: texts that differ only in numbers, paths, ids, hex and timestamps are one, and similar ones (TF-IDF cosine of their words) are merged.',
})
export class ErrorCluster {
  @Field(() => String, {
    description:
      "An actual error text of the cluster's most common kind: the message, then stderr's last lines.",
  })
  representative!: string;
  @Field(() => Int, { description: 'Failed attempts in the cluster.' }) attempts!: number;
  @Field(() => Int, { description: 'Distinct tasks those attempts belong to.' }) tasks!: number;
  @Field(() => [String], { description: 'Templates of those tasks, by name.' }) templateNames!: string[];
  @Field(() => [ID], { description: 'A few of those tasks (up to 5), to open.' })
  sampleTaskIds!: number[];
  @Field(() => DateTimeISOResolver, { description: 'When its earliest attempt failed.' }) firstAt!: Date;
  @Field(() => DateTimeISOResolver, { description: 'When its latest attempt failed.' }) lastAt!: Date;
}
