import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParam } from '../core/schemas/fields.js';
import { testCallBody, testCallResult } from '../core/schemas/test-call.js';
import { actorOf, publicBaseUrl } from './request-context.js';
import { cloudonixErrorResponses } from './schemas.js';

/** A test call to an agent through Cloudonix (admins): the call is recorded like any other and marked is_test. */
const testCalls: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/voice-agents/:id/test-call',
    {
      schema: {
        tags: ['voice agents'],
        summary: 'Place a test call to the agent (admins): Cloudonix rings your phone, then dials the agent',
        description:
          'Places a call through Cloudonix (POST /calls/{domain}/application): Cloudonix rings `destination` (your phone, E.164) and once it answers dials the agent as routing would, ' +
          'with this service\'s Dial callback as action (PUBLIC_URL, else the address of this request, must be reachable by Cloudonix). The call is recorded like any call ' +
          '(session updates and the CDR fold into it) and marked is_test, which analytics leave out; follow GET /api/call-records/:call_record_id to learn what happened. ' +
          'The agent\'s {session} placeholder is empty in a test call (Cloudonix names the session only once it is placed). ' +
          '404 for an agent of another tenant; 409 cloudonix_not_connected without a Cloudonix connection, 409 conflict when the agent is at its limit of live calls; ' +
          '422 for a destination that is not a phone number; 424 cloudonix_failed when Cloudonix refuses or cannot be reached.',
        params: idParam,
        body: testCallBody,
        response: { 201: testCallResult, ...cloudonixErrorResponses },
      },
      config: { access: 'admin' },
    },
    async (request, reply) => reply.status(201).send(await app.services.cloudonix.testCalls.place(actorOf(request), request.params.id, request.body, publicBaseUrl(request))),
  );
};

export default testCalls;
