import { partitionEligible } from './partition-eligible.js';
import type { CandidateOrder, MemberState } from './types.js';

/**
 * Least loaded first: calls in the rolling window divided by capacity; ties go to
 * the member chosen least recently (never chosen counts as oldest), then to the
 * lower agent id so every instance agrees.
 */
export function loadBalanced(members: readonly MemberState[]): CandidateOrder {
  const { eligible, skipped } = partitionEligible(members);
  const candidates = [...eligible]
    .sort(
      (a, b) =>
        a.windowCalls / a.capacity - b.windowCalls / b.capacity ||
        (a.lastChosenAt ?? -1) - (b.lastChosenAt ?? -1) ||
        a.agentId - b.agentId,
    )
    .map((m) => m.agentId);
  return { kind: 'candidates', candidates, skipped };
}
