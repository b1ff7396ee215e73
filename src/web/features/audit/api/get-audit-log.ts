import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { AuditLogView } from '../../../../core/schemas/audit.js';
import { api } from '../../../lib/api-client.js';
import { toQueryString, type Paged } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type AuditLogEntry = AuditLogView;

export type AuditLogParams = Record<string, string | number | undefined>;

/** Configuration changes: who changed what, from what to what. */
export function getAuditLog(params: AuditLogParams, signal?: AbortSignal): Promise<Paged<AuditLogEntry>> {
  return api.get<Paged<AuditLogEntry>>(`/api/audit-log${toQueryString(params)}`, signal ? { signal } : {});
}

export function getAuditLogQueryOptions(params: AuditLogParams) {
  return queryOptions({ queryKey: [queryRoots.auditLog, params], queryFn: ({ signal }) => getAuditLog(params, signal) });
}

export function useAuditLog(params: AuditLogParams, enabled: boolean) {
  return useQuery({ ...getAuditLogQueryOptions(params), placeholderData: keepPreviousData, enabled });
}
