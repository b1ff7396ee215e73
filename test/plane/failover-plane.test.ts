import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFailoverPlane, type RecoveryReport } from '../../src/plane/failover-plane.js';
import type { Plane } from '../../src/plane/plane.js';
import { createRedisClient, isRedisUnavailable, waitForRedis } from '../../src/plane/redis-client.js';
import { createRedisPlane } from '../../src/plane/redis-plane.js';
import { TEST_REDIS_URL } from '../support/backends.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';

const HOUR = 3_600_000;

/** One instance's plane over a private Redis, as runtime.ts builds it, with what it reported. */
interface Instance {
  plane: Plane;
  client: Redis;
  changes: boolean[];
  recoveries: RecoveryReport[];
}

/**
 * The failover plane through real outages of a Redis of the test's own: stopped
 * (SIGKILL, restarted empty) and stalled (SIGSTOP, its data kept). The contract
 * suite (plane-contract.test.ts) covers its behaviour with Redis up and away.
 */
describe.runIf(TEST_REDIS_URL)('redis: the failover plane through outages', () => {
  let redis: PrivateRedis;
  let prefix: string;
  const instances: Instance[] = [];

  async function instance(): Promise<Instance> {
    const client = createRedisClient(redis.url, prefix);
    client.on('error', () => {}); // expected while the server is down
    await waitForRedis(client);
    const made: Instance = { plane: undefined as unknown as Plane, client, changes: [], recoveries: [] };
    made.plane = createFailoverPlane(createRedisPlane(client), {
      isConnected: () => client.status === 'ready',
      isUnavailable: isRedisUnavailable,
      probeEveryMs: 50,
      censusEveryMs: 100,
      onRecovered: (report) => made.recoveries.push(report),
    });
    made.plane.onDegradedChange((degraded) => made.changes.push(degraded));
    instances.push(made);
    return made;
  }

  /** Another client on the same key space, reading Redis itself. */
  async function inspect<T>(read: (plane: Plane) => Promise<T>): Promise<T> {
    const client = createRedisClient(redis.url, prefix);
    await waitForRedis(client);
    const plane = createRedisPlane(client);
    try {
      return await read(plane);
    } finally {
      await plane.close();
      client.disconnect();
    }
  }

  /** Until the plane has merged, gone back to Redis, and told its listeners. */
  const backInRedis = (i: Instance) => vi.waitFor(() => expect(i.recoveries.length).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });

  beforeEach(async () => {
    redis = await startPrivateRedis();
    prefix = `vlbt:failover:${randomBytes(4).toString('hex')}:`;
  });
  afterEach(async () => {
    for (const i of instances.splice(0)) {
      await i.plane.close();
      i.client.disconnect();
    }
    await redis.stop();
  });

  it('fails over at once when Redis stops, answers from memory without waiting on it, and says so once', async () => {
    const one = await instance();
    expect(await one.plane.incr('rotation')).toBe(1);
    await redis.stop();
    const started = performance.now();
    for (let i = 0; i < 200; i++) await one.plane.incr('rotation');
    expect(performance.now() - started).toBeLessThan(200);
    expect(one.plane.degraded).toBe(true);
    expect(one.changes).toEqual([true]);
    await expect(one.plane.ping()).rejects.toThrow();
  });

  it('while Redis is away a retried claim on the same instance gets the first answer; once it is back (empty), every instance does', async () => {
    const one = await instance();
    await redis.stop();
    expect(await one.plane.rememberFirst('voice:s1:answer', '<Response>first</Response>', 60_000)).toEqual({ first: true, value: '<Response>first</Response>' });
    expect(await one.plane.rememberFirst('voice:s1:answer', '<Response>second</Response>', 60_000)).toEqual({ first: false, value: '<Response>first</Response>' });
    await redis.restart();
    await backInRedis(one);
    expect(one.changes).toEqual([true, false]);
    expect(await inspect((other) => other.recall('voice:s1:answer'))).toBe('<Response>first</Response>');
    expect(one.recoveries[0]!.merged.remembered).toBe(1);
  });

  it('a stalled Redis (its data kept) is failed over after the command timeout; counters, windows and slots are merged into it after', { timeout: 20_000 }, async () => {
    const one = await instance();
    const now = Date.now();
    for (let i = 0; i < 10; i++) await one.plane.incr('rotation');
    expect(await one.plane.acquireSlot('slots', 'before', null, now + HOUR, now)).toBe(true);
    redis.pause();
    // In flight when Redis froze: answered from memory once the command times out.
    expect(await one.plane.incr('rotation')).toBe(1);
    expect(one.plane.degraded).toBe(true);
    for (let i = 0; i < 2; i++) await one.plane.incr('rotation');
    await one.plane.windowAdd('window', now, 60_000, HOUR);
    expect(await one.plane.acquireSlot('slots', 'during', null, now + HOUR, now)).toBe(true);
    expect(await one.plane.acquireSlot('slots', 'gone', null, now + HOUR, now)).toBe(true);
    expect(await one.plane.releaseSlot('slots', 'gone')).toBe(true);
    // A call from before the outage ended while Redis was away.
    expect(await one.plane.releaseSlot('slots', 'before')).toBe(false);
    redis.resume();
    await backInRedis(one);
    expect(one.plane.degraded).toBe(false);
    // 10 before, 3 during; and the increment that timed out was applied too when Redis woke: a
    // command that timed out may have happened, so its twin in memory makes the rotation move twice.
    expect(await inspect((other) => other.peekCounter('rotation'))).toBe(14);
    expect(await inspect((other) => other.windowCounts(['window'], now, now, 60_000))).toEqual([1]);
    expect(await inspect((other) => other.slotMembers('slots', now))).toEqual(['during']);
  });

  it('caps: with two instances, each takes at most half the room an agent had when last read, so together they stay within the cap', async () => {
    const one = await instance();
    const two = await instance();
    // Both have counted each other.
    await vi.waitFor(async () => expect(await inspect((p) => p.slotCounts(['plane:instances'], Date.now()))).toEqual([2]), { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 300));
    const now = Date.now();
    expect(await one.plane.acquireSlot('agent', 'live-before', 5, now + HOUR, now)).toBe(true);
    for (const i of [one, two]) expect(await i.plane.slotCounts(['agent'], now)).toEqual([1]);
    await redis.stop();
    const taken = async (i: Instance, label: string) => {
      let n = 0;
      for (let k = 0; k < 5; k++) if (await i.plane.acquireSlot('agent', `${label}-${k}`, 5, now + HOUR, now)) n += 1;
      return n;
    };
    // floor((5 - 1) / 2) = 2 each: 1 + 2 + 2 = 5.
    expect(await taken(one, 'one')).toBe(2);
    expect(await taken(two, 'two')).toBe(2);
    // What the strategies see counts the calls from before the outage too.
    expect(await one.plane.slotCounts(['agent'], now)).toEqual([3]);
    // A call from before ends here: the room it leaves is shared too (floor((5 - 0) / 2) = 2, already held).
    await one.plane.releaseSlot('agent', 'live-before');
    expect(await one.plane.acquireSlot('agent', 'one-more', 5, now + HOUR, now)).toBe(false);
  });

  it('a command Redis refuses is an error for the caller, not an outage', async () => {
    const one = await instance();
    const now = Date.now();
    await one.plane.acquireSlot('a-set', 'm', null, now + HOUR, now);
    await expect(one.plane.incr('a-set')).rejects.toThrow(/WRONGTYPE/);
    expect(one.plane.degraded).toBe(false);
  });

  it('pub/sub: a message published while Redis is away reaches this instance; a subscription made meanwhile hears Redis once it is back', async () => {
    const one = await instance();
    const two = await instance();
    const heardOne: string[] = [];
    await one.plane.subscribe('news', (m) => heardOne.push(m));
    await redis.stop();
    await one.plane.publish('news', 'during');
    expect(heardOne).toEqual(['during']);
    const later: string[] = [];
    await one.plane.subscribe('later', (m) => later.push(m));
    await redis.restart();
    await backInRedis(one);
    await vi.waitFor(() => expect(two.client.status).toBe('ready'));
    await two.plane.publish('later', 'from two');
    await vi.waitFor(() => expect(later).toEqual(['from two']), { timeout: 5000 });
  });
});
