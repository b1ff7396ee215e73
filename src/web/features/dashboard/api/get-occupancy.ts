import { queryOptions, useQuery } from '@tanstack/react-query';
import type { OccupancyView } from '../../../../core/schemas/occupancy.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type Occupancy = OccupancyView;

/** Live calls per agent and group against their caps, now. */
export function getOccupancy(signal?: AbortSignal): Promise<Occupancy> {
  return api.get<Occupancy>('/api/occupancy', signal ? { signal } : {});
}

/** Under the calls root: every call.* event marks it stale, so the bars move as calls start and end. */
export function getOccupancyQueryOptions() {
  return queryOptions({ queryKey: [queryRoots.calls, 'occupancy'], queryFn: ({ signal }) => getOccupancy(signal) });
}

export function useOccupancy(refetchInterval: number | false) {
  return useQuery({ ...getOccupancyQueryOptions(), refetchInterval });
}
