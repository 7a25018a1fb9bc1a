import { IllegalTransitionError } from '@jobmon/core';
import { TaskStatus as T } from '@jobmon/core';
import { planTaskOverride } from './task-override';

describe('planTaskOverride', () => {
  const task = (id: number, status: T) => ({ id, workflowId: 7, status });

  it.each([
    ['DONE by hand', [task(1, T.ERROR_FATAL)], T.DONE, [{ id: 1, from: T.ERROR_FATAL, to: T.DONE }]],
    [
      'a rerun waits for its upstreams',
      [task(1, T.DONE)],
      T.QUEUED,
      [{ id: 1, from: T.DONE, to: T.REGISTERING }],
    ],
    ['given up by hand', [task(1, T.QUEUED)], T.ERROR_FATAL, [{ id: 1, from: T.QUEUED, to: T.ERROR_FATAL }]],
    [
      'a task already there does not move',
      [task(1, T.DONE), task(2, T.ERROR_FATAL)],
      T.DONE,
      [{ id: 2, from: T.ERROR_FATAL, to: T.DONE }],
    ],
  ] as const)('%s', (_name, tasks, status, expected) => {
    expect(planTaskOverride(tasks, status, 'set by hand')).toEqual(
      expected.map((move) => ({ ...move, workflowId: 7, reason: 'set by hand' })),
    );
  });

  it('refuses the whole override when one task cannot make the move, naming it', () => {
    const tasks = [task(1, T.ERROR_FATAL), task(2, T.ADJUSTING_RESOURCES)];
    expect(() => planTaskOverride(tasks, T.DONE, 'set by hand')).toThrow(IllegalTransitionError);
    expect(() => planTaskOverride(tasks, T.DONE, 'set by hand')).toThrow(/2/);
  });
});
