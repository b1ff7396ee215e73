import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { providers as catalog } from '../core/providers.js';
import { errorResponses } from './schemas.js';

const providerView = z.object({
  id: z.string(),
  name: z.string(),
  transport: z.enum(['sip', 'websocket']),
  service_value: z.object({ kind: z.enum(['e164', 'wss_url']), label: z.string(), example: z.string(), help: z.string() }),
  credentials: z.object({ username: z.literal('optional'), password: z.literal('optional') }),
  note: z.string().optional(),
  aliases: z.array(z.string()).readonly().optional(),
});
const providerList = z.object({ data: z.array(providerView) });
export type ProviderListResponse = z.infer<typeof providerList>;

/** The static catalog of Cloudonix `<Service>` providers, for forms and API clients: no database behind it. */
const providers: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/providers',
    { schema: { tags: ['voice agents'], summary: 'Supported providers and what each needs', response: { 200: providerList, ...errorResponses } } },
    async () => ({ data: [...catalog] }),
  );
};
export default providers;
