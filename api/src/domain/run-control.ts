import { canTransition } from './transitions';
import { EntityType, WorkflowRunStatus } from '@jobmon/core';

export type RunControlAction = 'stop' | 'resume';

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
