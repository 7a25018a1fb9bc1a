import { TaskInstanceStatus, TaskStatus, WorkflowRunStatus, WorkflowStatus } from '../generated/graphql';
import {
  countsByGroup,
  mostPressingStatus,
  STATUS_GROUPS,
  statusGroupOf,
  TASK_INSTANCE_STATUS_GROUP,
  TASK_STATUS_GROUP,
  WORKFLOW_RUN_STATUS_GROUP,
  WORKFLOW_STATUS_GROUP,
} from './statusStyle';

describe('status groups', () => {
  it('gives every status of every enum a group', () => {
    expect(Object.keys(TASK_STATUS_GROUP).sort()).toEqual(Object.values(TaskStatus).sort());
    expect(Object.keys(TASK_INSTANCE_STATUS_GROUP).sort()).toEqual(Object.values(TaskInstanceStatus).sort());
    expect(Object.keys(WORKFLOW_STATUS_GROUP).sort()).toEqual(Object.values(WorkflowStatus).sort());
    expect(Object.keys(WORKFLOW_RUN_STATUS_GROUP).sort()).toEqual(Object.values(WorkflowRunStatus).sort());
  });

  it('tells groups apart by colour and by icon (not by colour alone)', () => {
    const styles = Object.values(STATUS_GROUPS);
    expect(new Set(styles.map((s) => s.color)).size).toBe(styles.length);
    expect(new Set(styles.map((s) => s.icon)).size).toBe(styles.length);
    // Problem groups are hatched as well.
    expect(STATUS_GROUPS.failed.fill).toMatch(/repeating-linear-gradient/);
    expect(STATUS_GROUPS.retrying.fill).toMatch(/repeating-linear-gradient/);
  });

  it('writes text on each status colour with a WCAG contrast of at least 4.5:1', () => {
    const luminance = (hex: string) => {
      const [r, g, b] = (
        hex.length === 4 ? [...hex.slice(1)].map((c) => c + c) : hex.slice(1).match(/../g)!
      ).map((channel) => {
        const value = parseInt(channel, 16) / 255;
        return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    for (const style of Object.values(STATUS_GROUPS)) {
      const [light, dark] = [luminance(style.color), luminance(style.textColor)].sort((a, b) => b - a);
      expect((light! + 0.05) / (dark! + 0.05)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('finds the group of any status string', () => {
    expect(statusGroupOf('ERROR_FATAL')).toBe('failed');
    expect(statusGroupOf('RESOURCE_ERROR')).toBe('failed');
    expect(statusGroupOf('HALTED')).toBe('halted');
    expect(statusGroupOf('DONE')).toBe('done');
  });

  it('shows a group of tasks by its most pressing status', () => {
    expect(mostPressingStatus([{ status: 'DONE', count: 5 }])).toBe('DONE');
    expect(
      mostPressingStatus([
        { status: 'DONE', count: 5 },
        { status: 'RUNNING', count: 1 },
        { status: 'QUEUED', count: 2 },
      ]),
    ).toBe('RUNNING');
    expect(
      mostPressingStatus([
        { status: 'RUNNING', count: 1 },
        { status: 'ERROR_FATAL', count: 1 },
      ]),
    ).toBe('ERROR_FATAL');
    expect(mostPressingStatus([{ status: 'ERROR_FATAL', count: 0 }])).toBe('REGISTERING');
  });

  it('sums counts per group in display order, leaving out zeros', () => {
    expect(
      countsByGroup([
        { status: 'QUEUED', count: 2 },
        { status: 'REGISTERING', count: 3 },
        { status: 'DONE', count: 4 },
        { status: 'RUNNING', count: 0 },
      ]),
    ).toEqual([
      { group: 'done', count: 4 },
      { group: 'pending', count: 5 },
    ]);
  });

  it('counts a task on a retry as retrying whatever its status, each task in one group', () => {
    expect(
      countsByGroup([
        { status: 'QUEUED', count: 3, retrying: 1 },
        { status: 'RUNNING', count: 4, retrying: 4 },
        { status: 'LAUNCHED', count: 2, retrying: 1 },
        { status: 'ERROR_RECOVERABLE', count: 1, retrying: 1 },
        { status: 'DONE', count: 5, retrying: 0 },
      ]),
    ).toEqual([
      { group: 'done', count: 5 },
      { group: 'launched', count: 1 },
      { group: 'retrying', count: 7 },
      { group: 'pending', count: 2 },
    ]);
  });
});
