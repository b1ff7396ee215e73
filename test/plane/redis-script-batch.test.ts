import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, isRedisUnavailable, waitForRedis } from '../../src/plane/redis-client.js';
import { createScriptBatch, type ScriptCall } from '../../src/plane/redis-script-batch.js';
import { TEST_REDIS_URL } from '../support/backends.js';

/** Appends ARGV[1] to the list KEYS[1] and returns the list's length. */
const PUSH = `return redis.call('RPUSH', KEYS[1], ARGV[1])`;
/** Returns the string at KEYS[1] (nil when none); fails on a key of another type, as any script's bug would. */
const READ = `return redis.call('GET', KEYS[1])`;
/** Returns its arguments and keys back, to check each call gets its own. */
const ECHO = `local out = {} for _, k in ipairs(KEYS) do out[#out + 1] = k end for _, a in ipairs(ARGV) do out[#out + 1] = a end return out`;

describe.runIf(TEST_REDIS_URL !== undefined)('redis: script calls of one turn in one round trip', () => {
  let redis: Redis;
  let run: (call: ScriptCall) => Promise<unknown>;
  const prefix = `vlbt:${randomBytes(4).toString('hex')}:`;
  beforeAll(async () => {
    redis = createRedisClient(TEST_REDIS_URL!, prefix);
    await waitForRedis(redis);
    const batch = createScriptBatch(redis, [PUSH, READ, ECHO]);
    run = (call) => batch.run(call);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    // KEYS answers with the prefix; DEL would add it again.
    if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)));
    redis.disconnect();
  });

  it('runs the calls of a turn in the order they were made, each with its own keys and arguments', async () => {
    const replies = await Promise.all([
      run({ script: 0, keys: ['list'], args: ['a'] }),
      run({ script: 2, keys: ['k1', 'k2'], args: ['x', 7] }),
      run({ script: 0, keys: ['list'], args: ['b'] }),
      run({ script: 2, keys: [], args: [] }),
      run({ script: 0, keys: ['list'], args: ['c'] }),
    ]);
    expect(replies).toEqual([1, [`${prefix}k1`, `${prefix}k2`, 'x', '7'], 2, [], 3]);
    expect(await redis.lrange('list', 0, -1)).toEqual(['a', 'b', 'c']);
  });

  it("gives a call whose key holds nothing a null, and fails only the call whose script raised an error", async () => {
    await redis.rpush('a-list', 'x');
    const replies = await Promise.allSettled([
      run({ script: 1, keys: ['missing'], args: [] }),
      run({ script: 1, keys: ['a-list'], args: [] }),
      run({ script: 0, keys: ['after-the-error'], args: ['kept'] }),
    ]);
    expect(replies[0]).toEqual({ status: 'fulfilled', value: null });
    expect(replies[1]!.status).toBe('rejected');
    const err = (replies[1] as PromiseRejectedResult).reason as Error;
    expect(err.name).toBe('ReplyError');
    expect(err.message).toMatch(/WRONGTYPE/);
    // A script's own error is a bug to surface, not an outage to ride out.
    expect(isRedisUnavailable(err)).toBe(false);
    expect(replies[2]).toEqual({ status: 'fulfilled', value: 1 });
  });

  it('sends a turn of more calls than one batch holds as several, losing none', async () => {
    const replies = await Promise.all(Array.from({ length: 450 }, (_, i) => run({ script: 0, keys: ['many'], args: [String(i)] })));
    expect(replies).toEqual(Array.from({ length: 450 }, (_, i) => i + 1));
    expect(await redis.lrange('many', 0, -1)).toEqual(Array.from({ length: 450 }, (_, i) => String(i)));
  });

  it('sends calls made in later turns on their own', async () => {
    expect(await run({ script: 0, keys: ['later'], args: ['1'] })).toBe(1);
    expect(await run({ script: 0, keys: ['later'], args: ['2'] })).toBe(2);
  });
});
