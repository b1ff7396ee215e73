import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { signupPolicyView } from '../core/schemas/account.js';
import { loginBody, registerBody } from '../core/schemas/auth.js';
import { meView, userView } from '../core/schemas/user.js';
import { principalOf } from './request-context.js';
import { errorResponses } from './schemas.js';

export const issuedToken = z.object({ user: userView, token: z.string(), expires_at: z.string() });
export type IssuedTokenResponse = z.infer<typeof issuedToken>;

/**
 * Sign-in attempts counted per client address whatever the email (one address trying many
 * accounts), then per email and address (one account guessed), before any password is hashed.
 * The body is parsed by then (preHandler), and emails are already lower-cased by the schema.
 */
export function loginThrottle(app: FastifyInstance, key = 'login', attempts = 'sign-in attempts') {
  const timeWindow = app.config.loginWindowSeconds * 1000;
  const limits = [
    {
      what: 'from this address',
      check: app.createRateLimit({ max: app.config.loginMaxAttemptsPerAddress, timeWindow, keyGenerator: (request) => `${key}-address:${normalizeIP(request.ip)}` }),
    },
    {
      what: 'for this account',
      check: app.createRateLimit({ max: app.config.loginMaxAttempts, timeWindow, keyGenerator: (request) => `${key}:${emailOf(request)}|${normalizeIP(request.ip)}` }),
    },
  ];
  return async (request: FastifyRequest): Promise<void> => {
    for (const { what, check } of limits) {
      const limit = await check(request);
      if (limit.isAllowed || !limit.isExceeded) continue;
      const seconds = Math.max(1, limit.ttlInSeconds);
      throw new AppError('rate_limited', `Too many ${attempts} ${what}. Try again in ${seconds} s.`, undefined, { 'retry-after': String(seconds) });
    }
  };
}

const emailOf = (request: FastifyRequest) => (request.body as { email?: string } | undefined)?.email ?? '';

/** Routes that need no token: registering a tenant and signing in. */
export const publicAuthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/auth/signup-policy',
    {
      schema: {
        tags: ['auth'],
        summary: 'Whether a tenant may register itself now (SIGNUP), and whether a forgotten password can be emailed',
        security: [],
        response: { 200: signupPolicyView, ...errorResponses },
      },
    },
    async () => app.services.auth.signupPolicy(),
  );

  app.post(
    '/api/auth/register',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create a tenant (one Cloudonix domain) and its first admin',
        description: 'Under SIGNUP=first (the default) only an installation with no tenant accepts this; later ones get 403 signup_closed. SIGNUP=closed always refuses it.',
        security: [],
        body: registerBody,
        response: { 201: issuedToken, ...errorResponses },
      },
      // Under SIGNUP=open, one address cannot claim domain after domain: counted like sign-ins, apart from them.
      preHandler: loginThrottle(app, 'register', 'registrations'),
    },
    async (request, reply) => reply.status(201).send(await app.services.auth.register(request.body)),
  );

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        security: [],
        body: loginBody,
        response: { 200: issuedToken, ...errorResponses },
      },
      preHandler: loginThrottle(app),
    },
    async (request) => app.services.auth.login(request.body, request.ip),
  );
};

/** Routes of a signed-in user's own session. */
export const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/auth/logout',
    {
      schema: { tags: ['auth'], summary: 'Revoke the token of this request', response: { 204: z.null(), ...errorResponses } },
      config: { access: 'member' },
    },
    async (request, reply) => {
      await app.services.auth.logout(principalOf(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/refresh',
    {
      schema: { tags: ['auth'], summary: 'Exchange this token for a new one', response: { 200: issuedToken, ...errorResponses } },
      config: { access: 'member' },
    },
    async (request) => app.services.auth.refresh(principalOf(request)),
  );

  for (const url of ['/api/auth/me', '/api/user']) {
    app.get(
      url,
      { schema: { tags: ['auth'], summary: 'The signed-in user, with role and tenant', response: { 200: meView, ...errorResponses } } },
      async (request) => app.services.auth.me(principalOf(request)),
    );
  }
};
