import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import type { Paged } from '../../../lib/paged.js';
import { inboundRulesQueryKey, type InboundRule } from './get-inbound-rules.js';

/** Sets the position of every rule from the order of ids; answers the list in its new evaluation order. */
export function reorderInboundRules(ids: readonly number[]): Promise<Paged<InboundRule>> {
  return api.post<Paged<InboundRule>>('/api/inbound-routing-rules/reorder', { ids });
}

export function useReorderInboundRules() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: reorderInboundRules,
    onSuccess: (list) => queryClient.setQueryData(inboundRulesQueryKey, list),
    onSettled: () => queryClient.invalidateQueries({ queryKey: inboundRulesQueryKey }),
  });
}
