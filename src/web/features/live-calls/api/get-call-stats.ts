import { queryOptions, useQuery } from '@tanstack/react-query';
import type { CallStatsView } from '../../../../core/schemas/call-records.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type CallStats = CallStatsView;

/** Live calls and today's totals in the tenant's time zone. */
export function getCallStats(signal?: AbortSignal): Promise<CallStats> {
  return api.get<CallStats>('/api/calls/stats', signal ? { signal } : {});
}

export function getCallStatsQueryOptions() {
  return queryOptions({ queryKey: [queryRoots.calls, 'stats'], queryFn: ({ signal }) => getCallStats(signal), staleTime: 0 });
}

export function useCallStats(refetchInterval: number | false) {
  return useQuery({ ...getCallStatsQueryOptions(), refetchInterval });
}
