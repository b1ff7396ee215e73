import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import type { Paged } from '../../../lib/paged.js';
import { outboundRulesQueryKey, type OutboundRule } from './get-outbound-rules.js';

/** Sets the position of every rule from the order of ids; answers the list in its new evaluation order. */
export function reorderOutboundRules(ids: readonly number[]): Promise<Paged<OutboundRule>> {
  return api.post<Paged<OutboundRule>>('/api/outbound-routing-rules/reorder', { ids });
}

export function useReorderOutboundRules() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: reorderOutboundRules,
    onSuccess: (list) => queryClient.setQueryData(outboundRulesQueryKey, list),
    onSettled: () => queryClient.invalidateQueries({ queryKey: outboundRulesQueryKey }),
  });
}
