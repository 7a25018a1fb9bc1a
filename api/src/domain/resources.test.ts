import {
  BadUserInputError,
  DEFAULT_RESOURCES,
  DEFAULT_RESOURCE_SCALES,
  fitsQueue,
  MAX_SCALE_FACTORS,
  mergeResources,
  placeInQueues,
  resourcesHash,
  scaleFor,
  scaleResources,
  validateScales,
} from './index';
import type { QueueBounds, ResolvedResources } from './index';

describe('defaults', () => {
  it('are 1 GiB, 1 core, 1 hour, no queue, and +50% scales', () => {
    expect(DEFAULT_RESOURCES).toEqual({
      memoryMb: 1024,
      cores: 1,
      runtimeSeconds: 3600,
      queue: null,
      extra: {},
    });
    expect(DEFAULT_RESOURCE_SCALES).toEqual({ memory: 0.5, runtime: 0.5 });
  });
});

describe('mergeResources', () => {
  it('lets the first layer that sets a field win, and merges extra key by key', () => {
    const task = { memoryMb: 2048, extra: { account: 'task_acct' } };
    const template = { memoryMb: 4096, cores: 4, queue: 'long.q', extra: { account: 'tpl_acct', gpus: 1 } };
    const workflow = { runtimeSeconds: 7200, queue: 'all.q', extra: { constraints: ['avx2'] } };
    expect(mergeResources(task, template, workflow, DEFAULT_RESOURCES)).toEqual({
      memoryMb: 2048,
      cores: 4,
      runtimeSeconds: 7200,
      queue: 'long.q',
      extra: { account: 'task_acct', gpus: 1, constraints: ['avx2'] },
    });
  });

  it('treats null and undefined fields (and layers) as unset', () => {
    expect(
      mergeResources({ memoryMb: null, cores: undefined, queue: null, extra: null }, null, undefined, {
        memoryMb: 512,
        cores: 2,
        queue: 'q',
      }),
    ).toEqual({ memoryMb: 512, cores: 2, runtimeSeconds: 3600, queue: 'q', extra: {} });
  });

  it('falls back to the defaults when no layer sets a field', () => {
    expect(mergeResources()).toEqual({
      memoryMb: 1024,
      cores: 1,
      runtimeSeconds: 3600,
      queue: null,
      extra: {},
    });
  });

  it('keeps an extra key set to null (only undefined is unset there)', () => {
    expect(mergeResources({ extra: { a: null, b: undefined } }, { extra: { a: 1, b: 2 } }).extra).toEqual({
      a: null,
      b: 2,
    });
  });

  it('returns a fresh extra object', () => {
    const merged = mergeResources(DEFAULT_RESOURCES);
    merged.extra.x = 1;
    expect(DEFAULT_RESOURCES.extra).toEqual({});
  });
});

describe('resourcesHash', () => {
  // Expected digests computed with `printf '%s' '<canonical json>' | sha256sum`.
  it('is the sha256 of the canonical JSON', () => {
    expect(resourcesHash({ memoryMb: 1024, cores: 1, runtimeSeconds: 3600, queue: null, extra: {} })).toBe(
      '92b41ae416a8b8a7f0742d3dedb8728f518c65e3d425cd5a3bc9edeb4db4baa4',
    );
    expect(
      resourcesHash({
        queue: 'long.q',
        runtimeSeconds: 86400,
        extra: { constraints: ['avx2'], account: 'proj_x' },
        cores: 4,
        memoryMb: 8192,
      }),
    ).toBe('9bf7e868c0a4f075b9fe5addcc3f134fe6e747ed5f4603245142a25fa311cb18');
  });

  it('ignores properties outside the five resource fields', () => {
    const r = { memoryMb: 1024, cores: 1, runtimeSeconds: 3600, queue: null, extra: {}, id: 7 };
    expect(resourcesHash(r)).toBe('92b41ae416a8b8a7f0742d3dedb8728f518c65e3d425cd5a3bc9edeb4db4baa4');
  });
});

describe('scaleResources', () => {
  const r: ResolvedResources = {
    memoryMb: 1000,
    cores: 2,
    runtimeSeconds: 3600,
    queue: 'all.q',
    extra: { x: 1 },
  };

  it('raises memory, runtime or both by (1 + scale)', () => {
    const scales = { memory: 0.5, runtime: 0.1 };
    expect(scaleResources(r, scales, 'both')).toEqual({ ...r, memoryMb: 1500, runtimeSeconds: 3960 });
    expect(scaleResources(r, scales, 'memory')).toEqual({ ...r, memoryMb: 1500, runtimeSeconds: 3600 });
    expect(scaleResources(r, scales, 'runtime')).toEqual({ ...r, memoryMb: 1000, runtimeSeconds: 3960 });
  });

  it('rounds up to whole units, without floating-point dust', () => {
    expect(scaleResources({ ...r, memoryMb: 1001 }, { memory: 0.5 }, 'memory').memoryMb).toBe(1502);
    expect(scaleResources(r, { memory: 0.1 }, 'memory').memoryMb).toBe(1100);
    expect(scaleResources({ ...r, runtimeSeconds: 1 }, { runtime: 0.01 }, 'runtime').runtimeSeconds).toBe(2);
  });

  it('uses the default +50% for an unset scale and leaves a 0 scale alone', () => {
    expect(scaleResources(r, {}, 'both')).toEqual({ ...r, memoryMb: 1500, runtimeSeconds: 5400 });
    expect(scaleResources(r, { memory: 0, runtime: null }, 'both')).toEqual({ ...r, runtimeSeconds: 5400 });
  });

  it('refuses a negative scale and does not touch its input', () => {
    expect(() => scaleResources(r, { memory: -0.5 }, 'memory')).toThrow(
      new BadUserInputError('resource scales: memory scale must be a finite number >= 0 (got -0.5)'),
    );
    expect(r).toEqual({ memoryMb: 1000, cores: 2, runtimeSeconds: 3600, queue: 'all.q', extra: { x: 1 } });
  });
});

describe('queues', () => {
  const short: QueueBounds = { name: 'short.q', maxCores: 8, maxMemoryMb: 16384, maxRuntimeSeconds: 3600 };
  const long: QueueBounds = { name: 'long.q', maxCores: 32, maxMemoryMb: 65536, maxRuntimeSeconds: 604800 };
  const gpu: QueueBounds = { name: 'gpu.q', minCores: 4, maxCores: 16, maxMemoryMb: null };
  const small: ResolvedResources = { memoryMb: 4096, cores: 2, runtimeSeconds: 1800, queue: null, extra: {} };

  describe('fitsQueue', () => {
    it('checks every bound, inclusive, and treats null bounds as unbounded', () => {
      expect(fitsQueue(small, short)).toBe(true);
      expect(fitsQueue({ ...small, cores: 8, memoryMb: 16384, runtimeSeconds: 3600 }, short)).toBe(true);
      expect(fitsQueue({ ...small, cores: 9 }, short)).toBe(false);
      expect(fitsQueue({ ...small, memoryMb: 16385 }, short)).toBe(false);
      expect(fitsQueue({ ...small, runtimeSeconds: 3601 }, short)).toBe(false);
      expect(fitsQueue(small, gpu)).toBe(false);
      expect(fitsQueue({ ...small, cores: 4, memoryMb: 10_000_000 }, gpu)).toBe(true);
      expect(fitsQueue({ ...small, cores: 1000 }, { name: 'any.q' })).toBe(true);
    });
  });

  describe('placeInQueues', () => {
    it('picks the first queue that fits, setting its name', () => {
      expect(placeInQueues(small, [short, long])).toEqual({
        resources: { ...small, queue: 'short.q' },
        queue: 'short.q',
        coerced: false,
      });
      const slow = { ...small, runtimeSeconds: 7200 };
      expect(placeInQueues(slow, [short, long])).toEqual({
        resources: { ...slow, queue: 'long.q' },
        queue: 'long.q',
        coerced: false,
      });
    });

    it("clamps to the last queue's bounds when none fits", () => {
      const huge = {
        memoryMb: 100_000,
        cores: 64,
        runtimeSeconds: 864_000,
        queue: 'short.q',
        extra: { a: 1 },
      };
      expect(placeInQueues(huge, [short, long])).toEqual({
        resources: { memoryMb: 65536, cores: 32, runtimeSeconds: 604800, queue: 'long.q', extra: { a: 1 } },
        queue: 'long.q',
        coerced: true,
      });
      expect(huge.memoryMb).toBe(100_000);
    });

    it('raises cores to the minimum and leaves unbounded amounts alone', () => {
      expect(placeInQueues({ ...small, memoryMb: 999_999, runtimeSeconds: 999_999 }, [gpu])).toEqual({
        resources: { memoryMb: 999_999, cores: 4, runtimeSeconds: 999_999, queue: 'gpu.q', extra: {} },
        queue: 'gpu.q',
        coerced: true,
      });
    });

    it('throws for an empty queue list', () => {
      expect(() => placeInQueues(small, [])).toThrow(new BadUserInputError('No queue to place the task in'));
    });
  });
});

describe('scale factors per resource failure (Jobmon’s list of scales)', () => {
  const base = { memoryMb: 1000, cores: 1, runtimeSeconds: 100, queue: null, extra: {} };

  it('takes the factor of the n-th failure, the last once the list is used up; a list wins over one factor', () => {
    const scales = { memory: 0.1, memoryFactors: [0.5, 1, 2] };
    expect([1, 2, 3, 4, 9].map((failure) => scaleFor(scales, 'memory', failure))).toEqual([0.5, 1, 2, 2, 2]);
    expect(scaleFor(scales, 'runtime', 2)).toBe(DEFAULT_RESOURCE_SCALES.runtime);
    expect(scaleFor({ runtime: 0.25 }, 'runtime', 5)).toBe(0.25);
    expect(scaleResources(base, scales, 'memory', 2)).toMatchObject({ memoryMb: 2000, runtimeSeconds: 100 });
    expect(scaleResources(base, { runtimeFactors: [0, 3] }, 'both', 1)).toMatchObject({
      memoryMb: 1500,
      runtimeSeconds: 100,
    });
  });

  it('refuses an empty list, a list too long, and negative or non-finite factors', () => {
    expect(validateScales({ memoryFactors: [] }, 'task "a"')).toEqual([
      `task "a": memoryFactors must be a list of 1 to ${MAX_SCALE_FACTORS} scales`,
    ]);
    expect(validateScales({ runtimeFactors: new Array(MAX_SCALE_FACTORS + 1).fill(1) }, 'x')).toHaveLength(1);
    expect(validateScales({ memoryFactors: [0.5, -1] }, 'x')[0]).toMatch(/finite numbers >= 0/);
    expect(validateScales({ memoryFactors: [0.5, 1], runtimeFactors: [0] }, 'x')).toEqual([]);
  });
});
