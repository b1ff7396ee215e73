import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { occupancyView } from '../core/schemas/occupancy.js';
import { principalOf } from './request-context.js';
import { errorResponses } from './schemas.js';

export type OccupancyResponse = z.infer<typeof occupancyView>;

/** Live calls per agent and group against their caps, now (analysts read it too). */
const occupancy: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/occupancy',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Live calls per agent against its cap, and per group against its members’ caps',
        description:
          'Counts are the live-call slots routing compares with `max_concurrent_calls` (the `vlb_live_calls` gauge): an agent `at_capacity` is skipped by the next call, which goes to the next agent, or to the fallback when every member of the group is at its cap.',
        response: { 200: occupancyView, ...errorResponses },
      },
    },
    async (request) => app.services.occupancy.read(principalOf(request).tenantId),
  );
};
export default occupancy;
