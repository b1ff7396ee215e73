import type { Eventually } from '../core/eventually.js';
import { routingPlane, type Plane } from '../plane/plane.js';
import { planeKeys } from './plane-keys.js';
import type { AgentRoute, PoolRoute, RoutingConfig } from './routing-config.js';

/**
 * A call's slot in a provider pool, one per call and agent: a failover from one agent
 * of a pool to another claims the second before the first is released, and each
 * release takes only its own.
 */
export const poolSlotMember = (callId: string, agentId: number) => `${callId}:${agentId}`;

/** Where a pool slot member's call and agent are (see `poolSlotMember`); null for a member not written by it. */
export function parsePoolSlotMember(member: string): { callId: string; agentId: number } | null {
  const at = member.lastIndexOf(':');
  const agentId = Number(member.slice(at + 1));
  return at > 0 && Number.isInteger(agentId) && agentId > 0 ? { callId: member.slice(0, at), agentId } : null;
}

/**
 * The distinct pools of some agents, in first-seen order, and each agent's index among
 * them (null: no pool). A decision reads the pools' live counts after its agents' in
 * the same plane read, so only groups with pooled members read more.
 */
export function poolsOfAgents(agents: readonly AgentRoute[]): { pools: PoolRoute[]; slotOf: (number | null)[] } {
  const pools: PoolRoute[] = [];
  const slotOf = agents.map((a) => {
    if (!a.pool) return null;
    const seen = pools.findIndex((p) => p.id === a.pool!.id);
    if (seen >= 0) return seen;
    pools.push(a.pool);
    return pools.length - 1;
  });
  return { pools, slotOf };
}

/** Whether the pool at `slot` is full, given the counts read for `agentCount` agents followed by the pools'. */
export function poolFullIn(pool: PoolRoute | null, slot: number | null, counts: readonly number[], agentCount: number): boolean {
  return pool !== null && slot !== null && (counts[agentCount + slot] ?? 0) >= pool.maxConcurrentCalls;
}

/** What an `acquireSlots` claim of an agent's slot (first) and its pool's (second) answered, as a skip reason. */
const refusalOf = (refused: number): 'at_capacity' | 'pool_full' | null => (refused < 0 ? null : refused === 0 ? 'at_capacity' : 'pool_full');

/**
 * Claims and releases the pool half of a call's slots. The agent's slot and its pool's
 * are claimed in one atomic plane step (`acquireSlots`), so a pool's limit holds across
 * its agents and every instance, and a refused claim holds nothing.
 */
export function createPoolSlots(plane: Plane, config: RoutingConfig) {
  const ops = routingPlane(plane);
  return {
    /** Null when the call holds both slots; else which one refused. */
    claim(tenantId: number, agent: AgentRoute, pool: PoolRoute, callId: string, expiresAt: number, now: number): Eventually<'at_capacity' | 'pool_full' | null> {
      const refused = ops.acquireSlots(
        [
          { key: planeKeys.agentSlots(tenantId, agent.id), member: callId, cap: agent.maxConcurrentCalls },
          { key: planeKeys.poolSlots(tenantId, pool.id), member: poolSlotMember(callId, agent.id), cap: pool.maxConcurrentCalls },
        ],
        expiresAt,
        now,
      );
      return refused instanceof Promise ? refused.then(refusalOf) : refusalOf(refused);
    },

    /**
     * Releases the call's slot for this agent in every pool of the tenant: the agent may
     * have moved to another pool since the call took its slot. Tenants without pools
     * send nothing; the configuration is the one last loaded here (loaded once when
     * this instance has routed none of the tenant's calls yet).
     */
    async release(tenantId: number, agentId: number, callId: string): Promise<void> {
      const routing = config.peek(tenantId) ?? (await config.get(tenantId));
      if (routing.pools.size === 0) return;
      const member = poolSlotMember(callId, agentId);
      await Promise.all([...routing.pools.keys()].map((poolId) => plane.releaseSlot(planeKeys.poolSlots(tenantId, poolId), member)));
    },
  };
}
export type PoolSlots = ReturnType<typeof createPoolSlots>;
