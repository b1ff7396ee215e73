import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptInvitationBody, createdInvitationView, createInvitationBody, invitationPreview, invitationView, linkTokenField } from '../core/schemas/account.js';
import { idParam } from '../core/schemas/fields.js';
import { issuedToken } from './auth.js';
import { actorOf, principalOf, publicBaseUrl } from './request-context.js';
import { errorResponses } from './schemas.js';

const invitationList = z.object({ data: z.array(invitationView) });
export type InvitationListResponse = z.infer<typeof invitationList>;
export type CreatedInvitationResponse = z.infer<typeof createdInvitationView>;

/** The invited person's side: needs no token but the link's (sent in a body, never in a URL). */
export const publicInvitationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['invitations'];
  app.post(
    '/api/invitations/lookup',
    {
      schema: { tags, summary: 'Who an invitation link is for, and to which tenant', security: [], body: z.object({ token: linkTokenField }), response: { 200: invitationPreview, ...errorResponses } },
    },
    async (request) => app.services.invitations.preview(request.body.token),
  );

  app.post(
    '/api/invitations/accept',
    {
      schema: { tags, summary: 'Accept an invitation: set a name and password, and sign in', security: [], body: acceptInvitationBody, response: { 201: issuedToken, ...errorResponses } },
    },
    async (request, reply) => reply.status(201).send(await app.services.invitations.accept(request.body, request.ip)),
  );
};

/** An admin's side: invite, list pending, revoke. */
const invitations: FastifyPluginAsyncZod = async (app) => {
  const tags = ['invitations'];
  app.get(
    '/api/users/invitations',
    { schema: { tags, summary: 'Pending invitations (not accepted, revoked or expired)', response: { 200: invitationList, ...errorResponses } }, config: { access: 'admin' } },
    async (request) => ({ data: await app.services.invitations.listPending(principalOf(request).tenantId) }),
  );

  app.post(
    '/api/users/invitations',
    {
      schema: {
        tags,
        summary: 'Invite someone by email (single-use link, 72 h); the link is returned when it could not be emailed',
        body: createInvitationBody,
        response: { 201: createdInvitationView, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await app.services.invitations.create(actorOf(request), request.body, publicBaseUrl(request))),
  );

  app.delete(
    '/api/users/invitations/:id',
    { schema: { tags, summary: 'Revoke a pending invitation', params: idParam, response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      await app.services.invitations.revoke(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
export default invitations;
