/** @jest-environment jsdom */
import { act, renderHook } from '@testing-library/react';
import { useThrottledCallback } from './useThrottledCallback';

// Fake timers: the interval passes when the test says so.
beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** A callback whose runs the test ends, one promise each. */
function deferredRuns() {
  const runs: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const callback = () =>
    new Promise<void>((resolve, reject) => {
      runs.push({ resolve, reject });
    });
  return { runs, callback };
}

/** Lets the settled promise's handlers run. */
const settle = () => act(async () => undefined);

describe('useThrottledCallback', () => {
  it('runs the first call at once and folds the calls within the interval into one trailing run', () => {
    const callback = jest.fn();
    const { result } = renderHook(() => useThrottledCallback(callback, 1000));
    result.current();
    expect(callback).toHaveBeenCalledTimes(1);
    result.current();
    result.current();
    result.current();
    act(() => jest.advanceTimersByTime(999));
    expect(callback).toHaveBeenCalledTimes(1);
    act(() => jest.advanceTimersByTime(1));
    expect(callback).toHaveBeenCalledTimes(2);
    act(() => jest.advanceTimersByTime(5000));
    expect(callback).toHaveBeenCalledTimes(2);
  });

  it('never starts a run while the previous one is pending: the calls meanwhile make one run after it', async () => {
    const { runs, callback } = deferredRuns();
    const { result } = renderHook(() => useThrottledCallback(callback, 1000));
    result.current();
    expect(runs).toHaveLength(1);
    result.current();
    result.current();
    // The interval passes, the first run has not ended: nothing starts.
    act(() => jest.advanceTimersByTime(10_000));
    expect(runs).toHaveLength(1);
    runs[0]!.resolve();
    await settle();
    expect(runs).toHaveLength(2);
    // The second run fails; a later call still runs (after the interval).
    runs[1]!.reject(new Error('network'));
    await settle();
    result.current();
    expect(runs).toHaveLength(2);
    act(() => jest.advanceTimersByTime(1000));
    expect(runs).toHaveLength(3);
  });

  it('waits out the interval after a quick run', async () => {
    const { runs, callback } = deferredRuns();
    const { result } = renderHook(() => useThrottledCallback(callback, 1000));
    result.current();
    runs[0]!.resolve();
    await settle();
    result.current();
    result.current();
    expect(runs).toHaveLength(1);
    act(() => jest.advanceTimersByTime(1000));
    expect(runs).toHaveLength(2);
  });

  it('runs nothing after unmount', async () => {
    const { runs, callback } = deferredRuns();
    const { result, unmount } = renderHook(() => useThrottledCallback(callback, 1000));
    result.current();
    result.current();
    unmount();
    runs[0]!.resolve();
    await settle();
    act(() => jest.advanceTimersByTime(5000));
    expect(runs).toHaveLength(1);
  });
});
