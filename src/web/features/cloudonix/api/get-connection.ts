import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';
import type { CloudonixConnection } from './types.js';

/** The tenant's Cloudonix connection: whether a domain API key is stored (only its last characters), and the options. */
export function getConnection(signal?: AbortSignal): Promise<CloudonixConnection> {
  return api.get<CloudonixConnection>('/api/cloudonix/connection', signal ? { signal } : {});
}

export const connectionQueryKey = [queryRoots.cloudonix, 'connection'] as const;

export function getConnectionQueryOptions() {
  return queryOptions({ queryKey: connectionQueryKey, queryFn: ({ signal }) => getConnection(signal) });
}

export function useConnection() {
  return useQuery(getConnectionQueryOptions());
}
