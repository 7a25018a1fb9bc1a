import { formatCount } from './format';

describe('formatCount', () => {
  it('puts the noun in the plural unless there is exactly one, with thousands separated', () => {
    expect(formatCount(1, 'workflow')).toBe('1 workflow');
    expect(formatCount(0, 'workflow')).toBe('0 workflows');
    expect(formatCount(2, 'DONE attempt')).toBe('2 DONE attempts');
    expect(formatCount(12345, 'task')).toBe('12,345 tasks');
  });

  it('takes the plural of a noun that is not made plural with an s', () => {
    expect(formatCount(1, 'retry', 'retries')).toBe('1 retry');
    expect(formatCount(3, 'retry', 'retries')).toBe('3 retries');
  });
});
