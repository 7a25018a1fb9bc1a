import type { Resources, ResourceScales } from '../domain';

// The WorkflowSubmission contract (the submission input's field names are fixed: clients depend on them) as
// plain types; the GraphQL input classes implement them.

export interface TaskTemplateSubmission {
  name: string;
  commandTemplate: string;
  nodeArgs?: string[] | null;
  taskArgs?: string[] | null;
  opArgs?: string[] | null;
  defaultResources?: Resources | null;
  maxConcurrentlyRunning?: number | null;
}

export interface TaskSubmission {
  key: string;
  template: string;
  args: Record<string, unknown>;
  name?: string | null;
  upstream?: string[] | null;
  resources?: Resources | null;
  maxAttempts?: number | null;
  resourceScales?: ResourceScales | null;
  fallbackQueues?: string[] | null;
  attributes?: Record<string, unknown> | null;
}

export interface WorkflowSubmission {
  tool: string;
  workflowArgs: string;
  name?: string | null;
  description?: string | null;
  maxConcurrentlyRunning?: number | null;
  maxAttempts?: number | null;
  failFast?: boolean | null;
  defaultResources?: Resources | null;
  attributes?: Record<string, unknown> | null;
  taskTemplates: TaskTemplateSubmission[];
  tasks: TaskSubmission[];
  /** The client's own user (open mode: recorded as the creator; with tokens ignored). */
  user?: string | null;
}

export interface SubmitResult {
  workflowId: number;
  workflowRunId: number;
  created: boolean;
}

/** What beginWorkflowBinding takes: a submission without its tasks, which come in chunks. */
export type WorkflowBindingSubmission = Omit<WorkflowSubmission, 'tasks'>;
