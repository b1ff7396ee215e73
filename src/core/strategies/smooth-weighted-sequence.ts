import { weightedCycle } from './weighted-cycle.js';

/**
 * One full cycle of smooth weighted round robin (the nginx algorithm): member i
 * appears exactly weights[i] times, spread out rather than in runs.
 */
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

/** Smooth weighted round robin's cycle for these weights (reduced and memoised by weightedCycle). */
export const smoothWeightedSequence = weightedCycle(computeCycle);
