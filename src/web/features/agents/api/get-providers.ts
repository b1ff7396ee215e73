import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Provider } from '../../../../core/providers.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type { Provider };

export function getProviders(signal?: AbortSignal): Promise<{ data: Provider[] }> {
  return api.get<{ data: Provider[] }>('/api/providers', signal ? { signal } : {});
}

export function getProvidersQueryOptions() {
  // A static catalog: fetched once per session.
  return queryOptions({ queryKey: [queryRoots.providers], queryFn: ({ signal }) => getProviders(signal), staleTime: Infinity });
}

export function useProviders() {
  return useQuery(getProvidersQueryOptions());
}
