import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { canWrite } from '../../core/roles.js';
import type { Access } from '../context.js';

/** The bearer token of a request, from the Authorization header. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function accessOf(request: FastifyRequest): Access {
  const configured = request.routeOptions.config.access;
  if (configured) return configured;
  return request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write';
}

/**
 * Registered inside the context of the tenant routes: authenticates every request
 * and applies the one role guard (analysts read, admins write).
 */
export function requireAuthentication(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request);
    const principal = token ? await app.services.auth.authenticate(token) : undefined;
    if (!principal) throw new AppError('unauthenticated', 'Authentication required: send a valid bearer token.');
    request.principal = principal;
    const access = accessOf(request);
    if ((access === 'write' || access === 'admin') && !canWrite(principal.role)) {
      throw new AppError('forbidden', 'Your role cannot do this: ask an admin of your tenant.');
    }
  });
}
