import { formatMemory, formatSeconds } from './output';

describe('CLI value formatting', () => {
  it('prints durations under a second in milliseconds, longer ones in s, m and h', () => {
    expect(formatSeconds(0.035)).toBe('35ms');
    expect(formatSeconds(0)).toBe('0ms');
    expect(formatSeconds(4.25)).toBe('4.3s');
    expect(formatSeconds(185)).toBe('3m 05s');
    expect(formatSeconds(3720)).toBe('1h 02m');
    expect(formatSeconds(null)).toBe('-');
  });

  it('prints memory in M and G', () => {
    expect(formatMemory(512)).toBe('512M');
    expect(formatMemory(1536)).toBe('1.5G');
  });
});
