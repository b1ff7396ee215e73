import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam, paginationQuery } from '../core/schemas/fields.js';
import { createVoiceAgentBody, providerField, savedVoiceAgentView, updateVoiceAgentBody, voiceAgentView } from '../core/schemas/voice-agent.js';
import { actorOf, principalOf } from './request-context.js';
import { errorResponses, listOf, queryBoolean } from './schemas.js';

const listQuery = paginationQuery.extend({
  search: z.string().trim().max(100).optional(),
  enabled: queryBoolean.optional(),
  provider: providerField.optional(),
});

const voiceAgentList = listOf(voiceAgentView);
export type VoiceAgentListResponse = z.infer<typeof voiceAgentList>;
export type VoiceAgentResponse = z.infer<typeof voiceAgentView>;

/** The AI voice agents calls are routed to: analysts read, admins write (the default guard). */
const voiceAgents: FastifyPluginAsyncZod = async (app) => {
  const tags = ['voice agents'];

  app.get(
    '/api/voice-agents',
    { schema: { tags, summary: 'List voice agents', querystring: listQuery, response: { 200: voiceAgentList, ...errorResponses } } },
    async (request) => app.services.voiceAgents.list(principalOf(request).tenantId, request.query),
  );

  app.post(
    '/api/voice-agents',
    {
      schema: {
        tags,
        summary: 'Create a voice agent',
        description: 'Names are unique in a tenant, compared without case (409 with fields.name). Another agent with the same service value is allowed and answered with a warning.',
        body: createVoiceAgentBody,
        response: { 201: savedVoiceAgentView, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await app.services.voiceAgents.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/voice-agents/:id',
    { schema: { tags, summary: 'One voice agent', params: idParam, response: { 200: voiceAgentView, ...errorResponses } } },
    async (request) => app.services.voiceAgents.get(principalOf(request).tenantId, request.params.id),
  );

  app.put(
    '/api/voice-agents/:id',
    {
      schema: {
        tags,
        summary: 'Change any fields; the result is validated as a whole (a new provider needs a fitting service value)',
        description: 'A name another agent of the tenant has (compared without case) is refused with 409; a service value another agent dials is saved with a warning.',
        params: idParam,
        body: updateVoiceAgentBody,
        response: { 200: savedVoiceAgentView, ...errorResponses },
      },
    },
    async (request) => app.services.voiceAgents.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/voice-agents/:id',
    {
      schema: {
        tags,
        summary: 'Delete a voice agent (409 while an inbound rule or the fallback route targets it)',
        params: idParam,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await app.services.voiceAgents.delete(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.patch(
    '/api/voice-agents/:id/toggle',
    { schema: { tags, summary: 'Flip enabled; applies to the next routing decision', params: idParam, response: { 200: voiceAgentView, ...errorResponses } } },
    async (request) => app.services.voiceAgents.toggle(actorOf(request), request.params.id),
  );
};
export default voiceAgents;
