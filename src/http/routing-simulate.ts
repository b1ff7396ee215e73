import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { simulateRoutingBody } from '../core/schemas/routing-simulation.js';
import { stickyReasons } from '../core/strategies/prefer-returning-caller.js';
import { parseMoment } from '../core/time/wall-time.js';
import { readSettings } from '../services/tenant-service.js';
import { principalOf } from './request-context.js';
import { errorResponses } from './schemas.js';

const candidate = z.object({ agent_id: z.number().int(), name: z.string(), provider: z.string() });
const simulation = z.object({
  direction: z.enum(['inbound', 'outbound']),
  matched_rule: z.object({ id: z.number().int(), kind: z.enum(['inbound', 'outbound']), name: z.string().nullable(), pattern: z.string() }).nullable(),
  target: z.object({ type: z.enum(['agent', 'group']), id: z.number().int() }).nullable(),
  strategy: z.string().nullable(),
  candidates: z.array(candidate),
  skipped: z.array(z.object({ agent_id: z.number().int(), reason: z.string() })),
  would_choose: candidate.nullable(),
  outbound: z.object({ number: z.string(), trunks: z.string(), caller_id: z.string().nullable() }).nullable(),
  fallback: z.object({ type: z.string(), reason: z.string() }).nullable(),
  /** Returning callers: the agent that last took this caller and whether the call would go back to it, or why not; null for a new caller or a group without it. */
  sticky: z.object({ agent_id: z.number().int(), used: z.boolean(), reason: z.enum(stickyReasons) }).nullable(),
  /** The weighted split the rule sends calls through: the arm the next call would take and the counter value it would use (nothing is used up). */
  split: z.object({ rule_id: z.number().int(), arm: z.string(), counter: z.number().int() }).nullable(),
  /** Rules that matched but were closed by their schedule at the moment tried. */
  schedule_skipped: z.array(z.object({ rule_id: z.number().int(), name: z.string().nullable(), reason: z.enum(['outside_hours', 'holiday']) })),
  /** The moment tried (ISO, UTC) when the request gave one; null: now. */
  when: z.string().nullable(),
  /** The tenant's time zone, in which schedules and a `when` without a zone are read. */
  time_zone: z.string(),
});
export type SimulationResponse = z.infer<typeof simulation>;

/** "Test a number": the rule, target and agent the engine would pick now, without placing, recording or advancing anything. */
const routingSimulate: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/routing/simulate',
    {
      schema: {
        tags: ['routing'],
        summary: 'Simulate the routing decision for a call',
        description:
          'from and to are phone numbers (digits with an optional +, separators allowed, or sip:+1…@host); anything else is refused with 422 validation_failed, since routing matches numbers by their digits.',
        body: simulateRoutingBody,
        response: { 200: simulation, ...errorResponses },
      },
      config: { access: 'member' },
    },
    async (request) => {
      const tenantId = principalOf(request).tenantId;
      const { repos, routing } = app.services;
      const tenant = await repos.tenants.findById(tenantId);
      const timeZone = tenant ? readSettings(tenant).timezone : 'UTC';
      const at = request.body.when ? (parseMoment(request.body.when, timeZone) ?? undefined) : undefined;
      const trace = await routing.planner.plan(tenantId, { from: request.body.from, to: request.body.to, direction: request.body.direction }, true, undefined, { at, timeZone });
      const named = await Promise.all(
        trace.candidates.map(async (id) => {
          const agent = await repos.voiceAgents.findById(tenantId, id);
          return { agent_id: id, name: agent?.name ?? `#${id}`, provider: agent?.provider ?? 'unknown' };
        }),
      );
      const fallback = trace.fallback ?? (trace.candidates.length === 0 && !trace.outbound ? { type: 'tenant', reason: 'no_candidate' } : null);
      return {
        direction: trace.direction,
        matched_rule: trace.matched_rule,
        target: trace.target,
        strategy: trace.strategy,
        candidates: named,
        skipped: trace.skipped,
        would_choose: named[0] ?? null,
        outbound: trace.outbound,
        fallback,
        sticky: trace.sticky ?? null,
        split: trace.split ?? null,
        schedule_skipped: trace.schedule_skipped ?? [],
        when: at === undefined ? null : new Date(at).toISOString(),
        time_zone: timeZone,
      };
    },
  );
};
export default routingSimulate;
