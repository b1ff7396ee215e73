import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * The OpenAPI document is generated from the routes' zod schemas; `/docs` browses it.
 * It describes the API's shape only (no tenant data, secrets or addresses), so it is
 * public by default; DOCS=off leaves both paths unserved (404).
 */
export async function installOpenApi(app: FastifyInstance): Promise<void> {
  if (!app.config.docs) return;
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cloudonix voice agent load balancer',
        description: 'Routes Cloudonix calls to AI voice agents; admin API for agents, groups, rules, calls and users.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
