import { queryOptions, useQuery } from '@tanstack/react-query';
import type { LiveCallView } from '../../../../core/schemas/call-records.js';
import { api } from '../../../lib/api-client.js';
import { toQueryString } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type LiveCall = LiveCallView;

export interface LiveCallFilters {
  agent_id?: number | undefined;
  group_id?: number | undefined;
}

/** Calls ringing or connected now, newest first, across every instance. */
export function getActiveCalls(filters: LiveCallFilters, signal?: AbortSignal): Promise<{ data: LiveCall[] }> {
  return api.get<{ data: LiveCall[] }>(`/api/calls/active${toQueryString({ ...filters })}`, signal ? { signal } : {});
}

export function getActiveCallsQueryOptions(filters: LiveCallFilters) {
  return queryOptions({ queryKey: [queryRoots.calls, 'active', filters], queryFn: ({ signal }) => getActiveCalls(filters, signal), staleTime: 0 });
}

/** `refetchInterval`: the polling period while live updates are not pushed (see usePollInterval). */
export function useActiveCalls(filters: LiveCallFilters, refetchInterval: number | false) {
  return useQuery({ ...getActiveCallsQueryOptions(filters), refetchInterval });
}
