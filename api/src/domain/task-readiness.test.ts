import { TaskStatus } from '@jobmon/core';
import { tasksBecomingReady } from './task-readiness';

describe('tasksBecomingReady', () => {
  const candidate = (
    id: number,
    unfinishedUpstreams: number,
    status: TaskStatus = TaskStatus.REGISTERING,
  ) => ({
    id,
    workflowId: 7,
    status,
    unfinishedUpstreams,
  });

  it('queues a REGISTERING task once every upstream is DONE, and says why', () => {
    expect(tasksBecomingReady([candidate(1, 0)])).toEqual([
      { id: 1, workflowId: 7, from: TaskStatus.REGISTERING, to: TaskStatus.QUEUED, reason: 'upstream done' },
    ]);
  });

  it('leaves a task with any upstream not DONE (running, failed, fatal) waiting', () => {
    expect(tasksBecomingReady([candidate(1, 1), candidate(2, 3)])).toEqual([]);
  });

  it('never queues a task that is past REGISTERING (queued by a resume or an override meanwhile)', () => {
    const past = [TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.DONE, TaskStatus.ERROR_FATAL];
    expect(tasksBecomingReady(past.map((status, index) => candidate(index + 1, 0, status)))).toEqual([]);
  });

  it('decides each candidate on its own', () => {
    expect(
      tasksBecomingReady([candidate(1, 0), candidate(2, 1), candidate(3, 0)]).map((task) => task.id),
    ).toEqual([1, 3]);
  });
});
