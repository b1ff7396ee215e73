import { AppError } from '../../core/errors.js';
import { findMatchingOutboundRule, findMatchingRule } from '../../core/routing/order-rules.js';
import { normalizeDigits } from '../../core/routing/phone-number.js';
import { orderCandidates } from '../../core/strategies/order-candidates.js';
import type { Plane } from '../../plane/plane.js';
import type { AgentHealth } from '../agent-health.js';
import type { Clock } from '../clock.js';
import type { DistributionService } from '../distribution-service.js';
import { planeKeys } from '../plane-keys.js';
import type { RoutingConfig, TenantRouting } from '../routing-config.js';
import { singleAgentSettings, type DecisionTrace, type RouteTarget } from './route-plan.js';
import type { RulesCache } from './rules-cache.js';

export interface CallFacts {
  from: string | null;
  to: string | null;
  /** Cloudonix's Direction, lower case: `outbound-api` calls (placed through the REST API) take outbound rules only. */
  direction?: string | null | undefined;
}

/** Calls Cloudonix's REST API placed: they go out, never to an inbound agent. */
const API_ORIGINATED = 'outbound-api';

type TargetPlan = Pick<DecisionTrace, 'strategy' | 'group_id' | 'rotation_counter' | 'candidates' | 'skipped' | 'settings'> & { missing: boolean };

interface Deps {
  config: RoutingConfig;
  plane: Plane;
  health: AgentHealth;
  distribution: DistributionService;
  rules: RulesCache;
  clock: Clock;
}

/**
 * Turns a call into a decision trace: which rule matched (outbound rules on the
 * caller ID first, then inbound rules on the dialled number), which agent or group
 * it targets, and the candidates in order. `dryRun` changes nothing (the simulator).
 */
export function createRoutePlanner({ config, plane, health, distribution, rules, clock }: Deps) {
  async function planTarget(tenantId: number, target: RouteTarget, dryRun: boolean, routing: TenantRouting): Promise<TargetPlan> {
    if (target.type === 'group') {
      let d;
      try {
        d = dryRun ? await distribution.preview(tenantId, target.id, routing) : await distribution.choose(tenantId, target.id, routing);
      } catch (err) {
        // The rule points at a group deleted meanwhile: the caller gets the fallback.
        if (err instanceof AppError && err.code === 'not_found') return { strategy: null, group_id: target.id, rotation_counter: null, candidates: [], skipped: [], settings: singleAgentSettings, missing: true };
        throw err;
      }
      return {
        strategy: d.strategy,
        group_id: target.id,
        rotation_counter: d.counter,
        candidates: [...d.candidates],
        skipped: d.skipped.map((s) => ({ agent_id: s.agentId, reason: s.reason })),
        settings: { max_attempts: d.settings.max_attempts, fallback_enabled: d.settings.fallback_enabled, failover_on_busy: d.settings.failover_on_busy },
        missing: false,
      };
    }
    const agent = routing.agents.get(target.id);
    if (!agent) return { strategy: 'single_agent', group_id: null, rotation_counter: null, candidates: [], skipped: [], settings: singleAgentSettings, missing: true };
    const [[active], [until]] = await Promise.all([plane.slotCounts([planeKeys.agentSlots(tenantId, target.id)], clock()), health.unhealthyUntil(tenantId, [target.id])]);
    const order = orderCandidates('round_robin', [
      {
        agentId: target.id,
        priority: 1,
        capacity: 1,
        enabled: agent.enabled,
        healthy: !agent.markedUnhealthy && (until ?? null) === null,
        activeCalls: active ?? 0,
        maxConcurrentCalls: agent.maxConcurrentCalls,
        windowCalls: 0,
        lastChosenAt: null,
      },
    ], 1);
    return {
      strategy: 'single_agent',
      group_id: null,
      rotation_counter: null,
      candidates: [...order.candidates],
      skipped: order.skipped.map((s) => ({ agent_id: s.agentId, reason: s.reason })),
      settings: singleAgentSettings,
      missing: false,
    };
  }

  return {
    planTarget,

    /**
     * `routing` is the configuration snapshot to decide on, when the caller has
     * read it already (the voice flow reads it alongside its idempotency claim).
     */
    async plan(tenantId: number, call: CallFacts, dryRun: boolean, routing?: TenantRouting): Promise<DecisionTrace> {
      const fromDigits = normalizeDigits(call.from);
      const toDigits = normalizeDigits(call.to);
      const base: DecisionTrace = {
        direction: 'inbound',
        matched_rule: null,
        target: null,
        strategy: null,
        group_id: null,
        rotation_counter: null,
        candidates: [],
        skipped: [],
        chosen_agent_id: null,
        attempts: [],
        settings: singleAgentSettings,
        outbound: null,
        fallback: null,
      };

      // An agent calling out through the domain: its caller ID matches an outbound rule.
      const outbound = findMatchingOutboundRule(await rules.outbound(tenantId), fromDigits, toDigits);
      if (outbound) {
        return {
          ...base,
          direction: 'outbound',
          matched_rule: { id: outbound.id, kind: 'outbound', name: outbound.name, pattern: `${outbound.callerIdPattern} → ${outbound.destinationPattern}` },
          outbound: { number: call.to ?? '', trunks: outbound.trunksAttribute, caller_id: outbound.callerIdOverride },
        };
      }

      if (call.direction === API_ORIGINATED) return { ...base, direction: 'outbound', fallback: { type: 'tenant', reason: 'no_rule' } };
      const rule = findMatchingRule(await rules.inbound(tenantId), toDigits);
      if (!rule) return { ...base, fallback: { type: 'tenant', reason: 'no_rule' } };
      const target: RouteTarget = { type: rule.targetType, id: rule.targetId };
      const { missing, ...plan } = await planTarget(tenantId, target, dryRun, routing ?? (await config.get(tenantId)));
      return {
        ...base,
        ...plan,
        matched_rule: { id: rule.id, kind: 'inbound', name: rule.name, pattern: rule.pattern },
        target,
        fallback: missing ? { type: 'tenant', reason: 'target_missing' } : null,
      };
    },
  };
}
export type RoutePlanner = ReturnType<typeof createRoutePlanner>;
