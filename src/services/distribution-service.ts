import { notFound } from '../core/errors.js';
import type { GroupSettings } from '../core/schemas/agent-group.js';
import { orderCandidates } from '../core/strategies/order-candidates.js';
import { preferReturningCaller, type StickyOutcome } from '../core/strategies/prefer-returning-caller.js';
import type { CandidateOrder, MemberState, StrategyName } from '../core/strategies/types.js';
import type { Eventually } from '../core/eventually.js';
import { routingPlane, type Plane, type RotationSnapshot } from '../plane/plane.js';
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

/** Why a call could not take an agent's slot: the agent's own cap, or its provider pool's. */
export type SlotRefusal = 'at_capacity' | 'pool_full';
const refusedUnlessHeld = (held: boolean): SlotRefusal | null => (held ? null : 'at_capacity');
/** A group nobody in it can take a call from (disabled, or without members). */
const NOBODY: CandidateOrder = { kind: 'candidates', candidates: [], skipped: [] };

/** `poolSlot`: the index of the agent's provider pool among the group's pools (null: none), see pool-slots.ts. */
type Member = MemberRoute & { agent: AgentRoute; poolSlot: number | null };
/** A group's members joined with their agents, and their plane keys (see `membersOf`). */
interface JoinedMembers {
  members: Member[];
  slotKeys: string[];
  untilKeys: string[];
}
interface LiveMembers {
  states: MemberState[];
  times: (number | null)[];
}

/**
 * Takes a group's routing decision: reads its members from the routing
 * configuration (versioned in the plane, so a change is seen by the very next
 * decision on every instance), joins their live state from the plane and lets
 * the group's strategy order them.
 */
export function createDistributionService({ config, plane, health, clock, logger }: Deps) {
  const ops = routingPlane(plane);
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
  const joined = new WeakMap<GroupRoute, JoinedMembers>();
  function membersOf(tenantId: number, group: GroupRoute, agents: TenantRouting['agents']): JoinedMembers {
    let hit = joined.get(group);
    if (!hit) {
      const found = group.members.flatMap((m) => {
        const agent = agents.get(m.agentId);
        return agent ? [Object.assign({}, m, { agent })] : [];
      });
      const { slotOf } = poolsOfAgents(found.map((m) => m.agent));
      const members = found.map((m, i) => Object.assign({}, m, { poolSlot: slotOf[i] ?? null }));
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
  function liveMembers(tenantId: number, groupId: number, members: readonly Member[], untilKeys: readonly string[], windowMs: number, now: number, extraTimes: readonly string[]): Eventually<LiveMembers> {
    const active = ops.slotCounts(slotKeysOf(tenantId, members), now);
    const windowCalls = ops.windowCounts(members.map((m) => planeKeys.window(tenantId, groupId, m.agentId)), now - windowMs, now, windowMs / BUCKETS_PER_WINDOW);
    const times = ops.getTimes([...members.map((m) => planeKeys.lastChosen(tenantId, groupId, m.agentId)), ...extraTimes]);
    const until = ops.getTimes(untilKeys);
    if (active instanceof Promise || windowCalls instanceof Promise || times instanceof Promise || until instanceof Promise) {
      return Promise.all([active, windowCalls, times, until]).then(([a, w, t, u]) => liveOf(members, a, w, t, u, now));
    }
    return liveOf(members, active, windowCalls, times, until, now);
  }
  function liveOf(members: readonly Member[], active: readonly number[], windowCalls: readonly number[], times: (number | null)[], until: readonly (number | null)[], now: number): LiveMembers {
    return { states: memberStates(members, active, health.stillOut(until, now), windowCalls, times), times };
  }

  /** The strategy's order, with a returning caller's last agent first when it may take the call; the caller's memory is read at `times[from]`. */
  function withCaller(order: CandidateOrder, states: readonly MemberState[], memory: CallerMemoryKeys | null, times: readonly (number | null)[], from: number, now: number) {
    if (!memory) return { order, sticky: null };
    return preferReturningCaller(order, states, callerMemoryOf(times.slice(from)), now, memory.ttlMs);
  }

  const decision = (group: GroupRoute, order: CandidateOrder, counter: number | null, sticky: StickyOutcome | null): GroupDecision => ({
    kind: order.kind,
    candidates: order.candidates,
    skipped: order.skipped,
    counter,
    sticky,
    groupId: group.id,
    strategy: group.strategy,
    settings: group.settings,
  });

  /** Waits briefly for the group's decision lock; decides without it rather than fail a call. */
  async function waitForDecisionLock<T>(key: string, work: () => Eventually<T>): Promise<T> {
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

  /** `work` under the group's decision lock: at once when the embedded plane grants it at once, else after waiting for it. */
  function withDecisionLock<T>(key: string, work: () => Eventually<T>): Eventually<T> {
    const now = plane.immediate;
    const token = now?.tryLock(key, LOCK_TTL_MS);
    if (!now || !token) return waitForDecisionLock(key, work);
    let result: Eventually<T>;
    try {
      result = work();
    } catch (err) {
      now.unlock(key, token);
      throw err;
    }
    if (result instanceof Promise) return result.finally(() => now.unlock(key, token));
    now.unlock(key, token);
    return result;
  }

  /** A rotation decision (every strategy but load-balanced) from its one plane read. */
  function fromRotation(group: GroupRoute, members: readonly Member[], memory: CallerMemoryKeys | null, untilCount: number, dryRun: boolean, now: number, snap: RotationSnapshot): GroupDecision {
    const counter = dryRun ? snap.counter + 1 : snap.counter;
    const states = memberStates(members, snap.slots, health.stillOut(snap.times, now));
    const { order, sticky } = withCaller(orderCandidates(group.strategy, states, counter), states, memory, snap.times, untilCount, now);
    return decision(group, order, counter, sticky);
  }

  /** A load-balanced decision: the least loaded first; a real call (`record`) counts its pick in the window. */
  function leastLoaded(tenantId: number, group: GroupRoute, joinedMembers: JoinedMembers, memory: CallerMemoryKeys | null, record: boolean): Eventually<GroupDecision> {
    const { members, untilKeys } = joinedMembers;
    const windowMs = (group.settings.window_hours ?? 24) * HOUR_MS;
    const now = clock();
    const chosen = (live: LiveMembers): Eventually<GroupDecision> => {
      const { order, sticky } = withCaller(orderCandidates(group.strategy, live.states, 0), live.states, memory, live.times, members.length, now);
      const result = decision(group, order, null, sticky);
      const pick = order.candidates[0];
      if (!record || pick === undefined) return result;
      const written = [ops.windowAdd(planeKeys.window(tenantId, group.id, pick), now, windowMs / BUCKETS_PER_WINDOW, windowMs), ops.setTime(planeKeys.lastChosen(tenantId, group.id, pick), now, windowMs)];
      return written.some((w) => w instanceof Promise) ? Promise.all(written).then(() => result) : result;
    };
    const live = liveMembers(tenantId, group.id, members, untilKeys, windowMs, now, memory?.keys ?? []);
    return live instanceof Promise ? live.then(chosen) : chosen(live);
  }

  function decideOn(tenantId: number, groupId: number, dryRun: boolean, routing: TenantRouting, from: string | null | undefined): Eventually<GroupDecision> {
    const group = routing.groups.get(groupId);
    if (!group) throw notFound('Agent group');
    const joinedMembers = membersOf(tenantId, group, routing.agents);
    const { members, slotKeys, untilKeys } = joinedMembers;
    if (!group.enabled || members.length === 0) return decision(group, NOBODY, null, null);
    // Null unless the group prefers returning callers: then the caller's memory is read in the same round trip.
    const memory = callerMemoryKeys(tenantId, groupId, group.settings, from);

    if (group.strategy !== 'load_balanced') {
      // One atomic increment per decision (the whole fairness across instances rests on it),
      // read with the members' live calls and health in the same plane round trip.
      const now = clock();
      const timeKeys = memory ? [...untilKeys, ...memory.keys] : untilKeys;
      const snap = ops.rotationSnapshot(planeKeys.rotation(tenantId, groupId), !dryRun, slotKeys, timeKeys, now);
      if (snap instanceof Promise) return snap.then((s) => fromRotation(group, members, memory, untilKeys.length, dryRun, now, s));
      return fromRotation(group, members, memory, untilKeys.length, dryRun, now, snap);
    }
    if (dryRun) return leastLoaded(tenantId, group, joinedMembers, memory, false);
    return withDecisionLock(planeKeys.decisionLock(tenantId, groupId), () => leastLoaded(tenantId, group, joinedMembers, memory, true));
  }

  /** A group's decision: at once when the configuration is given and the plane answers at once. */
  function decide(tenantId: number, groupId: number, dryRun: boolean, routing?: TenantRouting, from?: string | null): Eventually<GroupDecision> {
    if (routing) return decideOn(tenantId, groupId, dryRun, routing, from);
    return config.get(tenantId).then((r) => decideOn(tenantId, groupId, dryRun, r, from));
  }

  /**
   * Claims a live-call slot on an agent for a call, atomically refusing when the
   * agent is at its cap. The slot frees itself after SLOT_BACKSTOP_MS if the end
   * of the call is never heard.
   */
  function occupySlot(tenantId: number, agentId: number, callId: string, cap: number | null): Eventually<boolean> {
    const now = clock();
    // The embedded plane answers at once: no promise to wait on.
    const acquired = ops.acquireSlot(planeKeys.agentSlots(tenantId, agentId), callId, cap, now + SLOT_BACKSTOP_MS, now);
    if (cap !== null || !(acquired instanceof Promise)) return acquired;
    // An agent without a cap cannot refuse: the slot only counts its live calls, so the call
    // goes on without waiting for it (its release comes later, on the same ordered connection).
    acquired.catch((err: unknown) => logger.error({ err, tenantId, agentId }, 'could not count a live call; the live-call count is one short'));
    return true;
  }

  return {
    /**
     * Decides for a real call: advances the rotation / records the load-balanced choice.
     * `routing` is the configuration the call's decision already read (else read here).
     */
    choose(tenantId: number, groupId: number, routing?: TenantRouting, from?: string | null): Eventually<GroupDecision> {
      return decide(tenantId, groupId, false, routing, from);
    },

    /** What `choose` would answer now, changing nothing (the routing simulator). `from` is the caller's number. */
    preview(tenantId: number, groupId: number, routing?: TenantRouting, from?: string | null): Eventually<GroupDecision> {
      return decide(tenantId, groupId, true, routing, from);
    },

    /**
     * Returning callers: remembers that the group sent this caller (`from`) to an agent,
     * so their next call within the group's TTL prefers it. Nothing for groups that do
     * not ask for it or a caller without a number.
     */
    rememberCaller(tenantId: number, groupId: number, settings: GroupSettings, from: string | null, agentId: number): Eventually<void> {
      const memory = callerMemoryKeys(tenantId, groupId, settings, from);
      return memory ? rememberCaller(ops, memory, agentId, clock()) : undefined;
    },

    occupySlot,

    /**
     * Claims the call's slot on an agent, and on its provider pool in the same atomic step
     * when it has one: null when the call holds them, else the skip reason. Agents without
     * a pool take the `occupySlot` path (no extra plane work).
     */
    claimSlot(tenantId: number, agent: AgentRoute, callId: string): Eventually<SlotRefusal | null> {
      const pool = agent.pool;
      if (!pool) {
        const held = occupySlot(tenantId, agent.id, callId, agent.maxConcurrentCalls);
        return held instanceof Promise ? held.then(refusedUnlessHeld) : refusedUnlessHeld(held);
      }
      const now = clock();
      return poolSlots.claim(tenantId, agent, pool, callId, now + SLOT_BACKSTOP_MS, now);
    },

    /** Releases the call's slot on the agent, and its pool slot when the tenant has pools. */
    async releaseSlot(tenantId: number, agentId: number, callId: string): Promise<boolean> {
      const [held] = await Promise.all([plane.releaseSlot(planeKeys.agentSlots(tenantId, agentId), callId), poolSlots.release(tenantId, agentId, callId)]);
      return held;
    },
  };
}
export type DistributionService = ReturnType<typeof createDistributionService>;
