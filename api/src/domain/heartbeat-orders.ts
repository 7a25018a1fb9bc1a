import { TaskInstanceStatus } from '@jobmon/core';

/**
 * What a distributor's heartbeat answer tells it to do. Kill: instances asked to kill themselves; attempts
 * the server gave up while it was silent (their retries may run now, so their commands must end); and
 * instances it still lists that are over (nobody waits for their results). Triage: instances the server
 * could not hear from, which it must look up in its backend.
 */
export function distributorOrders(facts: {
  flagged: readonly { id: number; status: TaskInstanceStatus }[];
  givenUp: readonly number[];
  overButListed: readonly number[];
}): { killInstanceIds: number[]; triageInstanceIds: number[] } {
  return {
    killInstanceIds: [
      ...facts.flagged.filter((row) => row.status === TaskInstanceStatus.KILL_SELF).map((row) => row.id),
      ...facts.givenUp,
      ...facts.overButListed,
    ],
    triageInstanceIds: facts.flagged
      .filter((row) => row.status === TaskInstanceStatus.TRIAGING)
      .map((row) => row.id),
  };
}

/**
 * What a worker's heartbeat answer tells it to kill: an instance asked to kill itself, and one given up
 * while its distributor was silent (the worker ends it at once, without waiting for that distributor to
 * come back: its retry may run elsewhere already). TRIAGING ones are alive again (a RUNNING report).
 */
export function workerOrders(
  states: readonly { id: number; status: TaskInstanceStatus; givenUp: boolean }[],
): {
  kill: number[];
  aliveAgain: number[];
} {
  return {
    kill: states
      .filter((row) => row.status === TaskInstanceStatus.KILL_SELF || row.givenUp)
      .map((row) => row.id),
    aliveAgain: states.filter((row) => row.status === TaskInstanceStatus.TRIAGING).map((row) => row.id),
  };
}
