/**
 * Names of the execution-plane keys, in one place so every instance agrees.
 * Tenant first, so one tenant's state can never be read under another's key.
 */
export const planeKeys = {
  /** The group's rotation counter (round robin and priority). */
  rotation: (tenantId: number, groupId: number) => `t:${tenantId}:g:${groupId}:rotation`,
  /** Serialises load-balanced decisions of one group across instances. */
  decisionLock: (tenantId: number, groupId: number) => `t:${tenantId}:g:${groupId}:decision-lock`,
  /** Calls the group sent to an agent, in rolling-window buckets. */
  window: (tenantId: number, groupId: number, agentId: number) => `t:${tenantId}:g:${groupId}:a:${agentId}:window`,
  /** When the group last chose an agent. */
  lastChosen: (tenantId: number, groupId: number, agentId: number) => `t:${tenantId}:g:${groupId}:a:${agentId}:last-chosen`,
  /** Consecutive technical failures of an agent (reset by a success). */
  agentFailures: (tenantId: number, agentId: number) => `t:${tenantId}:a:${agentId}:failures`,
  /** When an agent last failed a call (its record may name the next agent), so it counts as tried. */
  agentLastFailure: (tenantId: number, agentId: number) => `t:${tenantId}:a:${agentId}:last-failure`,
  /** Until when an agent is out of rotation after too many failures. */
  agentUnhealthyUntil: (tenantId: number, agentId: number) => `t:${tenantId}:a:${agentId}:unhealthy-until`,
  /** Bumped by every write to the tenant's agents, groups or members (see routing-config.ts). */
  configVersion: (tenantId: number) => `t:${tenantId}:routing-config-version`,
  /** The agent's live calls (slots with an expiry backstop). */
  agentSlots: (tenantId: number, agentId: number) => `t:${tenantId}:a:${agentId}:live-calls`,
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
