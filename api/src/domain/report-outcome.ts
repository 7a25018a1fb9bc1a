import { EntityType, TaskInstanceStatus, TaskStatus, WorkflowRunStatus, isTaskActive } from '@jobmon/core';
import { canTransition } from './transitions';

// What a distributor's report of an attempt does, decided without a database: the attempt's new status,
// whether the report is refused, and what a finished attempt does to its task (done, retried, resources
// escalated, given up). services/reports loads the rows, asks these, and writes what they decide.

/** How an attempt ended, as its distributor reports it. */
export const TaskInstanceOutcome = {
  DONE: 'DONE',
  ERROR: 'ERROR',
  RESOURCE_ERROR: 'RESOURCE_ERROR',
  UNKNOWN_ERROR: 'UNKNOWN_ERROR',
  NO_DISTRIBUTOR_ID: 'NO_DISTRIBUTOR_ID',
  KILLED: 'KILLED',
} as const;
export type TaskInstanceOutcome = (typeof TaskInstanceOutcome)[keyof typeof TaskInstanceOutcome];

const INSTANCE_STATUS_OF_OUTCOME: Readonly<Record<TaskInstanceOutcome, TaskInstanceStatus>> = {
  DONE: TaskInstanceStatus.DONE,
  ERROR: TaskInstanceStatus.ERROR,
  RESOURCE_ERROR: TaskInstanceStatus.RESOURCE_ERROR,
  UNKNOWN_ERROR: TaskInstanceStatus.UNKNOWN_ERROR,
  NO_DISTRIBUTOR_ID: TaskInstanceStatus.NO_DISTRIBUTOR_ID,
  KILLED: TaskInstanceStatus.ERROR_FATAL,
};

/**
 * The status a finished attempt takes: its outcome's, except that an attempt asked to die (KILL_SELF)
 * that reports an error it cannot have from there is simply given up (ERROR_FATAL).
 */
export function instanceStatusOfOutcome(
  outcome: TaskInstanceOutcome,
  current: TaskInstanceStatus | undefined,
): TaskInstanceStatus {
  const to = INSTANCE_STATUS_OF_OUTCOME[outcome];
  if (current === TaskInstanceStatus.KILL_SELF && !canTransition(EntityType.TASK_INSTANCE, current, to))
    return TaskInstanceStatus.ERROR_FATAL;
  return to;
}

/** Why a report cannot move the attempt to `to` (null: it can). */
export function reportRefusal(
  instance: { status: TaskInstanceStatus; distributorId: number | null } | undefined,
  to: TaskInstanceStatus,
  reporterDistributorId: number | null | undefined,
): string | null {
  if (!instance) return 'unknown task instance';
  if (reporterDistributorId != null && instance.distributorId !== reporterDistributorId)
    return 'the instance belongs to another distributor';
  if (instance.status === to) return `already ${to}`;
  if (!canTransition(EntityType.TASK_INSTANCE, instance.status, to))
    return `the instance is ${instance.status}, it cannot become ${to}`;
  return null;
}

/** Whether a run still schedules work: only then are failed attempts retried and fail-fast applies. */
export const runSchedules = (status: WorkflowRunStatus): boolean =>
  status === WorkflowRunStatus.RUNNING || status === WorkflowRunStatus.BOUND;

/** One move of a task, with the reason written on its audit row. */
export interface TaskMove {
  to: TaskStatus;
  reason: string | null;
}

/** What a finished attempt does to its task. */
export interface FinishedTaskDecision {
  /** The task's moves, in order, each from the status the one before left. */
  moves: TaskMove[];
  /** The task is DONE: its downstream tasks whose upstreams are all DONE become QUEUED. */
  done: boolean;
  /**
   * Raise the task's resources by its scales (which measure ran out: the report's errorKind). Raised even
   * when no retry follows: a resume then reruns the task with more, as Jobmon 3.5 does, instead of with
   * what it just ran out of.
   */
  escalate: { errorKind: string | null } | null;
  /** The task failed for good: a fail-fast workflow's run ends (when it still schedules). */
  failed: boolean;
}

/** Reasons are stored on audit rows; an error message is cut to this many characters there. */
const REASON_CHARS = 500;

/**
 * The task of a finished attempt that is its newest and still in flight: DONE, retried (ERROR_RECOVERABLE
 * or ADJUSTING_RESOURCES, then QUEUED) while its run schedules and attempts are left, given up
 * (ERROR_FATAL) otherwise; a KILLED attempt gives its task up at once. Null when the attempt does not move
 * its task (an older attempt, or a task no longer in flight).
 */
export function decideFinishedTask(
  report: { outcome: TaskInstanceOutcome; errorKind?: string | null; errorMessage?: string | null },
  task: { status: TaskStatus; numAttempts: number; maxAttempts: number; isNewestAttempt: boolean },
  runActive: boolean,
): FinishedTaskDecision | null {
  if (!task.isNewestAttempt || !isTaskActive(task.status)) return null;
  if (report.outcome === TaskInstanceOutcome.DONE)
    return { moves: [{ to: TaskStatus.DONE, reason: null }], done: true, escalate: null, failed: false };
  if (report.outcome === TaskInstanceOutcome.KILLED)
    return {
      moves: [{ to: TaskStatus.ERROR_FATAL, reason: 'killed' }],
      done: false,
      escalate: null,
      failed: runActive,
    };
  const attemptsLeft = task.numAttempts < task.maxAttempts;
  const retry = runActive && attemptsLeft;
  const resourceError = report.outcome === TaskInstanceOutcome.RESOURCE_ERROR;
  const failure: TaskMove = resourceError
    ? { to: TaskStatus.ADJUSTING_RESOURCES, reason: report.errorKind ?? 'resource error' }
    : {
        to: TaskStatus.ERROR_RECOVERABLE,
        reason: report.errorMessage?.slice(0, REASON_CHARS) ?? report.outcome,
      };
  const next: TaskMove = retry
    ? { to: TaskStatus.QUEUED, reason: 'retry' }
    : {
        to: TaskStatus.ERROR_FATAL,
        reason: !runActive
          ? 'the run is over'
          : `${task.maxAttempts} ${task.maxAttempts === 1 ? 'attempt' : 'attempts'} spent`,
      };
  return {
    moves: [failure, next],
    done: false,
    escalate: resourceError ? { errorKind: report.errorKind ?? null } : null,
    failed: !retry,
  };
}

/**
 * Whether a report is the late end of an attempt the server gave up on (givenUp): from the attempt's own
 * distributor (or its worker, reporting without one), and not the reaper's own giving up.
 */
export function isLateResult(
  attempt: { givenUp: boolean; distributorId: number | null },
  report: { givingUp: boolean; reporterDistributorId: number | null | undefined },
): boolean {
  if (!attempt.givenUp || report.givingUp) return false;
  return report.reporterDistributorId == null || attempt.distributorId === report.reporterDistributorId;
}
