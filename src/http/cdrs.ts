import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { cdrDetail, cdrListQuery, cdrView } from '../core/schemas/call-records.js';
import { idParam } from '../core/schemas/fields.js';
import { principalOf } from './request-context.js';
import { errorResponses, listOf } from './schemas.js';

const cdrList = listOf(cdrView);
export type CdrListResponse = z.infer<typeof cdrList>;
export type CdrDetailResponse = z.infer<typeof cdrDetail>;

/** Call detail records as Cloudonix sent them, newest first. */
const cdrs: FastifyPluginAsyncZod = async (app) => {
  const tags = ['cdrs'];
  const svc = () => app.services.callRecords;

  app.get(
    '/api/cdr',
    {
      schema: {
        tags,
        summary: 'List CDRs, newest first',
        description:
          'disposition: any spelling of answered, no answer, busy, failed, congestion or cancelled, in any case. token: the session token. from/to: digits contained in the number. start_date/end_date: on when the CDR was received; a day is the whole day in the tenant time zone.',
        querystring: cdrListQuery,
        response: { 200: cdrList, ...errorResponses },
      },
    },
    async (request) => svc().listCdrs(principalOf(request).tenantId, request.query),
  );

  app.get(
    '/api/cdr/:id',
    { schema: { tags, summary: 'A CDR with its raw payload', params: idParam, response: { 200: cdrDetail, ...errorResponses } } },
    async (request) => svc().cdrDetail(principalOf(request).tenantId, request.params.id),
  );
};
export default cdrs;
