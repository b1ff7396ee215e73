import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { agentAnalyticsView } from '../../../../core/schemas/analytics.js';
import { api } from '../../../lib/api-client.js';
import { toQueryString } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';
import type { DayRange } from './get-metrics.js';

export type AgentAnalytics = z.infer<typeof agentAnalyticsView>;

/** Per agent: calls, success rate, average duration. */
export function getAgentAnalytics(range: DayRange, signal?: AbortSignal): Promise<AgentAnalytics> {
  return api.get<AgentAnalytics>(`/api/analytics/agents${toQueryString({ ...range })}`, signal ? { signal } : {});
}

export function getAgentAnalyticsQueryOptions(range: DayRange) {
  return queryOptions({ queryKey: [queryRoots.analytics, 'agents', range], queryFn: ({ signal }) => getAgentAnalytics(range, signal) });
}

export function useAgentAnalytics(range: DayRange, refetchInterval: number | false) {
  return useQuery({ ...getAgentAnalyticsQueryOptions(range), placeholderData: keepPreviousData, refetchInterval });
}
