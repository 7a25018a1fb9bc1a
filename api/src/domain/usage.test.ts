import {
  concurrencySteps,
  evenSample,
  measuredAscending,
  percentile,
  roundMemoryUpMb,
  roundRuntimeUpSeconds,
  suggestResources,
} from './usage';

describe('percentile (nearest rank)', () => {
  it('gives the smallest value with p % of the values at or below it', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 10)).toBe(1);
    expect(percentile(values, 100)).toBe(10);
    expect(percentile([42], 1)).toBe(42);
  });

  it('has no value without measures, and a missing measure is not a 0', () => {
    expect(percentile([], 95)).toBeNull();
    const values = measuredAscending([300, null, 100, undefined, 200]);
    expect(values).toEqual([100, 200, 300]);
    expect(percentile(values, 1)).toBe(100);
  });
});

describe('suggestion rounding', () => {
  it('rounds memory up to 256 MB steps up to 4 GB, 1 GB steps above', () => {
    expect(roundMemoryUpMb(1)).toBe(256);
    expect(roundMemoryUpMb(256)).toBe(256);
    expect(roundMemoryUpMb(257)).toBe(512);
    expect(roundMemoryUpMb(4096)).toBe(4096);
    expect(roundMemoryUpMb(4097)).toBe(5120);
    expect(roundMemoryUpMb(0)).toBe(256);
  });

  it('rounds runtime up to whole minutes, at least one', () => {
    expect(roundRuntimeUpSeconds(0.2)).toBe(60);
    expect(roundRuntimeUpSeconds(60)).toBe(60);
    expect(roundRuntimeUpSeconds(61)).toBe(120);
    expect(roundRuntimeUpSeconds(3599)).toBe(3600);
  });

  it('suggests percentile × headroom, rounded up; nothing for a measure never taken', () => {
    expect(suggestResources({ maxRssMb: 1000, runtimeSeconds: 100 }, 1.2)).toEqual({
      memoryMb: 1280, // 1200 → 1280
      runtimeSeconds: 120, // 120 → 2 min
    });
    expect(suggestResources({ maxRssMb: 3500, runtimeSeconds: 3000 }, 1.5)).toEqual({
      memoryMb: 6144, // 5250 → 6 GB
      runtimeSeconds: 4500,
    });
    expect(suggestResources({ maxRssMb: null, runtimeSeconds: 10 })).toEqual({
      memoryMb: null,
      runtimeSeconds: 60,
    });
  });
});

describe('evenSample', () => {
  it('keeps everything under the cap and an even spread over it, ends included', () => {
    expect(evenSample([1, 2, 3], 5)).toEqual([1, 2, 3]);
    expect(evenSample([0, 1, 2, 3, 4, 5, 6, 7, 8], 3)).toEqual([0, 4, 8]);
    expect(evenSample([1, 2, 3], 0)).toEqual([]);
  });
});

describe('concurrencySteps', () => {
  it('folds +1/-1 changes into a step series, merging changes at one instant', () => {
    const changes = [
      { at: 0, delta: 1 },
      { at: 0, delta: 1 },
      { at: 5, delta: -1 },
      { at: 7, delta: 1 },
      { at: 9, delta: -1 },
      { at: 9, delta: -1 },
    ];
    expect(concurrencySteps(changes, 100)).toEqual({ at: [0, 5, 7, 9], running: [2, 1, 2, 0] });
  });

  it('never goes below 0, and keeps peaks when reducing to maxPoints', () => {
    expect(concurrencySteps([{ at: 1, delta: -1 }], 10)).toEqual({ at: [1], running: [0] });
    const changes = [];
    for (let i = 0; i < 1000; i++) changes.push({ at: i * 2, delta: 1 }, { at: i * 2 + 1, delta: -1 });
    changes.splice(1001, 0, { at: 1000.5, delta: 1 }); // 2 running from here to 1001
    changes.splice(1003, 0, { at: 1001.5, delta: -1 });
    const reduced = concurrencySteps(changes, 50);
    expect(reduced.at.length).toBeLessThanOrEqual(50);
    expect(Math.max(...reduced.running)).toBe(2);
    expect(reduced.running[reduced.running.length - 1]).toBe(0);
  });
});
