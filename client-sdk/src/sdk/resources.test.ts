import { WorkflowDefinitionError } from './errors';
import { parseMemoryMb, parseRuntimeSeconds, toResourcesInput } from './resources';

describe('parseMemoryMb', () => {
  it.each([
    [512, 512],
    [100.2, 101],
    ['2048', 2048],
    ['8G', 8192],
    ['8g', 8192],
    ['8GB', 8192],
    ['8GiB', 8192],
    ['1.5G', 1536],
    ['512M', 512],
    ['512MB', 512],
    ['1T', 1048576],
    ['1536K', 2],
    [' 4 G ', 4096],
  ])('%p → %p MiB', (input, expected) => expect(parseMemoryMb(input)).toBe(expected));

  it.each(['', 'G', '8X', '-1G', '0', 'eight', '8 G B'])('refuses %p', (input) =>
    expect(() => parseMemoryMb(input)).toThrow(/invalid memory/i),
  );
  it('refuses non-positive numbers', () => {
    expect(() => parseMemoryMb(0)).toThrow(/positive/);
    expect(() => parseMemoryMb(Number.NaN)).toThrow(/positive/);
  });
});

describe('parseRuntimeSeconds', () => {
  it.each([
    [60, 60],
    ['90', 90],
    ['2h', 7200],
    ['90m', 5400],
    ['45s', 45],
    ['1d', 86400],
    ['1h30m', 5400],
    ['1h 30m 15s', 5415],
    ['1.5h', 5400],
    ['02:00:00', 7200],
    ['1:30', 90],
    ['1-00:00:01', 86401],
    ['00:00:30', 30],
  ])('%p → %p s', (input, expected) => expect(parseRuntimeSeconds(input)).toBe(expected));

  it.each(['', 'h', '2x', '1:60', '1:2:3:4', '00:00:00', '-5', 'soon'])('refuses %p', (input) =>
    expect(() => parseRuntimeSeconds(input)).toThrow(/invalid runtime/i),
  );
});

describe('toResourcesInput', () => {
  it('converts strings and aliases into MiB and seconds', () => {
    expect(
      toResourcesInput({ memory: '8G', runtime: '2h', cores: 4, queue: 'all', extra: { qos: 'hi' } }, 'x'),
    ).toEqual({ memoryMb: 8192, runtimeSeconds: 7200, cores: 4, queue: 'all', extra: { qos: 'hi' } });
    expect(toResourcesInput({ memoryMb: 100, runtimeSeconds: '00:10:00' }, 'x')).toEqual({
      memoryMb: 100,
      runtimeSeconds: 600,
    });
    expect(toResourcesInput(undefined, 'x')).toBeUndefined();
  });

  it('names where every problem is', () => {
    let error: unknown;
    try {
      toResourcesInput({ memory: 'lots', cores: 0, runtime: 'soon' }, 'task "fit"');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkflowDefinitionError);
    expect((error as WorkflowDefinitionError).problems).toEqual([
      expect.stringMatching(/^task "fit": Invalid memory "lots"/),
      expect.stringMatching(/^task "fit": invalid cores 0/),
      expect.stringMatching(/^task "fit": Invalid runtime "soon"/),
    ]);
  });
});
