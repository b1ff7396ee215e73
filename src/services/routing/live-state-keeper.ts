import { setImmediate } from 'node:timers/promises';
import { tellStory } from '../../core/lifecycle/tell-story.js';
import { liveStates } from '../../core/routing/call-state.js';
import type { Plane } from '../../plane/plane.js';
import type { CallRecordRow, StartCursor } from '../../store/call-records.js';
import type { VoiceAgentRow } from '../../store/voice-agents.js';
import type { Repositories } from '../../store/index.js';
import type { Clock } from '../clock.js';
import { SLOT_BACKSTOP_MS } from '../distribution-service.js';
import type { Logger } from '../logger.js';
import { planeKeys } from '../plane-keys.js';
import { parsePoolSlotMember, poolSlotMember } from '../pool-slots.js';
import { readSettings } from '../tenant-service.js';
import type { CallLife, CallTenant } from './call-life.js';
import { DuplicateEvent } from './call-recorder.js';
import { factsOfRow } from './stored-facts.js';

/** One instance of a cluster sweeps at a time: whoever takes this plane lock. */
export const LIVE_STATE_LOCK_KEY = 'live-state:sweep';
/** Calls closed per tenant per sweep: a backlog drains over several sweeps, webhooks answered between. */
const BATCH = 500;
/** Live calls read at once when slots are rebuilt: a few ms of reading on SQLite, webhooks answered between pages. */
const PAGE = 1_000;

export interface SweepCounts {
  /** Calls closed as "unknown end" after the tenant's maximum call length. */
  expired: number;
  /** Slots put back for live calls the plane had forgotten (a restart of the embedded plane, a Redis flush). */
  restored: number;
  /** Slots freed whose call has ended or moved on to another agent. */
  released: number;
}

/**
 * Keeps the live state true to the records, whatever was lost on the way. A call
 * whose end never came (only the voice URL configured in Cloudonix, a lost CDR) is
 * closed after the tenant's `max_call_minutes` as "unknown end", which frees its
 * slot. The agents' live-call slots in the plane are then rebuilt from the calls
 * the records say are live: missing ones added (after a restart of the embedded
 * plane), stale ones released. Runs at start-up, then periodically and when Redis
 * comes back after an outage; with Redis one instance at a time.
 */
export function createLiveStateKeeper({ repos, plane, life, clock, logger }: { repos: Repositories; plane: Plane; life: CallLife; clock: Clock; logger: Logger }) {
  async function expire(t: CallTenant, row: CallRecordRow, maxMinutes: number, now: number): Promise<boolean> {
    try {
      const { story } = await life.record(t, { sessionToken: row.session_token, direction: row.direction, from: row.from_number, to: row.to_number }, [
        { eventType: 'call.expired', event: { kind: 'expired', at: now }, payload: { max_call_minutes: maxMinutes } },
      ]);
      return story.ended;
    } catch (err) {
      if (err instanceof DuplicateEvent) return false;
      throw err;
    }
  }

  /**
   * The sessions each agent holds a slot for, as the records of live calls say. Read a page at a
   * time with a turn of the event loop between pages: a tenant whose calls never get their end
   * reported (only the voice URL configured) has every call of `max_call_minutes` live, and one read
   * of them all held the webhooks for about a second per 50,000 calls on SQLite (BENCHMARKS.md).
   */
  async function heldByAgent(tenantId: number, since: number): Promise<Map<number, Set<string>>> {
    const held = new Map<number, Set<string>>();
    for (const status of liveStates) {
      for (let after: StartCursor | null = null; ; await setImmediate()) {
        const page = await repos.callRecords.pageInStatus(tenantId, status, since, after, PAGE);
        for (const row of page) {
          for (const a of tellStory(factsOfRow(row)).attempts) {
            if (a.agentId === null || (a.outcome !== null && a.outcome !== 'in_progress' && a.outcome !== 'answered')) continue;
            const sessions = held.get(a.agentId) ?? new Set<string>();
            sessions.add(row.session_token);
            held.set(a.agentId, sessions);
          }
        }
        const last = page[page.length - 1];
        if (!last || page.length < PAGE) break;
        after = { startedAt: Number(last.started_at), id: Number(last.id) };
      }
    }
    return held;
  }

  /**
   * The provider pools' slots, rebuilt like the agents': a live call holds one in its
   * agent's current pool (an agent moved to another pool mid-call moves its slot here).
   */
  async function reconcilePoolSlots(tenantId: number, agents: readonly VoiceAgentRow[], held: ReadonlyMap<number, ReadonlySet<string>>, now: number, target: Plane) {
    const restored: { key: string; agentId: number; session: string; member: string }[] = [];
    let released = 0;
    const pools = await repos.providerPools.listAll(tenantId);
    if (pools.length === 0) return { restored, released };
    const poolOf = new Map(agents.filter((a) => a.pool_id !== null).map((a) => [Number(a.id), Number(a.pool_id)]));
    for (const pool of pools) {
      const poolId = Number(pool.id);
      const key = planeKeys.poolSlots(tenantId, poolId);
      const members = new Set(await target.slotMembers(key, now));
      const should = new Map<string, { agentId: number; session: string }>();
      for (const [agentId, sessions] of held) {
        if (poolOf.get(agentId) !== poolId) continue;
        for (const session of sessions) should.set(poolSlotMember(session, agentId), { agentId, session });
      }
      const missing = [...should].filter(([member]) => !members.has(member));
      await Promise.all(missing.map(([member]) => target.acquireSlot(key, member, null, now + SLOT_BACKSTOP_MS, now)));
      for (const [member, { agentId, session }] of missing) restored.push({ key, agentId, session, member });
      for (const member of members) {
        if (should.has(member)) continue;
        const slot = parsePoolSlotMember(member);
        const row = slot ? await repos.callRecords.findBySession(tenantId, slot.callId) : undefined;
        // A slot whose record is not committed yet (a call being routed this instant) is left alone.
        if (slot && !row) continue;
        const story = row ? tellStory(factsOfRow(row)) : null;
        const holds = slot !== null && story !== null && !story.ended && poolOf.get(slot.agentId) === poolId && story.attempts.some((a) => a.agentId === slot.agentId && (a.outcome === null || a.outcome === 'in_progress' || a.outcome === 'answered'));
        if (holds) continue;
        if (await target.releaseSlot(key, member)) released += 1;
      }
    }
    return { restored, released };
  }

  async function reconcileSlots(tenantId: number, since: number, now: number, target: Plane = plane): Promise<Pick<SweepCounts, 'restored' | 'released'>> {
    const held = await heldByAgent(tenantId, since);
    const agents = await repos.voiceAgents.listAll(tenantId);
    let restored = 0;
    let released = 0;
    /** `member`: the slot's member when it is not the session (a pool slot). */
    const restoredSlots: { key: string; agentId: number; session: string; member?: string }[] = [];
    for (const agent of agents) {
      const agentId = Number(agent.id);
      const key = planeKeys.agentSlots(tenantId, agentId);
      const members = new Set(await target.slotMembers(key, now));
      const should = held.get(agentId) ?? new Set<string>();
      const missing = [...should].filter((session) => !members.has(session));
      // No cap: the call holds the slot already; the count only has to say so again. Sent together, one round trip.
      await Promise.all(missing.map((session) => target.acquireSlot(key, session, null, now + SLOT_BACKSTOP_MS, now)));
      restored += missing.length;
      for (const session of missing) restoredSlots.push({ key, agentId, session });
      for (const session of members) {
        if (should.has(session)) continue;
        // A slot whose record is not committed yet (a call being routed this instant) is left alone.
        const row = await repos.callRecords.findBySession(tenantId, session);
        if (!row) continue;
        const story = tellStory(factsOfRow(row));
        const holds = !story.ended && story.attempts.some((a) => a.agentId === agentId && (a.outcome === null || a.outcome === 'in_progress' || a.outcome === 'answered'));
        if (holds) continue;
        if (await target.releaseSlot(key, session)) released += 1;
      }
    }
    const pooled = await reconcilePoolSlots(tenantId, agents, held, now, target);
    restored += pooled.restored.length;
    released += pooled.released;
    restoredSlots.push(...pooled.restored);
    if (restoredSlots.length > 0) {
      // A call that ended between the read above and its slot being put back released nothing
      // (its release came first): read the records again and take those back.
      const stillHeld = await heldByAgent(tenantId, since);
      const ended = restoredSlots.filter((r) => !stillHeld.get(r.agentId)?.has(r.session));
      await Promise.all(ended.map((r) => target.releaseSlot(r.key, r.member ?? r.session)));
      restored -= ended.length;
    }
    return { restored, released };
  }

  async function sweep(): Promise<SweepCounts> {
    const totals: SweepCounts = { expired: 0, restored: 0, released: 0 };
    for (const tenant of await repos.tenants.listAll()) {
      const tenantId = Number(tenant.id);
      const settings = readSettings(tenant);
      const now = clock();
      const since = now - settings.max_call_minutes * 60_000;
      try {
        for (const row of await repos.callRecords.listInStatusBefore(tenantId, liveStates, since, BATCH)) {
          if (await expire({ tenantId, domain: tenant.domain, health: settings.health }, row, settings.max_call_minutes, now)) totals.expired += 1;
        }
        const slots = await reconcileSlots(tenantId, since, now);
        totals.restored += slots.restored;
        totals.released += slots.released;
      } catch (err) {
        logger.error({ err, tenantId }, 'could not reconcile live calls of a tenant; the next sweep retries');
      }
    }
    if (totals.expired + totals.restored + totals.released > 0) logger.info(totals, 'live calls reconciled with the records');
    return totals;
  }

  /**
   * Redis is back after an outage (it may have restarted empty, or missed releases heard
   * by instances that were on their own): its slots are rebuilt from the records before
   * this instance routes from it again. Every instance that recovers does it, without the
   * sweep's lock: it is idempotent, and none of them may start counting on Redis before.
   */
  async function restoreSlots(shared: Plane): Promise<void> {
    const totals = { restored: 0, released: 0 };
    for (const tenant of await repos.tenants.listAll()) {
      const now = clock();
      const counts = await reconcileSlots(Number(tenant.id), now - readSettings(tenant).max_call_minutes * 60_000, now, shared);
      totals.restored += counts.restored;
      totals.released += counts.released;
    }
    logger.info(totals, 'live-call slots rebuilt in Redis from the records after an outage');
  }

  return {
    sweep,
    /**
     * Sweeps now and every `everyMs` while the process serves; returns the stop
     * function (for the server's onClose). With Redis, one instance sweeps at a time.
     */
    startPeriodic(everyMs = 60_000): () => Promise<void> {
      let running: Promise<unknown> = Promise.resolve();
      const tick = () => {
        // While Redis is away each instance holds only its own calls in memory, and no lock
        // spans the instances: the sweep waits for Redis, and runs the moment it is back.
        if (plane.degraded) return;
        running = (async () => {
          const token = await plane.tryLock(LIVE_STATE_LOCK_KEY, Math.max(everyMs, 30_000));
          if (!token) return;
          try {
            await sweep();
          } finally {
            await plane.unlock(LIVE_STATE_LOCK_KEY, token).catch(() => {});
          }
        })().catch((err: unknown) => logger.error({ err }, 'live call sweep failed'));
      };
      tick();
      const timer = setInterval(tick, everyMs);
      timer.unref();
      const stopRestoring = plane.beforeResuming(restoreSlots);
      // Calls whose end never came during the outage are closed now.
      const stopListening = plane.onDegradedChange((degraded) => {
        if (!degraded) tick();
      });
      return async () => {
        stopRestoring();
        stopListening();
        clearInterval(timer);
        await running;
      };
    },
  };
}
export type LiveStateKeeper = ReturnType<typeof createLiveStateKeeper>;
