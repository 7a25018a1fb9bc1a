import { DEFAULT_INPUT_LIMITS, inputLimitsFromEnv, jsonValueProblem, textProblem, utf8Tail } from './limits';

describe('utf8Tail', () => {
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

  it.each([65_535, 65_536, 70_000, 1024 * 1024])(
    'keeps the last 65,535 bytes of %d bytes of ASCII',
    (size) => {
      const text = 'a'.repeat(size - 1) + 'Z';
      const tail = utf8Tail(text, 65_535);
      expect(bytes(tail)).toBe(Math.min(size, 65_535));
      expect(tail.endsWith('Z')).toBe(true);
    },
  );

  it('cuts multi-byte text on a character boundary, keeping its end', () => {
    // 3-byte and 4-byte characters: no cut point of 10 bytes falls between two of them by chance.
    const text = '€😀'.repeat(10_000) + 'end';
    for (const max of [10, 11, 12, 13, 14, 65_535]) {
      const tail = utf8Tail(text, max);
      expect(bytes(tail)).toBeLessThanOrEqual(max);
      expect(bytes(tail)).toBeGreaterThan(max - 4);
      expect(tail).not.toContain('\ufffd');
      expect(text.endsWith(tail)).toBe(true);
    }
  });

  it('leaves text that fits as it is', () => {
    expect(utf8Tail('héllo', 6)).toBe('héllo');
    expect(utf8Tail('', 0)).toBe('');
  });
});

describe('textProblem', () => {
  it('counts names in characters, as MySQL does, and text in UTF-8 bytes', () => {
    expect(textProblem('😀'.repeat(255), 'name', 'name')).toBeNull();
    expect(textProblem('x'.repeat(256), 'name', 'name')).toBe('name is longer than 255 characters');
    expect(textProblem('x'.repeat(65_535), 'args', 'text')).toBeNull();
    expect(textProblem('€'.repeat(21_846), 'args', 'text')).toBe('args is longer than 65535 bytes');
    expect(textProblem('x'.repeat(65), 'errorKind', 'errorKind')).toMatch(/64 characters/);
    expect(textProblem('x'.repeat(1025), 'stdoutPath', 'path')).toMatch(/1024 characters/);
  });

  it('refuses NUL everywhere and takes nothing for nothing', () => {
    expect(textProblem('a\0b', 'key', 'name')).toBe('key contains a NUL character');
    expect(textProblem('a\0b', 'args', 'text')).toBe('args contains a NUL character');
    expect(textProblem(null, 'x', 'text')).toBeNull();
    expect(textProblem(undefined, 'x', 'name')).toBeNull();
  });

  it('follows lowered limits', () => {
    const limits = { ...DEFAULT_INPUT_LIMITS, maxNameLength: 3, maxTextBytes: 4 };
    expect(textProblem('abcd', 'n', 'name', limits)).toMatch(/3 characters/);
    expect(textProblem('ab€', 't', 'text', limits)).toMatch(/4 bytes/);
  });
});

describe('jsonValueProblem', () => {
  it('refuses JSON nested beyond the limit without using the stack', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonValueProblem(deep, 32)).toMatch(/deeper than 32/);
    let ok: unknown = 'leaf';
    for (let i = 0; i < 32; i++) ok = { a: ok };
    expect(jsonValueProblem(ok, 32)).toBeNull();
    expect(jsonValueProblem({ a: ok }, 32)).toMatch(/deeper than 32/);
  });

  it('refuses lone surrogates in strings and keys, and takes well-formed pairs', () => {
    expect(jsonValueProblem({ a: ['x\ud800'] }, 32)).toMatch(/lone UTF-16 surrogate/);
    expect(jsonValueProblem({ ['\udc00']: 1 }, 32)).toMatch(/lone UTF-16 surrogate/);
    expect(jsonValueProblem({ a: '😀', b: 'é' }, 32)).toBeNull();
  });
});

describe('inputLimitsFromEnv', () => {
  it('has documented defaults and takes lower values', () => {
    expect(inputLimitsFromEnv({})).toEqual({
      maxNameLength: 255,
      maxTextBytes: 65_535,
      maxTailBytes: 65_535,
      maxJsonDepth: 32,
      maxSearchLength: 1000,
    });
    expect(inputLimitsFromEnv({ JOBMON_MAX_TAIL_BYTES: '4096', JOBMON_MAX_JSON_DEPTH: '8' })).toMatchObject({
      maxTailBytes: 4096,
      maxJsonDepth: 8,
    });
  });

  it('refuses a limit above what its column stores, or not a positive integer', () => {
    expect(() => inputLimitsFromEnv({ JOBMON_MAX_TEXT_BYTES: '70000' })).toThrow(/1 to 65535/);
    expect(() => inputLimitsFromEnv({ JOBMON_MAX_NAME_LENGTH: '0x10' })).toThrow(/JOBMON_MAX_NAME_LENGTH/);
    expect(() => inputLimitsFromEnv({ JOBMON_MAX_SEARCH_LENGTH: '0' })).toThrow(/JOBMON_MAX_SEARCH_LENGTH/);
  });
});
