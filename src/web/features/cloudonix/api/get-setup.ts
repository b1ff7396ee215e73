import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';
import type { SetupCheck } from './types.js';

/** What the domain has against what this service needs (read only): each item, what is missing, what arrived recently. */
export function getSetup(signal?: AbortSignal): Promise<SetupCheck> {
  return api.get<SetupCheck>('/api/cloudonix/setup', signal ? { signal } : {});
}

export const setupQueryKey = [queryRoots.cloudonix, 'setup'] as const;

export function getSetupQueryOptions() {
  // Every read costs requests of the domain's Cloudonix rate limit: only when asked, never in the background.
  return queryOptions({ queryKey: setupQueryKey, queryFn: ({ signal }) => getSetup(signal), staleTime: 0, gcTime: 60_000 });
}

/** Asks Cloudonix only once `enabled` (the admin pressed "Check wiring" or opened the wizard). */
export function useSetup(enabled: boolean) {
  return useQuery({ ...getSetupQueryOptions(), enabled, refetchOnMount: false, refetchOnReconnect: false });
}
