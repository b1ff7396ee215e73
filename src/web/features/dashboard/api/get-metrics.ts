import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { metricsView } from '../../../../core/schemas/analytics.js';
import { api } from '../../../lib/api-client.js';
import { toQueryString } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type Metrics = z.infer<typeof metricsView>;

export interface DayRange {
  start_date: string;
  end_date: string;
}

/** Headline numbers and the daily trend over local days in the tenant's time zone. */
export function getMetrics(range: DayRange, signal?: AbortSignal): Promise<Metrics> {
  return api.get<Metrics>(`/api/analytics/metrics${toQueryString({ ...range })}`, signal ? { signal } : {});
}

export function getMetricsQueryOptions(range: DayRange) {
  return queryOptions({ queryKey: [queryRoots.analytics, 'metrics', range], queryFn: ({ signal }) => getMetrics(range, signal) });
}

export function useMetrics(range: DayRange, refetchInterval: number | false) {
  return useQuery({ ...getMetricsQueryOptions(range), placeholderData: keepPreviousData, refetchInterval });
}
