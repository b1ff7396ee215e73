import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { webhookAuditQuery, webhookAuditView } from '../core/schemas/audit.js';
import { principalOf } from './request-context.js';
import { errorResponses, listOf } from './schemas.js';

const webhookAuditList = listOf(webhookAuditView);
export type WebhookAuditListResponse = z.infer<typeof webhookAuditList>;

/** Every Cloudonix webhook the tenant received, with its outcome: for finding out why a call went where it did. */
const webhookAudit: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/webhook-audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Webhooks received, newest first',
        description:
          'Filters: event_type (voice_application, dial_callback, session_update, cdr), session_token, outcome (ok, unauthorized, invalid, duplicate, error, ...), start_date and end_date (ISO date or date-time, UTC; a bare end date includes its whole day). Requests refused for a wrong secret, and the rows counting refusals not stored one by one (outcome suppressed), are left out unless include_rejected=true or the outcome filter names them. Secrets in payloads are masked.',
        querystring: webhookAuditQuery,
        response: { 200: webhookAuditList, ...errorResponses },
      },
    },
    async (request) => app.services.auditViews.webhookAudit(principalOf(request).tenantId, request.query),
  );
};
export default webhookAudit;
