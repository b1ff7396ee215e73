import { partitionEligible } from './partition-eligible.js';
import type { CandidateOrder, MemberState } from './types.js';
import { weightedRotation } from './weighted-rotation.js';

/** Round robin weighted by capacity (equal capacities: plain rotation) over eligible members. */
export function roundRobin(members: readonly MemberState[], counter: number): CandidateOrder {
  const { eligible, skipped } = partitionEligible(members);
  return { kind: 'candidates', candidates: weightedRotation(eligible, counter), skipped };
}
