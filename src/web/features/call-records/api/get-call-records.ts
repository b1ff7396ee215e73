import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { CallRecordView } from '../../../../core/schemas/call-records.js';
import { api } from '../../../lib/api-client.js';
import { toQueryString, type Paged } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type CallRecord = CallRecordView;

/** Filters, sort and page exactly as `GET /api/call-records` takes them (strings from the URL). */
export type CallRecordParams = Record<string, string | number | undefined>;

export function getCallRecords(params: CallRecordParams, signal?: AbortSignal): Promise<Paged<CallRecord>> {
  return api.get<Paged<CallRecord>>(`/api/call-records${toQueryString(params)}`, signal ? { signal } : {});
}

export function getCallRecordsQueryOptions(params: CallRecordParams) {
  return queryOptions({ queryKey: [queryRoots.callRecords, 'list', params], queryFn: ({ signal }) => getCallRecords(params, signal) });
}

export function useCallRecords(params: CallRecordParams, refetchInterval: number | false) {
  return useQuery({ ...getCallRecordsQueryOptions(params), placeholderData: keepPreviousData, refetchInterval });
}
