import type { FastifyRequest } from 'fastify';

/** Why a route that answers whatever it is sent went on without the body. */
export type IgnoredBody = 'too_large' | 'too_deep' | 'malformed_json' | 'nul_characters';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set (in the webhooks' context) when the body was dropped rather than refused. */
    ignoredBody: IgnoredBody | null;
  }
  interface FastifyContextConfig {
    /**
     * The route must answer whatever the body: the voice webhooks, where a caller is
     * waiting for CXML. A body that is too large, too deep, not JSON or holds NUL
     * characters is dropped and the route works from the path, query and headers.
     */
    answersAnyBody?: boolean;
  }
}

export function answersAnyBody(request: FastifyRequest): boolean {
  return request.routeOptions.config?.answersAnyBody === true;
}

/** Drops the body: returns the empty body to go on with, and says why for the audit. */
export function ignoreBody(request: FastifyRequest, why: IgnoredBody): Record<string, never> {
  request.ignoredBody = why;
  // Debug only: junk from anyone must not turn into a line per request; the audit row says it too.
  request.log.debug({ why }, 'request body ignored; answering from the path and query alone');
  return {};
}
