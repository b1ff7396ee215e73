import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AgentOccupancy, OccupancyView } from '../../../../core/schemas/occupancy.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type { AgentOccupancy };

export function getOccupancy(signal?: AbortSignal): Promise<OccupancyView> {
  return api.get<OccupancyView>('/api/occupancy', signal ? { signal } : {});
}

/** The same key as the dashboard's, under the calls root: call.* events refresh it, and pages share one fetch. */
export function getOccupancyQueryOptions() {
  return queryOptions({ queryKey: [queryRoots.calls, 'occupancy'], queryFn: ({ signal }) => getOccupancy(signal) });
}

/** Live calls per agent id, now. */
export function useAgentOccupancy(refetchInterval: number | false) {
  return useQuery({
    ...getOccupancyQueryOptions(),
    refetchInterval,
    select: (view) => new Map(view.agents.map((a) => [a.agent_id, a])),
  });
}
