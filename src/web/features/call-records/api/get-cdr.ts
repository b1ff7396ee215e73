import { queryOptions, useQuery } from '@tanstack/react-query';
import type { CdrDetail } from '../../../../core/schemas/call-records.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type CdrWithPayload = CdrDetail;

/** One CDR with the raw payload Cloudonix sent. */
export function getCdr(id: number, signal?: AbortSignal): Promise<CdrWithPayload> {
  return api.get<CdrWithPayload>(`/api/cdr/${id}`, signal ? { signal } : {});
}

export function getCdrQueryOptions(id: number) {
  return queryOptions({ queryKey: [queryRoots.cdrs, 'detail', id], queryFn: ({ signal }) => getCdr(id, signal) });
}

export function useCdr(id: number | undefined) {
  return useQuery({ ...getCdrQueryOptions(id ?? 0), enabled: id !== undefined });
}
