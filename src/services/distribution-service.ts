import { notFound } from '../core/errors.js';
import type { GroupSettings } from '../core/schemas/agent-group.js';
import { orderCandidates } from '../core/strategies/order-candidates.js';
import { preferReturningCaller, type StickyOutcome } from '../core/strategies/prefer-returning-caller.js';
import type { CandidateOrder, MemberState, StrategyName } from '../core/strategies/types.js';
import type { Plane } from '../plane/plane.js';
import type { AgentHealth } from './agent-health.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import { planeKeys } from './plane-keys.js';
import { createPoolSlots, poolFullIn, poolsOfAgents } from './pool-slots.js';
import { callerMemoryKeys, callerMemoryOf, rememberCaller, type CallerMemoryKeys } from './returning-callers.js';
import type { AgentRoute, GroupRoute, MemberRoute, RoutingConfig, TenantRouting } from './routing-config.js';

const HOUR_MS = 3_600_000;
/** Buckets per rolling window: the window's trailing edge is exact to 1/60 of its length. */
const BUCKETS_PER_WINDOW = 60;
const LOCK_TTL_MS = 2_000;
const LOCK_WAIT_MS = 250;
/** A live-call slot stops counting after this long even if the call's end is never heard. */
export const SLOT_BACKSTOP_MS = 4 * HOUR_MS;

export interface GroupDecision extends CandidateOrder {
  readonly groupId: number;
  readonly strategy: StrategyName;
  readonly settings: GroupSettings;
  /** The rotation counter this decision used (round robin and priority). */
  readonly counter: number | null;
  /** Returning callers: the agent that last served this caller, and whether the call goes back to it (null: not asked, or a new caller). */
  readonly sticky: StickyOutcome | null;
}

interface Deps {
  config: RoutingConfig;
  plane: Plane;
  health: AgentHealth;
  clock: Clock;
  logger: Logger;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `poolSlot`: the index of the agent's provider pool among the group's pools (null: none), see pool-slots.ts. */
type Member = MemberRoute & { agent: AgentRoute; poolSlot: number | null };

/**
 * Takes a group's routing decision: reads its members from the routing
 * configuration (versioned in the plane, so a change is seen by the very next
 * decision on every instance), joins their live state from the plane and lets
 * the group's strategy order them.
 */
export function createDistributionService({ config, plane, health, clock, logger }: Deps) {
  const poolSlots = createPoolSlots(plane, config);
  /** The members' slot keys, then their pools' (none for groups without pooled agents): one read gives both counts. */
  const slotKeysOf = (tenantId: number, members: readonly Member[]) => [
    ...members.map((m) => planeKeys.agentSlots(tenantId, m.agentId)),
    ...poolsOfAgents(members.map((m) => m.agent)).pools.map((p) => planeKeys.poolSlots(tenantId, p.id)),
  ];

  /**
   * A group's members joined with their agents, and their plane keys, made once
   * per loaded configuration (a change loads new group objects, so this follows).
   */
  const joined = new WeakMap<GroupRoute, { members: Member[]; slotKeys: string[]; untilKeys: string[] }>();
  function membersOf(tenantId: number, group: GroupRoute, agents: TenantRouting['agents']) {
    let hit = joined.get(group);
    if (!hit) {
      const found = group.members.flatMap((m) => {
        const agent = agents.get(m.agentId);
        return agent ? [{ ...m, agent }] : [];
      });
      const { slotOf } = poolsOfAgents(found.map((m) => m.agent));
      const members = found.map((m, i) => ({ ...m, poolSlot: slotOf[i] ?? null }));
      hit = { members, slotKeys: slotKeysOf(tenantId, members), untilKeys: health.untilKeys(tenantId, members.map((m) => m.agentId)) };
      joined.set(group, hit);
    }
    return hit;
  }

  /** The strategies' view of the members: configuration joined with live state, index by index. */
  function memberStates(members: readonly Member[], active: readonly number[], unhealthyUntil: readonly (number | null)[], windowCalls: readonly number[] = [], lastChosen: readonly (number | null)[] = []): MemberState[] {
    return members.map((m, i) => ({
      agentId: m.agentId,
      priority: m.priority,
      capacity: m.capacity,
      enabled: m.agent.enabled,
      healthy: !m.agent.markedUnhealthy && (unhealthyUntil[i] ?? null) === null,
      activeCalls: active[i] ?? 0,
      maxConcurrentCalls: m.agent.maxConcurrentCalls,
      windowCalls: windowCalls[i] ?? 0,
      lastChosenAt: lastChosen[i] ?? null,
      poolFull: m.poolSlot !== null && poolFullIn(m.agent.pool, m.poolSlot, active, members.length),
    }));
  }

  /**
   * Load-balanced decisions also weigh each member's calls in the rolling window and when it was last chosen.
   * `extraTimes` (the caller's memory) are read with the last-chosen times, and answered after them in `times`.
   */
  async function liveMembers(tenantId: number, groupId: number, members: readonly Member[], windowMs: number, now: number, extraTimes: readonly string[] = []): Promise<{ states: MemberState[]; times: (number | null)[] }> {
    const [active, windowCalls, times, unhealthyUntil] = await Promise.all([
      plane.slotCounts(slotKeysOf(tenantId, members), now),
      plane.windowCounts(members.map((m) => planeKeys.window(tenantId, groupId, m.agentId)), now - windowMs, now, windowMs / BUCKETS_PER_WINDOW),
      plane.getTimes([...members.map((m) => planeKeys.lastChosen(tenantId, groupId, m.agentId)), ...extraTimes]),
      health.unhealthyUntil(tenantId, members.map((m) => m.agentId)),
    ]);
    return { states: memberStates(members, active, unhealthyUntil, windowCalls, times), times };
  }

  /** The strategy's order, with a returning caller's last agent first when it may take the call; the caller's memory is read at `times[from]`. */
  function withCaller(order: CandidateOrder, states: readonly MemberState[], memory: CallerMemoryKeys | null, times: readonly (number | null)[], from: number, now: number) {
    if (!memory) return { order, sticky: null };
    return preferReturningCaller(order, states, callerMemoryOf(times.slice(from)), now, memory.ttlMs);
  }

  /** Waits briefly for the group's decision lock; decides without it rather than fail a call. */
  async function withDecisionLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    let token = await plane.tryLock(key, LOCK_TTL_MS);
    while (!token && Date.now() < deadline) {
      await sleep(2 + Math.random() * 3);
      token = await plane.tryLock(key, LOCK_TTL_MS);
    }
    if (!token) logger.warn({ key }, 'decision lock busy; deciding without it');
    try {
      return await work();
    } finally {
      if (token) await plane.unlock(key, token);
    }
  }

  async function decide(tenantId: number, groupId: number, dryRun: boolean, routing?: TenantRouting, from?: string | null): Promise<GroupDecision> {
    const { groups, agents } = routing ?? (await config.get(tenantId));
    const group = groups.get(groupId);
    if (!group) throw notFound('Agent group');
    const { strategy, settings } = group;
    const { members, slotKeys, untilKeys } = membersOf(tenantId, group, agents);
    const base = { groupId, strategy, settings };
    if (!group.enabled || members.length === 0) {
      return { kind: 'candidates', candidates: [], skipped: [], counter: null, sticky: null, ...base };
    }
    // Null unless the group prefers returning callers: then the caller's memory is read in the same round trip.
    const memory = callerMemoryKeys(tenantId, groupId, settings, from);

    if (strategy !== 'load_balanced') {
      // One atomic increment per decision (the whole fairness across instances rests on it),
      // read with the members' live calls and health in the same plane round trip.
      const now = clock();
      const counterKey = planeKeys.rotation(tenantId, groupId);
      const timeKeys = memory ? [...untilKeys, ...memory.keys] : untilKeys;
      const snap = plane.immediate?.rotationSnapshot(counterKey, !dryRun, slotKeys, timeKeys, now) ?? (await plane.rotationSnapshot(counterKey, !dryRun, slotKeys, timeKeys, now));
      const counter = dryRun ? snap.counter + 1 : snap.counter;
      const states = memberStates(members, snap.slots, health.stillOut(snap.times, now));
      const { order, sticky } = withCaller(orderCandidates(strategy, states, counter), states, memory, snap.times, untilKeys.length, now);
      return { ...order, counter, sticky, ...base };
    }

    const windowMs = (settings.window_hours ?? 24) * HOUR_MS;
    const extraTimes = memory?.keys ?? [];
    if (dryRun) {
      const now = clock();
      const { states, times } = await liveMembers(tenantId, groupId, members, windowMs, now, extraTimes);
      const { order, sticky } = withCaller(orderCandidates(strategy, states, 0), states, memory, times, members.length, now);
      return { ...order, counter: null, sticky, ...base };
    }
    return withDecisionLock(planeKeys.decisionLock(tenantId, groupId), async () => {
      const now = clock();
      const { states, times } = await liveMembers(tenantId, groupId, members, windowMs, now, extraTimes);
      const { order, sticky } = withCaller(orderCandidates(strategy, states, 0), states, memory, times, members.length, now);
      const pick = order.candidates[0];
      if (pick !== undefined) {
        await Promise.all([
          plane.windowAdd(planeKeys.window(tenantId, groupId, pick), now, windowMs / BUCKETS_PER_WINDOW, windowMs),
          plane.setTime(planeKeys.lastChosen(tenantId, groupId, pick), now, windowMs),
        ]);
      }
      return { ...order, counter: null, sticky, ...base };
    });
  }

  return {
    /**
     * Decides for a real call: advances the rotation / records the load-balanced choice.
     * `routing` is the configuration the call's decision already read (else read here).
     */
    choose(tenantId: number, groupId: number, routing?: TenantRouting, from?: string | null): Promise<GroupDecision> {
      return decide(tenantId, groupId, false, routing, from);
    },

    /** What `choose` would answer now, changing nothing (the routing simulator). `from` is the caller's number. */
    preview(tenantId: number, groupId: number, routing?: TenantRouting, from?: string | null): Promise<GroupDecision> {
      return decide(tenantId, groupId, true, routing, from);
    },

    /**
     * Returning callers: remembers that the group sent this caller (`from`) to an agent,
     * so their next call within the group's TTL prefers it. Nothing for groups that do
     * not ask for it or a caller without a number.
     */
    async rememberCaller(tenantId: number, groupId: number, settings: GroupSettings, from: string | null, agentId: number): Promise<void> {
      const memory = callerMemoryKeys(tenantId, groupId, settings, from);
      if (memory) await rememberCaller(plane, memory, agentId, clock());
    },

    /**
     * Claims a live-call slot on an agent for a call, atomically refusing when the
     * agent is at its cap. The slot frees itself after SLOT_BACKSTOP_MS if the end
     * of the call is never heard.
     */
    async occupySlot(tenantId: number, agentId: number, callId: string, cap: number | null): Promise<boolean> {
      const now = clock();
      const key = planeKeys.agentSlots(tenantId, agentId);
      // The embedded plane answers at once: no promise to wait on.
      if (plane.immediate) return plane.immediate.acquireSlot(key, callId, cap, now + SLOT_BACKSTOP_MS, now);
      const acquired = plane.acquireSlot(key, callId, cap, now + SLOT_BACKSTOP_MS, now);
      if (cap !== null) return acquired;
      // An agent without a cap cannot refuse: the slot only counts its live calls, so the call
      // goes on without waiting for it (its release comes later, on the same ordered connection).
      acquired.catch((err: unknown) => logger.error({ err, tenantId, agentId }, 'could not count a live call; the live-call count is one short'));
      return true;
    },

    /**
     * Claims the call's slot on an agent, and on its provider pool in the same atomic step
     * when it has one: null when the call holds them, else the skip reason. Agents without
     * a pool take the `occupySlot` path (no extra plane work).
     */
    async claimSlot(tenantId: number, agent: AgentRoute, callId: string): Promise<'at_capacity' | 'pool_full' | null> {
      const pool = agent.pool;
      if (!pool) return (await this.occupySlot(tenantId, agent.id, callId, agent.maxConcurrentCalls)) ? null : 'at_capacity';
      const now = clock();
      return poolSlots.claim(tenantId, { ...agent, pool }, callId, now + SLOT_BACKSTOP_MS, now);
    },

    /** Releases the call's slot on the agent, and its pool slot when the tenant has pools. */
    async releaseSlot(tenantId: number, agentId: number, callId: string): Promise<boolean> {
      const [held] = await Promise.all([plane.releaseSlot(planeKeys.agentSlots(tenantId, agentId), callId), poolSlots.release(tenantId, agentId, callId)]);
      return held;
    },
  };
}
export type DistributionService = ReturnType<typeof createDistributionService>;
