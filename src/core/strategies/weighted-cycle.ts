const CACHE_LIMIT = 256;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * A weighted sequence made from `compute` (one full cycle in which member i appears
 * exactly weights[i] times): weights are floored to positive integers and reduced by
 * their greatest common divisor first, and cycles are memoised, because the hot path
 * asks for the same few weight sets over and over.
 */
export function weightedCycle(compute: (reduced: readonly number[]) => number[]): (weights: readonly number[]) => readonly number[] {
  const cache = new Map<string, readonly number[]>();
  return (weights) => {
    if (weights.length === 0) return [];
    const positive = weights.map((w) => Math.max(1, Math.floor(w)));
    const divisor = positive.reduce(gcd);
    const reduced = positive.map((w) => w / divisor);
    const key = reduced.join(',');
    let cycle = cache.get(key);
    if (!cycle) {
      cycle = compute(reduced);
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
      cache.set(key, cycle);
    }
    return cycle;
  };
}
