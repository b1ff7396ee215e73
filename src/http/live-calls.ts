import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callStatsView, endCallResult, liveCallView, liveCallsQuery } from '../core/schemas/call-records.js';
import { idParam } from '../core/schemas/fields.js';
import { actorOf, principalOf } from './request-context.js';
import { errorResponses } from './schemas.js';

const liveCallList = z.object({ data: z.array(liveCallView) });
export type LiveCallListResponse = z.infer<typeof liveCallList>;
export type CallStatsResponse = z.infer<typeof callStatsView>;

/** Calls in progress now and today's counters, for the dashboard. */
const liveCalls: FastifyPluginAsyncZod = async (app) => {
  const tags = ['calls'];
  const svc = () => app.services.liveCalls;

  app.get(
    '/api/calls/active',
    {
      schema: {
        tags,
        summary: 'Calls ringing or connected now, newest first (every instance sees the same list)',
        querystring: liveCallsQuery,
        response: { 200: liveCallList, ...errorResponses },
      },
    },
    async (request) => svc().active(principalOf(request).tenantId, request.query),
  );

  app.post(
    '/api/calls/active/:id/end',
    {
      schema: {
        tags,
        summary: 'End a stale live call (admins): closes its record as ended_by_admin and frees its agent slot',
        description:
          'For a call whose end never came (a lost CDR, only the voice URL configured). The record is closed with outcome ended_by_admin, the agent slot it held is released, and an audit row is written. Ending a call that has already ended changes nothing (ended_now: false). When the tenant has connected Cloudonix, the session is hung up there too (POST /api/calls/active/:id/hang-up hangs up first and fails when Cloudonix refuses).',
        params: idParam,
        response: { 200: endCallResult, ...errorResponses },
      },
      config: { access: 'admin' },
    },
    async (request) => svc().end(actorOf(request), request.params.id),
  );

  // Two paths for one answer: the dashboard and older clients use either name.
  for (const url of ['/api/calls/stats', '/api/calls/statistics']) {
    app.get(
      url,
      { schema: { tags, summary: "Live calls and today's totals in the tenant time zone", response: { 200: callStatsView, ...errorResponses } } },
      async (request) => svc().stats(principalOf(request).tenantId),
    );
  }
};
export default liveCalls;
