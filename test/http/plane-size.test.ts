import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { memoryPlaneSize, type MemoryPlaneSize } from '../../src/plane/memory-plane.js';
import { ANSWER_TTL_MS } from '../../src/services/routing/answer-once.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL } from '../support/backends.js';
import { newSession, webhookSecret } from '../support/cloudonix.js';
import { cloudonixFor, type CallScript } from '../support/ended-calls.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { deleteRedisPrefix } from '../support/redis-keys.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const SCRIPTS: readonly CallScript[] = ['answered', 'failover', 'no_answer'];
/** Past the routing keys' tail (and the sweep's rounding). */
const AFTER_TAIL_MS = ANSWER_TTL_MS + 60_000;

async function setUp(t: TestApp): Promise<{ a: TenantActors; play: (n: number) => Promise<string[]> }> {
  const a = await registerTenant(t, 'plane-size');
  const secret = await webhookSecret(t, a.admin.token);
  const agents = [await createAgent(t, a.admin.token, { provider: 'vapi', service_value: '+12125550901' }), await createAgent(t, a.admin.token, { provider: 'retell', service_value: '+12125550902' })];
  const group = await createGroup(t, a.admin.token, 'round_robin', agents.map((agent_id) => ({ agent_id })));
  expect((await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: a.admin.token, payload: { name: 'Main', pattern: '+1212555????', target_type: 'group', target_id: group } })).statusCode).toBe(201);
  const cx = cloudonixFor(t, a, secret);
  /** Plays `n` calls to their end, eight at a time, in the three scripts in turn. */
  async function play(n: number): Promise<string[]> {
    const sessions = Array.from({ length: n }, () => newSession());
    for (let i = 0; i < n; i += 8) await Promise.all(sessions.slice(i, i + 8).map((s, j) => cx.play(s, SCRIPTS[(i + j) % SCRIPTS.length]!)));
    return sessions;
  }
  return { a, play };
}

/** The memory plane's entries as they will be once the routing keys' tail has passed (real time moved on, nothing else). */
function sizeAfterTail(t: TestApp): MemoryPlaneSize {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + AFTER_TAIL_MS });
  try {
    return memoryPlaneSize(t.runtime.plane)!;
  } finally {
    vi.useRealTimers();
  }
}

/**
 * The plane holds what calls in flight need, plus a short tail: calls that ended leave
 * nothing behind once the routing keys' two minutes are over, however many there were.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect.name}: the memory plane after calls end`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect);
    });
    afterAll(async () => t?.close());

    it('returns to its size before them once the tail has passed, and keeps nothing per session event', async () => {
      const { play } = await setUp(t);
      // A first few calls make what the plane keeps per agent and tenant (rotation, health windows, times).
      await play(6);
      const start = sizeAfterTail(t);
      const sessions = await play(60);
      const during = memoryPlaneSize(t.runtime.plane)!;
      // Within the tail, each call's routing keys are still there (copies sent at once get the same answer)...
      expect(during.remembered).toBeGreaterThanOrEqual(start.remembered + 60 * 2);
      expect(during.slots).toBe(0);
      // ...then nothing is left of them: their slots were released, their keys expired. Counters
      // are kept per group and agent (rotation, an agent's consecutive failures, reset by a success).
      const after = sizeAfterTail(t);
      expect({ ...after, counters: 0, total: 0 }).toEqual({ ...start, counters: 0, total: 0 });
      expect(after.counters).toBeLessThanOrEqual(start.counters + 2);
      expect(sessions).toHaveLength(60);
    });
  });
}

describe.runIf(TEST_REDIS_URL)('sqlite+redis: the Redis plane after calls end', () => {
  let t: TestApp;
  const prefix = `vlbt:${randomBytes(4).toString('hex')}:`;
  beforeAll(async () => {
    t = await createTestApp(DIALECTS[0]!, { REDIS_URL: TEST_REDIS_URL! }, { redisKeyPrefix: prefix });
  });
  afterAll(async () => {
    await t?.close();
    await deleteRedisPrefix(TEST_REDIS_URL!, prefix);
  });

  it('keeps no key of an ended call beyond the tail and none per session event', async () => {
    const { play } = await setUp(t);
    const sessions = await play(30);
    const redis = new Redis(TEST_REDIS_URL!);
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...found);
      } while (cursor !== '0');
      expect(keys.filter((k) => k.includes(':session-event:'))).toEqual([]);
      const ofCalls = keys.filter((k) => sessions.some((s) => k.includes(s)));
      // Only the routing requests' claims and answers name a session, each expiring within the tail.
      expect(ofCalls.length).toBeGreaterThanOrEqual(30 * 2);
      for (const key of ofCalls) {
        expect(key).toMatch(/:voice:[0-9a-f]+:\d+:(claim|answer)$/);
        const ttl = await redis.pttl(key);
        expect(ttl, key).toBeGreaterThan(0);
        expect(ttl, key).toBeLessThanOrEqual(ANSWER_TTL_MS);
      }
    } finally {
      redis.disconnect();
    }
  });
});
