import type { Plane } from '../plane/plane.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import { planeKeys } from './plane-keys.js';

/** How long a failure alone keeps an agent "tried" (a success leaves a call record, which lasts). */
const TRIED_RETAIN_MS = 90 * 24 * 3600 * 1000;

export interface HealthPolicy {
  failure_threshold: number;
  cooldown_seconds: number;
}

/**
 * Live agent health, shared by every instance through the plane: after
 * `failure_threshold` consecutive technical failures (no answer, failed, canceled,
 * unknown — not busy) an agent is out of rotation for `cooldown_seconds`; a
 * success, or the end of the cooldown, brings it back. `onChange` hears when a
 * failure takes an agent out and when a success brings it back early.
 */
export function createAgentHealth(plane: Plane, clock: Clock, logger: Logger, onChange: (tenantId: number, agentId: number, healthy: boolean) => void = () => {}) {
  const untilKeys = (tenantId: number, agentIds: readonly number[]) => agentIds.map((id) => planeKeys.agentUnhealthyUntil(tenantId, id));
  /** The stored "out until" times that still hold at `now` (null: in rotation). */
  const stillOut = (times: readonly (number | null)[], now: number) => times.map((t) => (t !== null && t > now ? t : null));

  async function unhealthyUntil(tenantId: number, agentIds: readonly number[]): Promise<(number | null)[]> {
    if (agentIds.length === 0) return [];
    return stillOut(await plane.getTimes(untilKeys(tenantId, agentIds)), clock());
  }

  return {
    async recordFailure(tenantId: number, agentId: number, policy: HealthPolicy): Promise<boolean> {
      const [failures] = await Promise.all([
        plane.incr(planeKeys.agentFailures(tenantId, agentId)),
        // A failed attempt leaves no record naming the agent when the next one takes the call: remember it was tried.
        plane.setTime(planeKeys.agentLastFailure(tenantId, agentId), clock(), TRIED_RETAIN_MS),
      ]);
      if (failures < policy.failure_threshold) return false;
      const cooldownMs = policy.cooldown_seconds * 1000;
      await plane.setTime(planeKeys.agentUnhealthyUntil(tenantId, agentId), clock() + cooldownMs, cooldownMs + 60_000);
      await plane.resetCounter(planeKeys.agentFailures(tenantId, agentId));
      logger.warn({ tenantId, agentId, failures, cooldownSeconds: policy.cooldown_seconds }, 'agent marked unhealthy after consecutive failures');
      onChange(tenantId, agentId, false);
      return true;
    },

    async recordSuccess(tenantId: number, agentId: number): Promise<void> {
      const [wasOut] = await unhealthyUntil(tenantId, [agentId]);
      await plane.resetCounter(planeKeys.agentFailures(tenantId, agentId));
      await plane.setTime(planeKeys.agentUnhealthyUntil(tenantId, agentId), 0, 1000);
      if (wasOut != null) onChange(tenantId, agentId, true);
    },

    /** For each agent, until when it is out of rotation (null when healthy now). */
    unhealthyUntil,
    /**
     * For each agent, whether it failed a call in the last 90 days: an agent dialled only as a
     * failover step fails without a call record naming it, yet was tried. One read for all.
     */
    async failedRecently(tenantId: number, agentIds: readonly number[]): Promise<boolean[]> {
      const times = await plane.getTimes(agentIds.map((id) => planeKeys.agentLastFailure(tenantId, id)));
      return times.map((t) => t !== null && t > 0);
    },
    /**
     * False while Redis is away: the plane then holds only the failures this instance saw
     * since, so "no failure" there does not mean healthy everywhere.
     */
    known: (): boolean => !plane.degraded,
    /** The plane keys `unhealthyUntil` reads, for callers that read them with other state in one step. */
    untilKeys,
    stillOut,
  };
}
export type AgentHealth = ReturnType<typeof createAgentHealth>;
