import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { outboundRulesQueryKey } from './get-outbound-rules.js';

export function deleteOutboundRule(id: number): Promise<void> {
  return api.delete<void>(`/api/outbound-routing-rules/${id}`);
}

export function useDeleteOutboundRule({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteOutboundRule,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: outboundRulesQueryKey });
      onSuccess?.();
    },
  });
}
