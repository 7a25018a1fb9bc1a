import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { TaskInstanceOutcome } from '../../domain';
import { ResumeMode } from '../../services/run-control/control';
import { TaskInstanceStatus } from './enums';
import { Resources } from './models.type';

// The distributor protocol (docs/distributor-protocol.md) and the run controls.

registerEnumType(TaskInstanceOutcome, {
  name: 'TaskInstanceOutcome',
  description: 'How an attempt ended, as its distributor or worker saw it.',
});
registerEnumType(ResumeMode, {
  name: 'ResumeMode',
  description: 'COLD kills what still runs and reruns every task not DONE; HOT lets running attempts finish.',
});

@ObjectType({ description: 'A registered distributor process.' })
export class Distributor {
  @Field(() => ID) id!: number;
  @Field(() => String) name!: string;
  @Field(() => String) backend!: string;
  @Field(() => String, { nullable: true }) hostname!: string | null;
  @Field(() => Int, { nullable: true }) capacity!: number | null;
  @Field(() => [String], { nullable: true, description: 'Queues it serves; null: every queue.' })
  queues!: string[] | null;
  @Field(() => String, { nullable: true, description: 'Whose token registered it (null: open mode).' })
  owner!: string | null;
  @Field(() => Boolean, {
    description:
      "True when an admin let it run every user's work, as its own operating-system user; otherwise it runs its owner's only.",
  })
  servesAllUsers!: boolean;
  @Field(() => DateTimeISOResolver) lastHeartbeatAt!: Date;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => String, {
    description:
      'The id of this deployment (made when its database was first migrated): a distributor keeps its ' +
      'files under <log dir>/<deploymentId>/, apart from those of any other database.',
  })
  deploymentId!: string;
}

@InputType({ description: 'A queue a distributor serves, with its bounds (null: unbounded).' })
export class QueueInput {
  @Field(() => String) name!: string;
  @Field(() => Int, { nullable: true }) minCores?: number | null;
  @Field(() => Int, { nullable: true }) maxCores?: number | null;
  @Field(() => Int, { nullable: true }) maxMemoryMb?: number | null;
  @Field(() => Int, { nullable: true }) maxRuntimeSeconds?: number | null;
}

@InputType()
export class RegisterDistributorInput {
  @Field(() => String, {
    description: 'Stable identity: the same name registers the same distributor again.',
  })
  name!: string;
  @Field(() => String, { description: 'local | sequential | dummy | slurm' }) backend!: string;
  @Field(() => String, { nullable: true }) hostname?: string | null;
  @Field(() => Int, { nullable: true, description: 'How many instances it runs at once.' })
  capacity?: number | null;
  @Field(() => [QueueInput], { nullable: true }) queues?: QueueInput[] | null;
}

@ObjectType({ description: 'The resources an attempt is given.' })
export class ClaimedTaskInstance {
  @Field(() => ID) id!: number;
  @Field(() => ID) taskId!: number;
  @Field(() => ID) workflowId!: number;
  @Field(() => ID) workflowRunId!: number;
  @Field(() => Int) attempt!: number;
  @Field(() => String) name!: string;
  @Field(() => String) command!: string;
  @Field(() => String) templateName!: string;
  @Field(() => TaskInstanceStatus) status!: TaskInstanceStatus;
  @Field(() => String, { nullable: true }) backendJobId!: string | null;
  @Field(() => String, {
    description:
      'A random value of this attempt alone: its command wrapper writes it into the exit file (the Slurm ' +
      'worker into its report file); a result read from files is taken only when it carries it. Empty ' +
      'for attempts claimed before nonces existed.',
  })
  nonce!: string;
  @Field(() => String, {
    nullable: true,
    description:
      "The attempt's own bearer credential, given once when it is claimed (null when adopted: see " +
      'reissueAttemptCredentials): its worker ' +
      'reports RUNNING, heartbeats and the end of this attempt with it, and can do nothing else. Give it to ' +
      "the worker instead of the distributor's token; never to the command.",
  })
  reportToken!: string | null;
  @Field(() => Int, {
    nullable: true,
    description:
      "Most tasks of its workflow and template active at once: the smaller of the workflow's " +
      "maxConcurrentlyRunning and the template's limit in the workflow (null: unlimited). Read when claimed.",
  })
  concurrencyLimit!: number | null;
  @Field(() => Resources) resources!: Resources;
}

@ObjectType({
  description:
    'A fresh credential for an attempt its distributor submits again after a restart (the one issued at ' +
    'its claim cannot be recovered: the server keeps only its hash, and it no longer authenticates).',
})
export class AttemptCredential {
  @Field(() => ID) taskInstanceId!: number;
  @Field(() => String, {
    description: "The attempt's new bearer credential: for its worker only, never for the command.",
  })
  reportToken!: string;
}

@InputType()
export class TaskInstanceLaunchInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) backendJobId?: string | null;
  @Field(() => String, { nullable: true }) stdoutPath?: string | null;
  @Field(() => String, { nullable: true }) stderrPath?: string | null;
}

@InputType()
export class TaskInstanceRunningInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) hostname?: string | null;
  @Field(() => String, { nullable: true }) backendJobId?: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) startedAt?: Date | null;
}

@InputType()
export class UsageInput {
  @Field(() => Float, { nullable: true }) maxRssMb?: number | null;
  @Field(() => Float, { nullable: true }) wallSeconds?: number | null;
  @Field(() => Float, { nullable: true }) cpuSeconds?: number | null;
}

@InputType()
export class TaskInstanceFinishedInput {
  @Field(() => ID) id!: string;
  @Field(() => TaskInstanceOutcome) outcome!: TaskInstanceOutcome;
  @Field(() => Int, { nullable: true }) exitCode?: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'For RESOURCE_ERROR: OUT_OF_MEMORY or TIMEOUT (which resource grows before the retry).',
  })
  errorKind?: string | null;
  @Field(() => String, { nullable: true }) errorMessage?: string | null;
  @Field(() => String, { nullable: true }) hostname?: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) startedAt?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) finishedAt?: Date | null;
  @Field(() => String, { nullable: true }) stdoutPath?: string | null;
  @Field(() => String, { nullable: true }) stderrPath?: string | null;
  @Field(() => String, { nullable: true, description: 'The last 64 KiB of stdout.' }) stdoutTail?:
    string | null;
  @Field(() => String, { nullable: true, description: 'The last 64 KiB of stderr.' }) stderrTail?:
    string | null;
  @Field(() => UsageInput, { nullable: true }) usage?: UsageInput | null;
}

@ObjectType()
export class IgnoredReport {
  @Field(() => ID) id!: number;
  @Field(() => String) reason!: string;
}

@ObjectType({ description: 'What the server did with a batch of reports.' })
export class ReportResult {
  @Field(() => [ID]) accepted!: number[];
  @Field(() => [IgnoredReport], { description: 'Repeated, late or foreign reports: never an error.' })
  ignored!: IgnoredReport[];
  @Field(() => [ID], { description: 'Instances among those reported that the server wants killed.' })
  killInstanceIds!: number[];
  @Field(() => [ClaimedTaskInstance], { description: 'Work claimed in the same transaction (claimLimit).' })
  claimed!: ClaimedTaskInstance[];
}

@InputType({
  description:
    "Why the backend holds a LAUNCHED instance pending (Slurm's squeue reason: Resources, Priority, QOSMaxJobsPerUserLimit, …); shown by Task.blockedBy as BACKEND_PENDING.",
})
export class BackendPendingInput {
  @Field(() => ID, { description: 'The instance: one of the heartbeat’s activeInstanceIds.' }) id!: string;
  @Field(() => String, { nullable: true, description: 'The reason; null: no longer pending (or unknown).' })
  reason?: string | null;
}

@ObjectType()
export class DistributorHeartbeat {
  @Field(() => [ID], { description: 'Instances of this distributor to kill (then report KILLED).' })
  killInstanceIds!: number[];
  @Field(() => [ID], { description: 'Instances in TRIAGING: ask the backend and report what happened.' })
  triageInstanceIds!: number[];
}
