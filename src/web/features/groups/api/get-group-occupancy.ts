import { useQuery } from '@tanstack/react-query';
import type { AgentOccupancy, GroupOccupancy, OccupancyView } from '../../../../core/schemas/occupancy.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

export interface GroupLoad {
  group: GroupOccupancy | undefined;
  /** Live calls of each member, by agent id. */
  members: ReadonlyMap<number, AgentOccupancy>;
}

/** One group's live calls against its members' caps; the dashboard's query key, so call.* events refresh it. */
export function useGroupOccupancy(groupId: number, refetchInterval: number | false) {
  return useQuery({
    queryKey: [queryRoots.calls, 'occupancy'],
    queryFn: ({ signal }) => api.get<OccupancyView>('/api/occupancy', { signal }),
    refetchInterval,
    select: (view): GroupLoad => {
      const group = view.groups.find((g) => g.group_id === groupId);
      const ids = new Set(group?.agent_ids ?? []);
      return { group, members: new Map(view.agents.filter((a) => ids.has(a.agent_id)).map((a) => [a.agent_id, a])) };
    },
  });
}
