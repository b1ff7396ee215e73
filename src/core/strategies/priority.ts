import { partitionEligible } from './partition-eligible.js';
import type { CandidateOrder, MemberState } from './types.js';
import { weightedRotation } from './weighted-rotation.js';

/**
 * Lowest priority value first; members sharing a priority rotate (by capacity);
 * lower tiers follow in priority order as the failover list.
 */
export function priority(members: readonly MemberState[], counter: number): CandidateOrder {
  const { eligible, skipped } = partitionEligible(members);
  const tiers = new Map<number, MemberState[]>();
  for (const m of eligible) {
    const tier = tiers.get(m.priority);
    if (tier) tier.push(m);
    else tiers.set(m.priority, [m]);
  }
  const candidates = [...tiers.keys()]
    .sort((a, b) => a - b)
    .flatMap((p) => weightedRotation(tiers.get(p)!, counter));
  return { kind: 'candidates', candidates, skipped };
}
