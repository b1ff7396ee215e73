import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { tenantView, updateTenantBody, webhookUrls } from '../core/schemas/tenant.js';
import { actorOf, principalOf, publicBaseUrl } from './request-context.js';
import { errorResponses } from './schemas.js';

const rotated = z.object({ webhook_secret: z.string(), webhook_urls: webhookUrls });
export type TenantResponse = z.infer<typeof tenantView>;

/** The caller's own tenant: settings for everyone to read, webhook credentials for admins. */
const tenant: FastifyPluginAsyncZod = async (app) => {
  const tags = ['tenant'];

  app.get(
    '/api/tenant',
    { schema: { tags, summary: 'Tenant settings (admins also get the webhook secret and URLs)', response: { 200: tenantView, ...errorResponses } } },
    async (request) => app.services.tenant.get(principalOf(request), publicBaseUrl(request)),
  );

  app.put(
    '/api/tenant',
    { schema: { tags, summary: 'Update name, domain or settings', body: updateTenantBody, response: { 200: tenantView, ...errorResponses } } },
    async (request) => app.services.tenant.update(actorOf(request), request.body, publicBaseUrl(request)),
  );

  app.post(
    '/api/tenant/webhook-credentials/rotate',
    { schema: { tags, summary: 'Replace the webhook secret; the old one stops working at once', response: { 200: rotated, ...errorResponses } } },
    async (request) => app.services.tenant.rotateWebhookSecret(actorOf(request), publicBaseUrl(request)),
  );
};
export default tenant;
