import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { OutboundRuleInput } from '../../../../core/schemas/routing-rules.js';
import { api } from '../../../lib/api-client.js';
import { outboundRulesQueryKey, type OutboundRule } from './get-outbound-rules.js';

export function createOutboundRule(input: OutboundRuleInput): Promise<OutboundRule> {
  return api.post<OutboundRule>('/api/outbound-routing-rules', input);
}

export function useCreateOutboundRule({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createOutboundRule,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: outboundRulesQueryKey });
      onSuccess?.();
    },
  });
}
