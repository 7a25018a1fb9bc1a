import { runControlRefusal } from './run-control';
import { ALL_WORKFLOW_RUN_STATUSES, WorkflowRunStatus as WR } from '@jobmon/core';

describe('runControlRefusal', () => {
  it('says in the user’s terms why a finished workflow cannot be stopped or resumed', () => {
    const done = { id: 9, status: WR.DONE };
    expect(runControlRefusal('resume', 2, done)).toBe('workflow 2 is already DONE: nothing to resume');
    expect(runControlRefusal('resume', 2, done, 'HOT')).toBe('workflow 2 is already DONE: nothing to resume');
    expect(runControlRefusal('stop', 2, done)).toBe('workflow 2 is already DONE: nothing to stop');
    expect(runControlRefusal('stop', 2, { id: 9, status: WR.STOPPED })).toBe(
      'workflow 2 is not running (its latest run 9 is STOPPED): nothing to stop',
    );
    expect(runControlRefusal('resume', 2, { id: 9, status: WR.COLD_RESUME })).toMatch(
      /already being resumed/,
    );
  });

  it('refuses exactly what the state machine refuses, and never speaks of transitions', () => {
    for (const status of ALL_WORKFLOW_RUN_STATUSES)
      for (const action of ['stop', 'resume'] as const) {
        const refusal = runControlRefusal(action, 1, { id: 1, status });
        expect(refusal ?? '').not.toMatch(/->|transition/i);
      }
    expect(runControlRefusal('stop', 1, { id: 1, status: WR.RUNNING })).toBeNull();
    expect(runControlRefusal('resume', 1, { id: 1, status: WR.ERROR })).toBeNull();
    expect(runControlRefusal('resume', 1, { id: 1, status: WR.STOPPED }, 'HOT')).toBeNull();
  });
});
