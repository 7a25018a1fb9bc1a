import { formatCount, formatDateTime, formatDuration } from './format';

describe('formatting', () => {
  it('prints dates with the year in full, year first, whatever the locale', () => {
    const local = new Date(2026, 11, 6, 9, 4, 5);
    expect(formatDateTime(local.toISOString())).toBe('2026-12-06 09:04:05');
    expect(formatDateTime(null)).toBe('—');
  });

  it('counts with the right number', () => {
    expect(formatCount(1, 'task')).toBe('1 task');
    expect(formatCount(0, 'task')).toBe('0 tasks');
    expect(formatCount(12345, 'task')).toBe('12,345 tasks');
  });
});

describe('durations', () => {
  it('prints under a second in milliseconds', () => {
    expect(formatDuration(0.035)).toBe('35 ms');
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(4.25)).toBe('4.3 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
  });
});
