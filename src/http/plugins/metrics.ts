import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';

type Label = 'method' | 'route' | 'status_code';
type Record = (method: string, route: string, statusCode: number, seconds: number) => void;

interface Cell {
  labels: { [K in Label]: string };
  n: number;
}

/** One recorder per registry: a second app over the same services (a test's restart) counts into the same series. */
const recorders = new WeakMap<Registry, Record>();

/**
 * The two HTTP series on `registry`. Requests are counted in a plain cell per label set,
 * handed to prom-client when Prometheus scrapes (prom-client validates and hashes the
 * labels on every `inc`); durations are observed with the cell's labels, built once.
 */
function httpRecorder(registry: Registry): Record {
  const known = recorders.get(registry);
  if (known) return known;
  const cells = new Map<string, Cell>();
  new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const c of cells.values()) this.inc(c.labels, c.n);
    },
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request received to response sent',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const record: Record = (method, route, statusCode, seconds) => {
    const key = `${method}\u0000${route}\u0000${statusCode}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = { labels: { method, route, status_code: String(statusCode) }, n: 0 };
      cells.set(key, cell);
    }
    cell.n += 1;
    duration.observe(cell.labels, seconds);
  };
  recorders.set(registry, record);
  return record;
}

/**
 * HTTP metrics on the services' registry, beside the call metrics and the process's
 * (one registry per runtime: tests build many apps in one process). Routes are
 * labelled by their pattern, never the raw URL, so a path id or token cannot
 * explode the label set or leak into it.
 */
export function installMetrics(app: FastifyInstance, registry: Registry): Registry {
  const record = httpRecorder(registry);
  // A callback hook, not an async one: no promise per request for two counter updates.
  app.addHook('onResponse', (request, reply, done) => {
    record(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  return registry;
}
