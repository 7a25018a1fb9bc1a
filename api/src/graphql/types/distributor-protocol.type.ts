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
  valuesConfig: {
    DONE: { description: 'The command exited 0.' },
    ERROR: { description: 'The command exited non-zero.' },
    RESOURCE_ERROR: { description: 'Killed for exceeding its memory or runtime.' },
    UNKNOWN_ERROR: { description: 'Lost: the backend cannot say what happened.' },
    NO_DISTRIBUTOR_ID: { description: 'The backend refused the submission.' },
    KILLED: { description: 'Killed as asked (stop, cold resume, fail fast).' },
  },
});
registerEnumType(ResumeMode, {
  name: 'ResumeMode',
  description: 'COLD kills what still runs and reruns every task not DONE; HOT lets running attempts finish.',
  valuesConfig: {
    COLD: { description: 'Kill running attempts, then rerun every task not DONE.' },
    HOT: { description: 'Let running attempts finish; rerun the tasks not DONE and not running.' },
  },
});

@ObjectType({ description: 'A registered distributor process.' })
export class Distributor {
  @Field(() => ID, { description: 'The distributor id.' }) id!: number;
  @Field(() => String, { description: 'Its name.' }) name!: string;
  @Field(() => String, { description: 'local, sequential, dummy or slurm.' }) backend!: string;
  @Field(() => String, { nullable: true, description: 'Where it runs.' }) hostname!: string | null;
  @Field(() => Int, { nullable: true, description: 'How many attempts it runs at once.' }) capacity!:
    number | null;
  @Field(() => [String], { nullable: true, description: 'Queues it serves; null: every queue.' })
  queues!: string[] | null;
  @Field(() => String, { nullable: true, description: 'Whose token registered it (null: open mode).' })
  owner!: string | null;
  @Field(() => Boolean, {
    description:
      "True when an admin let it run every user's work, as its own operating-system user; otherwise it runs its owner's only.",
  })
  servesAllUsers!: boolean;
  @Field(() => DateTimeISOResolver, { description: 'Its last heartbeat.' }) lastHeartbeatAt!: Date;
  @Field(() => DateTimeISOResolver, { description: 'When it registered.' }) createdAt!: Date;
  @Field(() => String, {
    description:
      'The id of this deployment (made when its database was first migrated): a distributor keeps its ' +
      'files under <log dir>/<deploymentId>/, apart from those of any other database.',
  })
  deploymentId!: string;
}

@InputType({ description: 'A queue a distributor serves, with its bounds (null: unbounded).' })
export class QueueInput {
  @Field(() => String, { description: 'The queue name.' }) name!: string;
  @Field(() => Int, { nullable: true, description: 'Fewest cores a request may ask.' }) minCores?:
    number | null;
  @Field(() => Int, { nullable: true, description: 'Most cores a request may ask.' }) maxCores?:
    number | null;
  @Field(() => Int, { nullable: true, description: 'Most memory a request may ask, in MiB.' }) maxMemoryMb?:
    number | null;
  @Field(() => Int, { nullable: true, description: 'Longest runtime a request may ask, in seconds.' })
  maxRuntimeSeconds?: number | null;
}

@InputType({ description: 'A distributor process announcing itself.' })
export class RegisterDistributorInput {
  @Field(() => String, {
    description: 'Stable identity: the same name registers the same distributor again.',
  })
  name!: string;
  @Field(() => String, { description: 'local | sequential | dummy | slurm' }) backend!: string;
  @Field(() => String, { nullable: true, description: 'Where it runs.' }) hostname?: string | null;
  @Field(() => Int, { nullable: true, description: 'How many instances it runs at once.' })
  capacity?: number | null;
  @Field(() => [QueueInput], { nullable: true, description: 'Queues it serves, with their bounds.' })
  queues?: QueueInput[] | null;
}

@ObjectType({ description: 'The resources an attempt is given.' })
export class ClaimedTaskInstance {
  @Field(() => ID, { description: 'The attempt id.' }) id!: number;
  @Field(() => ID, { description: 'Its task.' }) taskId!: number;
  @Field(() => ID, { description: 'Its workflow.' }) workflowId!: number;
  @Field(() => ID, { description: 'Its run.' }) workflowRunId!: number;
  @Field(() => Int, { description: 'Its attempt number (1 first).' }) attempt!: number;
  @Field(() => String, { description: 'Its task name.' }) name!: string;
  @Field(() => String, { description: 'The command to run.' }) command!: string;
  @Field(() => String, { description: 'Its template (Slurm arrays group by it).' }) templateName!: string;
  @Field(() => TaskInstanceStatus, { description: 'Its status.' }) status!: TaskInstanceStatus;
  @Field(() => String, { nullable: true, description: 'Its backend job id, once launched.' }) backendJobId!:
    string | null;
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
  @Field(() => Resources, { description: 'The resources it is given.' }) resources!: Resources;
}

@ObjectType({
  description:
    'A fresh credential for an attempt its distributor submits again after a restart (the one issued at ' +
    'its claim cannot be recovered: the server keeps only its hash, and it no longer authenticates).',
})
export class AttemptCredential {
  @Field(() => ID, { description: 'The attempt.' }) taskInstanceId!: number;
  @Field(() => String, {
    description: "The attempt's new bearer credential: for its worker only, never for the command.",
  })
  reportToken!: string;
}

@InputType({ description: "A distributor's report that its backend accepted an attempt." })
export class TaskInstanceLaunchInput {
  @Field(() => ID, { description: 'The attempt.' }) id!: string;
  @Field(() => String, { nullable: true, description: 'Its Slurm job id or pid.' }) backendJobId?:
    string | null;
  @Field(() => String, { nullable: true, description: 'Where its stdout goes.' }) stdoutPath?: string | null;
  @Field(() => String, { nullable: true, description: 'Where its stderr goes.' }) stderrPath?: string | null;
}

@InputType({ description: "A worker's report that an attempt started." })
export class TaskInstanceRunningInput {
  @Field(() => ID, { description: 'The attempt.' }) id!: string;
  @Field(() => String, { nullable: true, description: 'Where it runs.' }) hostname?: string | null;
  @Field(() => String, { nullable: true, description: 'Its Slurm job id or pid.' }) backendJobId?:
    string | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it started.' })
  startedAt?: Date | null;
}

@InputType({ description: 'What an attempt used.' })
export class UsageInput {
  @Field(() => Float, { nullable: true, description: 'Peak resident memory, in MiB.' }) maxRssMb?:
    number | null;
  @Field(() => Float, { nullable: true, description: 'Wall-clock runtime, in seconds.' }) wallSeconds?:
    number | null;
  @Field(() => Float, { nullable: true, description: 'CPU time, in seconds.' }) cpuSeconds?: number | null;
}

@InputType({ description: "A distributor's or worker's report that an attempt ended." })
export class TaskInstanceFinishedInput {
  @Field(() => ID, { description: 'The attempt.' }) id!: string;
  @Field(() => TaskInstanceOutcome, { description: 'How it ended.' }) outcome!: TaskInstanceOutcome;
  @Field(() => Int, { nullable: true, description: "The command's exit code." }) exitCode?: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'For RESOURCE_ERROR: OUT_OF_MEMORY or TIMEOUT (which resource grows before the retry).',
  })
  errorKind?: string | null;
  @Field(() => String, { nullable: true, description: 'What went wrong.' }) errorMessage?: string | null;
  @Field(() => String, { nullable: true, description: 'Where it ran.' }) hostname?: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it started.' })
  startedAt?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it ended.' })
  finishedAt?: Date | null;
  @Field(() => String, { nullable: true, description: 'Where its stdout went.' }) stdoutPath?: string | null;
  @Field(() => String, { nullable: true, description: 'Where its stderr went.' }) stderrPath?: string | null;
  @Field(() => String, { nullable: true, description: 'The last 64 KiB of stdout.' }) stdoutTail?:
    string | null;
  @Field(() => String, { nullable: true, description: 'The last 64 KiB of stderr.' }) stderrTail?:
    string | null;
  @Field(() => UsageInput, { nullable: true, description: 'What it used.' }) usage?: UsageInput | null;
}

@ObjectType({
  description: 'A report that changed nothing (repeated, late, or about an attempt not its own).',
})
export class IgnoredReport {
  @Field(() => ID, { description: 'The attempt reported on.' }) id!: number;
  @Field(() => String, { description: 'Why the report changed nothing.' }) reason!: string;
}

@ObjectType({ description: 'What the server did with a batch of reports.' })
export class ReportResult {
  @Field(() => [ID], { description: 'Attempts whose report was recorded.' }) accepted!: number[];
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

@ObjectType({ description: 'What a distributor learns from its heartbeat.' })
export class DistributorHeartbeat {
  @Field(() => [ID], { description: 'Instances of this distributor to kill (then report KILLED).' })
  killInstanceIds!: number[];
  @Field(() => [ID], { description: 'Instances in TRIAGING: ask the backend and report what happened.' })
  triageInstanceIds!: number[];
}
