import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { inboundRulesQueryKey } from './get-inbound-rules.js';

export function deleteInboundRule(id: number): Promise<void> {
  return api.delete<void>(`/api/inbound-routing-rules/${id}`);
}

export function useDeleteInboundRule({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteInboundRule,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: inboundRulesQueryKey });
      onSuccess?.();
    },
  });
}
