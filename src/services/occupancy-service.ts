import type { AgentOccupancy, GroupOccupancy, OccupancyView, PoolOccupancy } from '../core/schemas/occupancy.js';
import type { Plane } from '../plane/plane.js';
import type { Repositories } from '../store/index.js';
import type { Clock } from './clock.js';
import { readLiveSlots } from './live-slot-counts.js';
import { planeKeys } from './plane-keys.js';
import { isoTime } from './views.js';

interface Deps {
  repos: Repositories;
  plane: Plane;
  clock: Clock;
}

const ratio = (live: number, cap: number | null) => (cap === null || cap === 0 ? null : Math.round((live / cap) * 1000) / 1000);

/**
 * Live calls against caps, now. The counts are the live-call slots in the plane,
 * the very numbers routing compares with `max_concurrent_calls` (and the
 * vlb_live_calls gauge shows), so "5 of 5 busy" here means the next call skips
 * the agent. Costs three indexed reads of the tenant's configuration and one plane
 * read per thousand agents.
 */
export function createOccupancyService({ repos, plane, clock }: Deps) {
  return {
    async read(tenantId: number): Promise<OccupancyView> {
      const now = clock();
      const [agentRows, groupRows, memberRows, poolRows] = await Promise.all([
        repos.voiceAgents.listAll(tenantId),
        repos.agentGroups.listAll(tenantId),
        repos.groupMemberships.listAll(tenantId),
        repos.providerPools.listAll(tenantId),
      ]);
      // The pools' slots are read after the agents' in the same chunked read.
      const slotKeys = [...agentRows.map((a) => planeKeys.agentSlots(tenantId, Number(a.id))), ...poolRows.map((p) => planeKeys.poolSlots(tenantId, Number(p.id)))];
      const live = await readLiveSlots(plane, slotKeys, now);
      const agents: AgentOccupancy[] = agentRows.map((a, i) => {
        const cap = a.max_concurrent_calls === null ? null : Number(a.max_concurrent_calls);
        const calls = live[i] ?? 0;
        return { agent_id: Number(a.id), name: a.name, enabled: Number(a.enabled) === 1, live_calls: calls, max_concurrent_calls: cap, occupancy: ratio(calls, cap), at_capacity: cap !== null && calls >= cap };
      });
      const byId = new Map(agents.map((a) => [a.agent_id, a]));
      const groups: GroupOccupancy[] = groupRows.map((g) => {
        const members = memberRows.filter((m) => Number(m.group_id) === Number(g.id)).flatMap((m) => byId.get(Number(m.agent_id)) ?? []);
        const enabled = members.filter((m) => m.enabled);
        const capacity = enabled.some((m) => m.max_concurrent_calls === null) ? null : enabled.reduce((s, m) => s + (m.max_concurrent_calls ?? 0), 0);
        const calls = members.reduce((s, m) => s + m.live_calls, 0);
        return {
          group_id: Number(g.id),
          name: g.name,
          enabled: Number(g.enabled) === 1,
          agent_ids: members.map((m) => m.agent_id),
          live_calls: calls,
          capacity,
          occupancy: ratio(calls, capacity),
          at_capacity: enabled.every((m) => m.at_capacity),
        };
      });
      const pools: PoolOccupancy[] = poolRows.map((p, i) => {
        const cap = Number(p.max_concurrent_calls);
        const calls = live[agentRows.length + i] ?? 0;
        const agentIds = agentRows.filter((a) => a.pool_id !== null && Number(a.pool_id) === Number(p.id)).map((a) => Number(a.id));
        return { pool_id: Number(p.id), name: p.name, provider: p.provider, agent_ids: agentIds, live_calls: calls, max_concurrent_calls: cap, occupancy: ratio(calls, cap), at_capacity: calls >= cap };
      });
      return { at: isoTime(now), agents, groups, pools };
    },
  };
}
export type OccupancyService = ReturnType<typeof createOccupancyService>;
