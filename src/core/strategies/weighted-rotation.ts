import { smoothWeightedSequence } from './smooth-weighted-sequence.js';
import type { MemberState } from './types.js';

/** A capacity as the weighted cycle counts it: a positive integer. */
const weightOf = (m: MemberState): number => Math.max(1, Math.floor(m.capacity));

/** Whether the members are in agent id order already (groups list them so when they share a priority). */
function byAgentId(members: readonly MemberState[]): boolean {
  for (let i = 1; i < members.length; i++) if (members[i - 1]!.agentId > members[i]!.agentId) return false;
  return true;
}

/** Whether every member weighs the same: the smooth weighted cycle is then the members in order. */
function equalWeights(members: readonly MemberState[]): boolean {
  const first = weightOf(members[0]!);
  for (let i = 1; i < members.length; i++) if (weightOf(members[i]!) !== first) return false;
  return true;
}

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
  const sorted = byAgentId(members) ? members : [...members].sort((a, b) => a.agentId - b.agentId);
  // Equal capacities (the common case): the cycle is 0, 1, …, n-1, so the order is a plain rotation.
  if (equalWeights(sorted)) {
    const n = sorted.length;
    const start = (((counter - 1) % n) + n) % n;
    const order: number[] = [];
    for (let step = 0; step < n; step++) order.push(sorted[(start + step) % n]!.agentId);
    return order;
  }
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
