import { queryOptions, useQuery } from '@tanstack/react-query';
import type { TenantView } from '../../../../core/schemas/tenant.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type Tenant = TenantView;

/** The tenant's settings; admins also get the webhook secret and the URLs to paste into Cloudonix. */
export function getTenant(signal?: AbortSignal): Promise<Tenant> {
  return api.get<Tenant>('/api/tenant', signal ? { signal } : {});
}

export const tenantQueryKey = [queryRoots.tenant] as const;

export function getTenantQueryOptions() {
  return queryOptions({ queryKey: tenantQueryKey, queryFn: ({ signal }) => getTenant(signal) });
}

/**
 * `refetchInterval` for pages that show the webhook wiring: whether Cloudonix sends every
 * webhook changes with time alone (a grace period passes), so no event would refresh it.
 * Those pages also read it afresh when they open: a copy cached on another page may
 * predate the calls since.
 */
export function useTenant(refetchInterval: number | false = false) {
  return useQuery({ ...getTenantQueryOptions(), refetchInterval, ...(refetchInterval === false ? {} : { staleTime: 0 }) });
}
