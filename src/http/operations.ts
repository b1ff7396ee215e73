import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import { z } from 'zod';

const component = z.object({ status: z.enum(['ok', 'down']), latency_ms: z.number().nullable(), error: z.string().optional() });
const health = z.object({ status: z.enum(['ok', 'degraded', 'down']), checks: z.record(z.string(), component) });

/** Liveness, readiness and metrics for load balancers and Prometheus. No auth: they reveal no tenant data. */
export function operationsRoutes(metrics: Registry): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['operations'];
    app.get('/up', { schema: { tags, summary: 'The process is alive', security: [], response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({
      status: 'ok' as const,
    }));

    app.get(
      '/health',
      { schema: { tags, summary: 'Database and Redis reachability with latency; 503 when the database is down (Redis down: 200 degraded, routing goes on per instance)', security: [], response: { 200: health, 503: health } } },
      async (_request, reply) => {
        const report = await app.services.health.report();
        return reply.status(report.status === 'down' ? 503 : 200).send(report);
      },
    );

    app.get('/metrics', { schema: { tags, summary: 'Prometheus metrics', security: [], hide: true } }, async (_request, reply) =>
      reply.type(metrics.contentType).send(await metrics.metrics()),
    );
  };
}
