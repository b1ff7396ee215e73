import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { InboundRuleInput } from '../../../../core/schemas/routing-rules.js';
import { api } from '../../../lib/api-client.js';
import { inboundRulesQueryKey, type InboundRule } from './get-inbound-rules.js';

/** Fields not given are kept. */
export function updateInboundRule({ id, input }: { id: number; input: Partial<InboundRuleInput> }): Promise<InboundRule> {
  return api.put<InboundRule>(`/api/inbound-routing-rules/${id}`, input);
}

export function useUpdateInboundRule({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateInboundRule,
    onSettled: () => queryClient.invalidateQueries({ queryKey: inboundRulesQueryKey }),
    onSuccess: () => onSuccess?.(),
  });
}
