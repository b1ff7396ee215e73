import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { eraseNumberBody, erasureResult } from '../core/schemas/audit.js';
import { actorOf } from './request-context.js';
import { errorResponses } from './schemas.js';

export type ErasureResponse = z.infer<typeof erasureResult>;

/** Privacy requests: a caller asks for their number to be forgotten. */
const privacy: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/privacy/erase-number',
    {
      schema: {
        tags: ['privacy'],
        summary: "Replace a phone number in the tenant's call records, CDRs and webhook audit with an anonymous token",
        description:
          'Matches on normalised digits, whatever the stored formatting. Rows are kept (counts and grouping still work); the number is replaced by `erased:<8 hex>`, the same token for the same number. Admins only; recorded in the audit log with all but the last two digits masked.',
        body: eraseNumberBody,
        response: { 200: erasureResult, ...errorResponses },
      },
      config: { access: 'admin' },
    },
    async (request) => app.services.privacy.eraseNumber(actorOf(request), request.body),
  );
};
export default privacy;
