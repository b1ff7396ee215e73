import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';
import { agentsQueryKey, type VoiceAgent } from './get-agents.js';

/** Flips `enabled`; the next routing decision already sees it. */
export function toggleAgent(id: number): Promise<VoiceAgent> {
  return api.patch<VoiceAgent>(`/api/voice-agents/${id}/toggle`);
}

export function useToggleAgent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: toggleAgent,
    onSettled: () =>
      Promise.all([queryClient.invalidateQueries({ queryKey: agentsQueryKey }), queryClient.invalidateQueries({ queryKey: [queryRoots.groups] })]),
  });
}
