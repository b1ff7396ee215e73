import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { HandOffBody, HandOffResult } from '../../../../core/schemas/call-control.js';
import type { EndCallResult } from '../../../../core/schemas/call-records.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

/** Ends a stale live call (admins): its record is closed as "Ended by admin" and its agent slot freed. */
export function endCall(id: number): Promise<EndCallResult> {
  return api.post<EndCallResult>(`/api/calls/active/${id}/end`);
}

/** Hangs a live call up at Cloudonix (admins); its record is closed as "Ended by admin". */
export function hangUpCall(id: number): Promise<EndCallResult> {
  return api.post<EndCallResult>(`/api/calls/active/${id}/hang-up`);
}

/** Switches a live call at Cloudonix to another agent, a group or a number (admins). */
export function handOffCall({ id, body }: { id: number; body: HandOffBody }): Promise<HandOffResult> {
  return api.post<HandOffResult>(`/api/calls/active/${id}/hand-off`, body);
}

/** Calls, their records and the counters change with each action. */
function useRefreshCalls() {
  const queryClient = useQueryClient();
  return () => Promise.all([queryRoots.calls, queryRoots.callRecords, queryRoots.analytics].map((root) => queryClient.invalidateQueries({ queryKey: [root] })));
}

export function useEndCall() {
  const refresh = useRefreshCalls();
  return useMutation({ mutationFn: endCall, onSettled: refresh });
}

export function useHangUpCall() {
  const refresh = useRefreshCalls();
  return useMutation({ mutationFn: hangUpCall, onSettled: refresh });
}

export function useHandOffCall() {
  const refresh = useRefreshCalls();
  return useMutation({ mutationFn: handOffCall, onSettled: refresh });
}
