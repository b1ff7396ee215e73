import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { OutboundRuleInput } from '../../../../core/schemas/routing-rules.js';
import { api } from '../../../lib/api-client.js';
import { outboundRulesQueryKey, type OutboundRule } from './get-outbound-rules.js';

/** Fields not given are kept. */
export function updateOutboundRule({ id, input }: { id: number; input: Partial<OutboundRuleInput> }): Promise<OutboundRule> {
  return api.put<OutboundRule>(`/api/outbound-routing-rules/${id}`, input);
}

export function useUpdateOutboundRule({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateOutboundRule,
    onSettled: () => queryClient.invalidateQueries({ queryKey: outboundRulesQueryKey }),
    onSuccess: () => onSuccess?.(),
  });
}
