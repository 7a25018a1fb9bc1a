import { ALL_TASK_STATUSES, TASK_GROUP_STATUS_PRIORITY, TaskStatus, mostPressingStatus } from './status';

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
