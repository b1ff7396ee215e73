import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EndCallResult } from '../../../../core/schemas/call-records.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

/** Ends a stale live call (admins): its record is closed as "Ended by admin" and its agent slot freed. */
export function endCall(id: number): Promise<EndCallResult> {
  return api.post<EndCallResult>(`/api/calls/active/${id}/end`);
}

export function useEndCall() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: endCall,
    onSettled: () => Promise.all([queryRoots.calls, queryRoots.callRecords, queryRoots.analytics].map((root) => queryClient.invalidateQueries({ queryKey: [root] }))),
  });
}
