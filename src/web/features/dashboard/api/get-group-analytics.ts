import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { groupAnalyticsView } from '../../../../core/schemas/analytics.js';
import { api } from '../../../lib/api-client.js';
import { toQueryString } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';
import type { DayRange } from './get-metrics.js';

export type GroupAnalytics = z.infer<typeof groupAnalyticsView>;

/** Per group: calls, success rate and each member's share. */
export function getGroupAnalytics(range: DayRange, signal?: AbortSignal): Promise<GroupAnalytics> {
  return api.get<GroupAnalytics>(`/api/analytics/groups${toQueryString({ ...range })}`, signal ? { signal } : {});
}

export function getGroupAnalyticsQueryOptions(range: DayRange) {
  return queryOptions({ queryKey: [queryRoots.analytics, 'groups', range], queryFn: ({ signal }) => getGroupAnalytics(range, signal) });
}

export function useGroupAnalytics(range: DayRange, refetchInterval: number | false) {
  return useQuery({ ...getGroupAnalyticsQueryOptions(range), placeholderData: keepPreviousData, refetchInterval });
}
