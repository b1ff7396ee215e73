import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { secretsEqual } from '../core/constant-time.js';
import { AppError } from '../core/errors.js';
import { bearerToken } from './plugins/authenticate.js';

const component = z.object({ status: z.enum(['ok', 'down']), latency_ms: z.number().nullable(), error: z.string().optional() });
const health = z.object({ status: z.enum(['ok', 'degraded', 'down']), checks: z.record(z.string(), component) });
const readiness = z.object({ status: z.enum(['ready', 'draining', 'down']), checks: z.record(z.string(), component) });

/**
 * Liveness and readiness for load balancers (no auth: they reveal no tenant data),
 * and Prometheus metrics, which list every route and its traffic: on this port only
 * when METRICS_TOKEN is set, and then only to `Authorization: Bearer <token>`.
 * Without a token they are not served here at all (404, like any unknown path);
 * METRICS_LISTEN serves them on a separate address (metrics-server.ts).
 */
export function operationsRoutes(metrics: Registry): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['operations'];
    // Liveness stays 200 while draining: the process is alive and finishing its work; restarting it would lose that.
    app.get('/up', { schema: { tags, summary: 'The process is alive', security: [], response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({
      status: 'ok' as const,
    }));

    app.get(
      '/ready',
      {
        schema: {
          tags,
          summary: 'Whether to send this instance traffic: 200 when the database answers with every migration applied; 503 while shutting down (draining) or when the database is down (Redis down still ready)',
          security: [],
          response: { 200: readiness, 503: readiness },
        },
      },
      async (_request, reply) => {
        const report = await app.services.health.readiness();
        return reply.status(report.status === 'ready' ? 200 : 503).send(report);
      },
    );

    app.get(
      '/health',
      { schema: { tags, summary: 'Database and Redis reachability with latency; 503 when the database is down (Redis down: 200 degraded, routing goes on per instance)', security: [], response: { 200: health, 503: health } } },
      async (_request, reply) => {
        const report = await app.services.health.report();
        return reply.status(report.status === 'down' ? 503 : 200).send(report);
      },
    );

    const token = app.config.metrics.token;
    if (token === undefined) return;
    app.get('/metrics', { schema: { tags, summary: 'Prometheus metrics (Authorization: Bearer METRICS_TOKEN)', hide: true } }, async (request, reply) => {
      if (!secretsEqual(bearerToken(request), token)) {
        throw new AppError('unauthenticated', 'Send the metrics token (METRICS_TOKEN) as Authorization: Bearer.', undefined, { 'www-authenticate': 'Bearer realm="metrics"' });
      }
      return reply.type(metrics.contentType).send(await metrics.metrics());
    });
  };
}
