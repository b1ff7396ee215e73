import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTenant } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const sqlite = DIALECTS[0]!;
/**
 * Redis commands a routed voice request makes (a round-robin group whose agents have a cap):
 * the claim with the configuration's version, the rotation snapshot, the slot, the answer.
 * Each is one round trip at most; none may be added without this figure moving on purpose.
 * Steps of calls made in the same turn of the event loop share one (plane/redis-script-batch.ts).
 */
const COMMANDS_PER_ROUTED_CALL = 4;
const CALLS = 10;
/** Calls arriving together, as a group commit's answered callers send their next ones. */
const TOGETHER = 20;

/**
 * Every command Redis hears about one tenant's calls, through MONITOR on a Redis of this test's
 * own: the other traffic (instance census, pub/sub, queues) names no tenant key. The tenant's
 * real-time log is left out: it is the dashboards' feed, appended once per turn of the event
 * loop for all the calls of that turn, and only while someone watches the tenant (or in the
 * first rounds after a start, which this test may or may not fall in); its own tests hold it.
 */
async function commandsOf(redis: PrivateRedis, tenantId: number, work: () => Promise<void>): Promise<string[][]> {
  const monitor = await new Redis(redis.url).monitor();
  const heard: string[][] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    // The commands a script runs are heard too, marked `lua`: they are inside its one round trip.
    const ours = args.some((a) => a.includes(`t:${tenantId}:`)) && !args.some((a) => a.includes(`t:${tenantId}:realtime-log`));
    if (!source.includes('lua') && ours) heard.push(args);
  });
  try {
    await work();
    // The answer is stored after the reply is sent: give it time to land.
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    monitor.disconnect();
  }
  return heard;
}

describe('redis: round trips per routed call', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    t = await createTestApp(sqlite, { REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  async function routedTenant(name: string) {
    const a = await registerTenant(t, name);
    const secret = await webhookSecret(t, a.admin.token);
    const agents = [await createAgent(t, a.admin.token, { max_concurrent_calls: 50 }), await createAgent(t, a.admin.token, { max_concurrent_calls: 50 })];
    const group = await createGroup(t, a.admin.token, 'round_robin', agents.map((agent_id) => ({ agent_id })));
    expect((await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: a.admin.token, payload: { pattern: '*', target_type: 'group', target_id: group } })).statusCode).toBe(201);
    const call = async () => {
      const res = await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, newSession()) });
      expect(res.statusCode).toBe(200);
      return dialedService(res.body)?.number;
    };
    // The first call loads the configuration and the scripts.
    await call();
    return { tenantId: a.tenantId, call };
  }

  it(`routes a call alone with ${COMMANDS_PER_ROUTED_CALL} Redis commands at most, each its own round trip`, async () => {
    const { tenantId, call } = await routedTenant('round-trips');
    const dialed: (string | undefined)[] = [];
    const heard = await commandsOf(redis, tenantId, async () => {
      for (let i = 0; i < CALLS; i++) dialed.push(await call());
    });
    // Every call was routed, alternately to both agents.
    expect(new Set(dialed).size).toBe(2);
    expect(heard.length, heard.map((c) => c.slice(0, 5).join(' ')).join('\n')).toBeLessThanOrEqual(COMMANDS_PER_ROUTED_CALL * CALLS);
    // A call's answer may share the next call's claim (it is sent after the reply); the other steps are each a command.
    expect(heard.length).toBeGreaterThanOrEqual((COMMANDS_PER_ROUTED_CALL - 1) * CALLS);
  });

  it(`routes ${TOGETHER} calls that arrive together with a command per step for all of them, not per call`, async () => {
    const { tenantId, call } = await routedTenant('round-trips-together');
    let dialed: (string | undefined)[] = [];
    const heard = await commandsOf(redis, tenantId, async () => {
      dialed = await Promise.all(Array.from({ length: TOGETHER }, () => call()));
    });
    // The round robin still alternates: each agent got half of the calls.
    expect(dialed.filter((n) => n === dialed[0]).length).toBe(TOGETHER / 2);
    // One command per step for all of them (were 4 per call); a turn split in two on a busy host doubles it at most.
    expect(heard.length, heard.map((c) => c.slice(0, 5).join(' ')).join('\n')).toBeLessThanOrEqual(2 * COMMANDS_PER_ROUTED_CALL);
  });
});
