import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam } from '../core/schemas/fields.js';
import { inboundRuleBody, inboundRuleView, reorderRulesBody, ruleListQuery, updateInboundRuleBody } from '../core/schemas/routing-rules.js';
import { actorOf, principalOf } from './request-context.js';
import { errorResponses, listOf } from './schemas.js';

const ruleList = listOf(inboundRuleView);
export type InboundRuleListResponse = z.infer<typeof ruleList>;
export type InboundRuleResponse = z.infer<typeof inboundRuleView>;

const ORDER =
  'Evaluation order: priority ascending, then the more specific pattern (exact, then ? wildcards, then * prefixes; more fixed digits first), then position (set by reorder), then id. The first enabled rule that matches the dialled number wins.';

/** Inbound routing rules: which agent or group a dialled number goes to. */
const inboundRoutingRules: FastifyPluginAsyncZod = async (app) => {
  const tags = ['inbound routing rules'];
  const svc = () => app.services.inboundRules;

  app.get(
    '/api/inbound-routing-rules',
    {
      schema: {
        tags,
        summary: 'List rules in evaluation order',
        description: `${ORDER} The whole list comes back unless per_page is given.`,
        querystring: ruleListQuery,
        response: { 200: ruleList, ...errorResponses },
      },
    },
    async (request) => svc().list(principalOf(request).tenantId, request.query),
  );

  app.post(
    '/api/inbound-routing-rules',
    {
      schema: {
        tags,
        summary: 'Create a rule sending a number pattern to an agent or a group',
        description: 'pattern: +12125550187 (exact), +1212555???? (? or X for one digit), +1212* (prefix), * (every number). priority 1-10000, default 100.',
        body: inboundRuleBody,
        response: { 201: inboundRuleView, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await svc().create(actorOf(request), request.body)),
  );

  app.post(
    '/api/inbound-routing-rules/reorder',
    {
      schema: {
        tags,
        summary: "Set the rules' positions from the order of ids (every rule of the tenant, once each)",
        description: `Body: {"ids": [3, 1, 2]}, or the bare array [3, 1, 2] (an alias, same meaning). Priorities are kept: position only orders rules of equal priority and specificity. ${ORDER}`,
        body: reorderRulesBody,
        response: { 200: ruleList, ...errorResponses },
      },
    },
    async (request) => svc().reorder(actorOf(request), request.body.ids),
  );

  app.get(
    '/api/inbound-routing-rules/:id',
    { schema: { tags, summary: 'One rule', params: idParam, response: { 200: inboundRuleView, ...errorResponses } } },
    async (request) => svc().detail(principalOf(request).tenantId, request.params.id),
  );

  app.put(
    '/api/inbound-routing-rules/:id',
    {
      schema: { tags, summary: 'Change any fields of a rule (fields not given are kept)', params: idParam, body: updateInboundRuleBody, response: { 200: inboundRuleView, ...errorResponses } },
    },
    async (request) => svc().update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/inbound-routing-rules/:id',
    { schema: { tags, summary: 'Delete a rule', params: idParam, response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      await svc().delete(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
export default inboundRoutingRules;
