import { partitionEligible } from './partition-eligible.js';
import type { CandidateOrder, MemberState } from './types.js';
import { weightedRotation } from './weighted-rotation.js';

/** a's live load compared with b's (calls in progress per unit of capacity), in integers so equal loads tie exactly. */
function compareLoad(a: MemberState, b: MemberState): number {
  return a.activeCalls * b.capacity - b.activeCalls * a.capacity;
}

/**
 * Fewest calls in progress relative to capacity first. Members with the same load
 * rotate by the group's shared counter (weighted by capacity), so every instance
 * orders them alike and a burst of calls onto idle members spreads over them rather
 * than piling onto the lowest id. The rest follow, least loaded first, as the
 * failover order.
 */
export function leastLive(members: readonly MemberState[], counter: number): CandidateOrder {
  const { eligible, skipped } = partitionEligible(members);
  const byLoad = [...eligible].sort(compareLoad);
  const candidates: number[] = [];
  for (let start = 0; start < byLoad.length; ) {
    let end = start + 1;
    while (end < byLoad.length && compareLoad(byLoad[start]!, byLoad[end]!) === 0) end++;
    candidates.push(...weightedRotation(byLoad.slice(start, end), counter));
    start = end;
  }
  return { kind: 'candidates', candidates, skipped };
}
