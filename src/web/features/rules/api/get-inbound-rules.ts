import { queryOptions, useQuery } from '@tanstack/react-query';
import type { InboundRuleView } from '../../../../core/schemas/routing-rules.js';
import { api } from '../../../lib/api-client.js';
import type { Paged } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type InboundRule = InboundRuleView;

/** Every inbound rule, in evaluation order (the API returns the whole list). */
export function getInboundRules(signal?: AbortSignal): Promise<Paged<InboundRule>> {
  return api.get<Paged<InboundRule>>('/api/inbound-routing-rules', signal ? { signal } : {});
}

export const inboundRulesQueryKey = [queryRoots.inboundRules] as const;

export function getInboundRulesQueryOptions() {
  return queryOptions({ queryKey: inboundRulesQueryKey, queryFn: ({ signal }) => getInboundRules(signal) });
}

export function useInboundRules() {
  return useQuery(getInboundRulesQueryOptions());
}
