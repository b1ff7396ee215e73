import type { MemberState, SkippedMember } from './types.js';

/**
 * Splits members into those a strategy may choose and those it must skip, with why.
 * Checked in this order: disabled, unhealthy, at their concurrent-call cap, in a full provider pool.
 */
export function partitionEligible(members: readonly MemberState[]): {
  eligible: MemberState[];
  skipped: SkippedMember[];
} {
  const eligible: MemberState[] = [];
  const skipped: SkippedMember[] = [];
  for (const m of members) {
    if (!m.enabled) skipped.push({ agentId: m.agentId, reason: 'disabled' });
    else if (!m.healthy) skipped.push({ agentId: m.agentId, reason: 'unhealthy' });
    else if (m.maxConcurrentCalls !== null && m.activeCalls >= m.maxConcurrentCalls) {
      skipped.push({ agentId: m.agentId, reason: 'at_capacity' });
    } else if (m.poolFull) skipped.push({ agentId: m.agentId, reason: 'pool_full' });
    else eligible.push(m);
  }
  return { eligible, skipped };
}
