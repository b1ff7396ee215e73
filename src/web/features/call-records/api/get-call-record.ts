import { queryOptions, useQuery } from '@tanstack/react-query';
import type { CallRecordDetail } from '../../../../core/schemas/call-records.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type CallRecordWithTimeline = CallRecordDetail;

/** One call with its routing decision trace, event timeline and CDRs. */
export function getCallRecord(id: number, signal?: AbortSignal): Promise<CallRecordWithTimeline> {
  return api.get<CallRecordWithTimeline>(`/api/call-records/${id}`, signal ? { signal } : {});
}

export function getCallRecordQueryOptions(id: number) {
  return queryOptions({ queryKey: [queryRoots.callRecords, 'detail', id], queryFn: ({ signal }) => getCallRecord(id, signal) });
}

/** `refetchInterval`: while live events are off, a live call's timeline still moves. */
export function useCallRecord(id: number | undefined, refetchInterval: number | false = false) {
  return useQuery({ ...getCallRecordQueryOptions(id ?? 0), enabled: id !== undefined, refetchInterval });
}
