import type { HealthStatus } from '../core/schemas/voice-agent.js';
import type { Store } from '../store/database.js';
import { createVoiceAgentLookups } from '../store/voice-agent-lookups.js';
import type { AgentHealth, OutReason } from './agent-health.js';

/** What a view knows of an agent's live health; the default is a plain healthy agent. */
export interface LiveHealth {
  unhealthyUntil: number | null;
  /** Why it is out until then (null while in rotation, or when not read). */
  outReason?: OutReason | null;
  /** False while live health cannot be read (Redis away). */
  known: boolean;
  /** Some call was sent to it (a call record or roll-up names it, or it failed a call in the last 90 days). */
  tried: boolean;
}

export const plainHealth: LiveHealth = { unhealthyUntil: null, known: true, tried: true };

/** Out of rotation first (the one state routing acts on), then never tried, then unknown while Redis is away. */
export function healthStatusOf(markedUnhealthy: boolean, h: LiveHealth): HealthStatus {
  if (markedUnhealthy || h.unhealthyUntil !== null) return 'unhealthy';
  if (!h.tried) return 'never_tried';
  return h.known ? 'healthy' : 'unknown';
}

/**
 * Live health of agents: out of rotation after failures (the plane), and whether any call
 * was ever sent to them (the database, so every instance agrees). When the plane cannot be
 * read the answer says `known: false` rather than fail.
 */
export function createAgentLiveHealth(store: Store, agentHealth: AgentHealth) {
  const lookups = createVoiceAgentLookups(store.db);
  return async function healthOf(tenantId: number, ids: readonly number[], trx = store.db): Promise<LiveHealth[]> {
    const [until, withCalls] = await Promise.all([agentHealth.unhealthyUntil(tenantId, ids).catch(() => null), lookups.withCalls(tenantId, ids, trx)]);
    const known = until !== null && agentHealth.known();
    const untried = ids.filter((id) => !withCalls.has(id));
    // Only agents without a record need the plane's last failures (usually none or a few).
    const failing = known && untried.length > 0 ? await agentHealth.failedRecently(tenantId, untried).catch(() => untried.map(() => false)) : untried.map(() => false);
    const failed = new Set(untried.filter((_, i) => failing[i]));
    // Only agents out of rotation need the reason (usually none).
    const reasons = until?.some((u) => u !== null) ? await agentHealth.outReasons(tenantId, ids, until).catch(() => null) : null;
    return ids.map((id, i) => ({ unhealthyUntil: until?.[i] ?? null, outReason: reasons?.[i] ?? null, known, tried: withCalls.has(id) || failed.has(id) }));
  };
}
