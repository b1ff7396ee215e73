import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFailoverPlane } from '../../src/plane/failover-plane.js';
import { createMemoryPlane } from '../../src/plane/memory-plane.js';
import type { Plane } from '../../src/plane/plane.js';
import { createRedisClient, isRedisUnavailable, waitForRedis } from '../../src/plane/redis-client.js';
import { createRedisPlane } from '../../src/plane/redis-plane.js';
import { TEST_REDIS_URL } from '../support/backends.js';

/** A plane under test and how to dispose of it. */
interface PlaneFixture {
  plane: Plane;
  dispose(): Promise<void>;
}

/** What a plane under test says of itself: its kind, and whether Redis is behind it right now. */
interface PlaneIdentity {
  kind: 'memory' | 'redis';
  /** False for the failover plane whose Redis is unreachable: it serves from memory and its ping fails. */
  reachable: boolean;
}

/** Collects what a subscriber hears. */
function listener() {
  const heard: string[] = [];
  return { heard, handler: (message: string) => void heard.push(message) };
}

const T0 = 1_700_000_000_000;

/**
 * The behaviour every plane must have, whatever stores it. Times are explicit
 * `now`/`at` values, so nothing here waits on the clock but the lock TTL case.
 */
function planeContract(name: string, identity: PlaneIdentity, makePlane: () => Promise<PlaneFixture>, enabled = true): void {
  describe.runIf(enabled)(`${name}: plane contract`, () => {
    let fixture: PlaneFixture;
    let plane: Plane;
    beforeAll(async () => {
      fixture = await makePlane();
      plane = fixture.plane;
    });
    afterAll(async () => {
      await fixture?.dispose();
    });

    it('reports its kind and answers ping', async () => {
      expect(plane.kind).toBe(identity.kind);
      if (identity.reachable) expect(await plane.ping()).toBeGreaterThanOrEqual(0);
      else await expect(plane.ping()).rejects.toThrow();
    });

    it('incr starts at 1 and hands out every value exactly once under concurrency', async () => {
      expect(await plane.incr('incr:first')).toBe(1);
      expect(await plane.incr('incr:first')).toBe(2);
      expect(await plane.peekCounter('incr:first')).toBe(2);
      expect(await plane.peekCounter('incr:never')).toBe(0);
      await plane.resetCounter('incr:first');
      expect(await plane.peekCounter('incr:first')).toBe(0);
      expect(await plane.incr('incr:first')).toBe(1);
      const values = await Promise.all(Array.from({ length: 2000 }, () => plane.incr('incr:race')));
      expect(new Set(values).size).toBe(2000);
      expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    });

    it('windows count events by bucket and leave out buckets outside the range', async () => {
      const add = (at: number) => plane.windowAdd('win:a', T0 + at, 1000, 60_000);
      for (const at of [0, 500, 999, 1200, 5000]) await add(at);
      expect(await plane.windowCounts(['win:a'], T0, T0 + 999, 1000)).toEqual([3]);
      expect(await plane.windowCounts(['win:a'], T0 + 1000, T0 + 5000, 1000)).toEqual([2]);
      // A range touching a bucket at all counts the whole bucket.
      expect(await plane.windowCounts(['win:a'], T0 + 999, T0 + 1000, 1000)).toEqual([4]);
      expect(await plane.windowCounts(['win:a'], T0 + 2000, T0 + 4999, 1000)).toEqual([0]);
      expect(await plane.windowCounts(['win:a'], T0 - 60_000, T0 + 60_000, 1000)).toEqual([5]);
    });

    it('windows answer for several keys in one call, missing keys counting 0', async () => {
      await plane.windowAdd('win:b', T0, 10_000, 600_000);
      await plane.windowAdd('win:c', T0, 10_000, 600_000);
      await plane.windowAdd('win:c', T0 + 1, 10_000, 600_000);
      expect(await plane.windowCounts(['win:b', 'win:missing', 'win:c'], T0, T0, 10_000)).toEqual([1, 0, 2]);
      expect(await plane.windowCounts([], T0, T0, 10_000)).toEqual([]);
    });

    it('windows keep counting correctly while old buckets are pruned', async () => {
      // 200 buckets with a retention of 10: pruning must run and must keep the recent ones.
      for (let i = 0; i < 200; i++) await plane.windowAdd('win:long', T0 + i * 1000, 1000, 10_000);
      expect(await plane.windowCounts(['win:long'], T0 + 190_000, T0 + 199_000, 1000)).toEqual([10]);
    });

    it('setTime and getTimes round-trip, with null for missing keys', async () => {
      await plane.setTime('time:a', T0 + 42, 60_000);
      await plane.setTime('time:b', T0, 60_000);
      await plane.setTime('time:b', T0 + 7, 60_000);
      expect(await plane.getTimes(['time:a', 'time:missing', 'time:b'])).toEqual([T0 + 42, null, T0 + 7]);
      expect(await plane.getTimes([])).toEqual([]);
    });

    it('a rotation snapshot advances (or only reads) the counter and reads live slots and times in one step', async () => {
      await plane.incr('snap:counter');
      await plane.acquireSlot('snap:slots-a', 'c1', null, T0 + 60_000, T0);
      await plane.acquireSlot('snap:slots-a', 'c2', null, T0 + 10, T0);
      await plane.setTime('snap:time-b', T0 + 99, 60_000);
      const snap = await plane.rotationSnapshot('snap:counter', true, ['snap:slots-a', 'snap:slots-none'], ['snap:time-missing', 'snap:time-b'], T0 + 10);
      expect(snap).toEqual({ counter: 2, slots: [1, 0], times: [null, T0 + 99] });
      expect(await plane.rotationSnapshot('snap:counter', false, [], [], T0)).toEqual({ counter: 2, slots: [], times: [] });
      expect((await plane.rotationSnapshot('snap:never', false, [], ['snap:time-b'], T0)).counter).toBe(0);
      const counters = await Promise.all(Array.from({ length: 50 }, () => plane.rotationSnapshot('snap:race', true, [], [], T0)));
      expect(counters.map((c) => c.counter).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    it('slots respect the cap under 200 concurrent acquires', async () => {
      const members = Array.from({ length: 200 }, (_, i) => `call-${i}`);
      const held = await Promise.all(members.map((m) => plane.acquireSlot('slot:race', m, 5, T0 + 60_000, T0)));
      const winners = members.filter((_, i) => held[i]);
      expect(winners).toHaveLength(5);
      expect(await plane.slotCounts(['slot:race'], T0)).toEqual([5]);
      expect([...(await plane.slotMembers('slot:race', T0))].sort()).toEqual([...winners].sort());
    });

    it('slots claimed together are all or none: a pool of 3 over two agents of cap 2 holds 3 of 100 concurrent claims', async () => {
      // Two agents (cap 2 each) sharing a pool of 3: each call claims its agent's slot and the pool's at once.
      const claims = Array.from({ length: 100 }, (_, i) => {
        const agent = `multi:agent-${i % 2}`;
        return [
          { key: agent, member: `c${i}`, cap: 2 },
          { key: 'multi:pool', member: `c${i}:${agent}`, cap: 3 },
        ];
      });
      const refused = await Promise.all(claims.map((c) => plane.acquireSlots(c, T0 + 60_000, T0)));
      expect(refused.filter((r) => r === -1)).toHaveLength(3);
      const [a0, a1, pool] = await plane.slotCounts(['multi:agent-0', 'multi:agent-1', 'multi:pool'], T0);
      expect(pool).toBe(3);
      // Nothing is held by a refused claim: the agents' slots add up to the pool's.
      expect(a0! + a1!).toBe(3);
      // The pool refuses (index 1) while an agent has room; a full agent refuses first (index 0).
      const roomy = a0! < 2 ? 'multi:agent-0' : 'multi:agent-1';
      expect(await plane.acquireSlots([{ key: roomy, member: 'late', cap: 2 }, { key: 'multi:pool', member: 'late', cap: 3 }], T0 + 60_000, T0)).toBe(1);
      expect(await plane.acquireSlots([{ key: 'multi:agent-x', member: 'y', cap: 0 }, { key: 'multi:pool', member: 'y', cap: 3 }], T0 + 60_000, T0)).toBe(0);
      expect(await plane.slotCounts([roomy, 'multi:pool'], T0)).toEqual([a0! < 2 ? a0 : a1, 3]);
      // A holder re-claiming keeps its slots; a release makes room again; an empty claim holds trivially.
      const holder = refused.findIndex((r) => r === -1);
      expect(await plane.acquireSlots(claims[holder]!, T0 + 90_000, T0 + 1)).toBe(-1);
      expect(await plane.releaseSlot('multi:pool', claims[holder]![1]!.member)).toBe(true);
      expect(await plane.acquireSlots([{ key: roomy, member: 'late', cap: 2 }, { key: 'multi:pool', member: 'late', cap: 3 }], T0 + 60_000, T0 + 1)).toBe(-1);
      expect(await plane.acquireSlots([], T0 + 60_000, T0)).toBe(-1);
      // An already expired claim is refused like acquireSlot's.
      expect(await plane.acquireSlots([{ key: 'multi:gone', member: 'z', cap: null }], T0, T0)).toBe(0);
    });

    it('a holder re-acquiring keeps its slot without counting twice', async () => {
      expect(await plane.acquireSlot('slot:re', 'a', 2, T0 + 60_000, T0)).toBe(true);
      expect(await plane.acquireSlot('slot:re', 'b', 2, T0 + 60_000, T0)).toBe(true);
      expect(await plane.acquireSlot('slot:re', 'a', 2, T0 + 90_000, T0 + 1)).toBe(true);
      expect(await plane.acquireSlot('slot:re', 'c', 2, T0 + 60_000, T0 + 1)).toBe(false);
      expect(await plane.slotCounts(['slot:re'], T0 + 1)).toEqual([2]);
    });

    it('releasing frees a slot, and releasing twice is harmless', async () => {
      await plane.acquireSlot('slot:rel', 'a', 1, T0 + 60_000, T0);
      expect(await plane.acquireSlot('slot:rel', 'b', 1, T0 + 60_000, T0)).toBe(false);
      expect(await plane.releaseSlot('slot:rel', 'a')).toBe(true);
      expect(await plane.releaseSlot('slot:rel', 'a')).toBe(false);
      expect(await plane.slotCounts(['slot:rel'], T0)).toEqual([0]);
      expect(await plane.acquireSlot('slot:rel', 'b', 1, T0 + 60_000, T0)).toBe(true);
      expect(await plane.slotMembers('slot:rel', T0)).toEqual(['b']);
    });

    it('operations take effect in the order they were made, even when the caller does not wait for each', async () => {
      // A slot counted without waiting (an agent without a cap) is read and released later: never before it is taken.
      const taken = plane.acquireSlot('slot:order', 'a', null, T0 + 60_000, T0);
      expect(await plane.slotCounts(['slot:order'], T0)).toEqual([1]);
      const again = plane.acquireSlot('slot:order', 'b', null, T0 + 60_000, T0);
      expect(await plane.slotMembers('slot:order', T0)).toEqual(['a', 'b']);
      const third = plane.acquireSlot('slot:order', 'c', null, T0 + 60_000, T0);
      expect(await plane.releaseSlot('slot:order', 'c')).toBe(true);
      expect(await Promise.all([taken, again, third])).toEqual([true, true, true]);
      const stored = plane.rememberFirst('idem:order', 'kept', 60_000);
      expect(await plane.recall('idem:order')).toBe('kept');
      await stored;
    });

    it('expired slots stop counting and give their place up', async () => {
      await plane.acquireSlot('slot:exp', 'short', 2, T0 + 1000, T0);
      await plane.acquireSlot('slot:exp', 'long', 2, T0 + 10_000, T0);
      expect(await plane.acquireSlot('slot:exp', 'late', 2, T0 + 10_000, T0 + 999)).toBe(false);
      // At expiresAt itself the slot is over.
      expect(await plane.slotCounts(['slot:exp'], T0 + 1000)).toEqual([1]);
      expect(await plane.slotMembers('slot:exp', T0 + 2000)).toEqual(['long']);
      expect(await plane.acquireSlot('slot:exp', 'late', 2, T0 + 20_000, T0 + 2000)).toBe(true);
      expect(await plane.slotCounts(['slot:exp'], T0 + 15_000)).toEqual([1]);
      expect(await plane.slotMembers('slot:exp', T0 + 15_000)).toEqual(['late']);
    });

    it('a null cap means no limit, and counts cover several keys', async () => {
      const held = await Promise.all(Array.from({ length: 300 }, (_, i) => plane.acquireSlot('slot:free', `m${i}`, null, T0 + 60_000, T0)));
      expect(held.every(Boolean)).toBe(true);
      await plane.acquireSlot('slot:other', 'x', null, T0 + 60_000, T0);
      expect(await plane.slotCounts(['slot:free', 'slot:missing', 'slot:other'], T0)).toEqual([300, 0, 1]);
      expect(await plane.slotCounts([], T0)).toEqual([]);
      expect(await plane.slotMembers('slot:missing', T0)).toEqual([]);
    });

    it('a lock has one owner at a time and only its owner can release it', async () => {
      const token = await plane.tryLock('lock:a', 10_000);
      expect(token).toEqual(expect.any(String));
      expect(await plane.tryLock('lock:a', 10_000)).toBeNull();
      expect(await plane.unlock('lock:a', 'not-the-token')).toBe(false);
      expect(await plane.tryLock('lock:a', 10_000)).toBeNull();
      expect(await plane.unlock('lock:a', token!)).toBe(true);
      expect(await plane.unlock('lock:a', token!)).toBe(false);
      const next = await plane.tryLock('lock:a', 10_000);
      expect(next).not.toBeNull();
      expect(next).not.toBe(token);
    });

    it('a lock frees itself after its ttl', async () => {
      expect(await plane.tryLock('lock:ttl', 50)).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(await plane.tryLock('lock:ttl', 50)).not.toBeNull();
    });

    it('rememberFirst lets exactly one of 50 concurrent writers win', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => plane.rememberFirst('idem:a', `answer-${i}`, 60_000)));
      const winners = results.filter((r) => r.first);
      expect(winners).toHaveLength(1);
      const stored = winners[0]!.value;
      expect(results.every((r) => r.value === stored)).toBe(true);
      expect(await plane.recall('idem:a')).toBe(stored);
    });

    it('rememberFirstAndPeek: one of 50 concurrent writers wins, and each reads the counter of its moment', async () => {
      await plane.incr('idem:version');
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => plane.rememberFirstAndPeek('idem:c', `answer-${i}`, 60_000, 'idem:version')));
      const winners = results.filter((r) => r.first);
      expect(winners).toHaveLength(1);
      expect(results.every((r) => r.value === winners[0]!.value && r.counter === 1)).toBe(true);
      expect(await plane.recall('idem:c')).toBe(winners[0]!.value);
      await plane.incr('idem:version');
      expect(await plane.rememberFirstAndPeek('idem:c', 'late', 60_000, 'idem:version')).toEqual({ first: false, value: winners[0]!.value, counter: 2 });
      expect(await plane.rememberFirstAndPeek('idem:d', 'new', 60_000, 'idem:none')).toEqual({ first: true, value: 'new', counter: 0 });
    });

    it('the embedded plane answers its routing operations at once, as its methods do', async () => {
      const now = plane.immediate;
      expect(now === undefined).toBe(plane.kind === 'redis');
      if (!now) return;
      expect(now.rememberFirstAndPeek('idem:e', 'one', 60_000, 'idem:e-version')).toEqual({ first: true, value: 'one', counter: 0 });
      expect(await plane.rememberFirst('idem:e', 'two', 60_000)).toEqual({ first: false, value: 'one' });
      expect(now.acquireSlot('now:slots', 'a', 1, T0 + 60_000, T0)).toBe(true);
      expect(await plane.acquireSlot('now:slots', 'b', 1, T0 + 60_000, T0)).toBe(false);
      expect(now.rotationSnapshot('now:rotation', true, ['now:slots'], ['now:missing'], T0)).toEqual({ counter: 1, slots: [1], times: [null] });
      expect(await plane.peekCounter('now:rotation')).toBe(1);
    });

    it('recall and forget', async () => {
      expect(await plane.recall('idem:missing')).toBeNull();
      await plane.rememberFirst('idem:b', 'one', 60_000);
      expect(await plane.rememberFirst('idem:b', 'two', 60_000)).toEqual({ first: false, value: 'one' });
      await plane.forget('idem:b');
      expect(await plane.recall('idem:b')).toBeNull();
      expect(await plane.rememberFirst('idem:b', 'two', 60_000)).toEqual({ first: true, value: 'two' });
    });

    it('a log numbers entries from `now`, one by one, and reads back what came after a number', async () => {
      const policy = { maxEntries: 100, retainMs: 60_000 };
      expect(await plane.readLog('log:a', 0, policy, T0)).toEqual({ first: 0, last: 0, entries: [] });
      expect(await plane.appendToLog('log:a', 'chan:log-a', ['one', 'two'], policy, T0)).toEqual([T0, T0 + 1]);
      expect(await plane.appendToLog('log:a', 'chan:log-a', ['three with spaces'], policy, T0 + 5)).toEqual([T0 + 2]);
      expect(await plane.appendToLog('log:a', 'chan:log-a', [], policy, T0 + 5)).toEqual([]);
      const all = await plane.readLog('log:a', 0, policy, T0 + 10);
      expect(all).toEqual({
        first: T0,
        last: T0 + 2,
        entries: [
          { seq: T0, entry: 'one' },
          { seq: T0 + 1, entry: 'two' },
          { seq: T0 + 2, entry: 'three with spaces' },
        ],
      });
      expect((await plane.readLog('log:a', T0 + 1, policy, T0 + 10)).entries).toEqual([{ seq: T0 + 2, entry: 'three with spaces' }]);
      expect(await plane.readLog('log:a', T0 + 2, policy, T0 + 10)).toEqual({ first: T0, last: T0 + 2, entries: [] });
    });

    it('a log keeps only its newest entries, and reads leave out entries older than the retention', async () => {
      const policy = { maxEntries: 3, retainMs: 1000 };
      for (let i = 0; i < 5; i++) await plane.appendToLog('log:capped', 'chan:log-capped', [`e${i}`], policy, T0 + i * 400);
      const read = await plane.readLog('log:capped', 0, policy, T0 + 1700);
      expect(read.first).toBe(T0);
      expect(read.last).toBe(T0 + 4);
      // e0 and e1 were trimmed by count; e2 (appended at +800) is 900 ms old, e3 500, e4 100.
      expect(read.entries.map((e) => e.entry)).toEqual(['e2', 'e3', 'e4']);
      expect((await plane.readLog('log:capped', 0, policy, T0 + 2300)).entries.map((e) => e.entry)).toEqual(['e4']);
    });

    it('concurrent appends get distinct, gapless numbers, and subscribers hear them in number order', async () => {
      const policy = { maxEntries: 1000, retainMs: 60_000 };
      const heard = listener();
      const unsubscribe = await plane.subscribe('chan:log-race', heard.handler);
      const given = (await Promise.all(Array.from({ length: 200 }, (_, i) => plane.appendToLog('log:race', 'chan:log-race', [`m${i}`, `n${i}`], policy, T0)))).flat();
      expect([...given].sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => T0 + i));
      await vi.waitFor(() => expect(heard.heard).toHaveLength(400));
      expect(heard.heard.map((m) => Number(m.split(' ')[0]))).toEqual(Array.from({ length: 400 }, (_, i) => T0 + i));
      // Each batch stays together: an entry and its pair are consecutive.
      const entries = heard.heard.map((m) => m.split(' ')[1]!);
      for (let i = 0; i < 400; i += 2) expect(entries[i + 1]).toBe(entries[i]!.replace('m', 'n'));
      const read = await plane.readLog('log:race', 0, policy, T0);
      expect(read.entries.map((e) => `${e.seq} ${e.entry}`)).toEqual(heard.heard);
      await unsubscribe();
    });

    it('a subscriber hears messages published after it subscribed, in order', async () => {
      await plane.publish('chan:order', 'before');
      const a = listener();
      const unsubscribe = await plane.subscribe('chan:order', a.handler);
      for (const m of ['one', 'two', 'three']) await plane.publish('chan:order', m);
      await vi.waitFor(() => expect(a.heard).toEqual(['one', 'two', 'three']));
      await unsubscribe();
    });

    it('after unsubscribing a handler hears nothing, while other handlers still do', async () => {
      const gone = listener();
      const stays = listener();
      const unsubscribeGone = await plane.subscribe('chan:unsub', gone.handler);
      const unsubscribeStays = await plane.subscribe('chan:unsub', stays.handler);
      const marker = listener();
      const unsubscribeMarker = await plane.subscribe('chan:marker', marker.handler);
      await plane.publish('chan:unsub', 'both');
      await vi.waitFor(() => expect(gone.heard).toEqual(['both']));
      await unsubscribeGone();
      await plane.publish('chan:unsub', 'only-stays');
      await vi.waitFor(() => expect(stays.heard).toEqual(['both', 'only-stays']));
      await unsubscribeStays();
      await plane.publish('chan:unsub', 'nobody');
      // Messages arrive in publish order, so once the marker is heard the others would have been.
      await plane.publish('chan:marker', 'done');
      await vi.waitFor(() => expect(marker.heard).toEqual(['done']));
      expect(gone.heard).toEqual(['both']);
      expect(stays.heard).toEqual(['both', 'only-stays']);
      await unsubscribeMarker();
    });
  });
}

planeContract('memory', { kind: 'memory', reachable: true }, async () => {
  const plane = createMemoryPlane();
  return { plane, dispose: () => plane.close() };
});

/** A client under a random prefix of its own, so parallel runs and other suites never collide. */
function randomPrefix(): string {
  return `vlbt:plane:${randomBytes(6).toString('hex')}:`;
}

async function connect(prefix = ''): Promise<Redis> {
  const client = createRedisClient(TEST_REDIS_URL!, prefix);
  await waitForRedis(client);
  return client;
}

/** Deletes every key under `prefix` (SCAN patterns and DEL keys are unprefixed on a bare client). */
async function dropKeys(prefix: string): Promise<void> {
  const admin = await connect();
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  admin.disconnect();
}

planeContract('redis', { kind: 'redis', reachable: true }, async () => {
  const prefix = randomPrefix();
  const client = await connect(prefix);
  const plane = createRedisPlane(client);
  return {
    plane,
    async dispose() {
      await plane.close();
      client.disconnect();
      await dropKeys(prefix);
    },
  };
}, Boolean(TEST_REDIS_URL));

/** The failover plane over a Redis client, as runtime.ts builds it. */
function failoverOver(client: Redis): Plane {
  return createFailoverPlane(createRedisPlane(client), { isConnected: () => client.status === 'ready', isUnavailable: isRedisUnavailable });
}

// While Redis answers, the failover plane is the Redis plane.
planeContract('failover, Redis up', { kind: 'redis', reachable: true }, async () => {
  const prefix = randomPrefix();
  const client = await connect(prefix);
  const plane = failoverOver(client);
  return {
    plane,
    async dispose() {
      expect(plane.degraded).toBe(false);
      await plane.close();
      client.disconnect();
      await dropKeys(prefix);
    },
  };
}, Boolean(TEST_REDIS_URL));

// While Redis is unreachable, it is a memory plane of the instance's own, with the same behaviour.
planeContract('failover, Redis away', { kind: 'redis', reachable: false }, async () => {
  // Nothing listens on port 1: every connection attempt is refused.
  const client = createRedisClient('redis://127.0.0.1:1/0', randomPrefix());
  client.on('error', () => {});
  const plane = failoverOver(client);
  return {
    plane,
    async dispose() {
      expect(plane.degraded).toBe(true);
      await plane.close();
      client.disconnect();
    },
  };
});

describe.runIf(TEST_REDIS_URL)('redis: plane across instances', () => {
  const prefix = randomPrefix();
  const otherPrefix = randomPrefix();
  let clients: Redis[] = [];
  let one: Plane;
  let two: Plane;
  let stranger: Plane;
  let admin: Redis;
  beforeAll(async () => {
    clients = await Promise.all([connect(prefix), connect(prefix), connect(otherPrefix)]);
    [one, two, stranger] = clients.map((c) => createRedisPlane(c)) as [Plane, Plane, Plane];
    admin = await connect();
  });
  afterAll(async () => {
    for (const p of [one, two, stranger]) await p?.close();
    for (const c of clients) c.disconnect();
    admin?.disconnect();
    await dropKeys(prefix);
    await dropKeys(otherPrefix);
  });

  it('a message reaches subscribers on other instances with the same prefix only', async () => {
    const same = listener();
    const other = listener();
    const unsubscribeSame = await two.subscribe('news', same.handler);
    const unsubscribeOther = await stranger.subscribe('news', other.handler);
    await one.publish('news', 'hello');
    // The stranger's own message comes after `hello` was delivered, so hearing it proves `hello` never came.
    await stranger.publish('news', 'own');
    await vi.waitFor(() => expect(same.heard).toEqual(['hello']));
    await vi.waitFor(() => expect(other.heard).toEqual(['own']));
    await unsubscribeSame();
    await unsubscribeOther();
  });

  it('a log appended on one instance is heard and read on the other, and stays bounded with a TTL', async () => {
    const policy = { maxEntries: 5, retainMs: 60_000 };
    const heard = listener();
    const unsubscribe = await two.subscribe('log-news', heard.handler);
    const seqs = await one.appendToLog('log', 'log-news', ['a', 'b'], policy, T0);
    expect(await two.appendToLog('log', 'log-news', ['c'], policy, T0)).toEqual([seqs[1]! + 1]);
    await vi.waitFor(() => expect(heard.heard).toEqual([`${T0} a`, `${T0 + 1} b`, `${T0 + 2} c`]));
    expect((await two.readLog('log', T0, policy, T0)).entries).toEqual([
      { seq: T0 + 1, entry: 'b' },
      { seq: T0 + 2, entry: 'c' },
    ]);
    for (let i = 0; i < 20; i++) await one.appendToLog('log', 'log-news', [`x${i}`], policy, T0);
    expect(await admin.zcard(`${prefix}log`)).toBe(5);
    expect(await admin.pttl(`${prefix}log`)).toBeGreaterThan(0);
    expect(await admin.pttl(`${prefix}log:counter`)).toBeGreaterThan(0);
    await unsubscribe();
  });

  it('instances share state, and every key lives under the client prefix', async () => {
    expect(await one.incr('shared')).toBe(1);
    expect(await two.incr('shared')).toBe(2);
    expect(await stranger.incr('shared')).toBe(1);
    expect(await one.acquireSlot('slots', 'a', 1, T0 + 60_000, T0)).toBe(true);
    expect(await two.acquireSlot('slots', 'b', 1, T0 + 60_000, T0)).toBe(false);
    await one.windowAdd('window', T0, 1000, 60_000);
    await one.rememberFirst('claim', 'x', 60_000);
    for (const key of ['shared', 'slots', 'window', 'claim']) expect(await admin.exists(`${prefix}${key}`)).toBe(1);
    expect(await admin.exists('slots', 'window', 'claim')).toBe(0);
  });

  it('volatile keys carry a TTL and window hashes stay bounded', async () => {
    const now = Date.now();
    await one.acquireSlot('ttl:slots', 'a', null, now + 5000, now);
    await one.setTime('ttl:time', now, 30_000);
    for (let i = 0; i < 500; i++) await one.windowAdd('ttl:window', T0 + i * 1000, 1000, 10_000);
    const slotTtl = await admin.pttl(`${prefix}ttl:slots`);
    expect(slotTtl).toBeGreaterThan(5000);
    expect(slotTtl).toBeLessThanOrEqual(5000 + 60_000);
    expect(await admin.pttl(`${prefix}ttl:time`)).toBeGreaterThan(0);
    expect(await admin.pttl(`${prefix}ttl:window`)).toBeGreaterThan(0);
    expect(await admin.hlen(`${prefix}ttl:window`)).toBeLessThanOrEqual(2 * 11 + 5);
  });
});
