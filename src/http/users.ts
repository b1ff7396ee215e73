import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam, paginationQuery } from '../core/schemas/fields.js';
import { createUserBody, roleField, updateUserBody, userView } from '../core/schemas/user.js';
import { actorOf, principalOf } from './request-context.js';
import { errorResponses, listOf, queryBoolean } from './schemas.js';

const listQuery = paginationQuery.extend({
  search: z.string().trim().max(100).optional(),
  role: roleField.optional(),
  active: queryBoolean.optional(),
});

const userList = listOf(userView);
export type UserListResponse = z.infer<typeof userList>;
export type UserResponse = z.infer<typeof userView>;

/** The people of a tenant: admins only, reads included. */
const users: FastifyPluginAsyncZod = async (app) => {
  const tags = ['users'];

  app.get(
    '/api/users',
    { schema: { tags, summary: 'List users', querystring: listQuery, response: { 200: userList, ...errorResponses } }, config: { access: 'admin' } },
    async (request) => app.services.users.list(principalOf(request).tenantId, request.query),
  );

  app.post(
    '/api/users',
    { schema: { tags, summary: 'Create a user (admin or analyst)', body: createUserBody, response: { 201: userView, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await app.services.users.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/users/:id',
    { schema: { tags, summary: 'One user', params: idParam, response: { 200: userView, ...errorResponses } }, config: { access: 'admin' } },
    async (request) => app.services.users.get(principalOf(request).tenantId, request.params.id),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: { tags, summary: 'Rename, change role, deactivate or reactivate', params: idParam, body: updateUserBody, response: { 200: userView, ...errorResponses } },
    },
    async (request) => app.services.users.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/users/:id',
    { schema: { tags, summary: 'Deactivate a user (signs them out everywhere)', params: idParam, response: { 200: userView, ...errorResponses } } },
    async (request) => app.services.users.deactivate(actorOf(request), request.params.id),
  );
};
export default users;
