import { AppError } from '../../core/errors.js';
import { findOpenRule } from '../../core/routing/find-open-rule.js';
import { findMatchingOutboundRule, type CompiledInboundRule } from '../../core/routing/order-rules.js';
import { normalizeDigits } from '../../core/routing/phone-number.js';
import { chooseSplitArm } from '../../core/splits/choose-arm.js';
import { orderCandidates } from '../../core/strategies/order-candidates.js';
import type { Plane } from '../../plane/plane.js';
import type { AgentHealth } from '../agent-health.js';
import type { Clock } from '../clock.js';
import type { DistributionService } from '../distribution-service.js';
import { planeKeys } from '../plane-keys.js';
import { poolFullIn } from '../pool-slots.js';
import type { RoutingConfig, TenantRouting } from '../routing-config.js';
import { singleAgentSettings, type DecisionTrace, type RouteTarget, type SplitDecision } from './route-plan.js';
import type { RulesCache } from './rules-cache.js';

export interface CallFacts {
  from: string | null;
  to: string | null;
  /** Cloudonix's Direction, lower case: `outbound-api` calls (placed through the REST API) take outbound rules only. */
  direction?: string | null | undefined;
}

/** Calls Cloudonix's REST API placed: they go out, never to an inbound agent. */
const API_ORIGINATED = 'outbound-api';

/** The moment rules' schedules are read at: now unless the rule tester asks for another, in the tenant's zone. */
export interface ScheduleMoment {
  at?: number | undefined;
  timeZone?: string | undefined;
}

type TargetPlan = Pick<DecisionTrace, 'strategy' | 'group_id' | 'rotation_counter' | 'sticky' | 'candidates' | 'skipped' | 'settings'> & { missing: boolean };

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
  /** `from` is the caller's number, for groups that send returning callers back to their last agent. */
  async function planTarget(tenantId: number, target: RouteTarget, dryRun: boolean, routing: TenantRouting, from?: string | null): Promise<TargetPlan> {
    if (target.type === 'group') {
      let d;
      try {
        d = dryRun ? await distribution.preview(tenantId, target.id, routing, from) : await distribution.choose(tenantId, target.id, routing, from);
      } catch (err) {
        // The rule points at a group deleted meanwhile: the caller gets the fallback.
        if (err instanceof AppError && err.code === 'not_found') return { strategy: null, group_id: target.id, rotation_counter: null, candidates: [], skipped: [], settings: singleAgentSettings, missing: true };
        throw err;
      }
      return {
        strategy: d.strategy,
        group_id: target.id,
        rotation_counter: d.counter,
        ...(d.sticky && { sticky: { agent_id: d.sticky.agentId, used: d.sticky.used, reason: d.sticky.reason } }),
        candidates: [...d.candidates],
        skipped: d.skipped.map((s) => ({ agent_id: s.agentId, reason: s.reason })),
        settings: { max_attempts: d.settings.max_attempts, fallback_enabled: d.settings.fallback_enabled, failover_on_busy: d.settings.failover_on_busy },
        missing: false,
      };
    }
    const agent = routing.agents.get(target.id);
    if (!agent) return { strategy: 'single_agent', group_id: null, rotation_counter: null, candidates: [], skipped: [], settings: singleAgentSettings, missing: true };
    // An agent in a provider pool reads the pool's live calls in the same plane read.
    const slotKeys = agent.pool ? [planeKeys.agentSlots(tenantId, target.id), planeKeys.poolSlots(tenantId, agent.pool.id)] : [planeKeys.agentSlots(tenantId, target.id)];
    const [counts, [until]] = await Promise.all([plane.slotCounts(slotKeys, clock()), health.unhealthyUntil(tenantId, [target.id])]);
    const active = counts[0];
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
        poolFull: poolFullIn(agent.pool, 0, counts, 1),
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

  /**
   * The agent or group a split rule sends this call to. The arm comes from one atomic
   * increment of the rule's shared counter (a preview only peeks), fed to a pure sequence
   * in core, so the arms' shares are exact across calls and instances. Null target: a
   * split with no arms stored (never written by the API; treated as a missing target).
   */
  async function splitTarget(tenantId: number, rule: CompiledInboundRule, dryRun: boolean): Promise<{ target: RouteTarget | null; split?: SplitDecision }> {
    if (!rule.split?.length) return { target: null };
    const key = planeKeys.split(tenantId, rule.id);
    const counter = dryRun ? (await plane.peekCounter(key)) + 1 : await plane.incr(key);
    const { arm } = chooseSplitArm(rule.split, counter);
    return { target: { type: arm.target.type, id: arm.target.id }, split: { rule_id: rule.id, arm: arm.label, counter } };
  }

  return {
    planTarget,

    /**
     * `routing` is the configuration snapshot to decide on, when the caller has
     * read it already (the voice flow reads it alongside its idempotency claim).
     * A rule whose schedule is closed at `when` is skipped for the next that matches.
     */
    async plan(tenantId: number, call: CallFacts, dryRun: boolean, routing?: TenantRouting, when: ScheduleMoment = {}): Promise<DecisionTrace> {
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
      // Loaded rules are read at once; only a tenant whose rules are (re)loading waits for them.
      const loaded = rules.loaded(tenantId);
      const outbound = findMatchingOutboundRule(loaded ? loaded.outbound : await rules.outbound(tenantId), fromDigits, toDigits);
      if (outbound) {
        return {
          ...base,
          direction: 'outbound',
          matched_rule: { id: outbound.id, kind: 'outbound', name: outbound.name, pattern: `${outbound.callerIdPattern} → ${outbound.destinationPattern}` },
          outbound: { number: call.to ?? '', trunks: outbound.trunksAttribute, caller_id: outbound.callerIdOverride },
        };
      }

      if (call.direction === API_ORIGINATED) return { ...base, direction: 'outbound', fallback: { type: 'tenant', reason: 'no_rule' } };
      const open = findOpenRule(loaded ? loaded.inbound : await rules.inbound(tenantId), toDigits, when.at ?? clock(), when.timeZone ?? 'UTC');
      if (open.scheduleSkipped.length > 0) base.schedule_skipped = [...open.scheduleSkipped];
      const rule = open.rule;
      if (!rule) return { ...base, fallback: { type: 'tenant', reason: 'no_rule' } };
      // Rules without a split take no extra step (not even a promise) on the hot path.
      const { target, split } = rule.targetType === 'split' ? await splitTarget(tenantId, rule, dryRun) : { target: { type: rule.targetType, id: rule.targetId }, split: undefined };
      const matched_rule = { id: rule.id, kind: 'inbound' as const, name: rule.name, pattern: rule.pattern };
      if (!target) return { ...base, matched_rule, fallback: { type: 'tenant', reason: 'target_missing' } };
      const { missing, ...plan } = await planTarget(tenantId, target, dryRun, routing ?? (await config.get(tenantId)), call.from);
      return {
        ...base,
        ...plan,
        matched_rule,
        target,
        fallback: missing ? { type: 'tenant', reason: 'target_missing' } : null,
        ...(split ? { split } : {}),
      };
    },
  };
}
export type RoutePlanner = ReturnType<typeof createRoutePlanner>;
