import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { callRecordDetail, callRecordListQuery, callRecordView } from '../core/schemas/call-records.js';
import { idParam } from '../core/schemas/fields.js';
import { principalOf } from './request-context.js';
import { errorResponses, listOf } from './schemas.js';

const callRecordList = listOf(callRecordView);
export type CallRecordListResponse = z.infer<typeof callRecordList>;
export type CallRecordDetailResponse = z.infer<typeof callRecordDetail>;

/** The call history: one record per Cloudonix session, read-only for every role. */
const callRecords: FastifyPluginAsyncZod = async (app) => {
  const tags = ['call records'];
  const svc = () => app.services.callRecords;

  app.get(
    '/api/call-records',
    {
      schema: {
        tags,
        summary: 'List call records (newest first by default)',
        description:
          'status: one state or a comma list. from/to: calls whose number contains these digits. start_date/end_date: a day (YYYY-MM-DD, the whole day in the tenant time zone) or an ISO date-time with a zone. min/max_duration: seconds (calls without a duration never match). sort: started_at, duration or status, "-" for descending.',
        querystring: callRecordListQuery,
        response: { 200: callRecordList, ...errorResponses },
      },
    },
    async (request) => svc().list(principalOf(request).tenantId, request.query),
  );

  app.get(
    '/api/call-records/:id',
    { schema: { tags, summary: 'A call record with its decision trace, event timeline and CDRs', params: idParam, response: { 200: callRecordDetail, ...errorResponses } } },
    async (request) => svc().detail(principalOf(request).tenantId, request.params.id),
  );
};
export default callRecords;
