import { BadUserInputError, NotFoundError } from '@jobmon/core';
import { EXIT, formatMemory, formatSeconds, reportError } from './output';

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

describe('CLI error reporting', () => {
  let written: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    written = [];
    spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => spy.mockRestore());

  it('gives a refusal raised in this process (--database-url) the exit code it has from the server', () => {
    expect(reportError(new NotFoundError('ApiToken', 99), false)).toBe(EXIT.NOT_FOUND);
    expect(written.join('')).toBe('jobmon: ApiToken 99 not found [NOT_FOUND]\n');
    written.length = 0;
    expect(reportError(new BadUserInputError('bad token', ['no user', 'no role']), true)).toBe(EXIT.REFUSED);
    expect(JSON.parse(written.join(''))).toEqual({
      error: { message: 'bad token', codes: ['BAD_USER_INPUT'], problems: ['no user', 'no role'] },
      exitCode: EXIT.REFUSED,
    });
  });
});
