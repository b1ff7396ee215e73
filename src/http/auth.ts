import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { loginBody, registerBody } from '../core/schemas/auth.js';
import { meView, userView } from '../core/schemas/user.js';
import { principalOf } from './request-context.js';
import { errorResponses } from './schemas.js';

const issuedToken = z.object({ user: userView, token: z.string(), expires_at: z.string() });
export type IssuedTokenResponse = z.infer<typeof issuedToken>;

/** Routes that need no token: registering a tenant and signing in. */
export const publicAuthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/auth/register',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create a tenant (one Cloudonix domain) and its first admin',
        security: [],
        body: registerBody,
        response: { 201: issuedToken, ...errorResponses },
      },
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
      config: {
        // Throttled per email and client address; the body is parsed by then (preHandler).
        rateLimit: {
          hook: 'preHandler',
          max: app.config.loginMaxAttempts,
          timeWindow: app.config.loginWindowSeconds * 1000,
          keyGenerator: (request) => `login:${(request.body as { email?: string } | undefined)?.email ?? ''}|${request.ip}`,
          errorResponseBuilder: (_request, ctx) =>
            new AppError('rate_limited', `Too many login attempts. Try again in ${ctx.after}.`, undefined, {
              'retry-after': String(Math.ceil(ctx.ttl / 1000)),
            }),
        },
      },
    },
    async (request) => app.services.auth.login(request.body),
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
