import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import type { Logger } from '../../services/logger.js';

type IncrCallback = Parameters<FastifyRateLimitStore['incr']>[1];

/** INCR with the window set on the first hit (and restored if a key ever lost it); answers [count, ms left]. */
const INCR_LUA = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}
`;

interface RateLimitCommand {
  vlbRateLimitIncr(key: string, windowMs: number): Promise<[number, number]>;
}

/** A Redis that answers slower than this is treated as away for this request. */
const REDIS_TIMEOUT_MS = 300;
/** How often a Redis outage is logged while it lasts (with how many checks went local meanwhile). */
const LOG_INTERVAL_MS = 60_000;
/** Keys counted locally; the oldest go first, so a flood of addresses cannot grow memory. */
const LOCAL_KEYS = 10_000;

/** Fixed-window counters in this process's memory. */
export function createLocalCounters(maxKeys = LOCAL_KEYS) {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return {
    incr(key: string, windowMs: number, now = Date.now()): { current: number; ttl: number } {
      let w = windows.get(key);
      if (!w || w.resetAt <= now) {
        windows.delete(key);
        w = { count: 0, resetAt: now + windowMs };
        if (windows.size >= maxKeys) windows.delete(windows.keys().next().value as string);
        windows.set(key, w);
      }
      w.count += 1;
      return { current: w.count, ttl: w.resetAt - now };
    },
  };
}

export interface RateLimitStoreDeps {
  /** Shared counters across instances; local counters only when absent. */
  redis?: Redis | undefined;
  nameSpace: string;
  logger: Logger;
}

/**
 * A store for @fastify/rate-limit that counts in Redis, and in this process's memory
 * whenever Redis is not ready, fails or is slow. Throttles then hold per instance
 * rather than turning off (the plugin's `skipOnError`) or failing every request.
 */
export function fallbackRateLimitStore({ redis, nameSpace, logger }: RateLimitStoreDeps): FastifyRateLimitStoreCtor {
  const local = createLocalCounters();
  const shared = redis as (Redis & Partial<RateLimitCommand>) | undefined;
  if (shared && !shared.vlbRateLimitIncr) shared.defineCommand('vlbRateLimitIncr', { numberOfKeys: 1, lua: INCR_LUA });
  let localSince = 0;
  let localCount = 0;
  let lastLogAt = 0;

  function countLocally(key: string, windowMs: number, reason: unknown): { current: number; ttl: number } {
    const now = Date.now();
    if (localCount === 0) localSince = now;
    localCount += 1;
    if (now - lastLogAt >= LOG_INTERVAL_MS) {
      lastLogAt = now;
      logger.warn({ err: reason, localChecks: localCount, since: new Date(localSince).toISOString() }, 'Redis unreachable: rate limits are counted on this instance only');
    }
    return local.incr(key, windowMs, now);
  }

  async function incr(key: string, windowMs: number): Promise<{ current: number; ttl: number }> {
    const command = shared?.vlbRateLimitIncr?.bind(shared);
    if (!shared || !command) return local.incr(key, windowMs);
    if (shared.status !== 'ready') return countLocally(key, windowMs, new Error(`redis status ${shared.status}`));
    let timer: NodeJS.Timeout | undefined;
    try {
      const [current, ttl] = await Promise.race([
        command(nameSpace + key, windowMs),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer from Redis within ${REDIS_TIMEOUT_MS} ms`)), REDIS_TIMEOUT_MS);
        }),
      ]);
      if (localCount > 0) {
        logger.info({ localChecks: localCount }, 'Redis is back: rate limits are shared again');
        localCount = 0;
        lastLogAt = 0;
      }
      return { current: Number(current), ttl: Number(ttl) };
    } catch (err) {
      return countLocally(key, windowMs, err);
    } finally {
      clearTimeout(timer);
    }
  }

  class FallbackStore implements FastifyRateLimitStore {
    incr(key: string, callback: IncrCallback, timeWindow: number): void {
      incr(key, timeWindow).then(
        (result) => callback(null, result),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    }

    // Keys carry their purpose ('login:', 'ws:'), so every route can share one key space.
    child(): FastifyRateLimitStore {
      return this;
    }
  }
  return FallbackStore;
}
