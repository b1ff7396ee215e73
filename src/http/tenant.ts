import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { rotatedWebhookSecret, tenantView, updateTenantBody } from '../core/schemas/tenant.js';
import { webhookUrlProblem } from '../core/webhook-url-problem.js';
import { guessedUrlsWarning } from './public-url.js';
import { actorOf, principalOf, publicBaseUrl } from './request-context.js';
import { errorResponses } from './schemas.js';

export type TenantResponse = z.infer<typeof tenantView>;

/**
 * Admins see the URLs to paste into Cloudonix; while PUBLIC_URL is unset they are told those are a guess,
 * and whenever the URLs point somewhere Cloudonix cannot reach (localhost, a private address, plain http), why.
 */
function withUrlsWarning(request: FastifyRequest, view: TenantResponse): TenantResponse {
  if (!view.webhook_urls) return view;
  const problem = webhookUrlProblem(view.webhook_urls.voice_application);
  // The problem's sentence already says what to set, so the warning does not say it again.
  return { ...view, webhook_urls_warning: guessedUrlsWarning(request, problem === null), webhook_urls_problem: problem };
}

/** The caller's own tenant: settings for everyone to read, webhook credentials for admins. */
const tenant: FastifyPluginAsyncZod = async (app) => {
  const tags = ['tenant'];

  app.get(
    '/api/tenant',
    { schema: { tags, summary: 'Tenant settings (admins also get the webhook secret and URLs)', response: { 200: tenantView, ...errorResponses } } },
    async (request) => withUrlsWarning(request, await app.services.tenant.get(principalOf(request), publicBaseUrl(request))),
  );

  app.put(
    '/api/tenant',
    { schema: { tags, summary: 'Update name, domain or settings', body: updateTenantBody, response: { 200: tenantView, ...errorResponses } } },
    async (request) => withUrlsWarning(request, await app.services.tenant.update(actorOf(request), request.body, publicBaseUrl(request))),
  );

  app.post(
    '/api/tenant/webhook-credentials/rotate',
    {
      schema: {
        tags,
        summary: 'Replace the webhook secret',
        description:
          'The replaced secret is still accepted for settings.webhook_security.rotation_grace_hours (default 24; 0 ends it at once), so calls in progress complete ' +
          'and Cloudonix can be updated meanwhile. Only one previous secret is kept: rotating again during a grace period drops the older one at once.',
        response: { 200: rotatedWebhookSecret, ...errorResponses },
      },
    },
    async (request) => app.services.tenant.rotateWebhookSecret(actorOf(request), publicBaseUrl(request)),
  );

  app.delete(
    '/api/tenant/webhook-credentials/previous',
    {
      schema: {
        tags,
        summary: 'Stop accepting the replaced webhook secret now, before its grace period ends (after a leak)',
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await app.services.tenant.endWebhookSecretGrace(actorOf(request));
      return reply.status(204).send(null);
    },
  );
};
export default tenant;
