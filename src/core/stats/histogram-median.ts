/** One value and how many times it occurs (a database's GROUP BY of durations). */
export type HistogramBin = readonly [value: number, count: number];

/**
 * The median of values given as a histogram, so a database can group durations instead
 * of returning every call: the middle value, or the mean of the two middle ones for an
 * even count. Null when empty. Bins may come in any order.
 */
export function histogramMedian(bins: readonly HistogramBin[]): number | null {
  const sorted = bins.filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((s, [, c]) => s + c, 0);
  if (total === 0) return null;
  // 0-based ranks of the middle value(s).
  const lowRank = Math.floor((total - 1) / 2);
  const highRank = Math.floor(total / 2);
  let seen = 0;
  let low: number | null = null;
  for (const [value, count] of sorted) {
    seen += count;
    if (low === null && seen > lowRank) low = value;
    if (seen > highRank) return (low! + value) / 2;
  }
  return low;
}
