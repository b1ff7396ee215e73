import { useQuery } from '@tanstack/react-query';
import type { OccupancyView, PoolOccupancy } from '../../../../core/schemas/occupancy.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

/** Each pool's live calls against its limit, by pool id (the dashboard's query: call.* events refresh it). */
export function usePoolsOccupancy(refetchInterval: number | false) {
  return useQuery({
    queryKey: [queryRoots.calls, 'occupancy'],
    queryFn: ({ signal }) => api.get<OccupancyView>('/api/occupancy', { signal }),
    refetchInterval,
    select: (view): ReadonlyMap<number, PoolOccupancy> => new Map((view.pools ?? []).map((p) => [p.pool_id, p])),
  });
}
