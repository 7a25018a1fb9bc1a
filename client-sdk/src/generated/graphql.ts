/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> =
  T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** How much to raise memory/runtime after a resource failure (default 0.5 = +50%). */
export type ResourceScalesInput = {
  memory?: number | null | undefined;
  runtime?: number | null | undefined;
};

/** Compute resources; memory in MiB, runtime in seconds. */
export type ResourcesInput = {
  cores?: number | null | undefined;
  extra?: unknown;
  memoryMb?: number | null | undefined;
  queue?: string | null | undefined;
  runtimeSeconds?: number | null | undefined;
};

/** COLD kills what still runs and reruns every task not DONE; HOT lets running attempts finish. */
export const ResumeMode = {
  Cold: 'COLD',
  Hot: 'HOT',
} as const;

export type ResumeMode = (typeof ResumeMode)[keyof typeof ResumeMode];
export type TaskInput = {
  args: unknown;
  attributes?: Record<string, unknown> | null | undefined;
  fallbackQueues?: Array<string> | null | undefined;
  key: string;
  maxAttempts?: number | null | undefined;
  name?: string | null | undefined;
  resourceScales?: ResourceScalesInput | null | undefined;
  resources?: ResourcesInput | null | undefined;
  template: string;
  upstream?: Array<string> | null | undefined;
};

export type TaskTemplateInput = {
  /** e.g. "python fit.py --loc {location} --year {year}" */
  commandTemplate: string;
  defaultResources?: ResourcesInput | null | undefined;
  maxConcurrentlyRunning?: number | null | undefined;
  name: string;
  nodeArgs?: Array<string> | null | undefined;
  opArgs?: Array<string> | null | undefined;
  taskArgs?: Array<string> | null | undefined;
};

/** Status of one run of a workflow. */
export const WorkflowRunStatus = {
  Bound: 'BOUND',
  ColdResume: 'COLD_RESUME',
  Done: 'DONE',
  Error: 'ERROR',
  HotResume: 'HOT_RESUME',
  Registered: 'REGISTERED',
  Running: 'RUNNING',
  Stopped: 'STOPPED',
  Terminated: 'TERMINATED',
} as const;

export type WorkflowRunStatus = (typeof WorkflowRunStatus)[keyof typeof WorkflowRunStatus];
/** A workflow's status, derived from its newest run. */
export const WorkflowStatus = {
  Done: 'DONE',
  Failed: 'FAILED',
  Halted: 'HALTED',
  Queued: 'QUEUED',
  Registering: 'REGISTERING',
  Running: 'RUNNING',
} as const;

export type WorkflowStatus = (typeof WorkflowStatus)[keyof typeof WorkflowStatus];
/** A whole workflow: its settings, templates and every task (SPEC §8). */
export type WorkflowSubmission = {
  attributes?: Record<string, unknown> | null | undefined;
  defaultResources?: ResourcesInput | null | undefined;
  description?: string | null | undefined;
  failFast?: boolean | null | undefined;
  maxAttempts?: number | null | undefined;
  maxConcurrentlyRunning?: number | null | undefined;
  name?: string | null | undefined;
  taskTemplates: Array<TaskTemplateInput>;
  tasks: Array<TaskInput>;
  tool: string;
  workflowArgs: string;
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
    };
  };
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
}
    `,
  { fragmentName: 'SdkStatusCounts' },
) as unknown as TypedDocumentString<SdkStatusCountsFragment, unknown>;
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
}`,
  { fragmentName: 'SdkWorkflowState' },
) as unknown as TypedDocumentString<SdkWorkflowStateFragment, unknown>;
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
}`) as unknown as TypedDocumentString<WorkflowProgressSubscription, WorkflowProgressSubscriptionVariables>;
