import { TASK_ACTIVE_STATUSES, TaskStatus, WorkflowRunStatus } from '@jobmon/core';

/** Task statuses from which a run can still make progress on its own. */
export const TASK_PROGRESS_STATUSES = [
  TaskStatus.QUEUED,
  ...TASK_ACTIVE_STATUSES,
  TaskStatus.ERROR_RECOVERABLE,
  TaskStatus.ADJUSTING_RESOURCES,
] as const;

/**
 * How a run that still schedules ends, from what its tasks are: not yet (null) while a task can make
 * progress; DONE when every task is DONE; ERROR when none can progress (the rest wait on ERROR_FATAL
 * upstreams).
 */
export function runEnd(tasks: {
  anyProgressing: boolean;
  allDone: boolean;
}): { status: WorkflowRunStatus; reason: string } | null {
  if (tasks.anyProgressing) return null;
  return tasks.allDone
    ? { status: WorkflowRunStatus.DONE, reason: 'every task done' }
    : { status: WorkflowRunStatus.ERROR, reason: 'no task can make progress' };
}
