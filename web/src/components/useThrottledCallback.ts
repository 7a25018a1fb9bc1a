import { useEffect, useMemo, useRef } from 'react';

/**
 * A callback that runs at most once per `intervalMs`: the first call runs at once, later calls within the
 * interval are folded into one trailing run. Used to refetch aggregates after bursts of live events.
 */
export function useThrottledCallback(callback: () => void, intervalMs: number): () => void {
  const latest = useRef(callback);
  latest.current = callback;
  const state = useRef<{ last: number; timer: ReturnType<typeof setTimeout> | null }>({
    last: 0,
    timer: null,
  });
  useEffect(
    () => () => {
      if (state.current.timer) clearTimeout(state.current.timer);
    },
    [],
  );
  return useMemo(
    () => () => {
      const s = state.current;
      if (s.timer) return;
      const wait = s.last + intervalMs - Date.now();
      if (wait <= 0) {
        s.last = Date.now();
        latest.current();
        return;
      }
      s.timer = setTimeout(() => {
        s.timer = null;
        s.last = Date.now();
        latest.current();
      }, wait);
    },
    [intervalMs],
  );
}
