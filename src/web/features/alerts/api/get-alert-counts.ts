import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AlertCounts } from '../../../../core/schemas/alert.js';
import { api } from '../../../lib/api-client.js';
import { alertsRoot } from './get-alerts.js';

export function getAlertCounts(signal?: AbortSignal): Promise<AlertCounts> {
  return api.get<AlertCounts>('/api/alerts/counts', signal ? { signal } : {});
}

export const alertCountsQueryOptions = queryOptions({ queryKey: [alertsRoot, 'counts'], queryFn: ({ signal }) => getAlertCounts(signal) });

/**
 * The menu's badge: firing alerts, refreshed every 30 s. Only while `signedIn` (a token and a
 * known user): asked without one, or in the moment a revoked session is found out, it would
 * only earn a 401.
 */
export function useAlertCounts(signedIn: boolean) {
  return useQuery({ ...alertCountsQueryOptions, refetchInterval: 30_000, enabled: signedIn });
}
