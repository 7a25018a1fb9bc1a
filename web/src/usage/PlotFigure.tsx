import * as Plot from '@observablehq/plot';
import { useEffect, useRef } from 'react';

/**
 * An Observable Plot chart rendered into a React element: `make` builds the plot's options, redrawn when
 * `deps` change. The element carries `data-chart` (its kind) and `data-points` (marks' data size).
 */
export function PlotFigure({
  kind,
  label,
  points,
  make,
}: {
  kind: string;
  label: string;
  points: number;
  make: () => Plot.PlotOptions;
}) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const host = ref.current;
    if (!host) return;
    const chart = Plot.plot({ ...make(), document: host.ownerDocument });
    host.replaceChildren(chart);
    return () => chart.remove();
  });
  return (
    <figure ref={ref} className="plot-figure" data-chart={kind} data-points={points} aria-label={label} />
  );
}
