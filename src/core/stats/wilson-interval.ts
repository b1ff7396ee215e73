/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * Wilson score interval for a proportion (successes of trials): unlike the normal
 * approximation it stays inside [0, 1] and is honest for small samples and rates near
 * 0 or 1, which is where A/B arms of a young split live. Null when there are no trials.
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): Interval | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  // At 0 or all successes the bound is exactly 0 or 1; floating point would leave 1e-16 off.
  return { low: successes <= 0 ? 0 : Math.max(0, centre - half), high: successes >= trials ? 1 : Math.min(1, centre + half) };
}
