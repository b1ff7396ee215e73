import { smoothWeightedSequence } from './smooth-weighted-sequence.js';
import type { MemberState } from './types.js';

/**
 * Orders members for the `counter`-th pick of a capacity-weighted rotation: the
 * first is where the smooth weighted cycle stands at that counter, the rest follow
 * in the cycle's order. Counters come from one atomic increment shared by every
 * instance, so over any full cycle each member is first exactly `capacity` times
 * (after reducing capacities by their common divisor).
 */
export function weightedRotation(members: readonly MemberState[], counter: number): number[] {
  if (members.length === 0) return [];
  // A stable order, identical on every instance, whatever order the database returned.
  const sorted = [...members].sort((a, b) => a.agentId - b.agentId);
  const cycle = smoothWeightedSequence(sorted.map((m) => m.capacity));
  const start = (((counter - 1) % cycle.length) + cycle.length) % cycle.length;
  const order: number[] = [];
  const seen = new Set<number>();
  for (let step = 0; step < cycle.length && order.length < sorted.length; step++) {
    const index = cycle[(start + step) % cycle.length]!;
    if (!seen.has(index)) {
      seen.add(index);
      order.push(sorted[index]!.agentId);
    }
  }
  return order;
}
