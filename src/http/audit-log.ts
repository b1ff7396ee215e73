import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { auditLogQuery, auditLogView } from '../core/schemas/audit.js';
import { principalOf } from './request-context.js';
import { errorResponses, listOf } from './schemas.js';

const auditLogList = listOf(auditLogView);
export type AuditLogListResponse = z.infer<typeof auditLogList>;

/** Configuration changes of the tenant: who changed what, when, from what to what. */
const auditLog: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/audit-log',
    {
      schema: {
        tags: ['audit'],
        summary: 'Configuration changes, newest first',
        description:
          'Filters: entity_type (e.g. agent_group, voice_agent, tenant, user, privacy), entity_id, action (e.g. agent_group.updated), user_id, start_date and end_date (ISO date or date-time, UTC; a bare end date includes its whole day). before/after are the states around the change, secrets masked.',
        querystring: auditLogQuery,
        response: { 200: auditLogList, ...errorResponses },
      },
    },
    async (request) => app.services.auditViews.auditLog(principalOf(request).tenantId, request.query),
  );
};
export default auditLog;
