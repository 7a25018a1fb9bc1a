import { IllegalTransitionError } from '@jobmon/core';
import { EntityType, TaskStatus } from '@jobmon/core';
import { canTransition } from './transitions';

/** Statuses a person may set by hand. */
export const OVERRIDE_STATUSES = [TaskStatus.DONE, TaskStatus.QUEUED, TaskStatus.ERROR_FATAL] as const;
export type OverrideStatus = (typeof OVERRIDE_STATUSES)[number];

/** One task's move. */
export interface TaskOverrideMove {
  id: number;
  workflowId: number;
  from: TaskStatus;
  to: TaskStatus;
  reason: string;
}

/**
 * The moves of a person's override of `tasks` (the given ones, then their downstream subtree when
 * recursive) to `status`: DONE and ERROR_FATAL as they are; QUEUED as REGISTERING (a rerun first waits for
 * its upstreams, and is queued when they are all DONE). Tasks already there do not move. Every task must be
 * able to make the move, or none does: IllegalTransitionError names the first that cannot.
 */
export function planTaskOverride(
  tasks: readonly { id: number; workflowId: number; status: TaskStatus }[],
  status: OverrideStatus,
  reason: string,
): TaskOverrideMove[] {
  const to = status === TaskStatus.QUEUED ? TaskStatus.REGISTERING : status;
  const moves: TaskOverrideMove[] = [];
  for (const task of tasks) {
    if (task.status === to) continue;
    if (!canTransition(EntityType.TASK, task.status, to))
      throw new IllegalTransitionError(EntityType.TASK, task.status, to, task.id);
    moves.push({ id: task.id, workflowId: task.workflowId, from: task.status, to, reason });
  }
  return moves;
}
