/**
 * The four Jobmon state machines. Each has exactly one transition table; every
 * status change in the system must be checked against it (assertTransition).
 */
import {
  IllegalTransitionError,
  ALL_TASK_INSTANCE_STATUSES,
  ALL_TASK_STATUSES,
  ALL_WORKFLOW_RUN_STATUSES,
  ALL_WORKFLOW_STATUSES,
  EntityType,
  TaskInstanceStatus as TI,
  TaskStatus as T,
  WorkflowRunStatus as WR,
  WorkflowStatus as W,
  type TaskInstanceStatus,
  type TaskStatus,
  type WorkflowRunStatus,
  type WorkflowStatus,
} from '@jobmon/core';

/** from -> allowed targets. A Record, so forgetting a status is a compile error. */
export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

export const TASK_TRANSITIONS: TransitionTable<TaskStatus> = {
  REGISTERING: [T.QUEUED, T.ERROR_FATAL, T.DONE],
  // Back to REGISTERING when the workflow is resumed before the task got going.
  QUEUED: [T.INSTANTIATING, T.REGISTERING, T.ERROR_FATAL, T.DONE],
  // QUEUED/REGISTERING from in-flight statuses: a resume resets unfinished work.
  INSTANTIATING: [
    T.LAUNCHED,
    T.RUNNING,
    T.DONE,
    T.ERROR_RECOVERABLE,
    T.ADJUSTING_RESOURCES,
    T.ERROR_FATAL,
    T.QUEUED,
    T.REGISTERING,
  ],
  LAUNCHED: [
    T.RUNNING,
    T.DONE,
    T.ERROR_RECOVERABLE,
    T.ADJUSTING_RESOURCES,
    T.ERROR_FATAL,
    T.QUEUED,
    T.REGISTERING,
  ],
  RUNNING: [T.DONE, T.ERROR_RECOVERABLE, T.ADJUSTING_RESOURCES, T.ERROR_FATAL, T.QUEUED, T.REGISTERING],
  ERROR_RECOVERABLE: [T.QUEUED, T.ERROR_FATAL, T.REGISTERING],
  ADJUSTING_RESOURCES: [T.QUEUED, T.ERROR_FATAL, T.REGISTERING],
  // Only a person's override reruns a DONE task.
  DONE: [T.REGISTERING, T.QUEUED],
  // Resume, or a person marking the task done by hand.
  ERROR_FATAL: [T.REGISTERING, T.QUEUED, T.DONE],
};

export const TASK_INSTANCE_TRANSITIONS: TransitionTable<TaskInstanceStatus> = {
  QUEUED: [TI.INSTANTIATED, TI.KILL_SELF, TI.ERROR_FATAL],
  // INSTANTIATED may skip LAUNCHED/RUNNING: the distributor can report late or not at all.
  INSTANTIATED: [
    TI.LAUNCHED,
    TI.RUNNING,
    TI.DONE,
    TI.ERROR,
    TI.RESOURCE_ERROR,
    TI.UNKNOWN_ERROR,
    TI.NO_DISTRIBUTOR_ID,
    TI.KILL_SELF,
    TI.ERROR_FATAL,
  ],
  LAUNCHED: [
    TI.RUNNING,
    TI.DONE,
    TI.ERROR,
    TI.RESOURCE_ERROR,
    TI.UNKNOWN_ERROR,
    TI.TRIAGING,
    TI.KILL_SELF,
    TI.ERROR_FATAL,
  ],
  RUNNING: [
    TI.DONE,
    TI.ERROR,
    TI.RESOURCE_ERROR,
    TI.UNKNOWN_ERROR,
    TI.TRIAGING,
    TI.KILL_SELF,
    TI.ERROR_FATAL,
  ],
  // TRIAGING -> RUNNING: a missed heartbeat turned out to be a slow worker.
  TRIAGING: [
    TI.RUNNING,
    TI.DONE,
    TI.ERROR,
    TI.RESOURCE_ERROR,
    TI.UNKNOWN_ERROR,
    TI.KILL_SELF,
    TI.ERROR_FATAL,
  ],
  // The instance may finish or fail on its own before it notices the kill request.
  KILL_SELF: [TI.ERROR_FATAL, TI.DONE, TI.ERROR, TI.RESOURCE_ERROR],
  // Error statuses only escalate: retries create a new instance instead.
  ERROR: [TI.ERROR_FATAL],
  RESOURCE_ERROR: [TI.ERROR_FATAL],
  UNKNOWN_ERROR: [TI.ERROR_FATAL],
  NO_DISTRIBUTOR_ID: [TI.ERROR_FATAL],
  DONE: [],
  ERROR_FATAL: [],
};

export const WORKFLOW_RUN_TRANSITIONS: TransitionTable<WorkflowRunStatus> = {
  REGISTERED: [WR.BOUND, WR.ERROR, WR.STOPPED],
  // BOUND -> DONE: a run with nothing left to do finishes without ever running.
  BOUND: [WR.RUNNING, WR.DONE, WR.ERROR, WR.STOPPED, WR.COLD_RESUME, WR.HOT_RESUME],
  RUNNING: [WR.DONE, WR.ERROR, WR.STOPPED, WR.COLD_RESUME, WR.HOT_RESUME],
  // A failed or stopped run is either superseded by a resume or terminated.
  ERROR: [WR.COLD_RESUME, WR.HOT_RESUME, WR.TERMINATED],
  STOPPED: [WR.COLD_RESUME, WR.HOT_RESUME, WR.TERMINATED],
  // A resume flag only waits for the new run to take over.
  COLD_RESUME: [WR.TERMINATED],
  HOT_RESUME: [WR.TERMINATED],
  DONE: [],
  TERMINATED: [],
};

export const WORKFLOW_TRANSITIONS: TransitionTable<WorkflowStatus> = {
  REGISTERING: [W.QUEUED, W.RUNNING, W.DONE, W.FAILED, W.HALTED],
  QUEUED: [W.RUNNING, W.DONE, W.FAILED, W.HALTED],
  // RUNNING -> QUEUED: a new run was bound (resume).
  RUNNING: [W.DONE, W.FAILED, W.HALTED, W.QUEUED],
  FAILED: [W.QUEUED, W.RUNNING, W.HALTED],
  HALTED: [W.QUEUED, W.RUNNING],
  // Re-run after a person's override.
  DONE: [W.QUEUED],
};

/** Maps each entity type to its status union. */
export interface StatusByEntity {
  [EntityType.TASK]: TaskStatus;
  [EntityType.TASK_INSTANCE]: TaskInstanceStatus;
  [EntityType.WORKFLOW_RUN]: WorkflowRunStatus;
  [EntityType.WORKFLOW]: WorkflowStatus;
}
export type StatusOf<E extends EntityType> = StatusByEntity[E];

export interface Machine<S extends string> {
  readonly statuses: readonly S[];
  readonly table: TransitionTable<S>;
}

export const machines: { readonly [E in EntityType]: Machine<StatusOf<E>> } = {
  TASK: { statuses: ALL_TASK_STATUSES, table: TASK_TRANSITIONS },
  TASK_INSTANCE: { statuses: ALL_TASK_INSTANCE_STATUSES, table: TASK_INSTANCE_TRANSITIONS },
  WORKFLOW_RUN: { statuses: ALL_WORKFLOW_RUN_STATUSES, table: WORKFLOW_RUN_TRANSITIONS },
  WORKFLOW: { statuses: ALL_WORKFLOW_STATUSES, table: WORKFLOW_TRANSITIONS },
};

/**
 * Allowed targets, or undefined for an unknown entity type or status.
 * Values may come from the database or a client, so nothing is trusted;
 * own-property checks keep keys like "constructor" from matching the prototype.
 */
function targetsOf(entityType: string, from: string): readonly string[] | undefined {
  const byEntity: Readonly<Record<string, Machine<string>>> = machines;
  if (!Object.hasOwn(byEntity, entityType)) return undefined;
  const table = byEntity[entityType]?.table;
  if (table === undefined || !Object.hasOwn(table, from)) return undefined;
  return table[from];
}

/** True iff `from -> to` is a legal change. Staying in the same status is never a transition. */
export function canTransition<E extends EntityType>(
  entityType: E,
  from: StatusOf<E>,
  to: StatusOf<E>,
): boolean {
  if (from === to) return false;
  return targetsOf(entityType, from)?.includes(to) ?? false;
}

/** Throws IllegalTransitionError unless `from -> to` is legal (see canTransition). */
export function assertTransition<E extends EntityType>(
  entityType: E,
  from: StatusOf<E>,
  to: StatusOf<E>,
  entityId?: number | string,
): void {
  if (!canTransition(entityType, from, to)) {
    throw new IllegalTransitionError(entityType, from, to, entityId);
  }
}
