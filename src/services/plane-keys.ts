/**
 * Names of the execution-plane keys, in one place so every instance agrees.
 * Tenant first, so one tenant's state can never be read under another's key.
 */
export const planeKeys = {
  /** A weighted split's counter: one atomic increment per call picks its arm (core/splits). */
  split: (tenantId: number, ruleId: number) => `t:${tenantId}:r:${ruleId}:split`,
  /** The group's rotation counter (round robin and priority). */
  rotation: (tenantId: number, groupId: number) => `t:${tenantId}:g:${groupId}:rotation`,
  /** Serialises load-balanced decisions of one group across instances. */
  decisionLock: (tenantId: number, groupId: number) => `t:${tenantId}:g:${groupId}:decision-lock`,
  /** Calls the group sent to an agent, in rolling-window buckets. */
  window: (tenantId: number, groupId: number, agentId: number) => `t:${tenantId}:g:${groupId}:a:${agentId}:window`,
  /** The agent a group last sent a caller to (returning callers; `caller` is a hash of the number's digits). */
  callerLastAgent: (tenantId: number, groupId: number, caller: string) => `t:${tenantId}:g:${groupId}:c:${caller}:agent`,
  /** When the group last sent that caller to an agent. */
  callerLastServedAt: (tenantId: number, groupId: number, caller: string) => `t:${tenantId}:g:${groupId}:c:${caller}:served-at`,
  /** When the group last chose an agent. */
  lastChosen: (tenantId: number, groupId: number, agentId: number) => `t:${tenantId}:g:${groupId}:a:${agentId}:last-chosen`,
  /** Consecutive technical failures of an agent (reset by a success). */
  agentFailures: (tenantId: number, agentId: number) => `t:${tenantId}:a:${agentId}:failures`,
  /** When an agent last failed a call (its record may name the next agent), so it counts as tried. */
  agentLastFailure: (tenantId: number, agentId: number) => `t:${tenantId}:a:${agentId}:last-failure`,
  /** Until when an agent is out of rotation after too many failures. */
  agentUnhealthyUntil: (tenantId: number, agentId: number) => `t:${tenantId}:a:${agentId}:unhealthy-until`,
  /** Answered calls an agent ended, and those of them that were short, in rolling windows (short-call health). */
  agentAnsweredEnds: (tenantId: number, agentId: number) => `t:${tenantId}:a:${agentId}:answered-ends`,
  agentShortAnswers: (tenantId: number, agentId: number) => `t:${tenantId}:a:${agentId}:short-answers`,
  /** Until when the short-call windows hold calls already judged (the end of the last short-call rest). */
  agentShortCallsSince: (tenantId: number, agentId: number) => `t:${tenantId}:a:${agentId}:short-calls-since`,
  /** Why an agent is out until `until` when short calls took it out: the counts, claimed once across instances. */
  agentShortCallsOut: (tenantId: number, agentId: number, until: number) => `t:${tenantId}:a:${agentId}:short-calls-out:${until}`,
  /** Bumped by every write to the tenant's agents, groups or members (see routing-config.ts). */
  configVersion: (tenantId: number) => `t:${tenantId}:routing-config-version`,
  /** The agent's live calls (slots with an expiry backstop). */
  agentSlots: (tenantId: number, agentId: number) => `t:${tenantId}:a:${agentId}:live-calls`,
  /** A provider pool's live calls across its agents: one slot per call and agent (`poolSlotMember`). */
  poolSlots: (tenantId: number, poolId: number) => `t:${tenantId}:p:${poolId}:live-calls`,
  /** The tenant's numbered real-time events, kept for replay (see realtime/event-log.ts). */
  realtimeLog: (tenantId: number) => `t:${tenantId}:realtime-log`,
  /** Held for a second by whichever instance computes the tenant's metrics.updated. */
  realtimeMetricsTurn: (tenantId: number) => `t:${tenantId}:realtime-metrics`,
  /** When a webhook last used the secret a rotation replaced; one key per rotation (its grace period's end). */
  previousSecretUsed: (tenantId: number, expiresAt: number) => `t:${tenantId}:previous-secret-used:${expiresAt}`,
  /** Refused webhooks from one source address, per minute (see routing/webhook-rejections.ts). */
  rejectionsBySource: (source: string) => `webhook-rejections:source:${source}`,
  /** Refused webhooks for one tenant (`unknown` for domains no tenant has), per minute. */
  rejectionsByTenant: (scope: string) => `webhook-rejections:tenant:${scope}`,
  /** Refused webhooks of that tenant stored one by one, per hour. */
  rejectionsAudited: (scope: string) => `webhook-rejections:audited:${scope}`,
};
