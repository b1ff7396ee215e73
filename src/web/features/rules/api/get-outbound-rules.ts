import { queryOptions, useQuery } from '@tanstack/react-query';
import type { OutboundRuleView } from '../../../../core/schemas/routing-rules.js';
import { api } from '../../../lib/api-client.js';
import type { Paged } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type OutboundRule = OutboundRuleView;

/** Every outbound rule, in evaluation order (the API returns the whole list). */
export function getOutboundRules(signal?: AbortSignal): Promise<Paged<OutboundRule>> {
  return api.get<Paged<OutboundRule>>('/api/outbound-routing-rules', signal ? { signal } : {});
}

export const outboundRulesQueryKey = [queryRoots.outboundRules] as const;

export function getOutboundRulesQueryOptions() {
  return queryOptions({ queryKey: outboundRulesQueryKey, queryFn: ({ signal }) => getOutboundRules(signal) });
}

export function useOutboundRules() {
  return useQuery(getOutboundRulesQueryOptions());
}
