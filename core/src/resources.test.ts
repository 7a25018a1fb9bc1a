import { BadUserInputError } from './errors';
import { mergeScales, parseMemory, parseRuntime, validateResources, validateScales } from './resources';

const caught = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('parseMemory', () => {
  it.each<[string | number, number]>([
    [512, 512],
    [1.2, 2],
    ['1024', 1024],
    ['512M', 512],
    ['512MB', 512],
    ['512mib', 512],
    ['8G', 8192],
    ['8GB', 8192],
    ['8GiB', 8192],
    ['8g', 8192],
    ['1.5G', 1536],
    ['.5G', 512],
    ['2T', 2097152],
    ['2048K', 2],
    ['512K', 1],
    [' 4 gb ', 4096],
  ])('parses %p as %p MiB', (input, mib) => {
    expect(parseMemory(input)).toBe(mib);
  });

  it.each<string | number>([
    '',
    'lots',
    '0',
    '0G',
    '-1G',
    '8X',
    '8GBB',
    'G',
    '1e3M',
    '8 G B',
    0,
    -5,
    NaN,
    Infinity,
  ])('refuses %p', (input) => {
    expect(() => parseMemory(input)).toThrow(BadUserInputError);
  });

  it('says what it expected', () => {
    const error = caught(() => parseMemory('lots')) as BadUserInputError;
    expect(error).toBeInstanceOf(BadUserInputError);
    expect(error.message).toBe('Invalid memory "lots": expected a positive amount such as 512M, 8G or 1.5T');
    expect(error.problems).toEqual([error.message]);
  });
});

describe('parseRuntime', () => {
  it.each<[string | number, number]>([
    [3600, 3600],
    [90.5, 91],
    ['90', 90],
    ['90s', 90],
    ['30m', 1800],
    ['2h', 7200],
    ['2H', 7200],
    ['1d', 86400],
    ['1h30m', 5400],
    ['1h 30m 15s', 5415],
    ['1d2h', 93600],
    ['1.5h', 5400],
    ['01:30:00', 5400],
    ['1:2:3', 3723],
    ['90:00', 5400],
    ['1:05', 65],
    ['0:00:30', 30],
    ['1-12:00:00', 129600],
    ['2-00', 172800],
    ['1-02:03', 93780],
  ])('parses %p as %p seconds', (input, seconds) => {
    expect(parseRuntime(input)).toBe(seconds);
  });

  it.each<string | number>([
    '',
    'soon',
    '0',
    '0s',
    '0:00',
    '30m1h',
    '1h1h',
    '1:60',
    '1:61:00',
    '1-24:00:00',
    '1:2:3:4',
    '-5',
    '1x',
    'h',
    0,
    -1,
    NaN,
  ])('refuses %p', (input) => {
    expect(() => parseRuntime(input)).toThrow(BadUserInputError);
  });

  it('says what it expected', () => {
    const error = caught(() => parseRuntime('soon')) as BadUserInputError;
    expect(error.message).toBe(
      'Invalid runtime "soon": expected a positive duration such as 3600, 90s, 30m, 1h30m, 2:30:00 or 1-12:00:00',
    );
    expect(error.problems).toEqual([error.message]);
  });
});

describe('validateResources', () => {
  const where = 'task "fit-1"';

  it('accepts valid and absent fields', () => {
    expect(validateResources(null, where)).toEqual([]);
    expect(validateResources(undefined, where)).toEqual([]);
    expect(validateResources({}, where)).toEqual([]);
    expect(
      validateResources(
        { memoryMb: null, cores: null, runtimeSeconds: null, queue: null, extra: null },
        where,
      ),
    ).toEqual([]);
    expect(
      validateResources(
        { memoryMb: 1, cores: 64, runtimeSeconds: 86400, queue: 'q'.repeat(255), extra: { a: [1] } },
        where,
      ),
    ).toEqual([]);
  });

  it('refuses non-positive, fractional and NaN amounts, naming the task', () => {
    expect(validateResources({ memoryMb: 0 }, where)).toEqual([
      'task "fit-1": memoryMb must be a positive integer (got 0)',
    ]);
    expect(validateResources({ memoryMb: -1, cores: 1.5, runtimeSeconds: NaN }, where)).toEqual([
      'task "fit-1": memoryMb must be a positive integer (got -1)',
      'task "fit-1": cores must be a positive integer (got 1.5)',
      'task "fit-1": runtimeSeconds must be a positive integer (got NaN)',
    ]);
    expect(validateResources({ runtimeSeconds: Infinity }, where)).toEqual([
      'task "fit-1": runtimeSeconds must be a positive integer (got Infinity)',
    ]);
    expect(validateResources({ memoryMb: '1024' as unknown as number }, where)).toEqual([
      'task "fit-1": memoryMb must be a positive integer (got "1024")',
    ]);
  });

  it('refuses an empty, blank or over-long queue', () => {
    expect(validateResources({ queue: '' }, where)).toEqual([
      'task "fit-1": queue must be a non-empty string (got "")',
    ]);
    expect(validateResources({ queue: '  ' }, where)).toEqual([
      'task "fit-1": queue must be a non-empty string (got "  ")',
    ]);
    expect(validateResources({ queue: 'q'.repeat(256) }, 'template "fit"')).toEqual([
      'template "fit": queue must be at most 255 characters (got 256)',
    ]);
  });

  it('refuses an extra that is not a plain object', () => {
    expect(validateResources({ extra: [] as unknown as Record<string, unknown> }, where)).toEqual([
      'task "fit-1": extra must be a plain object (got an array)',
    ]);
    expect(validateResources({ extra: 'x' as unknown as Record<string, unknown> }, where)).toEqual([
      'task "fit-1": extra must be a plain object (got "x")',
    ]);
    expect(validateResources({ extra: Object.create(null) as Record<string, unknown> }, where)).toEqual([]);
  });
});

describe('validateScales', () => {
  it('accepts finite scales >= 0 and absent ones', () => {
    expect(validateScales({ memory: 0, runtime: 2.5 }, 'workflow "w"')).toEqual([]);
    expect(validateScales({ memory: null }, 'workflow "w"')).toEqual([]);
    expect(validateScales(null, 'workflow "w"')).toEqual([]);
  });

  it('refuses negative and non-finite scales', () => {
    expect(validateScales({ memory: -0.1, runtime: Infinity }, 'workflow "w"')).toEqual([
      'workflow "w": memory scale must be a finite number >= 0 (got -0.1)',
      'workflow "w": runtime scale must be a finite number >= 0 (got Infinity)',
    ]);
    expect(validateScales({ runtime: NaN }, 'template "fit"')).toEqual([
      'template "fit": runtime scale must be a finite number >= 0 (got NaN)',
    ]);
  });
});

describe('mergeScales', () => {
  it('a measure given replaces the whole scale of that measure; the other measure is kept', () => {
    expect(mergeScales({ memoryFactors: [0.5, 1], runtime: 0.2 }, { memory: 0.3 })).toEqual({
      memory: 0.3,
      runtime: 0.2,
    });
    expect(mergeScales({ memory: 0.5, runtime: 0.2 }, { runtimeFactors: [1, 2] })).toEqual({
      memory: 0.5,
      runtimeFactors: [1, 2],
    });
  });

  it('a list given with a factor for the same measure is the one kept (a list wins, as in escalation)', () => {
    expect(mergeScales(null, { memory: 0.1, memoryFactors: [2] })).toEqual({ memoryFactors: [2] });
  });

  it('nothing given keeps the current scales; none at all is null', () => {
    expect(mergeScales({ memory: 0.5 }, {})).toEqual({ memory: 0.5 });
    expect(mergeScales(null, { memory: null })).toBeNull();
  });
});
