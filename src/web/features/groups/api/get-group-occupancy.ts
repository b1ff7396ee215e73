import { useQuery } from '@tanstack/react-query';
import type { AgentOccupancy, GroupOccupancy, OccupancyView } from '../../../../core/schemas/occupancy.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

export interface GroupLoad {
  group: GroupOccupancy | undefined;
  /** Live calls of each member, by agent id. */
  members: ReadonlyMap<number, AgentOccupancy>;
}

/** The dashboard's query, so call.* events refresh it and pages share one fetch. */
const occupancyQuery = {
  queryKey: [queryRoots.calls, 'occupancy'],
  queryFn: ({ signal }: { signal: AbortSignal }) => api.get<OccupancyView>('/api/occupancy', { signal }),
};

/** Every group's live calls against its members' caps, by group id. */
export function useGroupsOccupancy(refetchInterval: number | false) {
  return useQuery({ ...occupancyQuery, refetchInterval, select: (view) => new Map(view.groups.map((g) => [g.group_id, g])) });
}

/** One group's live calls against its members' caps, and each member's. */
export function useGroupOccupancy(groupId: number, refetchInterval: number | false) {
  return useQuery({
    ...occupancyQuery,
    refetchInterval,
    select: (view): GroupLoad => {
      const group = view.groups.find((g) => g.group_id === groupId);
      const ids = new Set(group?.agent_ids ?? []);
      return { group, members: new Map(view.agents.filter((a) => ids.has(a.agent_id)).map((a) => [a.agent_id, a])) };
    },
  });
}
