import { WORKFLOW_ENDED_STATUSES, mostPressingStatus as mostPressingOf } from '@jobmon/core';
import type { TaskInstanceStatus, TaskStatus, WorkflowRunStatus, WorkflowStatus } from '../generated/graphql';

// Every status of the UI maps to one of a few groups, each with an Okabe–Ito colour (distinguishable
// with the common colour-vision deficiencies), an icon, and for the problem groups a hatch on the areas
// that carry no text (progress bars, legend): colour is never the only cue. Text on a status colour is
// black or white, whichever contrasts more (at least 4.5:1). Everything that colours a status reads it
// from here.

export type StatusGroup = 'pending' | 'launched' | 'running' | 'retrying' | 'done' | 'failed' | 'halted';

export interface StatusGroupStyle {
  label: string;
  /** Okabe–Ito colour. */
  color: string;
  /** Text colour readable on `color`. */
  textColor: string;
  icon: string;
  /** A CSS background for areas without text: the colour, hatched for the problem groups. */
  fill: string;
}

const hatch = (color: string) =>
  `repeating-linear-gradient(45deg, ${color} 0 6px, rgba(255,255,255,0.45) 6px 9px)`;

export const STATUS_GROUPS: Record<StatusGroup, StatusGroupStyle> = {
  pending: { label: 'Pending', color: '#BBBBBB', textColor: '#000000', icon: '○', fill: '#BBBBBB' },
  launched: { label: 'Launched', color: '#56B4E9', textColor: '#000000', icon: '◔', fill: '#56B4E9' },
  running: { label: 'Running', color: '#0072B2', textColor: '#FFFFFF', icon: '▶', fill: '#0072B2' },
  retrying: { label: 'Retrying', color: '#E69F00', textColor: '#000000', icon: '↻', fill: hatch('#E69F00') },
  done: { label: 'Done', color: '#009E73', textColor: '#000000', icon: '✓', fill: '#009E73' },
  failed: { label: 'Failed', color: '#D55E00', textColor: '#000000', icon: '✕', fill: hatch('#D55E00') },
  halted: { label: 'Halted', color: '#CC79A7', textColor: '#000000', icon: '■', fill: '#CC79A7' },
};

/** Groups in the order a progress bar stacks them and a legend lists them. */
export const GROUP_ORDER: readonly StatusGroup[] = [
  'done',
  'running',
  'launched',
  'retrying',
  'failed',
  'halted',
  'pending',
];

export const TASK_STATUS_GROUP: Record<TaskStatus, StatusGroup> = {
  REGISTERING: 'pending',
  QUEUED: 'pending',
  INSTANTIATING: 'launched',
  LAUNCHED: 'launched',
  RUNNING: 'running',
  ERROR_RECOVERABLE: 'retrying',
  ADJUSTING_RESOURCES: 'retrying',
  DONE: 'done',
  ERROR_FATAL: 'failed',
};

export const TASK_INSTANCE_STATUS_GROUP: Record<TaskInstanceStatus, StatusGroup> = {
  QUEUED: 'pending',
  INSTANTIATED: 'launched',
  LAUNCHED: 'launched',
  RUNNING: 'running',
  TRIAGING: 'retrying',
  DONE: 'done',
  ERROR: 'failed',
  RESOURCE_ERROR: 'failed',
  UNKNOWN_ERROR: 'failed',
  NO_DISTRIBUTOR_ID: 'failed',
  ERROR_FATAL: 'failed',
  KILL_SELF: 'halted',
};

export const WORKFLOW_STATUS_GROUP: Record<WorkflowStatus, StatusGroup> = {
  REGISTERING: 'pending',
  QUEUED: 'pending',
  RUNNING: 'running',
  DONE: 'done',
  FAILED: 'failed',
  HALTED: 'halted',
};

export const WORKFLOW_RUN_STATUS_GROUP: Record<WorkflowRunStatus, StatusGroup> = {
  REGISTERED: 'pending',
  BOUND: 'pending',
  RUNNING: 'running',
  DONE: 'done',
  ERROR: 'failed',
  STOPPED: 'halted',
  COLD_RESUME: 'halted',
  HOT_RESUME: 'halted',
  TERMINATED: 'halted',
};

/** The group of any status string of the API (task, attempt, workflow or run). */
export function statusGroupOf(status: string): StatusGroup {
  return (
    (TASK_STATUS_GROUP as Record<string, StatusGroup>)[status] ??
    (TASK_INSTANCE_STATUS_GROUP as Record<string, StatusGroup>)[status] ??
    (WORKFLOW_STATUS_GROUP as Record<string, StatusGroup>)[status] ??
    (WORKFLOW_RUN_STATUS_GROUP as Record<string, StatusGroup>)[status] ??
    'pending'
  );
}

export interface StatusCount {
  status: TaskStatus;
  count: number;
  /** Of `count`, the tasks on a retry (an earlier attempt failed); none when left out. */
  retrying?: number;
}

export function mostPressingStatus(counts: readonly StatusCount[]): TaskStatus {
  const present = new Set<string>(counts.filter((c) => c.count > 0).map((c) => c.status));
  // The priorities are the API's (@jobmon/core): a group shows the same status in the UI and in the API.
  return mostPressingOf((status) => present.has(status));
}

/**
 * Task counts summed per group, in GROUP_ORDER, zeros left out. Each task is in exactly one group, and
 * a task on a retry is in `retrying` whatever its status: one QUEUED or RUNNING again after a failed
 * attempt counts as retrying, not as pending or running (the groups still add up to the total).
 */
export function countsByGroup(counts: readonly StatusCount[]): { group: StatusGroup; count: number }[] {
  const sums = new Map<StatusGroup, number>();
  const add = (group: StatusGroup, n: number) => sums.set(group, (sums.get(group) ?? 0) + n);
  for (const { status, count, retrying = 0 } of counts) {
    add('retrying', retrying);
    add(TASK_STATUS_GROUP[status], count - retrying);
  }
  return GROUP_ORDER.filter((group) => (sums.get(group) ?? 0) > 0).map((group) => ({
    group,
    count: sums.get(group)!,
  }));
}

export const TERMINAL_WORKFLOW_STATUSES: ReadonlySet<string> = new Set(WORKFLOW_ENDED_STATUSES);

/** The task statuses of a group (the task table's status filter for "3 failed"). */
export function taskStatusesOf(group: StatusGroup): TaskStatus[] {
  return (Object.keys(TASK_STATUS_GROUP) as TaskStatus[]).filter((s) => TASK_STATUS_GROUP[s] === group);
}

/**
 * The task table of a workflow, filtered as given (`/workflows/:id/tasks?status=…&retrying=…&template=…`;
 * retrying: true, only the tasks on a retry; false, only the others).
 */
export function taskTableHref(
  workflowId: string,
  filter: { status?: readonly string[]; retrying?: boolean; template?: string } = {},
): string {
  const params = new URLSearchParams();
  if (filter.status?.length) params.set('status', filter.status.join(','));
  if (filter.retrying !== undefined) params.set('retrying', String(filter.retrying));
  if (filter.template) params.set('template', filter.template);
  const query = params.toString();
  return `/workflows/${workflowId}/tasks${query ? `?${query}` : ''}`;
}
