import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { AlertView } from '../../../../core/schemas/alert.js';
import { api } from '../../../lib/api-client.js';
import { toQueryString, type Paged } from '../../../lib/paged.js';

export type Alert = AlertView;
export type AlertParams = { page: number; state?: string | undefined; kind?: string | undefined };

/** The first element of every alerts query key (list, counts, settings). */
export const alertsRoot = 'alerts';

/** Alerts, open ones first, then the history. */
export function getAlerts(params: AlertParams, signal?: AbortSignal): Promise<Paged<Alert>> {
  return api.get<Paged<Alert>>(`/api/alerts${toQueryString({ ...params, per_page: 20 })}`, signal ? { signal } : {});
}

export function getAlertsQueryOptions(params: AlertParams) {
  return queryOptions({ queryKey: [alertsRoot, 'list', params], queryFn: ({ signal }) => getAlerts(params, signal) });
}

/** Refreshed every 30 s: alerts open and resolve on the server by themselves. */
export function useAlerts(params: AlertParams) {
  return useQuery({ ...getAlertsQueryOptions(params), placeholderData: keepPreviousData, refetchInterval: 30_000 });
}
