import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * Paths machines call every few seconds (load balancer probes, Prometheus): a line each at
 * info would bury everything else, and a failing probe is seen by whoever probes.
 */
export const QUIET_PATHS: ReadonlySet<string> = new Set(['/up', '/ready', '/health', '/metrics']);

/** A request that takes longer than this is worth a line whatever its status. */
export const SLOW_REQUEST_MS = 1000;

export type RequestLogLevel = 'debug' | 'info' | 'warn';

/**
 * The level of a request's one "request completed" line. What went well is debug (the
 * admin UI alone makes hundreds of requests in a few minutes of clicking); what an
 * operator acts on is not: 5xx at warn, 4xx and slow requests at info. 429 is debug: a
 * throttled flood would otherwise flood the log too (the limiter's own lines and the
 * http_requests_total metric show it).
 */
export function requestLogLevel(path: string | undefined, statusCode: number, elapsedMs: number): RequestLogLevel {
  if (path !== undefined && QUIET_PATHS.has(path)) return 'debug';
  if (statusCode >= 500) return 'warn';
  if (statusCode >= 400 && statusCode !== 429) return 'info';
  return elapsedMs >= SLOW_REQUEST_MS ? 'info' : 'debug';
}

/**
 * Fastify's request lines, leveled by outcome: one line per request when it completes
 * (method, URL with secrets masked, address, status, time), and "incoming request" only at
 * trace, except for WebSocket upgrades (debug), which never complete as a response does.
 */
export class RequestLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (request.headers.upgrade !== undefined) request.log.debug({ req: request }, 'incoming request');
    else request.log.trace({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const responseTime = reply.elapsedTime;
    if (error) {
      reply.log.error({ req: request, res: reply, err: error, responseTime }, 'request errored');
      return;
    }
    const level = requestLogLevel(request.routeOptions.url, reply.statusCode, responseTime);
    const slow = level === 'info' && reply.statusCode < 400;
    reply.log[level]({ req: request, res: reply, responseTime }, slow ? 'slow request completed' : 'request completed');
  }
}
