import type { FinishedReport } from '../../backend';

// How an attempt whose worker left no report ended, from what Slurm says of its job (pure functions):
// TIMEOUT / OUT_OF_MEMORY → RESOURCE_ERROR, NODE_FAIL / PREEMPTED / BOOT_FAIL → UNKNOWN_ERROR (retried),
// CANCELLED → KILLED (by Jobmon) or ERROR (by someone else).

/** The fields of a finished report that the outcome decides. */
export type EndedJobOutcome = Pick<FinishedReport, 'outcome' | 'errorKind' | 'errorMessage' | 'exitCode'>;

/**
 * How an attempt ended whose worker left no report (it was killed with its job, or never started),
 * from the job's final state. `cancelledByJobmon`: the backend itself asked for the cancel.
 */
export function outcomeOfEndedJob(
  jobId: string,
  state: string,
  details: { exitCode?: number | null; signal?: number | null; cancelledByJobmon: boolean },
): EndedJobOutcome {
  const exitCode = details.exitCode ?? null;
  switch (state) {
    case 'OUT_OF_MEMORY':
      return {
        outcome: 'RESOURCE_ERROR',
        errorKind: 'OUT_OF_MEMORY',
        errorMessage: `Slurm job ${jobId} ran out of memory (OUT_OF_MEMORY)`,
        exitCode,
      };
    case 'TIMEOUT':
    case 'DEADLINE':
      return {
        outcome: 'RESOURCE_ERROR',
        errorKind: 'TIMEOUT',
        errorMessage: `Slurm job ${jobId} reached its time limit (${state})`,
        exitCode,
      };
    case 'NODE_FAIL':
    case 'PREEMPTED':
    case 'BOOT_FAIL':
      // Not the task's fault: the attempt is retried.
      return {
        outcome: 'UNKNOWN_ERROR',
        errorKind: state,
        errorMessage: `Slurm job ${jobId} ended ${state}`,
        exitCode,
      };
    case 'CANCELLED':
      return details.cancelledByJobmon
        ? { outcome: 'KILLED', errorKind: null, errorMessage: `Slurm job ${jobId} cancelled`, exitCode }
        : {
            outcome: 'ERROR',
            errorKind: 'CANCELLED',
            errorMessage: `Slurm job ${jobId} was cancelled outside jobmon (scancel)`,
            exitCode,
          };
    default: {
      const exit =
        exitCode === null ? '' : `, exit code ${exitCode}${details.signal ? `:${details.signal}` : ''}`;
      return {
        outcome: 'UNKNOWN_ERROR',
        errorKind: 'NO_WORKER_REPORT',
        errorMessage: `Slurm job ${jobId} ended ${state || 'without a state'}${exit} and its jobmon-worker left no report (see the job's Slurm output file)`,
        exitCode,
      };
    }
  }
}

/** A job that neither squeue nor sacct knows any more (after a few cycles): lost, retried. */
export function outcomeOfLostJob(jobId: string): EndedJobOutcome {
  return {
    outcome: 'UNKNOWN_ERROR',
    errorKind: 'LOST',
    errorMessage: `Slurm has no record of job ${jobId} (neither squeue nor sacct)`,
    exitCode: null,
  };
}
