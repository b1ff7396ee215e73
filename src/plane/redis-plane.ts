import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Plane } from './plane.js';
import { LOG_COUNTER_TTL_MS, SLOT_KEY_MARGIN_MS, retainedBuckets, windowPruneAbove } from './plane-policy.js';
import { createRedisPubSub, type RedisPubSubOptions } from './redis-pubsub.js';
import { withPlaneScripts } from './redis-scripts.js';

/** Options of the Redis plane. */
export type RedisPlaneOptions = RedisPubSubOptions;

/** Redis wants whole, positive milliseconds for PX and PEXPIRE. */
function wholeMs(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}

/** A log member is "seq at entry" (see APPEND_TO_LOG in redis-scripts.ts). */
function parseLogMember(member: string): { seq: number; at: number; entry: string } {
  const a = member.indexOf(' ');
  const b = member.indexOf(' ', a + 1);
  return { seq: Number(member.slice(0, a)), at: Number(member.slice(a + 1, b)), entry: member.slice(b + 1) };
}

/** A log's entries live under its key, its counter beside it. */
const counterKeyOf = (key: string) => `${key}:counter`;

/**
 * The scaled-mode plane: state shared by every instance through one Redis.
 * Every read-modify-write is one atomic command or one Lua script, so a slot cap,
 * a lock or an idempotency claim holds across instances, and every multi-key read
 * is one round trip.
 *
 * Keys get the client's keyPrefix (ioredis adds it); channels get the same prefix
 * from the pub/sub hub. `redis` belongs to the caller, which closes it; `close()`
 * only closes the subscriber connection this plane opened.
 */
export function createRedisPlane(redis: Redis, options: RedisPlaneOptions = {}): Plane {
  const r = withPlaneScripts(redis);
  /**
   * The client for a plain command, once the script calls made before it are sent: the plane's
   * commands reach Redis in the order they were made, as on one ordered connection.
   */
  const direct = (): Redis => {
    r.sendQueued();
    return redis;
  };
  const pubsub = createRedisPubSub(redis, options);
  // Scripts publish themselves, so they get channel names with the prefix the hub adds (see redis-pubsub.ts).
  const channelPrefix = typeof redis.options.keyPrefix === 'string' ? redis.options.keyPrefix : '';

  return {
    kind: 'redis',
    // On its own this plane fails with Redis; failover-plane.ts wraps it to keep serving.
    degraded: false,
    onDegradedChange: () => () => {},
    beforeResuming: () => () => {},
    async ping() {
      const started = performance.now();
      await direct().ping();
      return performance.now() - started;
    },
    async close() {
      await pubsub.close();
    },

    incr: (key) => direct().incr(key),
    peekCounter: async (key) => Number((await direct().get(key)) ?? 0),
    resetCounter: async (key) => {
      await direct().del(key);
    },

    async windowAdd(key, at, bucketMs, retainMs) {
      const keep = retainedBuckets(bucketMs, retainMs);
      // The pruning rule comes from plane-policy.ts, shared with the memory plane.
      await r.vlbWindowAdd(key, Math.floor(at / bucketMs), wholeMs(retainMs), keep, windowPruneAbove(keep));
    },

    async windowCounts(keys, from, to, bucketMs) {
      if (keys.length === 0) return [];
      const counts = await r.vlbWindowCounts(keys.length, ...keys, Math.floor(from / bucketMs), Math.floor(to / bucketMs));
      return counts.map(Number);
    },

    async setTime(key, at, retainMs) {
      await direct().set(key, String(at), 'PX', wholeMs(retainMs));
    },

    async getTimes(keys) {
      if (keys.length === 0) return [];
      const values = await direct().mget(...keys);
      return values.map((v) => (v === null ? null : Number(v)));
    },

    async acquireSlot(key, member, cap, expiresAt, now) {
      // -1 stands for "no cap": Lua cannot receive a nil argument.
      const held = await r.vlbAcquireSlot(key, member, cap === null ? -1 : Math.max(0, Math.floor(cap)), expiresAt, now, SLOT_KEY_MARGIN_MS);
      return held === 1;
    },

    async acquireSlots(claims, expiresAt, now) {
      if (claims.length === 0) return -1;
      const args = claims.flatMap((c) => [c.member, c.cap === null ? -1 : Math.max(0, Math.floor(c.cap))]);
      const refused = await r.vlbAcquireSlots(claims.length, ...claims.map((c) => c.key), expiresAt, now, SLOT_KEY_MARGIN_MS, ...args);
      return Number(refused) - 1;
    },

    async releaseSlot(key, member) {
      return (await direct().zrem(key, member)) > 0;
    },

    async slotCounts(keys, now) {
      if (keys.length === 0) return [];
      const client = direct();
      // One round trip all the same (the client sends a turn's commands in one write). Not an explicit
      // pipeline: its exec writes at once, ahead of commands queued before it in the same turn.
      // '(' makes the bound exclusive: a slot expiring exactly at `now` is over, as in acquireSlot.
      return Promise.all(keys.map((key) => client.zcount(key, `(${now}`, '+inf')));
    },

    async rotationSnapshot(counterKey, advance, slotKeys, timeKeys, now) {
      const keys = [counterKey, ...slotKeys, ...timeKeys];
      const out = await r.vlbRotationSnapshot(keys.length, ...keys, advance ? 1 : 0, slotKeys.length, now);
      const value = (i: number) => out[i] ?? null;
      return {
        counter: Number(value(0) ?? 0),
        slots: slotKeys.map((_, i) => Number(value(1 + i) ?? 0)),
        times: timeKeys.map((_, i) => {
          const v = value(1 + slotKeys.length + i);
          return v === null ? null : Number(v);
        }),
      };
    },

    slotMembers: (key, now) => direct().zrangebyscore(key, `(${now}`, '+inf'),

    async tryLock(key, ttlMs) {
      const token = randomUUID();
      const ok = await direct().set(key, token, 'PX', wholeMs(ttlMs), 'NX');
      return ok === 'OK' ? token : null;
    },

    async unlock(key, token) {
      return (await r.vlbUnlock(key, token)) === 1;
    },

    async rememberFirst(key, value, ttlMs) {
      const [stored, current] = await r.vlbRememberFirst(key, value, wholeMs(ttlMs));
      return { first: stored === 1, value: current };
    },

    async rememberFirstAndPeek(key, value, ttlMs, counterKey) {
      const [stored, current, counter] = await r.vlbRememberFirstAndPeek(key, counterKey, value, wholeMs(ttlMs));
      return { first: stored === 1, value: current, counter: Number(counter) };
    },

    recall: (key) => direct().get(key),

    async forget(key) {
      await direct().del(key);
    },

    async appendToLog(key, channel, entries, policy, now) {
      if (entries.length === 0) return [];
      const seqs = await r.vlbAppendToLog(key, counterKeyOf(key), channelPrefix + channel, Math.max(1, policy.maxEntries), wholeMs(policy.retainMs), Math.floor(now), LOG_COUNTER_TTL_MS, ...entries);
      return seqs.map(Number);
    },

    async readLog(key, afterSeq, policy, now) {
      const [first, last, ...members] = await r.vlbReadLog(key, counterKeyOf(key), String(Math.floor(afterSeq)));
      const cutoff = now - policy.retainMs;
      const entries = members
        .map((m) => parseLogMember(String(m)))
        .filter((e) => e.at > cutoff)
        .map(({ seq, entry }) => ({ seq, entry }));
      return { first: Number(first), last: Number(last), entries };
    },

    publish: (channel, message) => (r.sendQueued(), pubsub.publish(channel, message)),
    subscribe: (channel, handler) => pubsub.subscribe(channel, handler),
  };
}
