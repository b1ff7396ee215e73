import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { InboundRuleInput } from '../../../../core/schemas/routing-rules.js';
import { api } from '../../../lib/api-client.js';
import { inboundRulesQueryKey, type InboundRule } from './get-inbound-rules.js';

export function createInboundRule(input: InboundRuleInput): Promise<InboundRule> {
  return api.post<InboundRule>('/api/inbound-routing-rules', input);
}

export function useCreateInboundRule({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createInboundRule,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: inboundRulesQueryKey });
      onSuccess?.();
    },
  });
}
