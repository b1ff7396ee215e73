import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateVoiceAgentInput } from '../../../../core/schemas/voice-agent.js';
import { api } from '../../../lib/api-client.js';
import { agentsQueryKey, type VoiceAgent } from './get-agents.js';

export function createAgent(input: CreateVoiceAgentInput): Promise<VoiceAgent> {
  return api.post<VoiceAgent>('/api/voice-agents', input);
}

export function useCreateAgent({ onSuccess }: { onSuccess?: (agent: VoiceAgent) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createAgent,
    onSuccess: async (agent) => {
      await queryClient.invalidateQueries({ queryKey: agentsQueryKey });
      onSuccess?.(agent);
    },
  });
}
