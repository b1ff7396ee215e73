/**
 * One full cycle of a weighted sequence in which every prefix is fair to within one:
 * after n steps member i has appeared within 1 of n·w_i/W times (the weights' total
 * W). Smooth weighted round robin (smooth-weighted-sequence.ts) strays a little beyond
 * one for some weight sets, which an A/B split promising "within 1 of N·percent"
 * cannot allow. This is the quota method: at each step only members still under their
 * upper quota may go, and among them the one whose next turn falls due first
 * (earliest deadline), which also keeps every member above its lower quota.
 * Weights are reduced by their greatest common divisor; cycles are memoised.
 */
const cache = new Map<string, readonly number[]>();
const CACHE_LIMIT = 256;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function computeCycle(weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  const count = weights.map(() => 0);
  const cycle: number[] = [];
  for (let n = 1; n <= total; n++) {
    let best = -1;
    for (let i = 0; i < weights.length; i++) {
      // Upper quota: i may go only while count·W < n·w (integers, so exact).
      if (count[i]! * total >= n * weights[i]!) continue;
      // Earliest deadline: (count+1)/w smallest; cross-multiplied to stay in integers.
      if (best < 0 || (count[i]! + 1) * weights[best]! < (count[best]! + 1) * weights[i]!) best = i;
    }
    count[best]! += 1;
    cycle.push(best);
  }
  return cycle;
}

/** The cycle for positive integer weights: member i appears exactly weights[i] (reduced) times. */
export function quotaSequence(weights: readonly number[]): readonly number[] {
  if (weights.length === 0) return [];
  const positive = weights.map((w) => Math.max(1, Math.floor(w)));
  const divisor = positive.reduce(gcd);
  const reduced = positive.map((w) => w / divisor);
  const key = reduced.join(',');
  let cycle = cache.get(key);
  if (!cycle) {
    cycle = computeCycle(reduced);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, cycle);
  }
  return cycle;
}
