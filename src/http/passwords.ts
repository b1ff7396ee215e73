import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changePasswordBody, forcedResetView, forgotPasswordBody, resetPasswordBody } from '../core/schemas/account.js';
import { idParam } from '../core/schemas/fields.js';
import { issuedToken, loginThrottle } from './auth.js';
import { actorOf, publicBaseUrl } from './request-context.js';
import { errorResponses } from './schemas.js';

const accepted = z.object({ message: z.string() });
export type ForcedResetResponse = z.infer<typeof forcedResetView>;

/** Forgotten passwords: need no token. */
export const publicPasswordRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['auth'];
  app.post(
    '/api/auth/forgot-password',
    {
      schema: {
        tags,
        summary: 'Email a single-use link to set a new password (1 h)',
        description: 'Always 202, with the same body and at once, whether or not the email has an account. Needs SMTP_URL and PUBLIC_URL to send anything.',
        security: [],
        body: forgotPasswordBody,
        response: { 202: accepted, ...errorResponses },
      },
      // Counted like sign-ins, apart from them: nobody can flood an inbox from one address.
      preHandler: loginThrottle(app, 'forgot', 'password reset requests'),
    },
    async (request, reply) => {
      app.services.passwords.forgot(request.body.email, request.ip);
      return reply.status(202).send({ message: 'If this email has an account, a link to set a new password is on its way.' });
    },
  );

  app.post(
    '/api/auth/reset-password',
    {
      schema: {
        tags,
        summary: 'Set a new password with a reset link; signs out every session and signs this one in',
        security: [],
        body: resetPasswordBody,
        response: { 200: issuedToken, ...errorResponses },
      },
    },
    async (request) => app.services.passwords.reset(request.body, request.ip),
  );
};

/** A signed-in user's own password, and an admin's forced reset of a user of the tenant. */
const passwordRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (current one required); signs out your other sessions',
        body: changePasswordBody,
        response: { 204: z.null(), ...errorResponses },
      },
      config: { access: 'member' },
    },
    async (request, reply) => {
      await app.services.passwords.change(actorOf(request), request.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/users/:id/password-reset',
    {
      schema: {
        tags: ['users'],
        summary: 'Make a user set a new password: signs them out, voids the old one and emails a link (returned when not emailed)',
        params: idParam,
        response: { 200: forcedResetView, ...errorResponses },
      },
    },
    async (request) => app.services.passwords.forceReset(actorOf(request), request.params.id, publicBaseUrl(request)),
  );
};
export default passwordRoutes;
