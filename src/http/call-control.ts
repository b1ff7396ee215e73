import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { handOffBody, handOffResult } from '../core/schemas/call-control.js';
import { endCallResult } from '../core/schemas/call-records.js';
import { idParam } from '../core/schemas/fields.js';
import { actorOf } from './request-context.js';
import { errorResponses } from './schemas.js';

/** Control of a live call at Cloudonix (admins): hang it up, or hand it off to someone else. */
const callControl: FastifyPluginAsyncZod = async (app) => {
  const tags = ['calls'];
  const svc = () => app.services.cloudonix.callControl;

  app.post(
    '/api/calls/active/:id/hang-up',
    {
      schema: {
        tags,
        summary: 'Hang up a live call at Cloudonix (admins); its record is closed as ended_by_admin',
        description:
          'Asks Cloudonix to end the session (DELETE /calls/{domain}/sessions/{token}), then closes the record as POST /api/calls/active/:id/end does: outcome ended_by_admin until the CDR tells the real end, the agent slot released, an audit row (call.hung_up) and a timeline entry written. 409 cloudonix_not_connected without a Cloudonix connection; 409 conflict for a call that has already ended; 424 cloudonix_failed when Cloudonix refuses or cannot be reached.',
        params: idParam,
        response: { 200: endCallResult, ...errorResponses },
      },
      config: { access: 'admin' },
    },
    async (request) => svc().hangUp(actorOf(request), request.params.id),
  );

  app.post(
    '/api/calls/active/:id/hand-off',
    {
      schema: {
        tags,
        summary: 'Hand a live call off to another agent, a group, or a person (admins)',
        description:
          "Switches the running call at Cloudonix to new CXML (POST /calls/{domain}/sessions/{token}/application): an agent is dialled as routing dials it; a group's strategy picks the agent; a number is dialled with <Dial><Number>. The call's record then names the agent that took over (null for a number), the old agent's live-call slot is released and the new one's held; the hand-off is audited (call.handed_off) and on the call's timeline. 409 when the target cannot take the call (at its limit, disabled, no free group member) or the call has ended; 422 for a missing target or a number that is not a phone number.",
        params: idParam,
        body: handOffBody,
        response: { 200: handOffResult, ...errorResponses },
      },
      config: { access: 'admin' },
    },
    async (request) => svc().handOff(actorOf(request), request.params.id, request.body),
  );
};
export default callControl;
