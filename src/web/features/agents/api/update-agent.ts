import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UpdateVoiceAgentInput } from '../../../../core/schemas/voice-agent.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';
import { agentsQueryKey, type VoiceAgent } from './get-agents.js';

export function updateAgent({ id, input }: { id: number; input: UpdateVoiceAgentInput }): Promise<VoiceAgent> {
  return api.put<VoiceAgent>(`/api/voice-agents/${id}`, input);
}

export function useUpdateAgent({ onSuccess }: { onSuccess?: (agent: VoiceAgent) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateAgent,
    onSuccess: async (agent) => {
      // Group member lists show agent names and states too.
      await Promise.all([queryClient.invalidateQueries({ queryKey: agentsQueryKey }), queryClient.invalidateQueries({ queryKey: [queryRoots.groups] })]);
      onSuccess?.(agent);
    },
  });
}
