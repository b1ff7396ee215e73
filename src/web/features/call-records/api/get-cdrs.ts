import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { CdrView } from '../../../../core/schemas/call-records.js';
import { api } from '../../../lib/api-client.js';
import { toQueryString, type Paged } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type Cdr = CdrView;

export function getCdrs(params: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<Paged<Cdr>> {
  return api.get<Paged<Cdr>>(`/api/cdr${toQueryString(params)}`, signal ? { signal } : {});
}

export function getCdrsQueryOptions(params: Record<string, string | number | undefined>) {
  return queryOptions({ queryKey: [queryRoots.cdrs, 'list', params], queryFn: ({ signal }) => getCdrs(params, signal) });
}

export function useCdrs(params: Record<string, string | number | undefined>, enabled: boolean) {
  return useQuery({ ...getCdrsQueryOptions(params), placeholderData: keepPreviousData, enabled });
}
