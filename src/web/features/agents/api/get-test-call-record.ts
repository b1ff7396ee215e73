import { useQuery } from '@tanstack/react-query';
import type { CallRecordDetail } from '../../../../core/schemas/call-records.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

/** How often a test call's record is read while the call goes on. */
const FOLLOW_MS = 1500;

/** The record of a test call, with its timeline: the dialog says from it what happened. */
export function getTestCallRecord(id: number, signal?: AbortSignal): Promise<CallRecordDetail> {
  return api.get<CallRecordDetail>(`/api/call-records/${id}`, signal ? { signal } : {});
}

/** Followed until the call has ended (`ended_at` set); live events refresh it sooner through the call-records root. */
export function useTestCallRecord(id: number | null) {
  return useQuery({
    queryKey: [queryRoots.callRecords, 'test-call', id],
    queryFn: ({ signal }) => getTestCallRecord(id ?? 0, signal),
    enabled: id !== null,
    refetchInterval: (query) => (query.state.data?.ended_at ? false : FOLLOW_MS),
  });
}
