import { useEffect, useMemo, useRef } from 'react';

/**
 * A callback that runs at most once per `intervalMs`: the first call runs at once, later calls within the
 * interval are folded into one trailing run. Used to refetch aggregates after bursts of live events.
 *
 * When `callback` returns a promise (a refetch), runs never overlap: calls made while it is pending are
 * folded into one run after it settles (and no sooner than `intervalMs` after it started), so a refetch
 * slower than the interval is not stacked on itself.
 */
export function useThrottledCallback(
  callback: () => void | Promise<unknown>,
  intervalMs: number,
): () => void {
  const latest = useRef(callback);
  latest.current = callback;
  const state = useRef({
    last: 0,
    timer: null as ReturnType<typeof setTimeout> | null,
    running: false,
    pending: false,
    unmounted: false,
  });
  useEffect(() => {
    const s = state.current;
    s.unmounted = false;
    return () => {
      s.unmounted = true;
      if (s.timer) clearTimeout(s.timer);
      s.timer = null;
    };
  }, []);
  return useMemo(() => {
    const s = state.current;
    const run = () => {
      s.last = Date.now();
      const result = latest.current();
      if (!isThenable(result)) return;
      s.running = true;
      // A failed run is the caller's to show (useQuery's error); the next one is still scheduled.
      const settled = () => {
        s.running = false;
        if (s.pending && !s.unmounted) {
          s.pending = false;
          call();
        }
      };
      result.then(settled, settled);
    };
    const call = () => {
      if (s.timer) return;
      if (s.running) {
        s.pending = true;
        return;
      }
      const wait = s.last + intervalMs - Date.now();
      if (wait <= 0) return run();
      s.timer = setTimeout(() => {
        s.timer = null;
        run();
      }, wait);
    };
    return call;
  }, [intervalMs]);
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
