import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ExportView } from '../../../../core/schemas/exports.js';
import { api } from '../../../lib/api-client.js';
import { toQueryString, type Paged } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type Export = ExportView;

export function getExports(page: number, signal?: AbortSignal): Promise<Paged<Export>> {
  return api.get<Paged<Export>>(`/api/exports${toQueryString({ page })}`, signal ? { signal } : {});
}

export const exportsQueryKey = [queryRoots.exports] as const;

export function getExportsQueryOptions(page: number) {
  return queryOptions({ queryKey: [...exportsQueryKey, 'list', page], queryFn: ({ signal }) => getExports(page, signal) });
}

const unfinished = (e: Export) => e.status === 'queued' || e.status === 'running';

/** The tenant's exports, newest first; refreshed every second while one is still being written. */
export function useExports(page: number) {
  return useQuery({
    ...getExportsQueryOptions(page),
    refetchInterval: (query) => (query.state.data?.data.some(unfinished) ? 1000 : false),
  });
}
