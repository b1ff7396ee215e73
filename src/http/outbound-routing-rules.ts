import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam } from '../core/schemas/fields.js';
import { outboundRuleBody, outboundRuleView, reorderRulesBody, ruleListQuery, updateOutboundRuleBody } from '../core/schemas/routing-rules.js';
import { actorOf, principalOf } from './request-context.js';
import { errorResponses, listOf } from './schemas.js';

const ruleList = listOf(outboundRuleView);
export type OutboundRuleListResponse = z.infer<typeof ruleList>;
export type OutboundRuleResponse = z.infer<typeof outboundRuleView>;

const ORDER =
  "Evaluation order: priority ascending, then the more specific patterns (caller ID's and destination's specificity added up), then position (set by reorder), then id. The first enabled rule matching both the agent's caller ID and the destination wins.";

/** Outbound routing rules: which trunks carry the calls agents place. */
const outboundRoutingRules: FastifyPluginAsyncZod = async (app) => {
  const tags = ['outbound routing rules'];
  const svc = () => app.services.outboundRules;

  app.get(
    '/api/outbound-routing-rules',
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
    '/api/outbound-routing-rules',
    {
      schema: {
        tags,
        summary: 'Create a rule choosing trunks by caller ID and destination',
        description:
          'caller_id: pattern of the agents\' caller IDs (e.g. +1555000????); destination_pattern defaults to *. trunk_config.trunks: 1-10 trunk names or numeric trunk ids (not mixed), rendered as trunks_attribute ("a,b" or "[12,34]"); trunk_config.caller_id: optional caller ID to present instead.',
        body: outboundRuleBody,
        response: { 201: outboundRuleView, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await svc().create(actorOf(request), request.body)),
  );

  app.post(
    '/api/outbound-routing-rules/reorder',
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
    '/api/outbound-routing-rules/:id',
    { schema: { tags, summary: 'One rule', params: idParam, response: { 200: outboundRuleView, ...errorResponses } } },
    async (request) => svc().detail(principalOf(request).tenantId, request.params.id),
  );

  app.put(
    '/api/outbound-routing-rules/:id',
    {
      schema: {
        tags,
        summary: 'Change any fields of a rule (fields not given are kept; trunk_config is merged field by field)',
        params: idParam,
        body: updateOutboundRuleBody,
        response: { 200: outboundRuleView, ...errorResponses },
      },
    },
    async (request) => svc().update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/outbound-routing-rules/:id',
    { schema: { tags, summary: 'Delete a rule', params: idParam, response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      await svc().delete(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
export default outboundRoutingRules;
