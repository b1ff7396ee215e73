/**
 * One full cycle of smooth weighted round robin (the nginx algorithm): member i
 * appears exactly weights[i] times, spread out rather than in runs. Weights are
 * reduced by their greatest common divisor first, and cycles are memoised, because
 * the hot path asks for the same few weight sets over and over.
 */
const cache = new Map<string, readonly number[]>();
const CACHE_LIMIT = 256;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function computeCycle(weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  const current = weights.map(() => 0);
  const cycle: number[] = [];
  for (let step = 0; step < total; step++) {
    let best = 0;
    for (let i = 0; i < weights.length; i++) {
      current[i]! += weights[i]!;
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    cycle.push(best);
  }
  return cycle;
}

export function smoothWeightedSequence(weights: readonly number[]): readonly number[] {
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
