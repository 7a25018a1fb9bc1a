/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> =
  T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Which audit events to list. */
export type AuditEventFilter = {
  /** Only events about this entity (with entityType). */
  entityId?: string | null | undefined;
  /** Only events about this kind of entity. */
  entityType?: EntityType | null | undefined;
  /** Only events after this id. */
  since?: string | null | undefined;
  /** Only events of this workflow. */
  workflowId?: string | null | undefined;
};

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
/** What an audit event is about. */
export const EntityType = {
  /** A task. */
  Task: 'TASK',
  /** An attempt of a task. */
  TaskInstance: 'TASK_INSTANCE',
  /** A workflow (entityId is its id). */
  Workflow: 'WORKFLOW',
  /** A run of a workflow. */
  WorkflowRun: 'WORKFLOW_RUN',
} as const;

export type EntityType = (typeof EntityType)[keyof typeof EntityType];
/** A report to save: a new one, or (with id) an overwrite of an existing one. */
export type ReportInput = {
  /** What the report shows (at most 4096 bytes). */
  description?: string | null | undefined;
  /** The report to overwrite (yours, or anyone’s for an admin); omit it to save a new report. */
  id?: string | null | undefined;
  /** Unique among your reports; at most the name length limit. */
  name: string;
  /** A GraphQL document of queries only, at most 32768 bytes; it must parse. */
  query: string;
  /** Variables to run it with (a JSON object, at most 8192 bytes). */
  variables?: Record<string, unknown> | null | undefined;
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
/** Ascending or descending. */
export const SortDirection = {
  /** Smallest first. */
  Asc: 'ASC',
  /** Largest first. */
  Desc: 'DESC',
} as const;

export type SortDirection = (typeof SortDirection)[keyof typeof SortDirection];
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
/** How Workflow.tasks is sorted: by `field`, then by task id, both in `direction`. */
export type TaskOrder = {
  /** Which way. */
  direction?: SortDirection;
  /** What to sort by. */
  field?: TaskOrderField;
};

/** What a list of tasks is sorted by; ties are broken by task id. */
export const TaskOrderField = {
  /** Task.numAttempts. */
  Attempts: 'ATTEMPTS',
  /** The task id (submission order). */
  Id: 'ID',
  /** The max RSS of the task's last attempt (tasks without one sort as the smallest). */
  MaxRss: 'MAX_RSS',
  /** The task's name. */
  Name: 'NAME',
  /** The wall-clock seconds of the task's last attempt (tasks without one sort as the smallest). */
  Runtime: 'RUNTIME',
  /** The task's status, by name. */
  Status: 'STATUS',
} as const;

export type TaskOrderField = (typeof TaskOrderField)[keyof typeof TaskOrderField];
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
export type ViewerQueryVariables = Exact<{ [key: string]: never }>;

export type ViewerQuery = { viewer: { authRequired: boolean; user: string | null; role: Role | null } };

export type StatusCountsFieldsFragment = {
  total: number;
  byStatus: Array<{ status: TaskStatus; count: number; retrying: number }>;
};

export type AuditEventFieldsFragment = {
  id: string;
  at: string;
  entityType: EntityType;
  entityId: string;
  workflowId: string | null;
  fromStatus: string | null;
  toStatus: string;
  reason: string | null;
  actor: string | null;
};

export type ResourcesFieldsFragment = {
  memoryMb: number | null;
  cores: number | null;
  runtimeSeconds: number | null;
  queue: string | null;
  extra: Record<string, unknown> | null;
};

export type WorkflowRowFragment = {
  id: string;
  name: string | null;
  workflowArgs: string;
  status: WorkflowStatus;
  createdAt: string;
  statusUpdatedAt: string;
  createdBy: string | null;
  taskCount: number;
  tool: { id: string; name: string };
  statusCounts: { total: number; byStatus: Array<{ status: TaskStatus; count: number; retrying: number }> };
  latestRun: {
    id: string;
    status: WorkflowRunStatus;
    createdAt: string;
    statusUpdatedAt: string;
    user: string | null;
  } | null;
};

export type WorkflowLiveFieldsFragment = {
  id: string;
  status: WorkflowStatus;
  statusCounts: { total: number; byStatus: Array<{ status: TaskStatus; count: number; retrying: number }> };
};

export type ReportFieldsFragment = {
  id: string;
  name: string;
  description: string | null;
  query: string;
  variables: Record<string, unknown> | null;
  owner: string | null;
  example: boolean;
  updatedAt: string;
};

export type ReportsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;

export type ReportsQuery = {
  reports: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{
      id: string;
      name: string;
      description: string | null;
      query: string;
      variables: Record<string, unknown> | null;
      owner: string | null;
      example: boolean;
      updatedAt: string;
    }>;
  };
};

export type SaveReportMutationVariables = Exact<{
  input: ReportInput;
}>;

export type SaveReportMutation = {
  saveReport: {
    id: string;
    name: string;
    description: string | null;
    query: string;
    variables: Record<string, unknown> | null;
    owner: string | null;
    example: boolean;
    updatedAt: string;
  };
};

export type DeleteReportMutationVariables = Exact<{
  id: string;
}>;

export type DeleteReportMutation = { deleteReport: { id: string } };

export type TaskPageQueryVariables = Exact<{
  id: string;
}>;

export type TaskPageQuery = {
  task: {
    id: string;
    lastEventId: string;
    key: string;
    name: string;
    command: string;
    status: TaskStatus;
    statusUpdatedAt: string;
    createdAt: string;
    maxAttempts: number;
    numAttempts: number;
    args: Record<string, unknown>;
    attributes: unknown;
    fallbackQueues: Array<string>;
    blockedBy: Array<{ kind: BlockKind; message: string }>;
    resources: {
      memoryMb: number | null;
      cores: number | null;
      runtimeSeconds: number | null;
      queue: string | null;
      extra: Record<string, unknown> | null;
    };
    resourceScales: { memory: number | null; runtime: number | null } | null;
    template: { id: string; name: string; commandTemplate: string };
    workflow: {
      id: string;
      name: string | null;
      status: WorkflowStatus;
      createdBy: string | null;
      tool: { id: string; name: string };
    };
    upstream: Array<{ id: string; name: string; status: TaskStatus }>;
    downstream: Array<{ id: string; name: string; status: TaskStatus }>;
    instances: Array<{
      id: string;
      attempt: number;
      status: TaskInstanceStatus;
      statusUpdatedAt: string;
      exitCode: number | null;
      errorKind: string | null;
      errorMessage: string | null;
      hostname: string | null;
      backendJobId: string | null;
      distributorId: string | null;
      submittedAt: string | null;
      startedAt: string | null;
      finishedAt: string | null;
      stdoutPath: string | null;
      stderrPath: string | null;
      stdoutTail: string | null;
      stderrTail: string | null;
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

export type AttemptFieldsFragment = {
  id: string;
  attempt: number;
  status: TaskInstanceStatus;
  statusUpdatedAt: string;
  exitCode: number | null;
  errorKind: string | null;
  errorMessage: string | null;
  hostname: string | null;
  backendJobId: string | null;
  distributorId: string | null;
  submittedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  stdoutPath: string | null;
  stderrPath: string | null;
  stdoutTail: string | null;
  stderrTail: string | null;
  resources: {
    memoryMb: number | null;
    cores: number | null;
    runtimeSeconds: number | null;
    queue: string | null;
    extra: Record<string, unknown> | null;
  };
  usage: { maxRssMb: number | null; wallSeconds: number | null; cpuSeconds: number | null };
};

export type TaskInstancePageQueryVariables = Exact<{
  id: string;
}>;

export type TaskInstancePageQuery = {
  taskInstance: {
    lastEventId: string;
    heartbeatAt: string | null;
    id: string;
    attempt: number;
    status: TaskInstanceStatus;
    statusUpdatedAt: string;
    exitCode: number | null;
    errorKind: string | null;
    errorMessage: string | null;
    hostname: string | null;
    backendJobId: string | null;
    distributorId: string | null;
    submittedAt: string | null;
    startedAt: string | null;
    finishedAt: string | null;
    stdoutPath: string | null;
    stderrPath: string | null;
    stdoutTail: string | null;
    stderrTail: string | null;
    distributor: { id: string; name: string; owner: string | null; servesAllUsers: boolean } | null;
    workflowRun: { id: string; status: WorkflowRunStatus };
    task: { id: string; name: string; status: TaskStatus; workflow: { id: string; name: string | null } };
    resources: {
      memoryMb: number | null;
      cores: number | null;
      runtimeSeconds: number | null;
      queue: string | null;
      extra: Record<string, unknown> | null;
    };
    usage: { maxRssMb: number | null; wallSeconds: number | null; cpuSeconds: number | null };
  } | null;
};

export type AuditTimelineQueryVariables = Exact<{
  filter: AuditEventFilter;
  first: number;
  after?: string | null | undefined;
}>;

export type AuditTimelineQuery = {
  auditEvents: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{
      id: string;
      at: string;
      entityType: EntityType;
      entityId: string;
      workflowId: string | null;
      fromStatus: string | null;
      toStatus: string;
      reason: string | null;
      actor: string | null;
    }>;
  };
};

export type TaskTableQueryVariables = Exact<{
  id: string;
  filter?: TaskFilter | null | undefined;
  orderBy?: TaskOrder | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;

export type TaskTableQuery = {
  workflow: {
    id: string;
    name: string | null;
    createdBy: string | null;
    lastEventId: string;
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
        lastError: string | null;
        template: { id: string; name: string };
        lastAttempt: {
          id: string;
          attempt: number;
          status: TaskInstanceStatus;
          usage: { wallSeconds: number | null; maxRssMb: number | null };
        } | null;
      }>;
    };
  } | null;
};

export type TaskTableRowFragment = {
  id: string;
  key: string;
  name: string;
  status: TaskStatus;
  numAttempts: number;
  maxAttempts: number;
  lastError: string | null;
  template: { id: string; name: string };
  lastAttempt: {
    id: string;
    attempt: number;
    status: TaskInstanceStatus;
    usage: { wallSeconds: number | null; maxRssMb: number | null };
  } | null;
};

export type TaskTableTemplatesQueryVariables = Exact<{
  id: string;
}>;

export type TaskTableTemplatesQuery = {
  workflow: { id: string; taskTemplates: Array<{ id: string; name: string }> } | null;
};

export type SetTaskStatusMutationVariables = Exact<{
  taskIds: Array<string> | string;
  status: TaskStatus;
  recursive: boolean;
}>;

export type SetTaskStatusMutation = {
  setTaskStatus: Array<{ id: string; status: TaskStatus; statusUpdatedAt: string }>;
};

export type UpdateTaskResourcesMutationVariables = Exact<{
  taskIds: Array<string> | string;
  resources: ResourcesInput;
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

export type TaskCsvPageQueryVariables = Exact<{
  id: string;
  filter?: TaskFilter | null | undefined;
  orderBy?: TaskOrder | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;

export type TaskCsvPageQuery = {
  workflow: {
    id: string;
    tasks: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Array<{
        id: string;
        key: string;
        name: string;
        status: TaskStatus;
        numAttempts: number;
        maxAttempts: number;
        lastError: string | null;
        template: { id: string; name: string };
        lastAttempt: {
          id: string;
          attempt: number;
          status: TaskInstanceStatus;
          usage: { wallSeconds: number | null; maxRssMb: number | null };
        } | null;
      }>;
    };
  } | null;
};

export type WebServerLimitsQueryVariables = Exact<{ [key: string]: never }>;

export type WebServerLimitsQuery = { serverLimits: { maxPageSize: number } };

export type WorkflowUsageQueryVariables = Exact<{
  id: string;
  maxPointsPerTemplate: number;
}>;

export type WorkflowUsageQuery = {
  workflow: {
    id: string;
    name: string | null;
    lastEventId: string;
    tool: { id: string; name: string };
    resourceUsage: Array<{
      id: string;
      name: string;
      doneAttempts: number;
      capped: boolean;
      instanceIds: Array<number>;
      runtimeSeconds: Array<number | null>;
      maxRssMb: Array<number | null>;
      requestedMemoryMb: Array<number | null>;
      requestedRuntimeSeconds: Array<number | null>;
    }>;
  } | null;
};

export type TemplateSuggestionQueryVariables = Exact<{
  tool: string;
  name: string;
  percentile: number;
}>;

export type TemplateSuggestionQuery = {
  taskTemplate: {
    id: string;
    name: string;
    resourceSuggestion: {
      percentile: number;
      headroom: number;
      memoryMb: number | null;
      runtimeSeconds: number | null;
      basedOnAttempts: number;
    };
  } | null;
};

export type WorkflowTimelineQueryVariables = Exact<{
  id: string;
  limit: number;
}>;

export type WorkflowTimelineQuery = {
  workflow: {
    id: string;
    name: string | null;
    lastEventId: string;
    timeline: {
      origin: string | null;
      instanceIds: Array<number>;
      attempts: Array<number>;
      statusNames: Array<string>;
      statusCodes: Array<number>;
      startedMs: Array<number | null>;
      finishedMs: Array<number | null>;
      hasMore: boolean;
      concurrency: { atMs: Array<number>; running: Array<number>; truncated: boolean };
    };
  } | null;
};

export type WorkflowErrorsQueryVariables = Exact<{
  id: string;
  templateName?: string | null | undefined;
  first?: number | null | undefined;
}>;

export type WorkflowErrorsQuery = {
  workflow: {
    id: string;
    name: string | null;
    lastEventId: string;
    taskTemplates: Array<{ id: string; name: string }>;
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

export type WorkflowListQueryVariables = Exact<{
  filter?: WorkflowFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;

export type WorkflowListQuery = {
  workflows: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{
      id: string;
      name: string | null;
      workflowArgs: string;
      status: WorkflowStatus;
      createdAt: string;
      statusUpdatedAt: string;
      createdBy: string | null;
      taskCount: number;
      tool: { id: string; name: string };
      statusCounts: {
        total: number;
        byStatus: Array<{ status: TaskStatus; count: number; retrying: number }>;
      };
      latestRun: {
        id: string;
        status: WorkflowRunStatus;
        createdAt: string;
        statusUpdatedAt: string;
        user: string | null;
      } | null;
    }>;
  };
};

export type ToolNamesQueryVariables = Exact<{ [key: string]: never }>;

export type ToolNamesQuery = { tools: Array<{ id: string; name: string }> };

export type WorkflowStatusChangedSubscriptionVariables = Exact<{
  workflowId?: string | null | undefined;
  since?: string | null | undefined;
}>;

export type WorkflowStatusChangedSubscription = {
  workflowStatusChanged: {
    id: string;
    at: string;
    entityType: EntityType;
    entityId: string;
    workflowId: string | null;
    fromStatus: string | null;
    toStatus: string;
    reason: string | null;
    actor: string | null;
  };
};

export type WorkflowProgressSubscriptionVariables = Exact<{
  workflowId: string;
}>;

export type WorkflowProgressSubscription = {
  workflowProgress: {
    workflowId: string;
    status: WorkflowStatus;
    final: boolean;
    statusCounts: { total: number; byStatus: Array<{ status: TaskStatus; count: number; retrying: number }> };
  };
};

export type WorkflowPageQueryVariables = Exact<{
  id: string;
}>;

export type WorkflowPageQuery = {
  workflow: {
    description: string | null;
    maxConcurrentlyRunning: number;
    maxAttempts: number;
    failFast: boolean;
    defaultResources: unknown;
    attributes: unknown;
    id: string;
    name: string | null;
    workflowArgs: string;
    status: WorkflowStatus;
    createdAt: string;
    statusUpdatedAt: string;
    createdBy: string | null;
    taskCount: number;
    runs: Array<{
      id: string;
      status: WorkflowRunStatus;
      statusReason: string | null;
      createdAt: string;
      statusUpdatedAt: string;
      user: string | null;
    }>;
    tool: { id: string; name: string };
    statusCounts: { total: number; byStatus: Array<{ status: TaskStatus; count: number; retrying: number }> };
    latestRun: {
      id: string;
      status: WorkflowRunStatus;
      createdAt: string;
      statusUpdatedAt: string;
      user: string | null;
    } | null;
  } | null;
};

export type WorkflowTemplatesQueryVariables = Exact<{
  id: string;
}>;

export type WorkflowTemplatesQuery = {
  workflow: {
    id: string;
    taskTemplates: Array<{
      id: string;
      name: string;
      commandTemplate: string;
      maxConcurrentlyRunning: number | null;
      statusCounts: {
        total: number;
        byStatus: Array<{ status: TaskStatus; count: number; retrying: number }>;
      };
      usage: {
        doneAttempts: number;
        maxRssMb: { min: number | null; mean: number | null; max: number | null };
        runtimeSeconds: { min: number | null; mean: number | null; max: number | null };
      };
    }>;
  } | null;
};

export type WorkflowDagQueryVariables = Exact<{
  id: string;
  collapseAbove: number;
  expand?: Array<string> | string | null | undefined;
}>;

export type WorkflowDagQuery = {
  workflow: {
    id: string;
    dag: {
      lastEventId: string | null;
      collapsed: boolean;
      nodes: Array<{
        id: string;
        taskId: string | null;
        label: string;
        template: string;
        collapsed: boolean;
        status: TaskStatus;
        size: number;
      }>;
      edges: Array<{ source: string; target: string; count: number }>;
    };
  } | null;
};

export type TaskStatusChangedSubscriptionVariables = Exact<{
  workflowId: string;
  since?: string | null | undefined;
}>;

export type TaskStatusChangedSubscription = {
  taskStatusChanged: {
    id: string;
    at: string;
    entityType: EntityType;
    entityId: string;
    workflowId: string | null;
    fromStatus: string | null;
    toStatus: string;
    reason: string | null;
    actor: string | null;
  };
};

export type StopWorkflowMutationVariables = Exact<{
  id: string;
  reason?: string | null | undefined;
}>;

export type StopWorkflowMutation = { stopWorkflow: { id: string; status: WorkflowStatus } };

export type ResumeWorkflowMutationVariables = Exact<{
  id: string;
  mode: ResumeMode;
}>;

export type ResumeWorkflowMutation = { resumeWorkflow: { id: string; status: WorkflowStatus } };

export type SetMaxConcurrentlyRunningMutationVariables = Exact<{
  workflowId: string;
  templateName?: string | null | undefined;
  limit?: number | null | undefined;
}>;

export type SetMaxConcurrentlyRunningMutation = {
  setMaxConcurrentlyRunning: { id: string; maxConcurrentlyRunning: number };
};

export const AuditEventFieldsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'AuditEventFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'AuditEvent' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'at' } },
          { kind: 'Field', name: { kind: 'Name', value: 'entityType' } },
          { kind: 'Field', name: { kind: 'Name', value: 'entityId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'fromStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'toStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'reason' } },
          { kind: 'Field', name: { kind: 'Name', value: 'actor' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<AuditEventFieldsFragment, unknown>;
export const StatusCountsFieldsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StatusCountsFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StatusCounts' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'total' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'byStatus' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'count' } },
                { kind: 'Field', name: { kind: 'Name', value: 'retrying' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<StatusCountsFieldsFragment, unknown>;
export const WorkflowRowFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'WorkflowRow' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Workflow' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workflowArgs' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'statusUpdatedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'createdBy' } },
          { kind: 'Field', name: { kind: 'Name', value: 'taskCount' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'tool' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'statusCounts' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'StatusCountsFields' } }],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'latestRun' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'statusUpdatedAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'user' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StatusCountsFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StatusCounts' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'total' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'byStatus' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'count' } },
                { kind: 'Field', name: { kind: 'Name', value: 'retrying' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkflowRowFragment, unknown>;
export const WorkflowLiveFieldsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'WorkflowLiveFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Workflow' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'statusCounts' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'StatusCountsFields' } }],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StatusCountsFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StatusCounts' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'total' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'byStatus' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'count' } },
                { kind: 'Field', name: { kind: 'Name', value: 'retrying' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkflowLiveFieldsFragment, unknown>;
export const ReportFieldsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ReportFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Report' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'description' } },
          { kind: 'Field', name: { kind: 'Name', value: 'query' } },
          { kind: 'Field', name: { kind: 'Name', value: 'variables' } },
          { kind: 'Field', name: { kind: 'Name', value: 'owner' } },
          { kind: 'Field', name: { kind: 'Name', value: 'example' } },
          { kind: 'Field', name: { kind: 'Name', value: 'updatedAt' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ReportFieldsFragment, unknown>;
export const ResourcesFieldsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ResourcesFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Resources' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'memoryMb' } },
          { kind: 'Field', name: { kind: 'Name', value: 'cores' } },
          { kind: 'Field', name: { kind: 'Name', value: 'runtimeSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'queue' } },
          { kind: 'Field', name: { kind: 'Name', value: 'extra' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ResourcesFieldsFragment, unknown>;
export const AttemptFieldsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'AttemptFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'TaskInstance' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'attempt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'statusUpdatedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'exitCode' } },
          { kind: 'Field', name: { kind: 'Name', value: 'errorKind' } },
          { kind: 'Field', name: { kind: 'Name', value: 'errorMessage' } },
          { kind: 'Field', name: { kind: 'Name', value: 'hostname' } },
          { kind: 'Field', name: { kind: 'Name', value: 'backendJobId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'distributorId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'submittedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'finishedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'stdoutPath' } },
          { kind: 'Field', name: { kind: 'Name', value: 'stderrPath' } },
          { kind: 'Field', name: { kind: 'Name', value: 'stdoutTail' } },
          { kind: 'Field', name: { kind: 'Name', value: 'stderrTail' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'resources' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'ResourcesFields' } }],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'usage' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'maxRssMb' } },
                { kind: 'Field', name: { kind: 'Name', value: 'wallSeconds' } },
                { kind: 'Field', name: { kind: 'Name', value: 'cpuSeconds' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ResourcesFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Resources' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'memoryMb' } },
          { kind: 'Field', name: { kind: 'Name', value: 'cores' } },
          { kind: 'Field', name: { kind: 'Name', value: 'runtimeSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'queue' } },
          { kind: 'Field', name: { kind: 'Name', value: 'extra' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<AttemptFieldsFragment, unknown>;
export const TaskTableRowFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'TaskTableRow' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Task' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'key' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'numAttempts' } },
          { kind: 'Field', name: { kind: 'Name', value: 'maxAttempts' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastError' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'template' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'lastAttempt' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'attempt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'usage' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'wallSeconds' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'maxRssMb' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TaskTableRowFragment, unknown>;
export const ViewerDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'Viewer' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'viewer' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'authRequired' } },
                { kind: 'Field', name: { kind: 'Name', value: 'user' } },
                { kind: 'Field', name: { kind: 'Name', value: 'role' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const ReportsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'Reports' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'reports' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'first' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'after' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'totalCount' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'pageInfo' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'hasNextPage' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'endCursor' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'nodes' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'ReportFields' } }],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ReportFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Report' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'description' } },
          { kind: 'Field', name: { kind: 'Name', value: 'query' } },
          { kind: 'Field', name: { kind: 'Name', value: 'variables' } },
          { kind: 'Field', name: { kind: 'Name', value: 'owner' } },
          { kind: 'Field', name: { kind: 'Name', value: 'example' } },
          { kind: 'Field', name: { kind: 'Name', value: 'updatedAt' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ReportsQuery, ReportsQueryVariables>;
export const SaveReportDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SaveReport' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ReportInput' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'saveReport' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'input' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'ReportFields' } }],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ReportFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Report' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'description' } },
          { kind: 'Field', name: { kind: 'Name', value: 'query' } },
          { kind: 'Field', name: { kind: 'Name', value: 'variables' } },
          { kind: 'Field', name: { kind: 'Name', value: 'owner' } },
          { kind: 'Field', name: { kind: 'Name', value: 'example' } },
          { kind: 'Field', name: { kind: 'Name', value: 'updatedAt' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SaveReportMutation, SaveReportMutationVariables>;
export const DeleteReportDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'DeleteReport' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'deleteReport' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<DeleteReportMutation, DeleteReportMutationVariables>;
export const TaskPageDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'TaskPage' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'task' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'lastEventId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'key' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'command' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'blockedBy' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'kind' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'message' } },
                    ],
                  },
                },
                { kind: 'Field', name: { kind: 'Name', value: 'statusUpdatedAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'maxAttempts' } },
                { kind: 'Field', name: { kind: 'Name', value: 'numAttempts' } },
                { kind: 'Field', name: { kind: 'Name', value: 'args' } },
                { kind: 'Field', name: { kind: 'Name', value: 'attributes' } },
                { kind: 'Field', name: { kind: 'Name', value: 'fallbackQueues' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'resources' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ResourcesFields' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'resourceScales' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'memory' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'runtime' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'template' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'commandTemplate' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'workflow' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'createdBy' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'tool' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                          ],
                        },
                      },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'upstream' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'downstream' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'instances' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'AttemptFields' } }],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ResourcesFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Resources' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'memoryMb' } },
          { kind: 'Field', name: { kind: 'Name', value: 'cores' } },
          { kind: 'Field', name: { kind: 'Name', value: 'runtimeSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'queue' } },
          { kind: 'Field', name: { kind: 'Name', value: 'extra' } },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'AttemptFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'TaskInstance' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'attempt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'statusUpdatedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'exitCode' } },
          { kind: 'Field', name: { kind: 'Name', value: 'errorKind' } },
          { kind: 'Field', name: { kind: 'Name', value: 'errorMessage' } },
          { kind: 'Field', name: { kind: 'Name', value: 'hostname' } },
          { kind: 'Field', name: { kind: 'Name', value: 'backendJobId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'distributorId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'submittedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'finishedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'stdoutPath' } },
          { kind: 'Field', name: { kind: 'Name', value: 'stderrPath' } },
          { kind: 'Field', name: { kind: 'Name', value: 'stdoutTail' } },
          { kind: 'Field', name: { kind: 'Name', value: 'stderrTail' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'resources' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'ResourcesFields' } }],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'usage' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'maxRssMb' } },
                { kind: 'Field', name: { kind: 'Name', value: 'wallSeconds' } },
                { kind: 'Field', name: { kind: 'Name', value: 'cpuSeconds' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TaskPageQuery, TaskPageQueryVariables>;
export const TaskInstancePageDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'TaskInstancePage' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'taskInstance' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'AttemptFields' } },
                { kind: 'Field', name: { kind: 'Name', value: 'lastEventId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'heartbeatAt' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'distributor' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'owner' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'servesAllUsers' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'workflowRun' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'task' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'workflow' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ResourcesFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Resources' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'memoryMb' } },
          { kind: 'Field', name: { kind: 'Name', value: 'cores' } },
          { kind: 'Field', name: { kind: 'Name', value: 'runtimeSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'queue' } },
          { kind: 'Field', name: { kind: 'Name', value: 'extra' } },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'AttemptFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'TaskInstance' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'attempt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'statusUpdatedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'exitCode' } },
          { kind: 'Field', name: { kind: 'Name', value: 'errorKind' } },
          { kind: 'Field', name: { kind: 'Name', value: 'errorMessage' } },
          { kind: 'Field', name: { kind: 'Name', value: 'hostname' } },
          { kind: 'Field', name: { kind: 'Name', value: 'backendJobId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'distributorId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'submittedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'finishedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'stdoutPath' } },
          { kind: 'Field', name: { kind: 'Name', value: 'stderrPath' } },
          { kind: 'Field', name: { kind: 'Name', value: 'stdoutTail' } },
          { kind: 'Field', name: { kind: 'Name', value: 'stderrTail' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'resources' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'ResourcesFields' } }],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'usage' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'maxRssMb' } },
                { kind: 'Field', name: { kind: 'Name', value: 'wallSeconds' } },
                { kind: 'Field', name: { kind: 'Name', value: 'cpuSeconds' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TaskInstancePageQuery, TaskInstancePageQueryVariables>;
export const AuditTimelineDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'AuditTimeline' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'filter' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'AuditEventFilter' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'auditEvents' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'filter' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'filter' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'first' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'after' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'totalCount' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'pageInfo' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'hasNextPage' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'endCursor' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'nodes' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'FragmentSpread', name: { kind: 'Name', value: 'AuditEventFields' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'AuditEventFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'AuditEvent' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'at' } },
          { kind: 'Field', name: { kind: 'Name', value: 'entityType' } },
          { kind: 'Field', name: { kind: 'Name', value: 'entityId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'fromStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'toStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'reason' } },
          { kind: 'Field', name: { kind: 'Name', value: 'actor' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<AuditTimelineQuery, AuditTimelineQueryVariables>;
export const TaskTableDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'TaskTable' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'filter' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'TaskFilter' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'orderBy' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'TaskOrder' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workflow' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdBy' } },
                { kind: 'Field', name: { kind: 'Name', value: 'lastEventId' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'tasks' },
                  arguments: [
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'filter' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'filter' } },
                    },
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'orderBy' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'orderBy' } },
                    },
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'first' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
                    },
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'after' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
                    },
                  ],
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'totalCount' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'pageInfo' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'hasNextPage' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'endCursor' } },
                          ],
                        },
                      },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'nodes' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'FragmentSpread', name: { kind: 'Name', value: 'TaskTableRow' } },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'TaskTableRow' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Task' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'key' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'numAttempts' } },
          { kind: 'Field', name: { kind: 'Name', value: 'maxAttempts' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastError' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'template' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'lastAttempt' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'attempt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'usage' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'wallSeconds' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'maxRssMb' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TaskTableQuery, TaskTableQueryVariables>;
export const TaskTableTemplatesDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'TaskTableTemplates' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workflow' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'taskTemplates' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TaskTableTemplatesQuery, TaskTableTemplatesQueryVariables>;
export const SetTaskStatusDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SetTaskStatus' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'taskIds' } },
          type: {
            kind: 'NonNullType',
            type: {
              kind: 'ListType',
              type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
            },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'status' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'TaskStatus' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'recursive' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'Boolean' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'setTaskStatus' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'taskIds' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'taskIds' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'status' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'status' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'recursive' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'recursive' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'statusUpdatedAt' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SetTaskStatusMutation, SetTaskStatusMutationVariables>;
export const UpdateTaskResourcesDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'UpdateTaskResources' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'taskIds' } },
          type: {
            kind: 'NonNullType',
            type: {
              kind: 'ListType',
              type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
            },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'resources' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ResourcesInput' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'updateTaskResources' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'taskIds' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'taskIds' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'resources' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'resources' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'resources' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ResourcesFields' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ResourcesFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Resources' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'memoryMb' } },
          { kind: 'Field', name: { kind: 'Name', value: 'cores' } },
          { kind: 'Field', name: { kind: 'Name', value: 'runtimeSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'queue' } },
          { kind: 'Field', name: { kind: 'Name', value: 'extra' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<UpdateTaskResourcesMutation, UpdateTaskResourcesMutationVariables>;
export const TaskCsvPageDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'TaskCsvPage' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'filter' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'TaskFilter' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'orderBy' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'TaskOrder' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workflow' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'tasks' },
                  arguments: [
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'filter' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'filter' } },
                    },
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'orderBy' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'orderBy' } },
                    },
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'first' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
                    },
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'after' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
                    },
                  ],
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'pageInfo' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'hasNextPage' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'endCursor' } },
                          ],
                        },
                      },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'nodes' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'FragmentSpread', name: { kind: 'Name', value: 'TaskTableRow' } },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'TaskTableRow' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Task' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'key' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'numAttempts' } },
          { kind: 'Field', name: { kind: 'Name', value: 'maxAttempts' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastError' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'template' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'lastAttempt' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'attempt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'usage' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'wallSeconds' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'maxRssMb' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TaskCsvPageQuery, TaskCsvPageQueryVariables>;
export const WebServerLimitsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'WebServerLimits' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'serverLimits' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'maxPageSize' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WebServerLimitsQuery, WebServerLimitsQueryVariables>;
export const WorkflowUsageDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'WorkflowUsage' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'maxPointsPerTemplate' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workflow' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'lastEventId' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'tool' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'resourceUsage' },
                  arguments: [
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'maxPointsPerTemplate' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'maxPointsPerTemplate' } },
                    },
                  ],
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'doneAttempts' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'capped' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'instanceIds' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'runtimeSeconds' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'maxRssMb' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'requestedMemoryMb' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'requestedRuntimeSeconds' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkflowUsageQuery, WorkflowUsageQueryVariables>;
export const TemplateSuggestionDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'TemplateSuggestion' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'tool' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'name' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'percentile' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Float' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'taskTemplate' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'tool' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'tool' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'name' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'name' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'resourceSuggestion' },
                  arguments: [
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'percentile' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'percentile' } },
                    },
                  ],
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'percentile' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'headroom' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'memoryMb' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'runtimeSeconds' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'basedOnAttempts' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TemplateSuggestionQuery, TemplateSuggestionQueryVariables>;
export const WorkflowTimelineDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'WorkflowTimeline' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'limit' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workflow' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'lastEventId' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'timeline' },
                  arguments: [
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'limit' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'limit' } },
                    },
                  ],
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'origin' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'instanceIds' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'attempts' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'statusNames' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'statusCodes' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'startedMs' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'finishedMs' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'hasMore' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'concurrency' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'atMs' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'running' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'truncated' } },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkflowTimelineQuery, WorkflowTimelineQueryVariables>;
export const WorkflowErrorsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'WorkflowErrors' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'templateName' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workflow' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'lastEventId' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'taskTemplates' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'errorClusters' },
                  arguments: [
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'templateName' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'templateName' } },
                    },
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'first' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
                    },
                  ],
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'representative' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'attempts' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'tasks' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'templateNames' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'sampleTaskIds' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'firstAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'lastAt' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkflowErrorsQuery, WorkflowErrorsQueryVariables>;
export const WorkflowListDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'WorkflowList' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'filter' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'WorkflowFilter' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workflows' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'filter' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'filter' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'first' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'after' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'totalCount' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'pageInfo' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'hasNextPage' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'endCursor' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'nodes' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'WorkflowRow' } }],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StatusCountsFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StatusCounts' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'total' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'byStatus' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'count' } },
                { kind: 'Field', name: { kind: 'Name', value: 'retrying' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'WorkflowRow' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Workflow' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workflowArgs' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'statusUpdatedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'createdBy' } },
          { kind: 'Field', name: { kind: 'Name', value: 'taskCount' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'tool' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'statusCounts' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'StatusCountsFields' } }],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'latestRun' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'statusUpdatedAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'user' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkflowListQuery, WorkflowListQueryVariables>;
export const ToolNamesDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'ToolNames' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'tools' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ToolNamesQuery, ToolNamesQueryVariables>;
export const WorkflowStatusChangedDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'subscription',
      name: { kind: 'Name', value: 'WorkflowStatusChanged' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'workflowId' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'since' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workflowStatusChanged' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'workflowId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'workflowId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'since' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'since' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'AuditEventFields' } }],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'AuditEventFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'AuditEvent' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'at' } },
          { kind: 'Field', name: { kind: 'Name', value: 'entityType' } },
          { kind: 'Field', name: { kind: 'Name', value: 'entityId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'fromStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'toStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'reason' } },
          { kind: 'Field', name: { kind: 'Name', value: 'actor' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkflowStatusChangedSubscription, WorkflowStatusChangedSubscriptionVariables>;
export const WorkflowProgressDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'subscription',
      name: { kind: 'Name', value: 'WorkflowProgress' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'workflowId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workflowProgress' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'workflowId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'workflowId' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'final' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'statusCounts' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'FragmentSpread', name: { kind: 'Name', value: 'StatusCountsFields' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StatusCountsFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StatusCounts' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'total' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'byStatus' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'count' } },
                { kind: 'Field', name: { kind: 'Name', value: 'retrying' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkflowProgressSubscription, WorkflowProgressSubscriptionVariables>;
export const WorkflowPageDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'WorkflowPage' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workflow' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'WorkflowRow' } },
                { kind: 'Field', name: { kind: 'Name', value: 'description' } },
                { kind: 'Field', name: { kind: 'Name', value: 'maxConcurrentlyRunning' } },
                { kind: 'Field', name: { kind: 'Name', value: 'maxAttempts' } },
                { kind: 'Field', name: { kind: 'Name', value: 'failFast' } },
                { kind: 'Field', name: { kind: 'Name', value: 'defaultResources' } },
                { kind: 'Field', name: { kind: 'Name', value: 'attributes' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'runs' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'statusReason' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'statusUpdatedAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'user' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StatusCountsFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StatusCounts' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'total' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'byStatus' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'count' } },
                { kind: 'Field', name: { kind: 'Name', value: 'retrying' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'WorkflowRow' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Workflow' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workflowArgs' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'statusUpdatedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'createdBy' } },
          { kind: 'Field', name: { kind: 'Name', value: 'taskCount' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'tool' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'statusCounts' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'StatusCountsFields' } }],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'latestRun' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'statusUpdatedAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'user' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkflowPageQuery, WorkflowPageQueryVariables>;
export const WorkflowTemplatesDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'WorkflowTemplates' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workflow' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'taskTemplates' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'commandTemplate' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'maxConcurrentlyRunning' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'statusCounts' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'FragmentSpread', name: { kind: 'Name', value: 'StatusCountsFields' } },
                          ],
                        },
                      },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'usage' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'doneAttempts' } },
                            {
                              kind: 'Field',
                              name: { kind: 'Name', value: 'maxRssMb' },
                              selectionSet: {
                                kind: 'SelectionSet',
                                selections: [
                                  { kind: 'Field', name: { kind: 'Name', value: 'min' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'mean' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'max' } },
                                ],
                              },
                            },
                            {
                              kind: 'Field',
                              name: { kind: 'Name', value: 'runtimeSeconds' },
                              selectionSet: {
                                kind: 'SelectionSet',
                                selections: [
                                  { kind: 'Field', name: { kind: 'Name', value: 'min' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'mean' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'max' } },
                                ],
                              },
                            },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StatusCountsFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StatusCounts' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'total' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'byStatus' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'count' } },
                { kind: 'Field', name: { kind: 'Name', value: 'retrying' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkflowTemplatesQuery, WorkflowTemplatesQueryVariables>;
export const WorkflowDagDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'WorkflowDag' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'collapseAbove' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'expand' } },
          type: {
            kind: 'ListType',
            type: {
              kind: 'NonNullType',
              type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
            },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workflow' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'dag' },
                  arguments: [
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'collapse' },
                      value: { kind: 'EnumValue', value: 'AUTO' },
                    },
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'collapseAbove' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'collapseAbove' } },
                    },
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'expand' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'expand' } },
                    },
                  ],
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'lastEventId' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'collapsed' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'nodes' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'taskId' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'label' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'template' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'collapsed' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'size' } },
                          ],
                        },
                      },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'edges' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'source' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'target' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'count' } },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkflowDagQuery, WorkflowDagQueryVariables>;
export const TaskStatusChangedDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'subscription',
      name: { kind: 'Name', value: 'TaskStatusChanged' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'workflowId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'since' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'taskStatusChanged' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'workflowId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'workflowId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'since' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'since' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'AuditEventFields' } }],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'AuditEventFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'AuditEvent' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'at' } },
          { kind: 'Field', name: { kind: 'Name', value: 'entityType' } },
          { kind: 'Field', name: { kind: 'Name', value: 'entityId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'fromStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'toStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'reason' } },
          { kind: 'Field', name: { kind: 'Name', value: 'actor' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TaskStatusChangedSubscription, TaskStatusChangedSubscriptionVariables>;
export const StopWorkflowDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'StopWorkflow' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'reason' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'stopWorkflow' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'reason' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'reason' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<StopWorkflowMutation, StopWorkflowMutationVariables>;
export const ResumeWorkflowDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ResumeWorkflow' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'mode' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ResumeMode' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'resumeWorkflow' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'mode' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'mode' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ResumeWorkflowMutation, ResumeWorkflowMutationVariables>;
export const SetMaxConcurrentlyRunningDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SetMaxConcurrentlyRunning' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'workflowId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'templateName' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'limit' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'setMaxConcurrentlyRunning' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'workflowId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'workflowId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'templateName' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'templateName' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'limit' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'limit' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'maxConcurrentlyRunning' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SetMaxConcurrentlyRunningMutation, SetMaxConcurrentlyRunningMutationVariables>;
