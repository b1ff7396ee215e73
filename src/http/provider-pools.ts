import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam } from '../core/schemas/fields.js';
import { providerPoolBody, providerPoolView, updateProviderPoolBody } from '../core/schemas/provider-pool.js';
import { actorOf, principalOf } from './request-context.js';
import { errorResponses } from './schemas.js';

const poolList = z.object({ data: z.array(providerPoolView) });
export type ProviderPoolListResponse = z.infer<typeof poolList>;
export type ProviderPoolResponse = z.infer<typeof providerPoolView>;

/**
 * Provider-account pools: a concurrency limit shared by several agents on one provider
 * account (agents join with `pool_id`). Analysts read, admins write.
 */
const providerPools: FastifyPluginAsyncZod = async (app) => {
  const tags = ['provider pools'];
  const svc = () => app.services.providerPools;

  app.get(
    '/api/provider-pools',
    { schema: { tags, summary: 'List provider pools with their agents', response: { 200: poolList, ...errorResponses } } },
    async (request) => svc().list(principalOf(request).tenantId),
  );

  app.post(
    '/api/provider-pools',
    {
      schema: {
        tags,
        summary: 'Create a provider pool',
        description:
          'max_concurrent_calls (1-10000) is the provider account’s limit across all the pool’s agents; routing claims a call’s pool slot together with its agent’s, and skips a candidate whose pool is full (`pool_full` in the decision trace). provider (optional): only agents of that provider may join.',
        body: providerPoolBody,
        response: { 201: providerPoolView, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await svc().create(actorOf(request), request.body)),
  );

  app.get(
    '/api/provider-pools/:id',
    { schema: { tags, summary: 'A provider pool with its agents', params: idParam, response: { 200: providerPoolView, ...errorResponses } } },
    async (request) => svc().get(principalOf(request).tenantId, request.params.id),
  );

  app.put(
    '/api/provider-pools/:id',
    { schema: { tags, summary: 'Change name, provider or limit (fields not given are kept)', params: idParam, body: updateProviderPoolBody, response: { 200: providerPoolView, ...errorResponses } } },
    async (request) => svc().update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/provider-pools/:id',
    { schema: { tags, summary: 'Delete a provider pool (409 naming its agents while any is in it)', params: idParam, response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      await svc().delete(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
export default providerPools;
