/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> =
  T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What holds a task back (Task.blockedBy). */
export const BlockKind = {
  /** LAUNCHED: the backend holds the job; the message carries the backend's own reason (Slurm's pending reason, e.g. Resources, Priority, QOSMaxJobsPerUserLimit). */
  BackendPending: 'BACKEND_PENDING',
  /** QUEUED: no registered distributor runs its owner's work in its queue. */
  NoDistributorForQueue: 'NO_DISTRIBUTOR_FOR_QUEUE',
  /** QUEUED: its template's limit within the workflow is reached. */
  TemplateLimit: 'TEMPLATE_LIMIT',
  /** REGISTERING: some of its upstream tasks are not DONE yet. */
  UpstreamNotDone: 'UPSTREAM_NOT_DONE',
  /** QUEUED: the workflow's maxConcurrentlyRunning is reached (0 pauses it). */
  WorkflowLimit: 'WORKFLOW_LIMIT',
  /** The workflow's newest run does not schedule tasks (stopped, failed, being resumed) or there is none. */
  WorkflowNotRunning: 'WORKFLOW_NOT_RUNNING',
} as const;

export type BlockKind = (typeof BlockKind)[keyof typeof BlockKind];
/** How much to raise memory/runtime after a resource failure (default 0.5 = +50%). */
export type ResourceScalesInput = {
  /** How much memory grows after each memory failure (0.5: +50%, the default). */
  memory?: number | null | undefined;
  /** Jobmon's list of scales: the factor of the first resource failure, of the second, … (the last one repeats once used up); wins over memory. At most 100. */
  memoryFactors?: Array<number> | null | undefined;
  /** How much runtime grows after each runtime failure (0.5: +50%, the default). */
  runtime?: number | null | undefined;
  /** As memoryFactors, for runtime. */
  runtimeFactors?: Array<number> | null | undefined;
};

/** Compute resources; memory in MiB, runtime in seconds. */
export type ResourcesInput = {
  /** CPU cores. */
  cores?: number | null | undefined;
  /** Backend-specific flags (e.g. account, constraints). */
  extra?: unknown;
  /** Memory in MiB. */
  memoryMb?: number | null | undefined;
  /** The queue (Slurm partition) to run in. */
  queue?: string | null | undefined;
  /** Wall-clock runtime limit, in seconds. */
  runtimeSeconds?: number | null | undefined;
};

/** COLD kills what still runs and reruns every task not DONE; HOT lets running attempts finish. */
export const ResumeMode = {
  /** Kill running attempts, then rerun every task not DONE. */
  Cold: 'COLD',
  /** Let running attempts finish; rerun the tasks not DONE and not running. */
  Hot: 'HOT',
} as const;

export type ResumeMode = (typeof ResumeMode)[keyof typeof ResumeMode];
/** What a token may do: USER submits and controls its own workflows, DISTRIBUTOR runs work, ADMIN all. */
export const Role = {
  /** Everything, for everyone. */
  Admin: 'ADMIN',
  /** Claims and runs work, and reports on it. */
  Distributor: 'DISTRIBUTOR',
  /** Submits, reads, and controls their own workflows. */
  User: 'USER',
} as const;

export type Role = (typeof Role)[keyof typeof Role];
/** Which tasks to list. */
export type TaskFilter = {
  /** Attributes `{ key: value }`: only tasks whose attributes hold every pair (values compared as text; at most 10 keys). */
  attributes?: Record<string, unknown> | null | undefined;
  /** true: only tasks on a retry (not finished, and an earlier attempt failed: the tasks StatusCounts.retrying counts, in whatever status); false: only the others. */
  retrying?: boolean | null | undefined;
  /** Substring of the name. */
  search?: string | null | undefined;
  /** Only tasks in these statuses. */
  status?: Array<TaskStatus> | null | undefined;
  /** Template name. */
  template?: string | null | undefined;
};

/** A task of a submission. */
export type TaskInput = {
  /** Its argument values, by template argument name. */
  args: unknown;
  /** Free key/value attributes. */
  attributes?: Record<string, unknown> | null | undefined;
  /** Queues to move to, in order, when a raised request no longer fits. */
  fallbackQueues?: Array<string> | null | undefined;
  /** Unique in the submission: how upstream lists name this task. */
  key: string;
  /** Attempts it may have (default: the workflow's). */
  maxAttempts?: number | null | undefined;
  /** A human name (default: the key). */
  name?: string | null | undefined;
  /** How much to raise resources after a resource failure (default +50%). */
  resourceScales?: ResourceScalesInput | null | undefined;
  /** Its resources (over the template and workflow defaults). */
  resources?: ResourcesInput | null | undefined;
  /** The name of its template in taskTemplates. */
  template: string;
  /** Keys of the tasks it depends on. */
  upstream?: Array<string> | null | undefined;
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
/** Status of a task (a node of the DAG). */
export const TaskStatus = {
  /** The attempt hit a resource limit: resources are being raised (or the queue changed) before a retry. */
  AdjustingResources: 'ADJUSTING_RESOURCES',
  /** Finished successfully. */
  Done: 'DONE',
  /** Failed for good: no attempt left, stopped, or set so by a person. */
  ErrorFatal: 'ERROR_FATAL',
  /** The attempt failed; it goes back to QUEUED while attempts remain. */
  ErrorRecoverable: 'ERROR_RECOVERABLE',
  /** Claimed by a distributor: an attempt (TaskInstance) was created. */
  Instantiating: 'INSTANTIATING',
  /** The backend accepted the attempt (a Slurm job, a local process). */
  Launched: 'LAUNCHED',
  /** Every upstream task is DONE: waiting for a distributor to claim it (within the limits). */
  Queued: 'QUEUED',
  /** Bound, waiting for its upstream tasks to be DONE. */
  Registering: 'REGISTERING',
  /** Its attempt is running on the execution host. */
  Running: 'RUNNING',
} as const;

export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];
/** A task template of a submission: a command with {arg} placeholders. */
export type TaskTemplateInput = {
  /** e.g. "python fit.py --loc {location} --year {year}" */
  commandTemplate: string;
  /** Default resources of its tasks. */
  defaultResources?: ResourcesInput | null | undefined;
  /** At most this many of its tasks run at once in the workflow. */
  maxConcurrentlyRunning?: number | null | undefined;
  /** The template name (unique in the tool). */
  name: string;
  /** Arguments that identify a node of the DAG. */
  nodeArgs?: Array<string> | null | undefined;
  /** Arguments about how it runs (e.g. the interpreter). */
  opArgs?: Array<string> | null | undefined;
  /** Arguments that vary by run but not node identity. */
  taskArgs?: Array<string> | null | undefined;
};

/** A WorkflowSubmission without its tasks, for beginWorkflowBinding: the tasks follow in chunks (addWorkflowTasks). */
export type WorkflowBindingInput = {
  /** Free key/value attributes. */
  attributes?: Record<string, unknown> | null | undefined;
  /** Default resources of every task. */
  defaultResources?: ResourcesInput | null | undefined;
  /** What the workflow does. */
  description?: string | null | undefined;
  /** Stop the run at the first task that fails for good. */
  failFast?: boolean | null | undefined;
  /** Default attempts per task (3 unless given). */
  maxAttempts?: number | null | undefined;
  /** At most this many tasks run at once (0 pauses it). */
  maxConcurrentlyRunning?: number | null | undefined;
  /** A human name. */
  name?: string | null | undefined;
  /** The templates its tasks use. */
  taskTemplates: Array<TaskTemplateInput>;
  /** The tool (created on first use). */
  tool: string;
  /** With the tool and the task set, what identifies the workflow. */
  workflowArgs: string;
};

/** Which workflows to list. */
export type WorkflowFilter = {
  /** Attributes `{ key: value }`: only workflows whose attributes hold every pair (values compared as text; at most 10 keys). */
  attributes?: Record<string, unknown> | null | undefined;
  /** Substring of the name or workflowArgs. */
  search?: string | null | undefined;
  /** Only workflows in these statuses. */
  status?: Array<WorkflowStatus> | null | undefined;
  /** Tool name. */
  tool?: string | null | undefined;
  /** Who created the workflow. */
  user?: string | null | undefined;
};

/** Status of one run of a workflow. */
export const WorkflowRunStatus = {
  /** Its DAG is bound: ready to run. */
  Bound: 'BOUND',
  /** Being replaced by a cold resume (running attempts are killed). */
  ColdResume: 'COLD_RESUME',
  /** Every task is DONE. */
  Done: 'DONE',
  /** No task can make progress and some failed for good. */
  Error: 'ERROR',
  /** Being replaced by a hot resume (running attempts may finish). */
  HotResume: 'HOT_RESUME',
  /** Created, its tasks not yet bound. */
  Registered: 'REGISTERED',
  /** Tasks are being scheduled and run. */
  Running: 'RUNNING',
  /** Stopped by a person. */
  Stopped: 'STOPPED',
  /** Replaced by a newer run after a resume. */
  Terminated: 'TERMINATED',
} as const;

export type WorkflowRunStatus = (typeof WorkflowRunStatus)[keyof typeof WorkflowRunStatus];
/** A workflow's status, derived from its newest run. */
export const WorkflowStatus = {
  /** Every task is DONE. */
  Done: 'DONE',
  /** Its newest run ended with tasks failed for good. */
  Failed: 'FAILED',
  /** Stopped, or resumed away (a newer run replaces this one). */
  Halted: 'HALTED',
  /** Bound, no task started yet. */
  Queued: 'QUEUED',
  /** Being bound (its newest run is not running yet). */
  Registering: 'REGISTERING',
  /** Its newest run is running. */
  Running: 'RUNNING',
} as const;

export type WorkflowStatus = (typeof WorkflowStatus)[keyof typeof WorkflowStatus];
/** A whole workflow: its settings, templates and every task. */
export type WorkflowSubmission = {
  /** Free key/value attributes. */
  attributes?: Record<string, unknown> | null | undefined;
  /** Default resources of every task. */
  defaultResources?: ResourcesInput | null | undefined;
  /** What the workflow does. */
  description?: string | null | undefined;
  /** Stop the run at the first task that fails for good. */
  failFast?: boolean | null | undefined;
  /** Default attempts per task (3 unless given). */
  maxAttempts?: number | null | undefined;
  /** At most this many tasks run at once (0 pauses it). */
  maxConcurrentlyRunning?: number | null | undefined;
  /** A human name. */
  name?: string | null | undefined;
  /** The templates its tasks use. */
  taskTemplates: Array<TaskTemplateInput>;
  /** Every task of the DAG. */
  tasks: Array<TaskInput>;
  /** The tool (created on first use). */
  tool: string;
  /** Who submits, as the client knows it (Jobmon's clients send their operating-system user): recorded as the workflow's creator and its run's user in open mode (no token). With tokens the token's user is recorded and this is ignored. It is no part of the workflow's identity. */
  user?: string | null | undefined;
  /** With the tool and the task set, what identifies the workflow. */
  workflowArgs: string;
};

export type CliResourcesFragment = {
  memoryMb: number | null;
  cores: number | null;
  runtimeSeconds: number | null;
  queue: string | null;
  extra: Record<string, unknown> | null;
};

export type CliWorkflowSummaryFragment = {
  id: string;
  name: string | null;
  workflowArgs: string;
  status: WorkflowStatus;
  createdAt: string;
  taskCount: number;
  tool: { name: string };
  statusCounts: {
    total: number;
    REGISTERING: number;
    QUEUED: number;
    INSTANTIATING: number;
    LAUNCHED: number;
    RUNNING: number;
    DONE: number;
    ERROR_RECOVERABLE: number;
    ADJUSTING_RESOURCES: number;
    ERROR_FATAL: number;
    retrying: number;
    byStatus: Array<{ status: TaskStatus; retrying: number }>;
  };
};

export type CliWorkflowsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: WorkflowFilter | null | undefined;
}>;

export type CliWorkflowsQuery = {
  workflows: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{
      id: string;
      name: string | null;
      workflowArgs: string;
      status: WorkflowStatus;
      createdAt: string;
      taskCount: number;
      tool: { name: string };
      statusCounts: {
        total: number;
        REGISTERING: number;
        QUEUED: number;
        INSTANTIATING: number;
        LAUNCHED: number;
        RUNNING: number;
        DONE: number;
        ERROR_RECOVERABLE: number;
        ADJUSTING_RESOURCES: number;
        ERROR_FATAL: number;
        retrying: number;
        byStatus: Array<{ status: TaskStatus; retrying: number }>;
      };
    }>;
  };
};

export type CliWorkflowQueryVariables = Exact<{
  id: string;
}>;

export type CliWorkflowQuery = {
  workflow: {
    description: string | null;
    maxConcurrentlyRunning: number;
    maxAttempts: number;
    failFast: boolean;
    id: string;
    name: string | null;
    workflowArgs: string;
    status: WorkflowStatus;
    createdAt: string;
    taskCount: number;
    latestRun: {
      id: string;
      status: WorkflowRunStatus;
      statusReason: string | null;
      user: string | null;
      createdAt: string;
    } | null;
    taskTemplates: Array<{
      name: string;
      maxConcurrentlyRunning: number | null;
      statusCounts: {
        total: number;
        REGISTERING: number;
        QUEUED: number;
        INSTANTIATING: number;
        LAUNCHED: number;
        RUNNING: number;
        DONE: number;
        ERROR_RECOVERABLE: number;
        ADJUSTING_RESOURCES: number;
        ERROR_FATAL: number;
        retrying: number;
        byStatus: Array<{ status: TaskStatus; retrying: number }>;
      };
      usage: {
        doneAttempts: number;
        maxRssMb: { min: number | null; mean: number | null; max: number | null };
        runtimeSeconds: { min: number | null; mean: number | null; max: number | null };
      };
    }>;
    tool: { name: string };
    statusCounts: {
      total: number;
      REGISTERING: number;
      QUEUED: number;
      INSTANTIATING: number;
      LAUNCHED: number;
      RUNNING: number;
      DONE: number;
      ERROR_RECOVERABLE: number;
      ADJUSTING_RESOURCES: number;
      ERROR_FATAL: number;
      retrying: number;
      byStatus: Array<{ status: TaskStatus; retrying: number }>;
    };
  } | null;
};

export type CliWorkflowTasksQueryVariables = Exact<{
  id: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: TaskFilter | null | undefined;
}>;

export type CliWorkflowTasksQuery = {
  workflow: {
    id: string;
    tasks: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Array<{
        id: string;
        key: string;
        name: string;
        status: TaskStatus;
        numAttempts: number;
        maxAttempts: number;
        template: { name: string };
      }>;
    };
  } | null;
};

export type CliTaskQueryVariables = Exact<{
  id: string;
}>;

export type CliTaskQuery = {
  task: {
    id: string;
    key: string;
    name: string;
    command: string;
    status: TaskStatus;
    statusUpdatedAt: string;
    maxAttempts: number;
    numAttempts: number;
    args: Record<string, unknown>;
    fallbackQueues: Array<string>;
    template: { name: string };
    workflow: { id: string; name: string | null; status: WorkflowStatus };
    resources: {
      memoryMb: number | null;
      cores: number | null;
      runtimeSeconds: number | null;
      queue: string | null;
      extra: Record<string, unknown> | null;
    };
    upstream: Array<{ id: string; key: string; status: TaskStatus }>;
    downstream: Array<{ id: string; key: string; status: TaskStatus }>;
    instances: Array<{
      id: string;
      attempt: number;
      status: TaskInstanceStatus;
      distributorId: string | null;
      backendJobId: string | null;
      hostname: string | null;
      submittedAt: string | null;
      startedAt: string | null;
      finishedAt: string | null;
      exitCode: number | null;
      errorKind: string | null;
      errorMessage: string | null;
      stdoutPath: string | null;
      stderrPath: string | null;
      resources: {
        memoryMb: number | null;
        cores: number | null;
        runtimeSeconds: number | null;
        queue: string | null;
        extra: Record<string, unknown> | null;
      };
      usage: { maxRssMb: number | null; wallSeconds: number | null; cpuSeconds: number | null };
    }>;
  } | null;
};

export type CliTaskInstanceLogsQueryVariables = Exact<{
  id: string;
}>;

export type CliTaskInstanceLogsQuery = {
  taskInstance: {
    id: string;
    attempt: number;
    status: TaskInstanceStatus;
    hostname: string | null;
    stdoutPath: string | null;
    stderrPath: string | null;
    stdoutTail: string | null;
    stderrTail: string | null;
    task: { id: string; name: string };
  } | null;
};

export type CliSetConcurrencyMutationVariables = Exact<{
  workflowId: string;
  limit?: number | null | undefined;
  templateName?: string | null | undefined;
}>;

export type CliSetConcurrencyMutation = {
  setMaxConcurrentlyRunning: {
    id: string;
    maxConcurrentlyRunning: number;
    taskTemplates: Array<{ name: string; maxConcurrentlyRunning: number | null }>;
  };
};

export type CliSetTaskStatusMutationVariables = Exact<{
  taskIds: Array<string> | string;
  status: TaskStatus;
  recursive: boolean;
}>;

export type CliSetTaskStatusMutation = {
  setTaskStatus: Array<{ id: string; key: string; status: TaskStatus; workflow: { id: string } }>;
};

export type CliApiTokenFragment = {
  id: string;
  user: string;
  role: Role;
  name: string | null;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export type CliCreateApiTokenMutationVariables = Exact<{
  user?: string | null | undefined;
  role: Role;
  name?: string | null | undefined;
  expiresInDays?: number | null | undefined;
}>;

export type CliCreateApiTokenMutation = {
  createApiToken: {
    token: string;
    apiToken: {
      id: string;
      user: string;
      role: Role;
      name: string | null;
      prefix: string;
      createdAt: string;
      expiresAt: string | null;
      lastUsedAt: string | null;
      revokedAt: string | null;
    };
  };
};

export type CliApiTokensQueryVariables = Exact<{
  user?: string | null | undefined;
  includeRevoked: boolean;
}>;

export type CliApiTokensQuery = {
  apiTokens: Array<{
    id: string;
    user: string;
    role: Role;
    name: string | null;
    prefix: string;
    createdAt: string;
    expiresAt: string | null;
    lastUsedAt: string | null;
    revokedAt: string | null;
  }>;
};

export type CliRevokeApiTokenMutationVariables = Exact<{
  id: string;
}>;

export type CliRevokeApiTokenMutation = {
  revokeApiToken: {
    id: string;
    user: string;
    role: Role;
    name: string | null;
    prefix: string;
    createdAt: string;
    expiresAt: string | null;
    lastUsedAt: string | null;
    revokedAt: string | null;
  };
};

export type CliViewerQueryVariables = Exact<{ [key: string]: never }>;

export type CliViewerQuery = { viewer: { authRequired: boolean; user: string | null; role: Role | null } };

export type CliUpdateTaskResourcesMutationVariables = Exact<{
  taskIds: Array<string> | string;
  resources: ResourcesInput;
  resourceScales?: ResourceScalesInput | null | undefined;
}>;

export type CliUpdateTaskResourcesMutation = {
  updateTaskResources: Array<{
    id: string;
    key: string;
    status: TaskStatus;
    resources: {
      memoryMb: number | null;
      cores: number | null;
      runtimeSeconds: number | null;
      queue: string | null;
      extra: Record<string, unknown> | null;
    };
  }>;
};

export type CliSetUserDisabledMutationVariables = Exact<{
  user: string;
  disabled: boolean;
}>;

export type CliSetUserDisabledMutation = { setUserDisabled: { name: string; disabledAt: string | null } };

export type CliSetDistributorServesAllUsersMutationVariables = Exact<{
  distributorId: string;
  servesAllUsers: boolean;
}>;

export type CliSetDistributorServesAllUsersMutation = {
  setDistributorServesAllUsers: { id: string; name: string; owner: string | null; servesAllUsers: boolean };
};

export type CliErrorsQueryVariables = Exact<{
  id: string;
  templateName?: string | null | undefined;
  first?: number | null | undefined;
}>;

export type CliErrorsQuery = {
  workflow: {
    id: string;
    name: string | null;
    errorClusters: Array<{
      representative: string;
      attempts: number;
      tasks: number;
      templateNames: Array<string>;
      sampleTaskIds: Array<string>;
      firstAt: string;
      lastAt: string;
    }>;
  } | null;
};

export type CliWhyQueryVariables = Exact<{
  id: string;
}>;

export type CliWhyQuery = {
  task: {
    id: string;
    name: string;
    status: TaskStatus;
    blockedBy: Array<{ kind: BlockKind; message: string }>;
  } | null;
};

export type CliReportsByNameQueryVariables = Exact<{
  name: string;
  owner?: string | null | undefined;
}>;

export type CliReportsByNameQuery = {
  viewer: { user: string | null };
  reports: {
    nodes: Array<{
      id: string;
      name: string;
      owner: string | null;
      example: boolean;
      query: string;
      variables: Record<string, unknown> | null;
    }>;
  };
};

export type CliWorkflowLogsQueryVariables = Exact<{
  id: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;

export type CliWorkflowLogsQuery = {
  workflow: {
    id: string;
    tasks: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Array<{
        id: string;
        name: string;
        instances: Array<{
          id: string;
          attempt: number;
          status: TaskInstanceStatus;
          hostname: string | null;
          stdoutPath: string | null;
          stderrPath: string | null;
          stdoutTail: string | null;
          stderrTail: string | null;
        }>;
      }>;
    };
  } | null;
};

export type SdkStatusCountsFragment = {
  total: number;
  REGISTERING: number;
  QUEUED: number;
  INSTANTIATING: number;
  LAUNCHED: number;
  RUNNING: number;
  DONE: number;
  ERROR_RECOVERABLE: number;
  ADJUSTING_RESOURCES: number;
  ERROR_FATAL: number;
  retrying: number;
  byStatus: Array<{ status: TaskStatus; retrying: number }>;
};

export type SdkWorkflowStateFragment = {
  id: string;
  status: WorkflowStatus;
  statusCounts: {
    total: number;
    REGISTERING: number;
    QUEUED: number;
    INSTANTIATING: number;
    LAUNCHED: number;
    RUNNING: number;
    DONE: number;
    ERROR_RECOVERABLE: number;
    ADJUSTING_RESOURCES: number;
    ERROR_FATAL: number;
    retrying: number;
    byStatus: Array<{ status: TaskStatus; retrying: number }>;
  };
};

export type SubmitWorkflowMutationVariables = Exact<{
  input: WorkflowSubmission;
}>;

export type SubmitWorkflowMutation = {
  submitWorkflow: {
    created: boolean;
    workflow: {
      id: string;
      status: WorkflowStatus;
      statusCounts: {
        total: number;
        REGISTERING: number;
        QUEUED: number;
        INSTANTIATING: number;
        LAUNCHED: number;
        RUNNING: number;
        DONE: number;
        ERROR_RECOVERABLE: number;
        ADJUSTING_RESOURCES: number;
        ERROR_FATAL: number;
        retrying: number;
        byStatus: Array<{ status: TaskStatus; retrying: number }>;
      };
    };
    workflowRun: { id: string; status: WorkflowRunStatus };
  };
};

export type ResumeWorkflowMutationVariables = Exact<{
  id: string;
  mode: ResumeMode;
}>;

export type ResumeWorkflowMutation = {
  resumeWorkflow: {
    id: string;
    status: WorkflowStatus;
    latestRun: { id: string; status: WorkflowRunStatus } | null;
    statusCounts: {
      total: number;
      REGISTERING: number;
      QUEUED: number;
      INSTANTIATING: number;
      LAUNCHED: number;
      RUNNING: number;
      DONE: number;
      ERROR_RECOVERABLE: number;
      ADJUSTING_RESOURCES: number;
      ERROR_FATAL: number;
      retrying: number;
      byStatus: Array<{ status: TaskStatus; retrying: number }>;
    };
  };
};

export type StopWorkflowMutationVariables = Exact<{
  id: string;
  reason?: string | null | undefined;
}>;

export type StopWorkflowMutation = {
  stopWorkflow: {
    id: string;
    status: WorkflowStatus;
    statusCounts: {
      total: number;
      REGISTERING: number;
      QUEUED: number;
      INSTANTIATING: number;
      LAUNCHED: number;
      RUNNING: number;
      DONE: number;
      ERROR_RECOVERABLE: number;
      ADJUSTING_RESOURCES: number;
      ERROR_FATAL: number;
      retrying: number;
      byStatus: Array<{ status: TaskStatus; retrying: number }>;
    };
  };
};

export type WorkflowStateQueryVariables = Exact<{
  id: string;
}>;

export type WorkflowStateQuery = {
  workflow: {
    id: string;
    status: WorkflowStatus;
    statusCounts: {
      total: number;
      REGISTERING: number;
      QUEUED: number;
      INSTANTIATING: number;
      LAUNCHED: number;
      RUNNING: number;
      DONE: number;
      ERROR_RECOVERABLE: number;
      ADJUSTING_RESOURCES: number;
      ERROR_FATAL: number;
      retrying: number;
      byStatus: Array<{ status: TaskStatus; retrying: number }>;
    };
  } | null;
};

export type WorkflowProgressSubscriptionVariables = Exact<{
  workflowId: string;
}>;

export type WorkflowProgressSubscription = {
  workflowProgress: {
    workflowId: string;
    status: WorkflowStatus;
    final: boolean;
    at: string;
    statusCounts: {
      total: number;
      REGISTERING: number;
      QUEUED: number;
      INSTANTIATING: number;
      LAUNCHED: number;
      RUNNING: number;
      DONE: number;
      ERROR_RECOVERABLE: number;
      ADJUSTING_RESOURCES: number;
      ERROR_FATAL: number;
      retrying: number;
      byStatus: Array<{ status: TaskStatus; retrying: number }>;
    };
  };
};

export type ServerLimitsQueryVariables = Exact<{ [key: string]: never }>;

export type ServerLimitsQuery = {
  serverLimits: { maxTasksPerSubmission: number; maxItemsPerRequest: number; maxPageSize: number };
};

export type BeginWorkflowBindingMutationVariables = Exact<{
  input: WorkflowBindingInput;
}>;

export type BeginWorkflowBindingMutation = { beginWorkflowBinding: { bindingId: string; taskCount: number } };

export type AddWorkflowTasksMutationVariables = Exact<{
  bindingId: string;
  tasks: Array<TaskInput> | TaskInput;
}>;

export type AddWorkflowTasksMutation = {
  addWorkflowTasks: { bindingId: string; taskCount: number; chunkCount: number };
};

export type CommitWorkflowBindingMutationVariables = Exact<{
  bindingId: string;
}>;

export type CommitWorkflowBindingMutation = {
  commitWorkflowBinding: {
    created: boolean;
    workflow: {
      id: string;
      status: WorkflowStatus;
      statusCounts: {
        total: number;
        REGISTERING: number;
        QUEUED: number;
        INSTANTIATING: number;
        LAUNCHED: number;
        RUNNING: number;
        DONE: number;
        ERROR_RECOVERABLE: number;
        ADJUSTING_RESOURCES: number;
        ERROR_FATAL: number;
        retrying: number;
        byStatus: Array<{ status: TaskStatus; retrying: number }>;
      };
    };
    workflowRun: { id: string; status: WorkflowRunStatus };
  };
};

export type AbortWorkflowBindingMutationVariables = Exact<{
  bindingId: string;
}>;

export type AbortWorkflowBindingMutation = { abortWorkflowBinding: boolean };

export type WorkflowRunStateQueryVariables = Exact<{
  id: string;
}>;

export type WorkflowRunStateQuery = {
  workflow: {
    id: string;
    status: WorkflowStatus;
    latestRun: { id: string; status: WorkflowRunStatus } | null;
    statusCounts: {
      total: number;
      REGISTERING: number;
      QUEUED: number;
      INSTANTIATING: number;
      LAUNCHED: number;
      RUNNING: number;
      DONE: number;
      ERROR_RECOVERABLE: number;
      ADJUSTING_RESOURCES: number;
      ERROR_FATAL: number;
      retrying: number;
      byStatus: Array<{ status: TaskStatus; retrying: number }>;
    };
  } | null;
};

export type UpdateTaskResourcesMutationVariables = Exact<{
  taskIds: Array<string> | string;
  resources: ResourcesInput;
  resourceScales?: ResourceScalesInput | null | undefined;
}>;

export type UpdateTaskResourcesMutation = {
  updateTaskResources: Array<{
    id: string;
    resources: {
      memoryMb: number | null;
      cores: number | null;
      runtimeSeconds: number | null;
      queue: string | null;
      extra: Record<string, unknown> | null;
    };
  }>;
};

export type UpdateTemplateTaskResourcesMutationVariables = Exact<{
  workflowId: string;
  templateName: string;
  resources: ResourcesInput;
  resourceScales?: ResourceScalesInput | null | undefined;
}>;

export type UpdateTemplateTaskResourcesMutation = {
  updateTemplateTaskResources: { templateName: string; taskCount: number; workflow: { id: string } };
};

export type WorkflowFailedAttemptsQueryVariables = Exact<{
  id: string;
  template?: string | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;

export type WorkflowFailedAttemptsQuery = {
  workflow: {
    id: string;
    tasks: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Array<{
        id: string;
        name: string;
        template: { name: string };
        instances: Array<{
          id: string;
          attempt: number;
          status: TaskInstanceStatus;
          exitCode: number | null;
          errorKind: string | null;
          errorMessage: string | null;
          stderrTail: string | null;
          finishedAt: string | null;
        }>;
      }>;
    };
  } | null;
};

export type ResetWorkflowMutationVariables = Exact<{
  id: string;
  partial: boolean;
}>;

export type ResetWorkflowMutation = {
  resetWorkflow: {
    id: string;
    status: WorkflowStatus;
    latestRun: { id: string; status: WorkflowRunStatus } | null;
    statusCounts: {
      total: number;
      REGISTERING: number;
      QUEUED: number;
      INSTANTIATING: number;
      LAUNCHED: number;
      RUNNING: number;
      DONE: number;
      ERROR_RECOVERABLE: number;
      ADJUSTING_RESOURCES: number;
      ERROR_FATAL: number;
      retrying: number;
      byStatus: Array<{ status: TaskStatus; retrying: number }>;
    };
  };
};

export type FailedTaskIdsQueryVariables = Exact<{
  id: string;
  first: number;
  after?: string | null | undefined;
}>;

export type FailedTaskIdsQuery = {
  workflow: {
    id: string;
    tasks: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<{ id: string }> };
  } | null;
};

export type SetWorkflowAttributesMutationVariables = Exact<{
  workflowId: string;
  attributes: Record<string, unknown>;
}>;

export type SetWorkflowAttributesMutation = { setWorkflowAttributes: { id: string; attributes: unknown } };

export type SetTaskAttributesMutationVariables = Exact<{
  taskIds: Array<string> | string;
  attributes: Record<string, unknown>;
}>;

export type SetTaskAttributesMutation = { setTaskAttributes: Array<{ id: string; attributes: unknown }> };

export type SdkResourceUsageQueryVariables = Exact<{
  id: string;
  maxPointsPerTemplate: number;
}>;

export type SdkResourceUsageQuery = {
  workflow: {
    id: string;
    resourceUsage: Array<{
      id: string;
      name: string;
      doneAttempts: number;
      capped: boolean;
      instanceIds: Array<number>;
      taskIds: Array<number>;
      runtimeSeconds: Array<number | null>;
      maxRssMb: Array<number | null>;
      requestedMemoryMb: Array<number | null>;
      requestedRuntimeSeconds: Array<number | null>;
    }>;
  } | null;
};

export type SdkTemplateResourcesQueryVariables = Exact<{
  tool: string;
  name: string;
  percentiles: Array<number> | number;
  percentile: number;
}>;

export type SdkTemplateResourcesQuery = {
  taskTemplate: {
    id: string;
    name: string;
    usage: {
      doneAttempts: number;
      workflows: number;
      sampleSize: number;
      measuredMaxRss: number;
      maxRssMb: Array<{ percentile: number; value: number | null }>;
      runtimeSeconds: Array<{ percentile: number; value: number | null }>;
      requestedMemoryMb: Array<{ percentile: number; value: number | null }>;
      requestedRuntimeSeconds: Array<{ percentile: number; value: number | null }>;
    };
    resourceSuggestion: {
      percentile: number;
      headroom: number;
      memoryMb: number | null;
      runtimeSeconds: number | null;
      basedOnAttempts: number;
    };
  } | null;
};

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
export const CliResourcesFragmentDoc = new TypedDocumentString(
  `
    fragment CliResources on Resources {
  memoryMb
  cores
  runtimeSeconds
  queue
  extra
}
    `,
  { fragmentName: 'CliResources' },
) as unknown as TypedDocumentString<CliResourcesFragment, unknown>;
export const SdkStatusCountsFragmentDoc = new TypedDocumentString(
  `
    fragment SdkStatusCounts on StatusCounts {
  total
  REGISTERING
  QUEUED
  INSTANTIATING
  LAUNCHED
  RUNNING
  DONE
  ERROR_RECOVERABLE
  ADJUSTING_RESOURCES
  ERROR_FATAL
  retrying
  byStatus {
    status
    retrying
  }
}
    `,
  { fragmentName: 'SdkStatusCounts' },
) as unknown as TypedDocumentString<SdkStatusCountsFragment, unknown>;
export const CliWorkflowSummaryFragmentDoc = new TypedDocumentString(
  `
    fragment CliWorkflowSummary on Workflow {
  id
  name
  workflowArgs
  status
  createdAt
  taskCount
  tool {
    name
  }
  statusCounts {
    ...SdkStatusCounts
  }
}
    fragment SdkStatusCounts on StatusCounts {
  total
  REGISTERING
  QUEUED
  INSTANTIATING
  LAUNCHED
  RUNNING
  DONE
  ERROR_RECOVERABLE
  ADJUSTING_RESOURCES
  ERROR_FATAL
  retrying
  byStatus {
    status
    retrying
  }
}`,
  { fragmentName: 'CliWorkflowSummary' },
) as unknown as TypedDocumentString<CliWorkflowSummaryFragment, unknown>;
export const CliApiTokenFragmentDoc = new TypedDocumentString(
  `
    fragment CliApiToken on ApiToken {
  id
  user
  role
  name
  prefix
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
}
    `,
  { fragmentName: 'CliApiToken' },
) as unknown as TypedDocumentString<CliApiTokenFragment, unknown>;
export const SdkWorkflowStateFragmentDoc = new TypedDocumentString(
  `
    fragment SdkWorkflowState on Workflow {
  id
  status
  statusCounts {
    ...SdkStatusCounts
  }
}
    fragment SdkStatusCounts on StatusCounts {
  total
  REGISTERING
  QUEUED
  INSTANTIATING
  LAUNCHED
  RUNNING
  DONE
  ERROR_RECOVERABLE
  ADJUSTING_RESOURCES
  ERROR_FATAL
  retrying
  byStatus {
    status
    retrying
  }
}`,
  { fragmentName: 'SdkWorkflowState' },
) as unknown as TypedDocumentString<SdkWorkflowStateFragment, unknown>;
export const CliWorkflowsDocument = new TypedDocumentString(`
    query CliWorkflows($first: Int, $after: String, $filter: WorkflowFilter) {
  workflows(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...CliWorkflowSummary
    }
  }
}
    fragment CliWorkflowSummary on Workflow {
  id
  name
  workflowArgs
  status
  createdAt
  taskCount
  tool {
    name
  }
  statusCounts {
    ...SdkStatusCounts
  }
}
fragment SdkStatusCounts on StatusCounts {
  total
  REGISTERING
  QUEUED
  INSTANTIATING
  LAUNCHED
  RUNNING
  DONE
  ERROR_RECOVERABLE
  ADJUSTING_RESOURCES
  ERROR_FATAL
  retrying
  byStatus {
    status
    retrying
  }
}`) as unknown as TypedDocumentString<CliWorkflowsQuery, CliWorkflowsQueryVariables>;
export const CliWorkflowDocument = new TypedDocumentString(`
    query CliWorkflow($id: ID!) {
  workflow(id: $id) {
    ...CliWorkflowSummary
    description
    maxConcurrentlyRunning
    maxAttempts
    failFast
    latestRun {
      id
      status
      statusReason
      user
      createdAt
    }
    taskTemplates {
      name
      maxConcurrentlyRunning
      statusCounts {
        ...SdkStatusCounts
      }
      usage {
        doneAttempts
        maxRssMb {
          min
          mean
          max
        }
        runtimeSeconds {
          min
          mean
          max
        }
      }
    }
  }
}
    fragment CliWorkflowSummary on Workflow {
  id
  name
  workflowArgs
  status
  createdAt
  taskCount
  tool {
    name
  }
  statusCounts {
    ...SdkStatusCounts
  }
}
fragment SdkStatusCounts on StatusCounts {
  total
  REGISTERING
  QUEUED
  INSTANTIATING
  LAUNCHED
  RUNNING
  DONE
  ERROR_RECOVERABLE
  ADJUSTING_RESOURCES
  ERROR_FATAL
  retrying
  byStatus {
    status
    retrying
  }
}`) as unknown as TypedDocumentString<CliWorkflowQuery, CliWorkflowQueryVariables>;
export const CliWorkflowTasksDocument = new TypedDocumentString(`
    query CliWorkflowTasks($id: ID!, $first: Int, $after: String, $filter: TaskFilter) {
  workflow(id: $id) {
    id
    tasks(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        key
        name
        status
        numAttempts
        maxAttempts
        template {
          name
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CliWorkflowTasksQuery, CliWorkflowTasksQueryVariables>;
export const CliTaskDocument = new TypedDocumentString(`
    query CliTask($id: ID!) {
  task(id: $id) {
    id
    key
    name
    command
    status
    statusUpdatedAt
    maxAttempts
    numAttempts
    args
    fallbackQueues
    template {
      name
    }
    workflow {
      id
      name
      status
    }
    resources {
      ...CliResources
    }
    upstream {
      id
      key
      status
    }
    downstream {
      id
      key
      status
    }
    instances {
      id
      attempt
      status
      distributorId
      backendJobId
      hostname
      submittedAt
      startedAt
      finishedAt
      exitCode
      errorKind
      errorMessage
      stdoutPath
      stderrPath
      resources {
        ...CliResources
      }
      usage {
        maxRssMb
        wallSeconds
        cpuSeconds
      }
    }
  }
}
    fragment CliResources on Resources {
  memoryMb
  cores
  runtimeSeconds
  queue
  extra
}`) as unknown as TypedDocumentString<CliTaskQuery, CliTaskQueryVariables>;
export const CliTaskInstanceLogsDocument = new TypedDocumentString(`
    query CliTaskInstanceLogs($id: ID!) {
  taskInstance(id: $id) {
    id
    attempt
    status
    hostname
    stdoutPath
    stderrPath
    stdoutTail
    stderrTail
    task {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<CliTaskInstanceLogsQuery, CliTaskInstanceLogsQueryVariables>;
export const CliSetConcurrencyDocument = new TypedDocumentString(`
    mutation CliSetConcurrency($workflowId: ID!, $limit: Int, $templateName: String) {
  setMaxConcurrentlyRunning(
    workflowId: $workflowId
    limit: $limit
    templateName: $templateName
  ) {
    id
    maxConcurrentlyRunning
    taskTemplates {
      name
      maxConcurrentlyRunning
    }
  }
}
    `) as unknown as TypedDocumentString<CliSetConcurrencyMutation, CliSetConcurrencyMutationVariables>;
export const CliSetTaskStatusDocument = new TypedDocumentString(`
    mutation CliSetTaskStatus($taskIds: [ID!]!, $status: TaskStatus!, $recursive: Boolean!) {
  setTaskStatus(taskIds: $taskIds, status: $status, recursive: $recursive) {
    id
    key
    status
    workflow {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<CliSetTaskStatusMutation, CliSetTaskStatusMutationVariables>;
export const CliCreateApiTokenDocument = new TypedDocumentString(`
    mutation CliCreateApiToken($user: String, $role: Role!, $name: String, $expiresInDays: Int) {
  createApiToken(
    user: $user
    role: $role
    name: $name
    expiresInDays: $expiresInDays
  ) {
    token
    apiToken {
      ...CliApiToken
    }
  }
}
    fragment CliApiToken on ApiToken {
  id
  user
  role
  name
  prefix
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<CliCreateApiTokenMutation, CliCreateApiTokenMutationVariables>;
export const CliApiTokensDocument = new TypedDocumentString(`
    query CliApiTokens($user: String, $includeRevoked: Boolean!) {
  apiTokens(user: $user, includeRevoked: $includeRevoked) {
    ...CliApiToken
  }
}
    fragment CliApiToken on ApiToken {
  id
  user
  role
  name
  prefix
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<CliApiTokensQuery, CliApiTokensQueryVariables>;
export const CliRevokeApiTokenDocument = new TypedDocumentString(`
    mutation CliRevokeApiToken($id: ID!) {
  revokeApiToken(id: $id) {
    ...CliApiToken
  }
}
    fragment CliApiToken on ApiToken {
  id
  user
  role
  name
  prefix
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<CliRevokeApiTokenMutation, CliRevokeApiTokenMutationVariables>;
export const CliViewerDocument = new TypedDocumentString(`
    query CliViewer {
  viewer {
    authRequired
    user
    role
  }
}
    `) as unknown as TypedDocumentString<CliViewerQuery, CliViewerQueryVariables>;
export const CliUpdateTaskResourcesDocument = new TypedDocumentString(`
    mutation CliUpdateTaskResources($taskIds: [ID!]!, $resources: ResourcesInput!, $resourceScales: ResourceScalesInput) {
  updateTaskResources(
    taskIds: $taskIds
    resources: $resources
    resourceScales: $resourceScales
  ) {
    id
    key
    status
    resources {
      ...CliResources
    }
  }
}
    fragment CliResources on Resources {
  memoryMb
  cores
  runtimeSeconds
  queue
  extra
}`) as unknown as TypedDocumentString<
  CliUpdateTaskResourcesMutation,
  CliUpdateTaskResourcesMutationVariables
>;
export const CliSetUserDisabledDocument = new TypedDocumentString(`
    mutation CliSetUserDisabled($user: String!, $disabled: Boolean!) {
  setUserDisabled(user: $user, disabled: $disabled) {
    name
    disabledAt
  }
}
    `) as unknown as TypedDocumentString<CliSetUserDisabledMutation, CliSetUserDisabledMutationVariables>;
export const CliSetDistributorServesAllUsersDocument = new TypedDocumentString(`
    mutation CliSetDistributorServesAllUsers($distributorId: ID!, $servesAllUsers: Boolean!) {
  setDistributorServesAllUsers(
    distributorId: $distributorId
    servesAllUsers: $servesAllUsers
  ) {
    id
    name
    owner
    servesAllUsers
  }
}
    `) as unknown as TypedDocumentString<
  CliSetDistributorServesAllUsersMutation,
  CliSetDistributorServesAllUsersMutationVariables
>;
export const CliErrorsDocument = new TypedDocumentString(`
    query CliErrors($id: ID!, $templateName: String, $first: Int) {
  workflow(id: $id) {
    id
    name
    errorClusters(templateName: $templateName, first: $first) {
      representative
      attempts
      tasks
      templateNames
      sampleTaskIds
      firstAt
      lastAt
    }
  }
}
    `) as unknown as TypedDocumentString<CliErrorsQuery, CliErrorsQueryVariables>;
export const CliWhyDocument = new TypedDocumentString(`
    query CliWhy($id: ID!) {
  task(id: $id) {
    id
    name
    status
    blockedBy {
      kind
      message
    }
  }
}
    `) as unknown as TypedDocumentString<CliWhyQuery, CliWhyQueryVariables>;
export const CliReportsByNameDocument = new TypedDocumentString(`
    query CliReportsByName($name: String!, $owner: String) {
  viewer {
    user
  }
  reports(filter: {name: $name, owner: $owner}, first: 100) {
    nodes {
      id
      name
      owner
      example
      query
      variables
    }
  }
}
    `) as unknown as TypedDocumentString<CliReportsByNameQuery, CliReportsByNameQueryVariables>;
export const CliWorkflowLogsDocument = new TypedDocumentString(`
    query CliWorkflowLogs($id: ID!, $first: Int, $after: String) {
  workflow(id: $id) {
    id
    tasks(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        instances {
          id
          attempt
          status
          hostname
          stdoutPath
          stderrPath
          stdoutTail
          stderrTail
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CliWorkflowLogsQuery, CliWorkflowLogsQueryVariables>;
export const SubmitWorkflowDocument = new TypedDocumentString(`
    mutation SubmitWorkflow($input: WorkflowSubmission!) {
  submitWorkflow(input: $input) {
    created
    workflow {
      ...SdkWorkflowState
    }
    workflowRun {
      id
      status
    }
  }
}
    fragment SdkStatusCounts on StatusCounts {
  total
  REGISTERING
  QUEUED
  INSTANTIATING
  LAUNCHED
  RUNNING
  DONE
  ERROR_RECOVERABLE
  ADJUSTING_RESOURCES
  ERROR_FATAL
  retrying
  byStatus {
    status
    retrying
  }
}
fragment SdkWorkflowState on Workflow {
  id
  status
  statusCounts {
    ...SdkStatusCounts
  }
}`) as unknown as TypedDocumentString<SubmitWorkflowMutation, SubmitWorkflowMutationVariables>;
export const ResumeWorkflowDocument = new TypedDocumentString(`
    mutation ResumeWorkflow($id: ID!, $mode: ResumeMode!) {
  resumeWorkflow(id: $id, mode: $mode) {
    ...SdkWorkflowState
    latestRun {
      id
      status
    }
  }
}
    fragment SdkStatusCounts on StatusCounts {
  total
  REGISTERING
  QUEUED
  INSTANTIATING
  LAUNCHED
  RUNNING
  DONE
  ERROR_RECOVERABLE
  ADJUSTING_RESOURCES
  ERROR_FATAL
  retrying
  byStatus {
    status
    retrying
  }
}
fragment SdkWorkflowState on Workflow {
  id
  status
  statusCounts {
    ...SdkStatusCounts
  }
}`) as unknown as TypedDocumentString<ResumeWorkflowMutation, ResumeWorkflowMutationVariables>;
export const StopWorkflowDocument = new TypedDocumentString(`
    mutation StopWorkflow($id: ID!, $reason: String) {
  stopWorkflow(id: $id, reason: $reason) {
    ...SdkWorkflowState
  }
}
    fragment SdkStatusCounts on StatusCounts {
  total
  REGISTERING
  QUEUED
  INSTANTIATING
  LAUNCHED
  RUNNING
  DONE
  ERROR_RECOVERABLE
  ADJUSTING_RESOURCES
  ERROR_FATAL
  retrying
  byStatus {
    status
    retrying
  }
}
fragment SdkWorkflowState on Workflow {
  id
  status
  statusCounts {
    ...SdkStatusCounts
  }
}`) as unknown as TypedDocumentString<StopWorkflowMutation, StopWorkflowMutationVariables>;
export const WorkflowStateDocument = new TypedDocumentString(`
    query WorkflowState($id: ID!) {
  workflow(id: $id) {
    ...SdkWorkflowState
  }
}
    fragment SdkStatusCounts on StatusCounts {
  total
  REGISTERING
  QUEUED
  INSTANTIATING
  LAUNCHED
  RUNNING
  DONE
  ERROR_RECOVERABLE
  ADJUSTING_RESOURCES
  ERROR_FATAL
  retrying
  byStatus {
    status
    retrying
  }
}
fragment SdkWorkflowState on Workflow {
  id
  status
  statusCounts {
    ...SdkStatusCounts
  }
}`) as unknown as TypedDocumentString<WorkflowStateQuery, WorkflowStateQueryVariables>;
export const WorkflowProgressDocument = new TypedDocumentString(`
    subscription WorkflowProgress($workflowId: ID!) {
  workflowProgress(workflowId: $workflowId) {
    workflowId
    status
    final
    at
    statusCounts {
      ...SdkStatusCounts
    }
  }
}
    fragment SdkStatusCounts on StatusCounts {
  total
  REGISTERING
  QUEUED
  INSTANTIATING
  LAUNCHED
  RUNNING
  DONE
  ERROR_RECOVERABLE
  ADJUSTING_RESOURCES
  ERROR_FATAL
  retrying
  byStatus {
    status
    retrying
  }
}`) as unknown as TypedDocumentString<WorkflowProgressSubscription, WorkflowProgressSubscriptionVariables>;
export const ServerLimitsDocument = new TypedDocumentString(`
    query ServerLimits {
  serverLimits {
    maxTasksPerSubmission
    maxItemsPerRequest
    maxPageSize
  }
}
    `) as unknown as TypedDocumentString<ServerLimitsQuery, ServerLimitsQueryVariables>;
export const BeginWorkflowBindingDocument = new TypedDocumentString(`
    mutation BeginWorkflowBinding($input: WorkflowBindingInput!) {
  beginWorkflowBinding(input: $input) {
    bindingId
    taskCount
  }
}
    `) as unknown as TypedDocumentString<BeginWorkflowBindingMutation, BeginWorkflowBindingMutationVariables>;
export const AddWorkflowTasksDocument = new TypedDocumentString(`
    mutation AddWorkflowTasks($bindingId: ID!, $tasks: [TaskInput!]!) {
  addWorkflowTasks(bindingId: $bindingId, tasks: $tasks) {
    bindingId
    taskCount
    chunkCount
  }
}
    `) as unknown as TypedDocumentString<AddWorkflowTasksMutation, AddWorkflowTasksMutationVariables>;
export const CommitWorkflowBindingDocument = new TypedDocumentString(`
    mutation CommitWorkflowBinding($bindingId: ID!) {
  commitWorkflowBinding(bindingId: $bindingId) {
    created
    workflow {
      ...SdkWorkflowState
    }
    workflowRun {
      id
      status
    }
  }
}
    fragment SdkStatusCounts on StatusCounts {
  total
  REGISTERING
  QUEUED
  INSTANTIATING
  LAUNCHED
  RUNNING
  DONE
  ERROR_RECOVERABLE
  ADJUSTING_RESOURCES
  ERROR_FATAL
  retrying
  byStatus {
    status
    retrying
  }
}
fragment SdkWorkflowState on Workflow {
  id
  status
  statusCounts {
    ...SdkStatusCounts
  }
}`) as unknown as TypedDocumentString<CommitWorkflowBindingMutation, CommitWorkflowBindingMutationVariables>;
export const AbortWorkflowBindingDocument = new TypedDocumentString(`
    mutation AbortWorkflowBinding($bindingId: ID!) {
  abortWorkflowBinding(bindingId: $bindingId)
}
    `) as unknown as TypedDocumentString<AbortWorkflowBindingMutation, AbortWorkflowBindingMutationVariables>;
export const WorkflowRunStateDocument = new TypedDocumentString(`
    query WorkflowRunState($id: ID!) {
  workflow(id: $id) {
    ...SdkWorkflowState
    latestRun {
      id
      status
    }
  }
}
    fragment SdkStatusCounts on StatusCounts {
  total
  REGISTERING
  QUEUED
  INSTANTIATING
  LAUNCHED
  RUNNING
  DONE
  ERROR_RECOVERABLE
  ADJUSTING_RESOURCES
  ERROR_FATAL
  retrying
  byStatus {
    status
    retrying
  }
}
fragment SdkWorkflowState on Workflow {
  id
  status
  statusCounts {
    ...SdkStatusCounts
  }
}`) as unknown as TypedDocumentString<WorkflowRunStateQuery, WorkflowRunStateQueryVariables>;
export const UpdateTaskResourcesDocument = new TypedDocumentString(`
    mutation UpdateTaskResources($taskIds: [ID!]!, $resources: ResourcesInput!, $resourceScales: ResourceScalesInput) {
  updateTaskResources(
    taskIds: $taskIds
    resources: $resources
    resourceScales: $resourceScales
  ) {
    id
    resources {
      memoryMb
      cores
      runtimeSeconds
      queue
      extra
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateTaskResourcesMutation, UpdateTaskResourcesMutationVariables>;
export const UpdateTemplateTaskResourcesDocument = new TypedDocumentString(`
    mutation UpdateTemplateTaskResources($workflowId: ID!, $templateName: String!, $resources: ResourcesInput!, $resourceScales: ResourceScalesInput) {
  updateTemplateTaskResources(
    workflowId: $workflowId
    templateName: $templateName
    resources: $resources
    resourceScales: $resourceScales
  ) {
    workflow {
      id
    }
    templateName
    taskCount
  }
}
    `) as unknown as TypedDocumentString<
  UpdateTemplateTaskResourcesMutation,
  UpdateTemplateTaskResourcesMutationVariables
>;
export const WorkflowFailedAttemptsDocument = new TypedDocumentString(`
    query WorkflowFailedAttempts($id: ID!, $template: String, $first: Int!, $after: String) {
  workflow(id: $id) {
    id
    tasks(filter: {template: $template}, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        template {
          name
        }
        instances {
          id
          attempt
          status
          exitCode
          errorKind
          errorMessage
          stderrTail
          finishedAt
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<WorkflowFailedAttemptsQuery, WorkflowFailedAttemptsQueryVariables>;
export const ResetWorkflowDocument = new TypedDocumentString(`
    mutation ResetWorkflow($id: ID!, $partial: Boolean!) {
  resetWorkflow(id: $id, partial: $partial) {
    ...SdkWorkflowState
    latestRun {
      id
      status
    }
  }
}
    fragment SdkStatusCounts on StatusCounts {
  total
  REGISTERING
  QUEUED
  INSTANTIATING
  LAUNCHED
  RUNNING
  DONE
  ERROR_RECOVERABLE
  ADJUSTING_RESOURCES
  ERROR_FATAL
  retrying
  byStatus {
    status
    retrying
  }
}
fragment SdkWorkflowState on Workflow {
  id
  status
  statusCounts {
    ...SdkStatusCounts
  }
}`) as unknown as TypedDocumentString<ResetWorkflowMutation, ResetWorkflowMutationVariables>;
export const FailedTaskIdsDocument = new TypedDocumentString(`
    query FailedTaskIds($id: ID!, $first: Int!, $after: String) {
  workflow(id: $id) {
    id
    tasks(filter: {status: [ERROR_FATAL]}, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<FailedTaskIdsQuery, FailedTaskIdsQueryVariables>;
export const SetWorkflowAttributesDocument = new TypedDocumentString(`
    mutation SetWorkflowAttributes($workflowId: ID!, $attributes: JSONObject!) {
  setWorkflowAttributes(workflowId: $workflowId, attributes: $attributes) {
    id
    attributes
  }
}
    `) as unknown as TypedDocumentString<
  SetWorkflowAttributesMutation,
  SetWorkflowAttributesMutationVariables
>;
export const SetTaskAttributesDocument = new TypedDocumentString(`
    mutation SetTaskAttributes($taskIds: [ID!]!, $attributes: JSONObject!) {
  setTaskAttributes(taskIds: $taskIds, attributes: $attributes) {
    id
    attributes
  }
}
    `) as unknown as TypedDocumentString<SetTaskAttributesMutation, SetTaskAttributesMutationVariables>;
export const SdkResourceUsageDocument = new TypedDocumentString(`
    query SdkResourceUsage($id: ID!, $maxPointsPerTemplate: Int!) {
  workflow(id: $id) {
    id
    resourceUsage(maxPointsPerTemplate: $maxPointsPerTemplate) {
      id
      name
      doneAttempts
      capped
      instanceIds
      taskIds
      runtimeSeconds
      maxRssMb
      requestedMemoryMb
      requestedRuntimeSeconds
    }
  }
}
    `) as unknown as TypedDocumentString<SdkResourceUsageQuery, SdkResourceUsageQueryVariables>;
export const SdkTemplateResourcesDocument = new TypedDocumentString(`
    query SdkTemplateResources($tool: String!, $name: String!, $percentiles: [Float!]!, $percentile: Float!) {
  taskTemplate(tool: $tool, name: $name) {
    id
    name
    usage(percentiles: $percentiles) {
      doneAttempts
      workflows
      sampleSize
      measuredMaxRss
      maxRssMb {
        percentile
        value
      }
      runtimeSeconds {
        percentile
        value
      }
      requestedMemoryMb {
        percentile
        value
      }
      requestedRuntimeSeconds {
        percentile
        value
      }
    }
    resourceSuggestion(percentile: $percentile) {
      percentile
      headroom
      memoryMb
      runtimeSeconds
      basedOnAttempts
    }
  }
}
    `) as unknown as TypedDocumentString<SdkTemplateResourcesQuery, SdkTemplateResourcesQueryVariables>;
