import type { CandidateOrder, MemberState } from './types.js';

/** Why a returning caller did or did not go back to the agent that last served them. */
export const stickyReasons = ['returning_caller', 'sticky_agent_disabled', 'sticky_agent_unhealthy', 'sticky_agent_full', 'sticky_agent_not_member'] as const;
export type StickyReason = (typeof stickyReasons)[number];

/** The agent that last served a returning caller: sent back to it (`used`), or why not. */
export interface StickyOutcome {
  readonly agentId: number;
  readonly used: boolean;
  readonly reason: StickyReason;
}

/** What the plane remembers of one caller in one group: the agent it last sent them to, and when (null: never, or forgotten). */
export interface CallerMemory {
  readonly agentId: number | null;
  readonly servedAt: number | null;
}

/**
 * "Prefer, don't require": moves the agent that last served this caller within
 * `ttlMs` of `now` to the front of the strategy's order, keeping the rest as the
 * failover order. That agent is never forced: when it is disabled, unhealthy, full
 * or no longer a member, the strategy's order stands and the outcome says why.
 * A caller the group has not served within the TTL gets the strategy's order and
 * no outcome.
 */
export function preferReturningCaller(
  order: CandidateOrder,
  members: readonly MemberState[],
  memory: CallerMemory,
  now: number,
  ttlMs: number,
): { order: CandidateOrder; sticky: StickyOutcome | null } {
  const { agentId, servedAt } = memory;
  if (agentId === null || servedAt === null || servedAt <= now - ttlMs) return { order, sticky: null };
  if (!members.some((m) => m.agentId === agentId)) return { order, sticky: { agentId, used: false, reason: 'sticky_agent_not_member' } };
  if (order.candidates.includes(agentId)) {
    const candidates = [agentId, ...order.candidates.filter((id) => id !== agentId)];
    return { order: { ...order, candidates }, sticky: { agentId, used: true, reason: 'returning_caller' } };
  }
  const skip = order.skipped.find((s) => s.agentId === agentId)?.reason;
  const reason = skip === 'disabled' ? 'sticky_agent_disabled' : skip === 'unhealthy' ? 'sticky_agent_unhealthy' : 'sticky_agent_full';
  return { order, sticky: { agentId, used: false, reason } };
}
