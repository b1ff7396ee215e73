import type { FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';
import type { Actor, Principal } from '../core/principal.js';

/** The principal of an authenticated route; the auth hook guarantees it is set. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthenticated', 'Authentication required.');
  return request.principal;
}

export function actorOf(request: FastifyRequest): Actor {
  return { principal: principalOf(request), ip: request.ip };
}

/** Base of the URLs shown to users: PUBLIC_URL when set, else what this request was addressed to. */
export function publicBaseUrl(request: FastifyRequest): string {
  const configured = request.server.config.publicUrl;
  if (configured) return configured;
  return `${request.protocol}://${request.host}`;
}
