/**
 * Status vocabularies of Jobmon's four state machines, plus the status groups
 * the rest of the system reasons about (active, terminal, ...).
 *
 * Each status is both a runtime object (for iteration and safe spelling) and a
 * union type of the same name (for exhaustive checks).
 */

export const EntityType = {
  WORKFLOW: 'WORKFLOW',
  WORKFLOW_RUN: 'WORKFLOW_RUN',
  TASK: 'TASK',
  TASK_INSTANCE: 'TASK_INSTANCE',
} as const;
export type EntityType = (typeof EntityType)[keyof typeof EntityType];

export const TaskStatus = {
  REGISTERING: 'REGISTERING',
  QUEUED: 'QUEUED',
  INSTANTIATING: 'INSTANTIATING',
  LAUNCHED: 'LAUNCHED',
  RUNNING: 'RUNNING',
  DONE: 'DONE',
  ERROR_RECOVERABLE: 'ERROR_RECOVERABLE',
  ADJUSTING_RESOURCES: 'ADJUSTING_RESOURCES',
  ERROR_FATAL: 'ERROR_FATAL',
} as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

export const TaskInstanceStatus = {
  QUEUED: 'QUEUED',
  INSTANTIATED: 'INSTANTIATED',
  LAUNCHED: 'LAUNCHED',
  RUNNING: 'RUNNING',
  DONE: 'DONE',
  ERROR: 'ERROR',
  RESOURCE_ERROR: 'RESOURCE_ERROR',
  UNKNOWN_ERROR: 'UNKNOWN_ERROR',
  NO_DISTRIBUTOR_ID: 'NO_DISTRIBUTOR_ID',
  KILL_SELF: 'KILL_SELF',
  TRIAGING: 'TRIAGING',
  ERROR_FATAL: 'ERROR_FATAL',
} as const;
export type TaskInstanceStatus = (typeof TaskInstanceStatus)[keyof typeof TaskInstanceStatus];

export const WorkflowRunStatus = {
  REGISTERED: 'REGISTERED',
  BOUND: 'BOUND',
  RUNNING: 'RUNNING',
  DONE: 'DONE',
  ERROR: 'ERROR',
  STOPPED: 'STOPPED',
  COLD_RESUME: 'COLD_RESUME',
  HOT_RESUME: 'HOT_RESUME',
  TERMINATED: 'TERMINATED',
} as const;
export type WorkflowRunStatus = (typeof WorkflowRunStatus)[keyof typeof WorkflowRunStatus];

export const WorkflowStatus = {
  REGISTERING: 'REGISTERING',
  QUEUED: 'QUEUED',
  RUNNING: 'RUNNING',
  DONE: 'DONE',
  FAILED: 'FAILED',
  HALTED: 'HALTED',
} as const;
export type WorkflowStatus = (typeof WorkflowStatus)[keyof typeof WorkflowStatus];

// Frozen so that no caller can reorder or extend the shared vocabulary at runtime.
export const ALL_ENTITY_TYPES: readonly EntityType[] = Object.freeze(Object.values(EntityType));
export const ALL_TASK_STATUSES: readonly TaskStatus[] = Object.freeze(Object.values(TaskStatus));
export const ALL_TASK_INSTANCE_STATUSES: readonly TaskInstanceStatus[] = Object.freeze(
  Object.values(TaskInstanceStatus),
);
export const ALL_WORKFLOW_RUN_STATUSES: readonly WorkflowRunStatus[] = Object.freeze(
  Object.values(WorkflowRunStatus),
);
export const ALL_WORKFLOW_STATUSES: readonly WorkflowStatus[] = Object.freeze(Object.values(WorkflowStatus));

// --- Status groups: defined once here so that the scheduler, the API and the
// UI cannot drift apart on what "active" or "terminal" means.

/** Tasks in these statuses count against workflow / array concurrency limits. */
export const TASK_ACTIVE_STATUSES = [
  TaskStatus.INSTANTIATING,
  TaskStatus.LAUNCHED,
  TaskStatus.RUNNING,
] as const satisfies readonly TaskStatus[];
export type TaskActiveStatus = (typeof TASK_ACTIVE_STATUSES)[number];

/** Terminal unless a person overrides or the workflow is resumed. */
export const TASK_TERMINAL_STATUSES = [
  TaskStatus.DONE,
  TaskStatus.ERROR_FATAL,
] as const satisfies readonly TaskStatus[];
export type TaskTerminalStatus = (typeof TASK_TERMINAL_STATUSES)[number];

/** An instance in one of these will never run (again); its task decides what next. */
export const TASK_INSTANCE_TERMINAL_STATUSES = [
  TaskInstanceStatus.DONE,
  TaskInstanceStatus.ERROR,
  TaskInstanceStatus.RESOURCE_ERROR,
  TaskInstanceStatus.UNKNOWN_ERROR,
  TaskInstanceStatus.NO_DISTRIBUTOR_ID,
  TaskInstanceStatus.ERROR_FATAL,
] as const satisfies readonly TaskInstanceStatus[];
export type TaskInstanceTerminalStatus = (typeof TASK_INSTANCE_TERMINAL_STATUSES)[number];

/** Attempts that failed (a task's errors, what error clusters group): every terminal status but DONE. */
export const TASK_INSTANCE_FAILED_STATUSES = [
  TaskInstanceStatus.ERROR,
  TaskInstanceStatus.RESOURCE_ERROR,
  TaskInstanceStatus.UNKNOWN_ERROR,
  TaskInstanceStatus.NO_DISTRIBUTOR_ID,
  TaskInstanceStatus.ERROR_FATAL,
] as const satisfies readonly TaskInstanceTerminalStatus[];

/** Instances the distributor still owns: they hold (or may hold) cluster resources. */
export const TASK_INSTANCE_ACTIVE_STATUSES = [
  TaskInstanceStatus.INSTANTIATED,
  TaskInstanceStatus.LAUNCHED,
  TaskInstanceStatus.RUNNING,
  TaskInstanceStatus.TRIAGING,
  TaskInstanceStatus.KILL_SELF,
] as const satisfies readonly TaskInstanceStatus[];
export type TaskInstanceActiveStatus = (typeof TASK_INSTANCE_ACTIVE_STATUSES)[number];

/** A workflow may have at most one run in these statuses at a time. */
export const WORKFLOW_RUN_ACTIVE_STATUSES = [
  WorkflowRunStatus.REGISTERED,
  WorkflowRunStatus.BOUND,
  WorkflowRunStatus.RUNNING,
  WorkflowRunStatus.COLD_RESUME,
  WorkflowRunStatus.HOT_RESUME,
] as const satisfies readonly WorkflowRunStatus[];
export type WorkflowRunActiveStatus = (typeof WORKFLOW_RUN_ACTIVE_STATUSES)[number];

/** A workflow whose run has ended shows one of these (clients stop following it; it may still be resumed). */
export const WORKFLOW_ENDED_STATUSES = [
  WorkflowStatus.DONE,
  WorkflowStatus.FAILED,
  WorkflowStatus.HALTED,
] as const satisfies readonly WorkflowStatus[];

/** Note: ERROR and STOPPED are terminal for the run, yet may still move to a resume status. */
export const WORKFLOW_RUN_TERMINAL_STATUSES = [
  WorkflowRunStatus.DONE,
  WorkflowRunStatus.TERMINATED,
  WorkflowRunStatus.ERROR,
  WorkflowRunStatus.STOPPED,
] as const satisfies readonly WorkflowRunStatus[];
export type WorkflowRunTerminalStatus = (typeof WORKFLOW_RUN_TERMINAL_STATUSES)[number];

// --- Type guards.

/** Builds a guard for membership of `group`; accepts any string so it also validates input. */
function memberOf<S extends string>(group: readonly S[]): (value: string) => value is S {
  // Widening is safe for a read-only lookup and avoids a cast.
  const values: readonly string[] = group;
  return (value: string): value is S => values.includes(value);
}

export const isEntityType = memberOf(ALL_ENTITY_TYPES);
export const isTaskStatus = memberOf(ALL_TASK_STATUSES);
export const isTaskInstanceStatus = memberOf(ALL_TASK_INSTANCE_STATUSES);
export const isWorkflowRunStatus = memberOf(ALL_WORKFLOW_RUN_STATUSES);
export const isWorkflowStatus = memberOf(ALL_WORKFLOW_STATUSES);

export const isTaskActive = memberOf(TASK_ACTIVE_STATUSES);
export const isTaskTerminal = memberOf(TASK_TERMINAL_STATUSES);
export const isTaskInstanceActive = memberOf(TASK_INSTANCE_ACTIVE_STATUSES);
export const isTaskInstanceTerminal = memberOf(TASK_INSTANCE_TERMINAL_STATUSES);
export const isWorkflowRunActive = memberOf(WORKFLOW_RUN_ACTIVE_STATUSES);
export const isWorkflowRunTerminal = memberOf(WORKFLOW_RUN_TERMINAL_STATUSES);

// --- Derived workflow status.

// A Record (not a switch) so that adding a run status is a compile error until mapped.
const WORKFLOW_STATUS_BY_RUN_STATUS: Readonly<Record<WorkflowRunStatus, WorkflowStatus>> = {
  REGISTERED: WorkflowStatus.REGISTERING,
  BOUND: WorkflowStatus.QUEUED,
  RUNNING: WorkflowStatus.RUNNING,
  DONE: WorkflowStatus.DONE,
  ERROR: WorkflowStatus.FAILED,
  // A stopped or superseded run leaves the workflow halted until someone resumes it.
  STOPPED: WorkflowStatus.HALTED,
  COLD_RESUME: WorkflowStatus.HALTED,
  HOT_RESUME: WorkflowStatus.HALTED,
  TERMINATED: WorkflowStatus.HALTED,
};

/** The workflow status is not stored independently: it follows the workflow's newest run. */
export function workflowStatusForRun(runStatus: WorkflowRunStatus): WorkflowStatus {
  return WORKFLOW_STATUS_BY_RUN_STATUS[runStatus];
}

/** The status a collapsed group of tasks shows (API and web alike): failures first, then activity, then waiting, then done. */
export const TASK_GROUP_STATUS_PRIORITY: readonly TaskStatus[] = Object.freeze([
  TaskStatus.ERROR_FATAL,
  TaskStatus.ERROR_RECOVERABLE,
  TaskStatus.ADJUSTING_RESOURCES,
  TaskStatus.RUNNING,
  TaskStatus.LAUNCHED,
  TaskStatus.INSTANTIATING,
  TaskStatus.QUEUED,
  TaskStatus.REGISTERING,
  TaskStatus.DONE,
]);

/** The most pressing of the statuses a group has tasks in (REGISTERING for an empty group). */
export function mostPressingStatus(hasTasksIn: (status: TaskStatus) => boolean): TaskStatus {
  return TASK_GROUP_STATUS_PRIORITY.find(hasTasksIn) ?? TaskStatus.REGISTERING;
}

// --- Retrying.

/**
 * The fewest attempts a task in each status has had when it is on a retry (null: never on a retry in that
 * status). A task is retrying when it is not finished and an earlier attempt of it failed: ERROR_RECOVERABLE
 * and ADJUSTING_RESOURCES always; QUEUED with an attempt behind it (num_attempts counts the attempts begun,
 * raised when a task is claimed, so a QUEUED task has not begun its next one yet); INSTANTIATING, LAUNCHED
 * and RUNNING from the second attempt. REGISTERING is never retrying: a resume, reset or rerun starts the
 * attempts afresh there. A Record, so a new status is a compile error until placed.
 */
export const TASK_RETRY_MIN_ATTEMPTS: Readonly<Record<TaskStatus, number | null>> = Object.freeze({
  REGISTERING: null,
  QUEUED: 1,
  INSTANTIATING: 2,
  LAUNCHED: 2,
  RUNNING: 2,
  DONE: null,
  ERROR_RECOVERABLE: 0,
  ADJUSTING_RESOURCES: 0,
  ERROR_FATAL: null,
});

/** Whether a task in `status` that has begun `numAttempts` attempts is on a retry (TASK_RETRY_MIN_ATTEMPTS). */
export function isTaskRetrying(status: TaskStatus, numAttempts: number): boolean {
  const least = TASK_RETRY_MIN_ATTEMPTS[status];
  return least !== null && numAttempts >= least;
}
