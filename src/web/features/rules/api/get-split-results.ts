import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SplitAnalyticsView } from '../../../../core/schemas/split-analytics.js';
import { api } from '../../../lib/api-client.js';
import { toQueryString } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type SplitResults = SplitAnalyticsView;

/** A split rule's arms compared over the last 30 days (the API's default range). */
export function getSplitResults(ruleId: number, signal?: AbortSignal): Promise<SplitResults> {
  return api.get<SplitResults>(`/api/analytics/splits${toQueryString({ rule_id: ruleId })}`, signal ? { signal } : {});
}

/** Under the analytics root, so ended calls refresh it like the dashboard. */
export function getSplitResultsQueryOptions(ruleId: number) {
  return queryOptions({ queryKey: [queryRoots.analytics, 'splits', ruleId], queryFn: ({ signal }) => getSplitResults(ruleId, signal) });
}

export function useSplitResults(ruleId: number, enabled: boolean) {
  return useQuery({ ...getSplitResultsQueryOptions(ruleId), enabled });
}
