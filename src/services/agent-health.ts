import { isShortAnswer, shortCallVerdict, type AnsweredEnd, type ShortCallPolicy } from '../core/lifecycle/short-calls.js';
import type { Plane } from '../plane/plane.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import { planeKeys } from './plane-keys.js';

/** How long a failure alone keeps an agent "tried" (a success leaves a call record, which lasts). */
const TRIED_RETAIN_MS = 90 * 24 * 3600 * 1000;

export interface HealthPolicy extends ShortCallPolicy {
  failure_threshold: number;
  cooldown_seconds: number;
}

/** Why an agent left rotation: consecutive technical failures, or a surge of short answered calls. */
export type UnhealthyReason = 'failures' | 'short_calls';

/** Why an agent is out now; for short calls, the counts that took it out. */
export type OutReason = { reason: 'failures' } | { reason: 'short_calls'; short_calls: number; answered_calls: number; short_call_seconds: number };

/**
 * Hears an agent leave rotation (healthy false, with the reason) or come back early (true).
 * The reason is a fourth argument, so listeners written for three still work.
 */
export type HealthChange = (tenantId: number, agentId: number, healthy: boolean, reason?: UnhealthyReason) => void;

/**
 * Short-call windows count in buckets of 15 s (a sixtieth of windows over 15 minutes): fine
 * enough for minutes, bounded for a day. A call is forgotten one window to one bucket after it ended.
 */
const bucketOf = (windowMs: number): number => Math.max(15_000, Math.ceil(windowMs / 60 / 1000) * 1000);

/**
 * Live agent health, shared by every instance through the plane: after
 * `failure_threshold` consecutive technical failures (no answer, failed, canceled,
 * unknown — not busy) an agent is out of rotation for `cooldown_seconds`; a
 * success, or the end of the cooldown, brings it back. With short-call health on, a
 * surge of short answered calls takes it out too (recordAnsweredEnd), and only the end of
 * the cooldown brings it back. `onChange` hears when failures or short calls take an agent
 * out (with the reason) and when a success brings it back early.
 */
export function createAgentHealth(plane: Plane, clock: Clock, logger: Logger, onChange: HealthChange = () => {}) {
  const untilKeys = (tenantId: number, agentIds: readonly number[]) => agentIds.map((id) => planeKeys.agentUnhealthyUntil(tenantId, id));
  /** The stored "out until" times that still hold at `now` (null: in rotation). */
  const stillOut = (times: readonly (number | null)[], now: number) => times.map((t) => (t !== null && t > now ? t : null));

  async function unhealthyUntil(tenantId: number, agentIds: readonly number[]): Promise<(number | null)[]> {
    if (agentIds.length === 0) return [];
    return stillOut(await plane.getTimes(untilKeys(tenantId, agentIds)), clock());
  }

  return {
    async recordFailure(tenantId: number, agentId: number, policy: HealthPolicy): Promise<boolean> {
      const [failures] = await Promise.all([
        plane.incr(planeKeys.agentFailures(tenantId, agentId)),
        // A failed attempt leaves no record naming the agent when the next one takes the call: remember it was tried.
        plane.setTime(planeKeys.agentLastFailure(tenantId, agentId), clock(), TRIED_RETAIN_MS),
      ]);
      if (failures < policy.failure_threshold) return false;
      const cooldownMs = policy.cooldown_seconds * 1000;
      await plane.setTime(planeKeys.agentUnhealthyUntil(tenantId, agentId), clock() + cooldownMs, cooldownMs + 60_000);
      await plane.resetCounter(planeKeys.agentFailures(tenantId, agentId));
      logger.warn({ tenantId, agentId, failures, cooldownSeconds: policy.cooldown_seconds, reason: 'failures' }, 'agent marked unhealthy after consecutive failures');
      onChange(tenantId, agentId, false, 'failures');
      return true;
    },

    /**
     * An answered call of the agent ended (see answeredEndOf). With short-call health on, it is
     * counted in the plane's windows (every instance counts into the same ones); a short one may
     * take the agent out for the cooldown (shortCallVerdict). Calls counted before an earlier
     * short-call rest are not judged again. True when this call took the agent out.
     */
    async recordAnsweredEnd(tenantId: number, end: AnsweredEnd, policy: HealthPolicy): Promise<boolean> {
      if (!policy.short_calls_enabled) return false;
      const { agentId } = end;
      const now = clock();
      const windowMs = policy.short_call_window_minutes * 60_000;
      const bucketMs = bucketOf(windowMs);
      const keys = [planeKeys.agentAnsweredEnds(tenantId, agentId), planeKeys.agentShortAnswers(tenantId, agentId)] as const;
      const short = isShortAnswer(end, policy);
      await Promise.all((short ? keys : keys.slice(0, 1)).map((key) => plane.windowAdd(key, now, bucketMs, windowMs + bucketMs)));
      // Only a short call can raise the share of short calls: a call of normal length needs no judgement.
      if (!short) return false;
      const sinceKey = planeKeys.agentShortCallsSince(tenantId, agentId);
      const [until, since] = await plane.getTimes([planeKeys.agentUnhealthyUntil(tenantId, agentId), sinceKey]);
      if (until != null && until > now) return false;
      const [answered = 0, shortCalls = 0] = await plane.windowCounts(keys, Math.max(now - windowMs, since ?? 0), now, bucketMs);
      const verdict = shortCallVerdict({ answered, short: shortCalls }, policy);
      if (verdict.kind !== 'out') return false;
      // Two instances may judge the same surge at once: the one holding the lock takes the agent out and says so.
      const judgeKey = `${sinceKey}:judge`;
      const token = await plane.tryLock(judgeKey, 5000);
      if (token === null) return false;
      const cooldownMs = policy.cooldown_seconds * 1000;
      const outUntil = now + cooldownMs;
      try {
        const [again] = await plane.getTimes([planeKeys.agentUnhealthyUntil(tenantId, agentId)]);
        if (again != null && again > now) return false;
        const why: OutReason = { reason: 'short_calls', short_calls: verdict.short, answered_calls: verdict.answered, short_call_seconds: policy.short_call_seconds };
        await plane.rememberFirst(planeKeys.agentShortCallsOut(tenantId, agentId, outUntil), JSON.stringify(why), cooldownMs + 60_000);
        await Promise.all([
          plane.setTime(planeKeys.agentUnhealthyUntil(tenantId, agentId), outUntil, cooldownMs + 60_000),
          plane.setTime(sinceKey, outUntil, cooldownMs + windowMs + bucketMs),
        ]);
      } finally {
        await plane.unlock(judgeKey, token);
      }
      logger.warn(
        { tenantId, agentId, reason: 'short_calls', shortCalls: verdict.short, answeredCalls: verdict.answered, shortCallSeconds: policy.short_call_seconds, cooldownSeconds: policy.cooldown_seconds },
        'agent out of rotation: it answers and drops calls',
      );
      onChange(tenantId, agentId, false, 'short_calls');
      return true;
    },

    async recordSuccess(tenantId: number, agentId: number): Promise<void> {
      const [wasOut] = await unhealthyUntil(tenantId, [agentId]);
      // An answer does not bring back an agent that answers and drops calls: it rests its whole cooldown.
      if (wasOut != null && (await plane.recall(planeKeys.agentShortCallsOut(tenantId, agentId, wasOut))) !== null) {
        await plane.resetCounter(planeKeys.agentFailures(tenantId, agentId));
        return;
      }
      await plane.resetCounter(planeKeys.agentFailures(tenantId, agentId));
      await plane.setTime(planeKeys.agentUnhealthyUntil(tenantId, agentId), 0, 1000);
      if (wasOut != null) onChange(tenantId, agentId, true);
    },

    /** For each agent, until when it is out of rotation (null when healthy now). */
    unhealthyUntil,
    /** For each agent out until `until[i]` (null: in rotation), why it is out; reads only for those out. */
    async outReasons(tenantId: number, agentIds: readonly number[], until: readonly (number | null)[]): Promise<(OutReason | null)[]> {
      return Promise.all(
        agentIds.map(async (id, i) => {
          const t = until[i] ?? null;
          if (t === null) return null;
          const stored = await plane.recall(planeKeys.agentShortCallsOut(tenantId, id, t));
          return stored === null ? { reason: 'failures' as const } : (JSON.parse(stored) as OutReason);
        }),
      );
    },
    /**
     * For each agent, whether it failed a call in the last 90 days: an agent dialled only as a
     * failover step fails without a call record naming it, yet was tried. One read for all.
     */
    async failedRecently(tenantId: number, agentIds: readonly number[]): Promise<boolean[]> {
      const times = await plane.getTimes(agentIds.map((id) => planeKeys.agentLastFailure(tenantId, id)));
      return times.map((t) => t !== null && t > 0);
    },
    /**
     * False while Redis is away: the plane then holds only the failures this instance saw
     * since, so "no failure" there does not mean healthy everywhere.
     */
    known: (): boolean => !plane.degraded,
    /** The plane keys `unhealthyUntil` reads, for callers that read them with other state in one step. */
    untilKeys,
    stillOut,
  };
}
export type AgentHealth = ReturnType<typeof createAgentHealth>;
