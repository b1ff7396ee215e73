import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ProviderPoolView } from '../../../../core/schemas/provider-pool.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type ProviderPool = ProviderPoolView;

export function getPools(signal?: AbortSignal): Promise<{ data: ProviderPool[] }> {
  return api.get<{ data: ProviderPool[] }>('/api/provider-pools', signal ? { signal } : {});
}

/** Under the agents root: an agent joining or leaving a pool (an agent write) refreshes the pools too. */
export const poolsQueryKey = [queryRoots.agents, 'provider-pools'] as const;

export function getPoolsQueryOptions() {
  return queryOptions({ queryKey: poolsQueryKey, queryFn: ({ signal }) => getPools(signal) });
}

export function usePools() {
  return useQuery(getPoolsQueryOptions());
}
