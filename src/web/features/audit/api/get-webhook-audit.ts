import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { WebhookAuditView } from '../../../../core/schemas/audit.js';
import { api } from '../../../lib/api-client.js';
import { toQueryString, type Paged } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type WebhookAuditEntry = WebhookAuditView;

export type WebhookAuditParams = Record<string, string | number | undefined>;

/** Every Cloudonix webhook the tenant received, newest first, secrets masked. */
export function getWebhookAudit(params: WebhookAuditParams, signal?: AbortSignal): Promise<Paged<WebhookAuditEntry>> {
  return api.get<Paged<WebhookAuditEntry>>(`/api/webhook-audit${toQueryString(params)}`, signal ? { signal } : {});
}

export function getWebhookAuditQueryOptions(params: WebhookAuditParams) {
  return queryOptions({ queryKey: [queryRoots.webhookAudit, params], queryFn: ({ signal }) => getWebhookAudit(params, signal) });
}

export function useWebhookAudit(params: WebhookAuditParams, enabled: boolean) {
  return useQuery({ ...getWebhookAuditQueryOptions(params), placeholderData: keepPreviousData, enabled });
}
