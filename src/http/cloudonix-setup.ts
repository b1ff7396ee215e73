import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { setupApplyBody, setupApplyResult, setupCheckView } from '../core/schemas/cloudonix-setup.js';
import { actorOf, principalOf, publicBaseUrl } from './request-context.js';
import { cloudonixErrorResponses } from './schemas.js';

/** One-click setup of the tenant's Cloudonix domain, and "check wiring" (services/cloudonix/domain-setup.ts). */
const cloudonixSetup: FastifyPluginAsyncZod = async (app) => {
  const tags = ['cloudonix'];
  const svc = () => app.services.cloudonix.setup;

  app.get(
    '/api/cloudonix/setup',
    {
      schema: {
        tags,
        summary: 'Check wiring: what the Cloudonix domain has, what setup would change, and which webhooks have come',
        description:
          'Reads the domain and its voice applications at Cloudonix (2 of its 10 requests per 10 s). URLs are shown with their token masked and the ' +
          'authorization key only as set / not set / differs. 409 cloudonix_not_connected until a domain API key is stored.',
        response: { 200: setupCheckView, ...cloudonixErrorResponses },
      },
    },
    async (request) => svc().check(principalOf(request).tenantId, publicBaseUrl(request)),
  );

  app.post(
    '/api/cloudonix/setup',
    {
      schema: {
        tags,
        summary: 'Set up the Cloudonix domain (admins): voice application, default application, authorization key, session update and CDR endpoints',
        description:
          'Creates or updates the voice application voice-lb-<domain> to POST to our voice URL, makes it the default application, and sets the profile ' +
          'keys authorization-api-key (the webhook secret), session-update-endpoint and cdr-endpoint, keeping every other profile key. Then reads the ' +
          'domain back: verified is true when it matches. Idempotent: when everything is set already nothing is written. Refused (422) while our URLs are ' +
          'ones Cloudonix cannot reach (PUBLIC_URL unset, localhost, a private address, plain http) unless allow_unreachable_urls is true.',
        body: setupApplyBody.optional(),
        response: { 200: setupApplyResult, ...cloudonixErrorResponses },
      },
    },
    async (request) => svc().apply(actorOf(request), publicBaseUrl(request), setupApplyBody.parse(request.body ?? {})),
  );
};
export default cloudonixSetup;
