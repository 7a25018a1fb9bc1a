import { outcomeOfEndedJob, outcomeOfLostJob, type EndedJobOutcome } from './outcome';

// The outcome of a job whose worker left no report, for each final state Slurm can give.
describe('outcomeOfEndedJob', () => {
  const table: [state: string, cancelledByJobmon: boolean, expected: Partial<EndedJobOutcome>][] = [
    ['OUT_OF_MEMORY', false, { outcome: 'RESOURCE_ERROR', errorKind: 'OUT_OF_MEMORY' }],
    ['TIMEOUT', false, { outcome: 'RESOURCE_ERROR', errorKind: 'TIMEOUT' }],
    ['DEADLINE', false, { outcome: 'RESOURCE_ERROR', errorKind: 'TIMEOUT' }],
    ['NODE_FAIL', false, { outcome: 'UNKNOWN_ERROR', errorKind: 'NODE_FAIL' }],
    ['PREEMPTED', false, { outcome: 'UNKNOWN_ERROR', errorKind: 'PREEMPTED' }],
    ['BOOT_FAIL', false, { outcome: 'UNKNOWN_ERROR', errorKind: 'BOOT_FAIL' }],
    ['CANCELLED', true, { outcome: 'KILLED', errorKind: null }],
    ['CANCELLED', false, { outcome: 'ERROR', errorKind: 'CANCELLED' }],
    ['FAILED', false, { outcome: 'UNKNOWN_ERROR', errorKind: 'NO_WORKER_REPORT' }],
    ['COMPLETED', false, { outcome: 'UNKNOWN_ERROR', errorKind: 'NO_WORKER_REPORT' }],
    ['', false, { outcome: 'UNKNOWN_ERROR', errorKind: 'NO_WORKER_REPORT' }],
  ];

  it.each(table)('%s (cancelled by Jobmon: %s)', (state, cancelledByJobmon, expected) => {
    const outcome = outcomeOfEndedJob('7_1', state, { exitCode: 0, cancelledByJobmon });
    expect(outcome).toMatchObject({ ...expected, exitCode: 0 });
    expect(outcome.errorMessage).toContain('7_1');
  });

  it('names the exit code and signal of a job that ended by itself', () => {
    expect(
      outcomeOfEndedJob('7_1', 'FAILED', { exitCode: 1, signal: 9, cancelledByJobmon: false }).errorMessage,
    ).toMatch(/ended FAILED, exit code 1:9 and its jobmon-worker left no report/);
    expect(outcomeOfEndedJob('7_1', '', { cancelledByJobmon: false })).toMatchObject({
      exitCode: null,
      errorMessage: expect.stringMatching(/ended without a state and/),
    });
  });

  it('calls a job neither squeue nor sacct knows LOST (retried)', () => {
    expect(outcomeOfLostJob('7_1')).toEqual({
      outcome: 'UNKNOWN_ERROR',
      errorKind: 'LOST',
      errorMessage: 'Slurm has no record of job 7_1 (neither squeue nor sacct)',
      exitCode: null,
    });
  });
});
