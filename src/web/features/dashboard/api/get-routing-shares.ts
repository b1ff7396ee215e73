import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { RoutingSharesView } from '../../../../core/schemas/analytics.js';
import { api } from '../../../lib/api-client.js';
import { toQueryString } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';
import type { DayRange } from './get-metrics.js';

export type RoutingShares = RoutingSharesView;

/** Overflow and fallback shares of the period's calls, with the fallback's reasons. */
export function getRoutingShares(range: DayRange, signal?: AbortSignal): Promise<RoutingShares> {
  return api.get<RoutingShares>(`/api/analytics/routing${toQueryString({ ...range })}`, signal ? { signal } : {});
}

/** Under the analytics root: call.ended and metrics.updated refresh it. */
export function getRoutingSharesQueryOptions(range: DayRange) {
  return queryOptions({ queryKey: [queryRoots.analytics, 'routing', range], queryFn: ({ signal }) => getRoutingShares(range, signal) });
}

export function useRoutingShares(range: DayRange, refetchInterval: number | false) {
  return useQuery({ ...getRoutingSharesQueryOptions(range), placeholderData: keepPreviousData, refetchInterval });
}
