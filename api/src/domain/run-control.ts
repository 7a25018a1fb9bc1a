import { canTransition } from './transitions';
import { EntityType, WorkflowRunStatus } from '@jobmon/core';

export type RunControlAction = 'stop' | 'resume';

/** A run that may still schedule or run work: a reset waits for it to end (or for a stop). */
const ACTIVE_RUN: ReadonlySet<WorkflowRunStatus> = new Set([
  WorkflowRunStatus.REGISTERED,
  WorkflowRunStatus.BOUND,
  WorkflowRunStatus.RUNNING,
  WorkflowRunStatus.COLD_RESUME,
  WorkflowRunStatus.HOT_RESUME,
]);

/**
 * Why a workflow reset (Jobmon's workflow_reset) cannot happen while the latest run is `run`, in the
 * user's words; null when it can: only a workflow whose latest run has ended (DONE, ERROR, STOPPED).
 */
export function resetRefusal(
  workflowId: number | string,
  run: { id: number | string; status: WorkflowRunStatus },
): string | null {
  if (!ACTIVE_RUN.has(run.status)) return null;
  if (run.status === WorkflowRunStatus.COLD_RESUME || run.status === WorkflowRunStatus.HOT_RESUME)
    return `workflow ${workflowId} is being resumed (run ${run.id} is ${run.status}): wait for its new run to end, or stop it, then reset`;
  return `workflow ${workflowId} is still running (run ${run.id} is ${run.status}): stop it or wait for it to end, then reset`;
}

const TARGET: Record<RunControlAction, Record<'COLD' | 'HOT', WorkflowRunStatus>> = {
  stop: { COLD: WorkflowRunStatus.STOPPED, HOT: WorkflowRunStatus.STOPPED },
  resume: { COLD: WorkflowRunStatus.COLD_RESUME, HOT: WorkflowRunStatus.HOT_RESUME },
};

/**
 * Why a stop or resume of a workflow whose latest run is `run` cannot happen, in the words of the person
 * who asked (the state machine's `DONE -> COLD_RESUME` means nothing to them); null when it can.
 */
export function runControlRefusal(
  action: RunControlAction,
  workflowId: number | string,
  run: { id: number | string; status: WorkflowRunStatus },
  mode: 'COLD' | 'HOT' = 'COLD',
): string | null {
  if (canTransition(EntityType.WORKFLOW_RUN, run.status, TARGET[action][mode])) return null;
  const workflow = `workflow ${workflowId}`;
  if (run.status === WorkflowRunStatus.DONE) return `${workflow} is already DONE: nothing to ${action}`;
  if (run.status === WorkflowRunStatus.COLD_RESUME || run.status === WorkflowRunStatus.HOT_RESUME)
    return `${workflow} is already being resumed (run ${run.id} is ${run.status}): wait for its new run`;
  if (action === 'stop')
    return `${workflow} is not running (its latest run ${run.id} is ${run.status}): nothing to stop`;
  return `${workflow} cannot be resumed while its latest run ${run.id} is ${run.status}`;
}
