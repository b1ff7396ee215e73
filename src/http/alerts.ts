import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { alertCounts, alertQuery, alertSettingsView, alertView, testAlertResult, updateAlertSettingsBody } from '../core/schemas/alert.js';
import { idParam } from '../core/schemas/fields.js';
import { actorOf, principalOf } from './request-context.js';
import { errorResponses, listOf } from './schemas.js';

const alertList = listOf(alertView);
export type AlertListResponse = z.infer<typeof alertList>;
export type AlertResponse = z.infer<typeof alertView>;
export type AlertSettingsResponse = z.infer<typeof alertSettingsView>;

/** Alerts (open first, then history), their acknowledgement, and the tenant's alert settings. */
const alerts: FastifyPluginAsyncZod = async (app) => {
  const tags = ['alerts'];
  const svc = () => app.services.alerts;

  app.get(
    '/api/alerts',
    {
      schema: {
        tags,
        summary: 'Alerts, open (firing) first, then newest first',
        description: 'Filters: state (firing, resolved), kind (agent_down, agent_at_cap, pool_at_cap, fallback_share, no_session_updates, no_cdrs, webhook_errors).',
        querystring: alertQuery,
        response: { 200: alertList, ...errorResponses },
      },
    },
    async (request) => svc().list(principalOf(request).tenantId, request.query),
  );

  app.get(
    '/api/alerts/counts',
    { schema: { tags, summary: 'How many alerts are firing, and how many nobody acknowledged yet (the menu badge)', response: { 200: alertCounts, ...errorResponses } } },
    async (request) => svc().counts(principalOf(request).tenantId),
  );

  app.post(
    '/api/alerts/:id/acknowledge',
    {
      schema: {
        tags,
        summary: 'Acknowledge an alert (admins): marks it seen; it still resolves by itself when its condition ends',
        params: idParam,
        response: { 200: alertView, ...errorResponses },
      },
    },
    async (request) => svc().acknowledge(actorOf(request), request.params.id),
  );

  app.get(
    '/api/alerts/settings',
    { schema: { tags, summary: 'Alert thresholds and destinations (the signing secret is never returned, only whether it is set)', response: { 200: alertSettingsView, ...errorResponses } } },
    async (request) => svc().settings.view(principalOf(request).tenantId),
  );

  app.put(
    '/api/alerts/settings',
    {
      schema: {
        tags,
        summary: 'Change alert settings (admins); fields left out keep their value',
        description:
          'signing_secret is write-only: the outgoing webhook is signed with it (X-VLB-Signature: t=<unix seconds>,v1=<HMAC-SHA256 hex of "<t>.<body>">, see docs/alerts.md); null removes it.',
        body: updateAlertSettingsBody,
        response: { 200: alertSettingsView, ...errorResponses },
      },
    },
    async (request) => svc().settings.update(actorOf(request), request.body),
  );

  app.post(
    '/api/alerts/settings/test',
    {
      schema: {
        tags,
        summary: 'Send a test alert (admins) to the webhook and email recipients, and say whether each got it',
        response: { 200: testAlertResult, ...errorResponses },
      },
    },
    async (request) => svc().sendTest(principalOf(request).tenantId),
  );
};
export default alerts;
