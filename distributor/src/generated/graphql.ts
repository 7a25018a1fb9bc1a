/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> =
  T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Why the backend holds a LAUNCHED instance pending (Slurm's squeue reason: Resources, Priority, QOSMaxJobsPerUserLimit, …); shown by Task.blockedBy as BACKEND_PENDING. */
export type BackendPendingInput = {
  /** The instance: one of the heartbeat’s activeInstanceIds. */
  id: string;
  /** The reason; null: no longer pending (or unknown). */
  reason?: string | null | undefined;
};

/** A queue a distributor serves, with its bounds (null: unbounded). */
export type QueueInput = {
  /** Most cores a request may ask. */
  maxCores?: number | null | undefined;
  /** Most memory a request may ask, in MiB. */
  maxMemoryMb?: number | null | undefined;
  /** Longest runtime a request may ask, in seconds. */
  maxRuntimeSeconds?: number | null | undefined;
  /** Fewest cores a request may ask. */
  minCores?: number | null | undefined;
  /** The queue name. */
  name: string;
};

/** A distributor process announcing itself. */
export type RegisterDistributorInput = {
  /** local | sequential | dummy | slurm */
  backend: string;
  /** How many instances it runs at once. */
  capacity?: number | null | undefined;
  /** Where it runs. */
  hostname?: string | null | undefined;
  /** Stable identity: the same name registers the same distributor again. */
  name: string;
  /** Queues it serves, with their bounds. */
  queues?: Array<QueueInput> | null | undefined;
};

/** A distributor's or worker's report that an attempt ended. */
export type TaskInstanceFinishedInput = {
  /** For RESOURCE_ERROR: OUT_OF_MEMORY or TIMEOUT (which resource grows before the retry). */
  errorKind?: string | null | undefined;
  /** What went wrong. */
  errorMessage?: string | null | undefined;
  /** The command's exit code. */
  exitCode?: number | null | undefined;
  /** When it ended. */
  finishedAt?: string | null | undefined;
  /** Where it ran. */
  hostname?: string | null | undefined;
  /** The attempt. */
  id: string;
  /** How it ended. */
  outcome: TaskInstanceOutcome;
  /** When it started. */
  startedAt?: string | null | undefined;
  /** Where its stderr went. */
  stderrPath?: string | null | undefined;
  /** The last 64 KiB of stderr. */
  stderrTail?: string | null | undefined;
  /** Where its stdout went. */
  stdoutPath?: string | null | undefined;
  /** The last 64 KiB of stdout. */
  stdoutTail?: string | null | undefined;
  /** What it used. */
  usage?: UsageInput | null | undefined;
};

/** A distributor's report that its backend accepted an attempt. */
export type TaskInstanceLaunchInput = {
  /** Its Slurm job id or pid. */
  backendJobId?: string | null | undefined;
  /** The attempt. */
  id: string;
  /** Where its stderr goes. */
  stderrPath?: string | null | undefined;
  /** Where its stdout goes. */
  stdoutPath?: string | null | undefined;
};

/** How an attempt ended, as its distributor or worker saw it. */
export const TaskInstanceOutcome = {
  /** The command exited 0. */
  Done: 'DONE',
  /** The command exited non-zero. */
  Error: 'ERROR',
  /** Killed as asked (stop, cold resume, fail fast). */
  Killed: 'KILLED',
  /** The backend refused the submission. */
  NoDistributorId: 'NO_DISTRIBUTOR_ID',
  /** Killed for exceeding its memory or runtime. */
  ResourceError: 'RESOURCE_ERROR',
  /** Lost: the backend cannot say what happened. */
  UnknownError: 'UNKNOWN_ERROR',
} as const;

export type TaskInstanceOutcome = (typeof TaskInstanceOutcome)[keyof typeof TaskInstanceOutcome];
/** A worker's report that an attempt started. */
export type TaskInstanceRunningInput = {
  /** Its Slurm job id or pid. */
  backendJobId?: string | null | undefined;
  /** Where it runs. */
  hostname?: string | null | undefined;
  /** The attempt. */
  id: string;
  /** When it started. */
  startedAt?: string | null | undefined;
};

/** Status of one attempt of a task. */
export const TaskInstanceStatus = {
  /** The command exited 0. */
  Done: 'DONE',
  /** The command exited non-zero. */
  Error: 'ERROR',
  /** Ended by the server (given up, or its task failed for good meanwhile). */
  ErrorFatal: 'ERROR_FATAL',
  /** Claimed by a distributor, about to be submitted to its backend. */
  Instantiated: 'INSTANTIATED',
  /** Asked to stop (workflow stopped or resumed cold, fail fast). */
  KillSelf: 'KILL_SELF',
  /** The backend accepted it (job id known). */
  Launched: 'LAUNCHED',
  /** The backend refused the submission. */
  NoDistributorId: 'NO_DISTRIBUTOR_ID',
  /** Created, not yet handed to a backend. */
  Queued: 'QUEUED',
  /** Killed for exceeding its memory or runtime. */
  ResourceError: 'RESOURCE_ERROR',
  /** The worker reported it running. */
  Running: 'RUNNING',
  /** Its heartbeat is overdue: the distributor is asking the backend what happened. */
  Triaging: 'TRIAGING',
  /** Its heartbeat stopped and the backend could not say what happened. */
  UnknownError: 'UNKNOWN_ERROR',
} as const;

export type TaskInstanceStatus = (typeof TaskInstanceStatus)[keyof typeof TaskInstanceStatus];
/** What an attempt used. */
export type UsageInput = {
  /** CPU time, in seconds. */
  cpuSeconds?: number | null | undefined;
  /** Peak resident memory, in MiB. */
  maxRssMb?: number | null | undefined;
  /** Wall-clock runtime, in seconds. */
  wallSeconds?: number | null | undefined;
};

/** Why distributors were woken (several coalesced wake-ups report the last one). */
export const WorkQueuedReason = {
  /** Attempts were asked to die (stop, cold resume, fail fast): heartbeat now to hear it. */
  KillRequested: 'KILL_REQUESTED',
  /** A workflow run was bound: its first tasks are ready. */
  RunBound: 'RUN_BOUND',
  /** The server said so (e.g. a concurrency limit was raised). */
  Signalled: 'SIGNALLED',
  /** Tasks became QUEUED. */
  TasksQueued: 'TASKS_QUEUED',
} as const;

export type WorkQueuedReason = (typeof WorkQueuedReason)[keyof typeof WorkQueuedReason];
export type ClaimedInstanceFragment = {
  id: string;
  taskId: string;
  workflowId: string;
  workflowRunId: string;
  attempt: number;
  name: string;
  command: string;
  templateName: string;
  status: TaskInstanceStatus;
  backendJobId: string | null;
  nonce: string;
  reportToken: string | null;
  concurrencyLimit: number | null;
  resources: {
    memoryMb: number | null;
    cores: number | null;
    runtimeSeconds: number | null;
    queue: string | null;
    extra: Record<string, unknown> | null;
  };
};

export type ReportOutcomeFragment = {
  accepted: Array<string>;
  killInstanceIds: Array<string>;
  ignored: Array<{ id: string; reason: string }>;
};

export type RegisterDistributorMutationVariables = Exact<{
  input: RegisterDistributorInput;
}>;

export type RegisterDistributorMutation = {
  registerDistributor: {
    id: string;
    name: string;
    deploymentId: string;
    owner: string | null;
    servesAllUsers: boolean;
  };
};

export type DistributorTaskInstancesQueryVariables = Exact<{
  distributorId: string;
}>;

export type DistributorTaskInstancesQuery = {
  distributorTaskInstances: Array<{
    id: string;
    taskId: string;
    workflowId: string;
    workflowRunId: string;
    attempt: number;
    name: string;
    command: string;
    templateName: string;
    status: TaskInstanceStatus;
    backendJobId: string | null;
    nonce: string;
    reportToken: string | null;
    concurrencyLimit: number | null;
    resources: {
      memoryMb: number | null;
      cores: number | null;
      runtimeSeconds: number | null;
      queue: string | null;
      extra: Record<string, unknown> | null;
    };
  }>;
};

export type HeartbeatDistributorMutationVariables = Exact<{
  distributorId: string;
  activeInstanceIds: Array<string> | string;
  pending?: Array<BackendPendingInput> | BackendPendingInput | null | undefined;
}>;

export type HeartbeatDistributorMutation = {
  heartbeatDistributor: { killInstanceIds: Array<string>; triageInstanceIds: Array<string> };
};

export type ReportMutationVariables = Exact<{
  distributorId: string;
  launches: Array<TaskInstanceLaunchInput> | TaskInstanceLaunchInput;
  running: Array<TaskInstanceRunningInput> | TaskInstanceRunningInput;
  finished: Array<TaskInstanceFinishedInput> | TaskInstanceFinishedInput;
  claimLimit: number;
  withLaunches: boolean;
  withRunning: boolean;
  withFinished: boolean;
  withClaim: boolean;
}>;

export type ReportMutation = {
  launched?: {
    accepted: Array<string>;
    killInstanceIds: Array<string>;
    ignored: Array<{ id: string; reason: string }>;
  };
  running?: {
    accepted: Array<string>;
    killInstanceIds: Array<string>;
    ignored: Array<{ id: string; reason: string }>;
  };
  finished?: {
    accepted: Array<string>;
    killInstanceIds: Array<string>;
    claimed: Array<{
      id: string;
      taskId: string;
      workflowId: string;
      workflowRunId: string;
      attempt: number;
      name: string;
      command: string;
      templateName: string;
      status: TaskInstanceStatus;
      backendJobId: string | null;
      nonce: string;
      reportToken: string | null;
      concurrencyLimit: number | null;
      resources: {
        memoryMb: number | null;
        cores: number | null;
        runtimeSeconds: number | null;
        queue: string | null;
        extra: Record<string, unknown> | null;
      };
    }>;
    ignored: Array<{ id: string; reason: string }>;
  };
  claimed?: Array<{
    id: string;
    taskId: string;
    workflowId: string;
    workflowRunId: string;
    attempt: number;
    name: string;
    command: string;
    templateName: string;
    status: TaskInstanceStatus;
    backendJobId: string | null;
    nonce: string;
    reportToken: string | null;
    concurrencyLimit: number | null;
    resources: {
      memoryMb: number | null;
      cores: number | null;
      runtimeSeconds: number | null;
      queue: string | null;
      extra: Record<string, unknown> | null;
    };
  }>;
};

export type WorkQueuedSubscriptionVariables = Exact<{
  distributorId: string;
}>;

export type WorkQueuedSubscription = { workQueued: { at: string; reason: WorkQueuedReason } };

export type ReissueAttemptCredentialsMutationVariables = Exact<{
  distributorId: string;
  taskInstanceIds: Array<string> | string;
}>;

export type ReissueAttemptCredentialsMutation = {
  reissueAttemptCredentials: Array<{ taskInstanceId: string; reportToken: string }>;
};

export type WorkerRunningMutationVariables = Exact<{
  reports: Array<TaskInstanceRunningInput> | TaskInstanceRunningInput;
}>;

export type WorkerRunningMutation = {
  reportTaskInstancesRunning: {
    accepted: Array<string>;
    killInstanceIds: Array<string>;
    ignored: Array<{ id: string; reason: string }>;
  };
};

export type WorkerFinishedMutationVariables = Exact<{
  reports: Array<TaskInstanceFinishedInput> | TaskInstanceFinishedInput;
}>;

export type WorkerFinishedMutation = {
  reportTaskInstancesFinished: {
    accepted: Array<string>;
    killInstanceIds: Array<string>;
    ignored: Array<{ id: string; reason: string }>;
  };
};

export type HeartbeatTaskInstancesMutationVariables = Exact<{
  ids: Array<string> | string;
}>;

export type HeartbeatTaskInstancesMutation = { heartbeatTaskInstances: Array<string> };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ClaimedInstanceFragmentDoc = new TypedDocumentString(
  `
    fragment ClaimedInstance on ClaimedTaskInstance {
  id
  taskId
  workflowId
  workflowRunId
  attempt
  name
  command
  templateName
  status
  backendJobId
  nonce
  reportToken
  concurrencyLimit
  resources {
    memoryMb
    cores
    runtimeSeconds
    queue
    extra
  }
}
    `,
  { fragmentName: 'ClaimedInstance' },
) as unknown as TypedDocumentString<ClaimedInstanceFragment, unknown>;
export const ReportOutcomeFragmentDoc = new TypedDocumentString(
  `
    fragment ReportOutcome on ReportResult {
  accepted
  ignored {
    id
    reason
  }
  killInstanceIds
}
    `,
  { fragmentName: 'ReportOutcome' },
) as unknown as TypedDocumentString<ReportOutcomeFragment, unknown>;
export const RegisterDistributorDocument = new TypedDocumentString(`
    mutation RegisterDistributor($input: RegisterDistributorInput!) {
  registerDistributor(input: $input) {
    id
    name
    deploymentId
    owner
    servesAllUsers
  }
}
    `) as unknown as TypedDocumentString<RegisterDistributorMutation, RegisterDistributorMutationVariables>;
export const DistributorTaskInstancesDocument = new TypedDocumentString(`
    query DistributorTaskInstances($distributorId: ID!) {
  distributorTaskInstances(distributorId: $distributorId) {
    ...ClaimedInstance
  }
}
    fragment ClaimedInstance on ClaimedTaskInstance {
  id
  taskId
  workflowId
  workflowRunId
  attempt
  name
  command
  templateName
  status
  backendJobId
  nonce
  reportToken
  concurrencyLimit
  resources {
    memoryMb
    cores
    runtimeSeconds
    queue
    extra
  }
}`) as unknown as TypedDocumentString<DistributorTaskInstancesQuery, DistributorTaskInstancesQueryVariables>;
export const HeartbeatDistributorDocument = new TypedDocumentString(`
    mutation HeartbeatDistributor($distributorId: ID!, $activeInstanceIds: [ID!]!, $pending: [BackendPendingInput!]) {
  heartbeatDistributor(
    distributorId: $distributorId
    activeInstanceIds: $activeInstanceIds
    pending: $pending
  ) {
    killInstanceIds
    triageInstanceIds
  }
}
    `) as unknown as TypedDocumentString<HeartbeatDistributorMutation, HeartbeatDistributorMutationVariables>;
export const ReportDocument = new TypedDocumentString(`
    mutation Report($distributorId: ID!, $launches: [TaskInstanceLaunchInput!]!, $running: [TaskInstanceRunningInput!]!, $finished: [TaskInstanceFinishedInput!]!, $claimLimit: Int!, $withLaunches: Boolean!, $withRunning: Boolean!, $withFinished: Boolean!, $withClaim: Boolean!) {
  launched: reportTaskInstancesLaunched(
    distributorId: $distributorId
    launches: $launches
  ) @include(if: $withLaunches) {
    ...ReportOutcome
  }
  running: reportTaskInstancesRunning(reports: $running) @include(if: $withRunning) {
    ...ReportOutcome
  }
  finished: reportTaskInstancesFinished(
    reports: $finished
    distributorId: $distributorId
    claimLimit: $claimLimit
  ) @include(if: $withFinished) {
    ...ReportOutcome
    claimed {
      ...ClaimedInstance
    }
  }
  claimed: claimTaskInstances(distributorId: $distributorId, limit: $claimLimit) @include(if: $withClaim) {
    ...ClaimedInstance
  }
}
    fragment ClaimedInstance on ClaimedTaskInstance {
  id
  taskId
  workflowId
  workflowRunId
  attempt
  name
  command
  templateName
  status
  backendJobId
  nonce
  reportToken
  concurrencyLimit
  resources {
    memoryMb
    cores
    runtimeSeconds
    queue
    extra
  }
}
fragment ReportOutcome on ReportResult {
  accepted
  ignored {
    id
    reason
  }
  killInstanceIds
}`) as unknown as TypedDocumentString<ReportMutation, ReportMutationVariables>;
export const WorkQueuedDocument = new TypedDocumentString(`
    subscription WorkQueued($distributorId: ID!) {
  workQueued(distributorId: $distributorId) {
    at
    reason
  }
}
    `) as unknown as TypedDocumentString<WorkQueuedSubscription, WorkQueuedSubscriptionVariables>;
export const ReissueAttemptCredentialsDocument = new TypedDocumentString(`
    mutation ReissueAttemptCredentials($distributorId: ID!, $taskInstanceIds: [ID!]!) {
  reissueAttemptCredentials(
    distributorId: $distributorId
    taskInstanceIds: $taskInstanceIds
  ) {
    taskInstanceId
    reportToken
  }
}
    `) as unknown as TypedDocumentString<
  ReissueAttemptCredentialsMutation,
  ReissueAttemptCredentialsMutationVariables
>;
export const WorkerRunningDocument = new TypedDocumentString(`
    mutation WorkerRunning($reports: [TaskInstanceRunningInput!]!) {
  reportTaskInstancesRunning(reports: $reports) {
    ...ReportOutcome
  }
}
    fragment ReportOutcome on ReportResult {
  accepted
  ignored {
    id
    reason
  }
  killInstanceIds
}`) as unknown as TypedDocumentString<WorkerRunningMutation, WorkerRunningMutationVariables>;
export const WorkerFinishedDocument = new TypedDocumentString(`
    mutation WorkerFinished($reports: [TaskInstanceFinishedInput!]!) {
  reportTaskInstancesFinished(reports: $reports) {
    ...ReportOutcome
  }
}
    fragment ReportOutcome on ReportResult {
  accepted
  ignored {
    id
    reason
  }
  killInstanceIds
}`) as unknown as TypedDocumentString<WorkerFinishedMutation, WorkerFinishedMutationVariables>;
export const HeartbeatTaskInstancesDocument = new TypedDocumentString(`
    mutation HeartbeatTaskInstances($ids: [ID!]!) {
  heartbeatTaskInstances(ids: $ids)
}
    `) as unknown as TypedDocumentString<
  HeartbeatTaskInstancesMutation,
  HeartbeatTaskInstancesMutationVariables
>;
