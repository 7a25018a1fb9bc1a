import {
  ALL_TASK_STATUSES,
  TASK_GROUP_STATUS_PRIORITY,
  TaskStatus,
  isTaskRetrying,
  mostPressingStatus,
} from './status';

describe('the status a collapsed group of tasks shows', () => {
  it('ranks every task status once', () => {
    expect([...TASK_GROUP_STATUS_PRIORITY].sort()).toEqual([...ALL_TASK_STATUSES].sort());
  });

  it.each([
    [['DONE', 'ERROR_FATAL', 'RUNNING'], 'ERROR_FATAL'],
    [['DONE', 'QUEUED', 'RUNNING'], 'RUNNING'],
    [['DONE', 'QUEUED'], 'QUEUED'],
    [['DONE'], 'DONE'],
    [[], 'REGISTERING'],
  ] as [TaskStatus[], TaskStatus][])('%p shows %s', (present, shown) => {
    expect(mostPressingStatus((status) => present.includes(status))).toBe(shown);
  });
});

describe('which tasks are retrying', () => {
  it.each([
    ['REGISTERING', 3, false],
    ['QUEUED', 0, false],
    ['QUEUED', 1, true],
    ['INSTANTIATING', 1, false],
    ['INSTANTIATING', 2, true],
    ['LAUNCHED', 1, false],
    ['LAUNCHED', 2, true],
    ['RUNNING', 1, false],
    ['RUNNING', 3, true],
    ['ERROR_RECOVERABLE', 1, true],
    ['ADJUSTING_RESOURCES', 1, true],
    ['DONE', 2, false],
    ['ERROR_FATAL', 3, false],
  ] as [TaskStatus, number, boolean][])('%s after %d attempts: %p', (status, attempts, retrying) => {
    expect(isTaskRetrying(status, attempts)).toBe(retrying);
  });
});
