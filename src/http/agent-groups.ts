import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addMemberBody,
  agentGroupBody,
  agentGroupDetail,
  agentGroupView,
  strategyField,
  updateAgentGroupBody,
  updateMemberBody,
  type AgentGroupDetail,
} from '../core/schemas/agent-group.js';
import { idParam, paginationQuery } from '../core/schemas/fields.js';
import { actorOf, principalOf } from './request-context.js';
import { errorResponses, listOf } from './schemas.js';

const listQuery = paginationQuery.extend({
  search: z.string().trim().max(100).optional(),
  strategy: strategyField.optional(),
});
const memberParams = idParam.extend({ memberId: z.coerce.number().int().positive().max(2_147_483_647) });
const groupList = listOf(agentGroupView);
export type AgentGroupListResponse = z.infer<typeof groupList>;
export type AgentGroupDetailResponse = z.infer<typeof agentGroupDetail>;

/** Agent groups, their strategy settings and their members. */
const agentGroups: FastifyPluginAsyncZod = async (app) => {
  const tags = ['agent groups'];
  const svc = () => app.services.agentGroups;
  /** Members with the same live health the agents page shows (out of rotation, never tried, unknown). */
  const live = async (tenantId: number, detail: AgentGroupDetail): Promise<AgentGroupDetail> => {
    const members = detail.members;
    const statuses = await app.services.voiceAgents.healthStatuses(
      tenantId,
      members.map((m) => m.agent_id),
      members.map((m) => m.health_status === 'unhealthy'),
    );
    return { ...detail, members: members.map((m, i) => ({ ...m, health_status: statuses[i] ?? m.health_status })) };
  };

  app.get(
    '/api/agent-groups',
    { schema: { tags, summary: 'List groups with member counts', querystring: listQuery, response: { 200: groupList, ...errorResponses } } },
    async (request) => svc().list(principalOf(request).tenantId, request.query),
  );

  app.post(
    '/api/agent-groups',
    {
      schema: {
        tags,
        summary: 'Create a group (strategy: round_robin, priority, load_balanced or least_live)',
        description: 'settings: max_attempts (1-10, default 3), fallback_enabled (default true), failover_on_busy (default false); load_balanced also window_hours (1-168, default 24); any strategy may set returning_callers {enabled, ttl_minutes} to send a caller back to the agent that last served them.',
        body: agentGroupBody,
        response: { 201: agentGroupDetail, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await live(principalOf(request).tenantId, await svc().create(actorOf(request), request.body))),
  );

  app.get(
    '/api/agent-groups/:id',
    { schema: { tags, summary: 'A group with its members', params: idParam, response: { 200: agentGroupDetail, ...errorResponses } } },
    async (request) => live(principalOf(request).tenantId, await svc().detail(principalOf(request).tenantId, request.params.id)),
  );

  app.put(
    '/api/agent-groups/:id',
    {
      schema: { tags, summary: 'Change name, strategy, settings or enabled (fields not given are kept)', params: idParam, body: updateAgentGroupBody, response: { 200: agentGroupDetail, ...errorResponses } },
    },
    async (request) => live(principalOf(request).tenantId, await svc().update(actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/agent-groups/:id',
    { schema: { tags, summary: 'Delete a group (409 while a rule or the fallback targets it)', params: idParam, response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      await svc().delete(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/agent-groups/:id/members',
    { schema: { tags, summary: 'Add an agent to the group', params: idParam, body: addMemberBody, response: { 201: agentGroupDetail, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await live(principalOf(request).tenantId, await svc().addMember(actorOf(request), request.params.id, request.body))),
  );

  app.put(
    '/api/agent-groups/:id/members/:memberId',
    { schema: { tags, summary: "Change a member's priority or capacity", params: memberParams, body: updateMemberBody, response: { 200: agentGroupDetail, ...errorResponses } } },
    async (request) => live(principalOf(request).tenantId, await svc().updateMember(actorOf(request), request.params.id, request.params.memberId, request.body)),
  );

  app.delete(
    '/api/agent-groups/:id/members/:memberId',
    { schema: { tags, summary: 'Remove an agent from the group', params: memberParams, response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      await svc().removeMember(actorOf(request), request.params.id, request.params.memberId);
      return reply.status(204).send(null);
    },
  );
};
export default agentGroups;
