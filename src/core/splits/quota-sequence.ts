import { weightedCycle } from '../strategies/weighted-cycle.js';

/**
 * One full cycle of a weighted sequence in which every prefix is fair to within one:
 * after n steps member i has appeared within 1 of n·w_i/W times (the weights' total
 * W). Smooth weighted round robin (smooth-weighted-sequence.ts) strays a little beyond
 * one for some weight sets, which an A/B split promising "within 1 of N·percent"
 * cannot allow. This is the quota method: at each step only members still under their
 * upper quota may go, and among them the one whose next turn falls due first
 * (earliest deadline), which also keeps every member above its lower quota.
 */
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
export const quotaSequence = weightedCycle(computeCycle);
