import { AppError } from '../../core/errors.js';
import { findOpenRule } from '../../core/routing/find-open-rule.js';
import { findMatchingOutboundRule, type CompiledInboundRule, type CompiledOutboundRule } from '../../core/routing/order-rules.js';
import { normalizeDigits } from '../../core/routing/phone-number.js';
import { chooseSplitArm } from '../../core/splits/choose-arm.js';
import { orderCandidates } from '../../core/strategies/order-candidates.js';
import type { Eventually } from '../../core/eventually.js';
import { routingPlane, type Plane } from '../../plane/plane.js';
import type { AgentHealth } from '../agent-health.js';
import type { Clock } from '../clock.js';
import type { DistributionService, GroupDecision } from '../distribution-service.js';
import { planeKeys } from '../plane-keys.js';
import { poolFullIn } from '../pool-slots.js';
import type { AgentRoute, RoutingConfig, TenantRouting } from '../routing-config.js';
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

export type TargetPlan = Pick<DecisionTrace, 'strategy' | 'group_id' | 'rotation_counter' | 'sticky' | 'candidates' | 'skipped' | 'settings'> & { missing: boolean };

type SplitTarget = { target: RouteTarget | null; split?: SplitDecision };
type TenantRules = { inbound: readonly CompiledInboundRule[]; outbound: readonly CompiledOutboundRule[] };

/** The arm of a split for the call its counter numbers. */
function splitArm(rule: CompiledInboundRule, counter: number): SplitTarget {
  const { arm } = chooseSplitArm(rule.split ?? [], counter);
  return { target: { type: arm.target.type, id: arm.target.id }, split: { rule_id: rule.id, arm: arm.label, counter } };
}

/** A group's decision as the trace's fields. */
function groupPlan(groupId: number, d: GroupDecision): TargetPlan {
  return Object.assign(
    { strategy: d.strategy, group_id: groupId, rotation_counter: d.counter },
    d.sticky ? { sticky: { agent_id: d.sticky.agentId, used: d.sticky.used, reason: d.sticky.reason } } : undefined,
    {
      candidates: [...d.candidates],
      skipped: d.skipped.map((s) => ({ agent_id: s.agentId, reason: s.reason })),
      settings: { max_attempts: d.settings.max_attempts, fallback_enabled: d.settings.fallback_enabled, failover_on_busy: d.settings.failover_on_busy },
      missing: false,
    },
  );
}

/** The rule points at a group deleted meanwhile: the caller gets the fallback. */
function groupMissing(err: unknown, groupId: number): TargetPlan {
  if (err instanceof AppError && err.code === 'not_found') return { strategy: null, group_id: groupId, rotation_counter: null, candidates: [], skipped: [], settings: singleAgentSettings, missing: true };
  throw err;
}

/** The trace of a call sent to `target` (through `split`, when it has one), from the target's plan. */
function traceOf(base: DecisionTrace, target: RouteTarget, split: SplitDecision | undefined, planned: TargetPlan): DecisionTrace {
  const { missing, ...plan } = planned;
  const fallback: DecisionTrace['fallback'] = missing ? { type: 'tenant', reason: 'target_missing' } : null;
  return Object.assign({}, base, plan, { target, fallback }, split ? { split } : undefined);
}

/** `base` sent to the tenant's fallback for `reason`. */
const withFallback = (base: DecisionTrace, reason: 'target_missing' | 'no_rule'): DecisionTrace => Object.assign({}, base, { fallback: { type: 'tenant' as const, reason } });

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
  const ops = routingPlane(plane);
  /** A single agent's plane keys (its live calls, its pool's, its health), made once per loaded configuration. */
  const agentKeys = new WeakMap<AgentRoute, { slotKeys: string[]; untilKeys: string[] }>();
  function keysOf(tenantId: number, agent: AgentRoute) {
    let keys = agentKeys.get(agent);
    if (!keys) {
      // An agent in a provider pool reads the pool's live calls in the same plane read.
      const slotKeys = agent.pool ? [planeKeys.agentSlots(tenantId, agent.id), planeKeys.poolSlots(tenantId, agent.pool.id)] : [planeKeys.agentSlots(tenantId, agent.id)];
      keys = { slotKeys, untilKeys: health.untilKeys(tenantId, [agent.id]) };
      agentKeys.set(agent, keys);
    }
    return keys;
  }

  /** `from` is the caller's number, for groups that send returning callers back to their last agent. */
  function planTarget(tenantId: number, target: RouteTarget, dryRun: boolean, routing: TenantRouting, from?: string | null): Eventually<TargetPlan> {
    if (target.type === 'group') {
      let d: Eventually<GroupDecision>;
      try {
        d = dryRun ? distribution.preview(tenantId, target.id, routing, from) : distribution.choose(tenantId, target.id, routing, from);
      } catch (err) {
        return groupMissing(err, target.id);
      }
      if (d instanceof Promise) return d.then((decided) => groupPlan(target.id, decided), (err: unknown) => groupMissing(err, target.id));
      return groupPlan(target.id, d);
    }
    const agent = routing.agents.get(target.id);
    if (!agent) return { strategy: 'single_agent', group_id: null, rotation_counter: null, candidates: [], skipped: [], settings: singleAgentSettings, missing: true };
    const { slotKeys, untilKeys } = keysOf(tenantId, agent);
    const now = clock();
    const counts = ops.slotCounts(slotKeys, now);
    const until = ops.getTimes(untilKeys);
    if (counts instanceof Promise || until instanceof Promise) return Promise.all([counts, until]).then(([c, u]) => singleAgentPlan(agent, c, u, now));
    return singleAgentPlan(agent, counts, until, now);
  }

  /** A single agent's plan from its live calls (and its pool's) and its health. */
  function singleAgentPlan(agent: AgentRoute, counts: readonly number[], times: readonly (number | null)[], now: number): TargetPlan {
    const [until] = health.stillOut(times, now);
    const order = orderCandidates('round_robin', [
      {
        agentId: agent.id,
        priority: 1,
        capacity: 1,
        enabled: agent.enabled,
        healthy: !agent.markedUnhealthy && (until ?? null) === null,
        activeCalls: counts[0] ?? 0,
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
  function splitTarget(tenantId: number, rule: CompiledInboundRule, dryRun: boolean): Eventually<SplitTarget> {
    if (!rule.split?.length) return { target: null };
    const key = planeKeys.split(tenantId, rule.id);
    if (dryRun) {
      const peeked = ops.peekCounter(key);
      return peeked instanceof Promise ? peeked.then((c) => splitArm(rule, c + 1)) : splitArm(rule, peeked + 1);
    }
    const counter = ops.incr(key);
    return counter instanceof Promise ? counter.then((c) => splitArm(rule, c)) : splitArm(rule, counter);
  }

  /** The rule's decision for a call whose rule, and target, are known. */
  function planOnTarget(tenantId: number, base: DecisionTrace, target: RouteTarget | null, split: SplitDecision | undefined, dryRun: boolean, routing: TenantRouting | undefined, from: string | null): Eventually<DecisionTrace> {
    if (!target) return withFallback(base, 'target_missing');
    if (!routing) return config.get(tenantId).then((r) => planOnTarget(tenantId, base, target, split, dryRun, r, from));
    const planned = planTarget(tenantId, target, dryRun, routing, from);
    return planned instanceof Promise ? planned.then((p) => traceOf(base, target, split, p)) : traceOf(base, target, split, planned);
  }

  /** Turns a call into its trace with the tenant's rules in hand (see `plan`). */
  function planWith(tenantId: number, call: CallFacts, dryRun: boolean, routing: TenantRouting | undefined, when: ScheduleMoment, loaded: TenantRules): Eventually<DecisionTrace> {
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
    const outbound = findMatchingOutboundRule(loaded.outbound, fromDigits, toDigits);
    if (outbound) {
      return Object.assign({}, base, {
        direction: 'outbound' as const,
        matched_rule: { id: outbound.id, kind: 'outbound' as const, name: outbound.name, pattern: `${outbound.callerIdPattern} → ${outbound.destinationPattern}` },
        outbound: { number: call.to ?? '', trunks: outbound.trunksAttribute, caller_id: outbound.callerIdOverride },
      });
    }

    if (call.direction === API_ORIGINATED) return Object.assign(withFallback(base, 'no_rule'), { direction: 'outbound' as const });
    const open = findOpenRule(loaded.inbound, toDigits, when.at ?? clock(), when.timeZone ?? 'UTC');
    if (open.scheduleSkipped.length > 0) base.schedule_skipped = [...open.scheduleSkipped];
    const rule = open.rule;
    if (!rule) return withFallback(base, 'no_rule');
    base.matched_rule = { id: rule.id, kind: 'inbound', name: rule.name, pattern: rule.pattern };
    // Rules without a split take no extra step on the hot path.
    if (rule.targetType !== 'split') return planOnTarget(tenantId, base, { type: rule.targetType, id: rule.targetId }, undefined, dryRun, routing, call.from);
    const chosen = splitTarget(tenantId, rule, dryRun);
    if (chosen instanceof Promise) return chosen.then((c) => planOnTarget(tenantId, base, c.target, c.split, dryRun, routing, call.from));
    return planOnTarget(tenantId, base, chosen.target, chosen.split, dryRun, routing, call.from);
  }

  return {
    planTarget,

    /**
     * `routing` is the configuration snapshot to decide on, when the caller has
     * read it already (the voice flow reads it alongside its idempotency claim).
     * A rule whose schedule is closed at `when` is skipped for the next that matches.
     * Answered at once when the tenant's rules and configuration are loaded and the plane
     * answers at once (the embedded plane); a promise otherwise.
     */
    plan(tenantId: number, call: CallFacts, dryRun: boolean, routing?: TenantRouting, when: ScheduleMoment = {}): Eventually<DecisionTrace> {
      // Loaded rules are read at once; only a tenant whose rules are (re)loading waits for them.
      const loaded = rules.loaded(tenantId);
      if (loaded) return planWith(tenantId, call, dryRun, routing, when, loaded);
      return rules.all(tenantId).then((r) => planWith(tenantId, call, dryRun, routing, when, r));
    },
  };
}
export type RoutePlanner = ReturnType<typeof createRoutePlanner>;
