import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';

type Check = ReturnType<FastifyInstance['createRateLimit']>;

async function enforce(check: Check, request: FastifyRequest, what: string): Promise<void> {
  const limit = await check(request);
  if (limit.isAllowed || !limit.isExceeded) return;
  const seconds = Math.max(1, limit.ttlInSeconds);
  throw new AppError('rate_limited', `Too many API requests ${what}. Try again in ${seconds} s.`, undefined, { 'retry-after': String(seconds) });
}

/**
 * Limits the signed-in /api routes of the context it is called in (before
 * `requireAuthentication`) per client address and per bearer token, counted by the
 * app's one rate-limit store: in Redis across instances, per instance without it.
 * The address is counted before authentication, so a flood of bad tokens stops before
 * each is looked up; the token after it (preParsing), before any body is read.
 * The Cloudonix webhooks live in another context and are never limited here.
 */
export function limitApiRequests(app: FastifyInstance): void {
  const { perToken, perAddress, windowSeconds } = app.config.apiRateLimits;
  const timeWindow = windowSeconds * 1000;
  const byAddress = app.createRateLimit({ max: perAddress, timeWindow, keyGenerator: (request) => `api-address:${normalizeIP(request.ip)}` });
  // The token's id, never the token itself, names the counter.
  const byToken = app.createRateLimit({ max: perToken, timeWindow, keyGenerator: (request) => `api-token:${request.principal?.tokenId ?? 'none'}` });
  app.addHook('onRequest', async (request) => enforce(byAddress, request, 'from this address'));
  app.addHook('preParsing', async (request) => {
    if (request.principal) await enforce(byToken, request, 'with this token');
  });
}
