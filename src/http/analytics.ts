import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { agentAnalyticsView, analyticsQuery, groupAnalyticsView, metricsView } from '../core/schemas/analytics.js';
import { principalOf } from './request-context.js';
import { errorResponses } from './schemas.js';

/** Dashboard analytics over local days in the tenant's time zone; definitions in README "Analytics". */
const analytics: FastifyPluginAsyncZod = async (app) => {
  const tags = ['analytics'];
  const svc = () => app.services.analytics;

  app.get(
    '/api/analytics/metrics',
    { schema: { tags, summary: 'Calls today, success rate, average duration, active calls, daily trends', querystring: analyticsQuery, response: { 200: metricsView, ...errorResponses } } },
    async (request) => svc().metrics(principalOf(request).tenantId, request.query),
  );
  app.get(
    '/api/analytics/agents',
    { schema: { tags, summary: "Per agent: calls, success rate, average duration, share of each group's calls", querystring: analyticsQuery, response: { 200: agentAnalyticsView, ...errorResponses } } },
    async (request) => svc().agents(principalOf(request).tenantId, request.query),
  );
  app.get(
    '/api/analytics/groups',
    { schema: { tags, summary: 'Per group: calls, success rate, average duration, each member’s share', querystring: analyticsQuery, response: { 200: groupAnalyticsView, ...errorResponses } } },
    async (request) => svc().groups(principalOf(request).tenantId, request.query),
  );
};
export default analytics;
