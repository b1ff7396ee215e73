import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * HTTP metrics on the services' registry, beside the call metrics and the process's
 * (one registry per runtime: tests build many apps in one process). Routes are
 * labelled by their pattern, never the raw URL, so a path id or token cannot
 * explode the label set or leak into it.
 */
export function installMetrics(app: FastifyInstance, registry: Registry): Registry {
  // A second app over the same services (a test's restart) counts into the same series.
  const existing = (name: string) => registry.getSingleMetric(name);
  const requests = (existing('http_requests_total') as Counter<'method' | 'route' | 'status_code'> | undefined) ?? new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const duration = (existing('http_request_duration_seconds') as Histogram<'method' | 'route' | 'status_code'> | undefined) ?? new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request received to response sent',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // A callback hook, not an async one: no promise per request for two counter updates.
  app.addHook('onResponse', (request, reply, done) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
  return registry;
}
