import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cloudonixConnectionView, updateCloudonixConnectionInput } from '../core/schemas/cloudonix-connection.js';
import { actorOf, principalOf } from './request-context.js';
import { cloudonixErrorResponses, errorResponses } from './schemas.js';

export type CloudonixConnectionResponse = z.infer<typeof cloudonixConnectionView>;

/** The tenant's connection to the Cloudonix REST API: its domain API key (write-only) and options. */
const cloudonix: FastifyPluginAsyncZod = async (app) => {
  const tags = ['cloudonix'];
  const svc = () => app.services.cloudonix.connection;

  app.get(
    '/api/cloudonix/connection',
    {
      schema: {
        tags,
        summary: "The tenant's Cloudonix connection: whether a domain API key is set (only its last 4 characters), and its options",
        response: { 200: cloudonixConnectionView, ...errorResponses },
      },
    },
    async (request) => svc().view(principalOf(request).tenantId),
  );

  app.put(
    '/api/cloudonix/connection',
    {
      schema: {
        tags,
        summary: 'Set the domain API key and/or whether unknown sessions are verified (admins)',
        description:
          "A new key is tried with Cloudonix first (a read of the tenant's domain) and saved only if Cloudonix accepts it: a refused key is 422 cloudonix_key_refused, Cloudonix unreachable is 424 cloudonix_failed. The key is stored encrypted and never returned. Changing only verify_unknown_sessions needs a key already set (else 409 cloudonix_not_connected).",
        body: updateCloudonixConnectionInput,
        response: { 200: cloudonixConnectionView, ...cloudonixErrorResponses },
      },
      config: { access: 'admin' },
    },
    async (request) => svc().update(actorOf(request), request.body),
  );

  app.delete(
    '/api/cloudonix/connection',
    {
      schema: {
        tags,
        summary: 'Forget the domain API key (admins); Cloudonix actions answer 409 until one is set again',
        response: { 204: z.null(), ...errorResponses },
      },
      config: { access: 'admin' },
    },
    async (request, reply) => {
      await svc().remove(actorOf(request));
      return reply.code(204).send(null);
    },
  );
};
export default cloudonix;
