import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { groupAnalyticsView } from '../../../../core/schemas/analytics.js';
import { api } from '../../../lib/api-client.js';
import { toQueryString } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type GroupAnalytics = z.infer<typeof groupAnalyticsView>;

/** Each member's share of the group's calls over the last days (`GET /api/analytics/groups`). */
export function getGroupShares(groupId: number, range: { start_date: string; end_date: string }, signal?: AbortSignal): Promise<GroupAnalytics> {
  return api.get<GroupAnalytics>(`/api/analytics/groups${toQueryString({ group_id: groupId, ...range })}`, signal ? { signal } : {});
}

export function getGroupSharesQueryOptions(groupId: number, range: { start_date: string; end_date: string }) {
  return queryOptions({
    queryKey: [queryRoots.analytics, 'groups', groupId, range],
    queryFn: ({ signal }) => getGroupShares(groupId, range, signal),
  });
}

export function useGroupShares(groupId: number, range: { start_date: string; end_date: string }, refetchInterval: number | false) {
  return useQuery({ ...getGroupSharesQueryOptions(groupId, range), refetchInterval });
}
