import { useEffect, useState } from 'react';
import { formatDuration, secondsBetween } from './format';

/** Time from `from` to `to`, or to now (ticking each second) while `to` is not known yet. */
export function Duration({ from, to }: { from: string | null | undefined; to: string | null | undefined }) {
  const [, setTick] = useState(0);
  const live = Boolean(from) && !to;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [live]);
  return <>{formatDuration(secondsBetween(from, to))}</>;
}
