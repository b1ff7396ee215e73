import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';
import { agentsQueryKey } from './get-agents.js';

/** 409 while an inbound rule or the fallback route still sends calls to the agent. */
export function deleteAgent(id: number): Promise<void> {
  return api.delete<void>(`/api/voice-agents/${id}`);
}

export function useDeleteAgent({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteAgent,
    onSuccess: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: agentsQueryKey }), queryClient.invalidateQueries({ queryKey: [queryRoots.groups] })]);
      onSuccess?.();
    },
  });
}
