// Summaries of usage points for the usage page (pure).

/** Nearest-rank percentile of the measured values; null without any. */
export function percentileOf(values: readonly (number | null)[], p: number): number | null {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

/** Share of the requested amount left unused at the median (0.75 = three quarters wasted); null if unknown. */
export function medianWaste(
  used: readonly (number | null)[],
  requested: readonly (number | null)[],
): number | null {
  const ratios: number[] = [];
  used.forEach((u, i) => {
    const r = requested[i];
    if (u !== null && r !== null && r !== undefined && r > 0) ratios.push(1 - u / r);
  });
  return percentileOf(ratios, 50);
}

/** Used-vs-requested pairs with both known (the scatter's points). */
export function pairs(used: readonly (number | null)[], requested: readonly (number | null)[]) {
  const out: { used: number; requested: number }[] = [];
  used.forEach((u, i) => {
    const r = requested[i];
    if (u !== null && r !== null && r !== undefined) out.push({ used: u, requested: r });
  });
  return out;
}
