import { TaskStatus } from '@jobmon/core';

/** A REGISTERING task that may have become ready, with how many of its upstreams are not DONE. */
export interface ReadinessCandidate {
  id: number;
  workflowId: number;
  status: TaskStatus;
  unfinishedUpstreams: number;
}

export interface BecomesReady {
  id: number;
  workflowId: number;
  from: typeof TaskStatus.REGISTERING;
  to: typeof TaskStatus.QUEUED;
  reason: string;
}

/**
 * Which candidates become QUEUED. Why only from REGISTERING with every upstream DONE: a task's command may
 * read what its upstreams wrote, so it runs only after each has succeeded (a FAILED or ERROR_FATAL
 * upstream keeps it waiting for good, which is how a run without progress ends in ERROR); a task already
 * past REGISTERING was queued by another path (a resume, an override) and must not be queued twice.
 */
export function tasksBecomingReady(candidates: readonly ReadinessCandidate[]): BecomesReady[] {
  return candidates
    .filter((task) => task.status === TaskStatus.REGISTERING && task.unfinishedUpstreams === 0)
    .map((task) => ({
      id: task.id,
      workflowId: task.workflowId,
      from: TaskStatus.REGISTERING,
      to: TaskStatus.QUEUED,
      reason: 'upstream done',
    }));
}
