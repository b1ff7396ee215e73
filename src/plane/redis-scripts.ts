import type { Redis } from 'ioredis';
import { createScriptBatch, type ScriptBatch } from './redis-script-batch.js';

/**
 * The Lua scripts of the Redis plane. Each runs atomically on the server, which is
 * what makes a slot cap or a first-writer-wins claim hold across every instance.
 *
 * Every key a script touches is passed in KEYS, never built inside the script:
 * ioredis applies the client's keyPrefix to KEYS only.
 */

/** KEYS[1] window hash; ARGV: bucket index, retainMs, buckets to keep, prune threshold. */
const WINDOW_ADD = `
local idx = tonumber(ARGV[1])
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if redis.call('HLEN', KEYS[1]) > tonumber(ARGV[4]) then
  local oldest = idx - tonumber(ARGV[3])
  local fields = redis.call('HKEYS', KEYS[1])
  for _, field in ipairs(fields) do
    if tonumber(field) < oldest then redis.call('HDEL', KEYS[1], field) end
  end
end
return 1`;

/**
 * KEYS: window hashes; ARGV: first and last bucket index. Per key, reads whichever
 * is cheaper: the fields of the range (HMGET) or the whole hash (HGETALL).
 */
const WINDOW_COUNTS = `
local first = tonumber(ARGV[1])
local last = tonumber(ARGV[2])
local width = last - first + 1
local out = {}
for i, key in ipairs(KEYS) do
  local sum = 0
  local held = redis.call('HLEN', key)
  if width > 0 and held > 0 then
    if width <= held and width <= 1000 then
      local fields = {}
      for b = first, last do fields[#fields + 1] = string.format('%d', b) end
      for _, v in ipairs(redis.call('HMGET', key, unpack(fields))) do
        if v then sum = sum + tonumber(v) end
      end
    else
      local all = redis.call('HGETALL', key)
      for j = 1, #all, 2 do
        local b = tonumber(all[j])
        if b >= first and b <= last then sum = sum + tonumber(all[j + 1]) end
      end
    end
  end
  out[i] = sum
end
return out`;

/**
 * KEYS[1] slot zset (score = expiresAt); ARGV: member, cap (-1 = none), expiresAt,
 * now, key TTL margin. Drops expired members, then admits the member if it already
 * holds a slot or there is room. The key's TTL follows the latest expiry, so a set
 * whose end events were all lost still disappears.
 */
const ACQUIRE_SLOT = `
local now = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if tonumber(ARGV[3]) <= now then return 0 end
local cap = tonumber(ARGV[2])
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  if cap >= 0 and redis.call('ZCARD', KEYS[1]) >= cap then return 0 end
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
local latest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local ttl = math.ceil(tonumber(latest[2]) - now + tonumber(ARGV[5]))
redis.call('PEXPIRE', KEYS[1], string.format('%d', ttl))
return 1`;

/**
 * KEYS: slot zsets; ARGV: expiresAt, now, key TTL margin, then a member and a cap (-1 =
 * none) per key. ACQUIRE_SLOT for several sets at once, all or none: every set is judged
 * first, and the members are added only when all admit theirs. Returns 0 when all are
 * held, else the 1-based index of the first set that refused.
 */
const ACQUIRE_SLOTS = `
local expiresAt = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  if expiresAt <= now then return i end
  local cap = tonumber(ARGV[3 + 2 * i])
  if not redis.call('ZSCORE', key, ARGV[2 + 2 * i]) then
    if cap >= 0 and redis.call('ZCARD', key) >= cap then return i end
  end
end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, ARGV[1], ARGV[2 + 2 * i])
  local latest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  local ttl = math.ceil(tonumber(latest[2]) - now + tonumber(ARGV[3]))
  redis.call('PEXPIRE', key, string.format('%d', ttl))
end
return 0`;

/** KEYS[1] lock; ARGV[1] token. The standard compare-and-delete. */
const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/**
 * KEYS[1] claim; ARGV: value, ttlMs. Returns {1, value} when stored, {0, existing} otherwise.
 * SET NX first: the first claim, by far the commonest, is one command (a refused SET NX is nil, false in Lua).
 */
const REMEMBER_FIRST = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {1, ARGV[1]} end
return {0, redis.call('GET', KEYS[1])}`;

/**
 * KEYS[1] claim, KEYS[2] counter; ARGV: value, ttlMs. REMEMBER_FIRST, plus the counter's
 * value in the same step: {1 when stored, the stored value, the counter (0 when none)}.
 */
const REMEMBER_FIRST_AND_PEEK = `
local counter = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {1, ARGV[1], counter} end
return {0, redis.call('GET', KEYS[1]), counter}`;

/**
 * KEYS[1] log zset (score = seq, member = "seq at entry"), KEYS[2] counter hash
 * (first, last); ARGV: channel (already prefixed), max entries, retainMs, now,
 * counter TTL, then the entries. Numbers, stores and publishes each entry in one
 * atomic step, so subscribers hear entries in number order; a fresh counter starts
 * at `now`. Returns the numbers given.
 */
const APPEND_TO_LOG = `
local now = tonumber(ARGV[4])
local seqs = {}
for i = 6, #ARGV do
  local seq = redis.call('HINCRBY', KEYS[2], 'last', 1)
  if seq == 1 then
    seq = math.max(1, now)
    redis.call('HSET', KEYS[2], 'first', string.format('%d', seq), 'last', string.format('%d', seq))
  end
  local s = string.format('%d', seq)
  redis.call('ZADD', KEYS[1], s, s .. ' ' .. ARGV[4] .. ' ' .. ARGV[i])
  redis.call('PUBLISH', ARGV[1], s .. ' ' .. ARGV[i])
  seqs[#seqs + 1] = seq
end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[2]) + 1))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return seqs`;

/**
 * KEYS[1] log zset, KEYS[2] counter hash; ARGV[1] the number to read after.
 * Returns {first, last, members after ARGV[1]...} in one consistent read.
 */
const READ_LOG = `
local meta = redis.call('HMGET', KEYS[2], 'first', 'last')
local out = { tonumber(meta[1] or '0') or 0, tonumber(meta[2] or '0') or 0 }
if out[2] > tonumber(ARGV[1]) then
  for _, item in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf')) do out[#out + 1] = item end
end
return out`;

// KEYS: the counter, then ARGV[2] slot sets, then time keys. ARGV: advance (1/0), slot count, now.
// Returns the counter, each live slot count, then each time (nil where none).
const ROTATION_SNAPSHOT = `
local counter
if ARGV[1] == '1' then counter = redis.call('INCR', KEYS[1]) else counter = tonumber(redis.call('GET', KEYS[1]) or '0') end
local slots = tonumber(ARGV[2])
local out = { counter }
for i = 2, slots + 1 do out[#out + 1] = redis.call('ZCOUNT', KEYS[i], '(' .. ARGV[3], '+inf') end
for i = slots + 2, #KEYS do out[#out + 1] = redis.call('GET', KEYS[i]) end
return out`;

/** The scripts as typed methods (see withPlaneScripts). */
export interface PlaneScripts {
  vlbWindowAdd(key: string, index: number, retainMs: number, keep: number, pruneAbove: number): Promise<number>;
  vlbWindowCounts(numKeys: number, ...keysThenArgs: (string | number)[]): Promise<number[]>;
  vlbAcquireSlot(key: string, member: string, cap: number, expiresAt: number, now: number, marginMs: number): Promise<number>;
  vlbAcquireSlots(numKeys: number, ...keysThenArgs: (string | number)[]): Promise<number>;
  vlbUnlock(key: string, token: string): Promise<number>;
  vlbRememberFirst(key: string, value: string, ttlMs: number): Promise<[number, string]>;
  vlbRememberFirstAndPeek(key: string, counterKey: string, value: string, ttlMs: number): Promise<[number, string, number]>;
  vlbAppendToLog(log: string, counter: string, channel: string, maxEntries: number, retainMs: number, now: number, counterTtlMs: number, ...entries: string[]): Promise<number[]>;
  vlbReadLog(log: string, counter: string, afterSeq: string): Promise<(number | string)[]>;
  vlbRotationSnapshot(numKeys: number, ...keysThenArgs: (string | number)[]): Promise<(number | string | null)[]>;
}

/** Each script, and how many of a call's leading arguments are keys (null: the first argument says how many). */
const SCRIPTS: Record<keyof PlaneScripts, readonly [lua: string, keyCount: number | null]> = {
  vlbWindowAdd: [WINDOW_ADD, 1],
  vlbWindowCounts: [WINDOW_COUNTS, null],
  vlbAcquireSlot: [ACQUIRE_SLOT, 1],
  vlbAcquireSlots: [ACQUIRE_SLOTS, null],
  vlbUnlock: [UNLOCK, 1],
  vlbRememberFirst: [REMEMBER_FIRST, 1],
  vlbRememberFirstAndPeek: [REMEMBER_FIRST_AND_PEEK, 2],
  vlbAppendToLog: [APPEND_TO_LOG, 2],
  vlbReadLog: [READ_LOG, 2],
  vlbRotationSnapshot: [ROTATION_SNAPSHOT, null],
};

type ScriptMethod = (...all: (string | number)[]) => Promise<unknown>;

/**
 * The plane's scripts as typed methods calling them on `redis`. A turn's calls of any of them go to
 * Redis together, as one script (redis-script-batch.ts), run by EVALSHA, loaded on first use.
 */
export function withPlaneScripts(redis: Redis): PlaneScripts & Pick<ScriptBatch, 'sendQueued'> {
  const names = Object.keys(SCRIPTS) as (keyof PlaneScripts)[];
  const batch = createScriptBatch(redis, names.map((name) => SCRIPTS[name][0]));
  const methods: Partial<Record<keyof PlaneScripts, ScriptMethod>> = {};
  names.forEach((name, script) => {
    const keyCount = SCRIPTS[name][1];
    methods[name] = (...all) => {
      const [count, rest] = keyCount === null ? [Number(all[0]), all.slice(1)] : [keyCount, all];
      return batch.run({ script, keys: rest.slice(0, count).map(String), args: rest.slice(count) });
    };
  });
  return Object.assign(methods as unknown as PlaneScripts, { sendQueued: batch.sendQueued });
}
