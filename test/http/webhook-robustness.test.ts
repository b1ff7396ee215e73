import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TEST_REDIS_URL } from '../support/backends.js';
import { registerTenant } from '../support/actors.js';
import { dialedService, newSession, parseCxml, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const sqlite = DIALECTS[0]!;

async function tenantWithGroup(t: TestApp, label: string) {
  const a = await registerTenant(t, label);
  const secret = await webhookSecret(t, a.admin.token);
  const agents = [await createAgent(t, a.admin.token), await createAgent(t, a.admin.token)];
  const group = await createGroup(t, a.admin.token, 'round_robin', agents.map((agent_id) => ({ agent_id })));
  await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: a.admin.token, payload: { pattern: '*', target_type: 'group', target_id: group } });
  return { a, secret, agents, group };
}

describe('sqlite: webhook robustness', () => {
  let t: TestApp;
  let now = Date.UTC(2026, 10, 24, 9);
  let ctx: Awaited<ReturnType<typeof tenantWithGroup>>;
  beforeAll(async () => {
    t = await createTestApp(sqlite, {}, { clock: () => now });
    ctx = await tenantWithGroup(t, 'robust');
  });
  afterAll(async () => t?.close());

  const voice = (session: string) =>
    t.request({ method: 'POST', url: `/api/voice/application/${ctx.a.domain}?token=${ctx.secret}`, payload: voiceBody(ctx.a.domain, session) });
  const fail = async (session: string, action: string) =>
    t.request({ method: 'POST', url: action.replace(/^https?:\/\/[^/]+/, ''), payload: voiceBody(ctx.a.domain, session, { DialCallStatus: 'failed' }) });

  it('consecutive technical failures take an agent out of rotation until the cooldown ends', async () => {
    const [x, y] = ctx.agents as [number, number];
    // Three calls fail on agent x (default threshold 3); y answers nothing in between.
    let failures = 0;
    while (failures < 3) {
      const s = newSession();
      const dial = dialedService((await voice(s)).body)!;
      const chosen = dial.number;
      const agentX = (await t.request({ method: 'GET', url: `/api/voice-agents/${x}`, token: ctx.a.admin.token })).json();
      if (chosen === agentX.service_value) {
        await fail(s, dial.action);
        failures += 1;
      }
    }
    const view = (await t.request({ method: 'GET', url: `/api/voice-agents/${x}`, token: ctx.a.analyst.token })).json();
    expect(view.health_status).toBe('unhealthy');
    expect(Date.parse(view.unhealthy_until)).toBe(now + 60_000);
    const decision = await t.runtime.services.distribution.choose(ctx.a.tenantId, ctx.group);
    expect(decision.candidates).toEqual([y]);
    expect(decision.skipped).toEqual([{ agentId: x, reason: 'unhealthy' }]);
    now += 61_000;
    expect((await t.request({ method: 'GET', url: `/api/voice-agents/${x}`, token: ctx.a.admin.token })).json().health_status).toBe('healthy');
    expect((await t.runtime.services.distribution.choose(ctx.a.tenantId, ctx.group)).skipped).toEqual([]);
  });
});

describe.runIf(TEST_REDIS_URL)('redis: webhooks with Redis stopped mid-test', () => {
  let server: PrivateRedis;
  let t: TestApp;
  beforeAll(async () => {
    server = await startPrivateRedis();
    t = await createTestApp(sqlite, { REDIS_URL: server.url });
  });
  afterAll(async () => {
    await t?.close();
    await server?.stop();
  });

  it('the voice-app route keeps routing to an agent from this instance\'s memory, and records the call', async () => {
    const { a, secret } = await tenantWithGroup(t, 'outage');
    const send = (session: string) => t.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, session) });
    expect(dialedService((await send(newSession())).body)).not.toBeNull();
    await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { fallback: { type: 'message', message: 'Please call back later' } } } });
    await server.stop();
    const session = newSession();
    const res = await send(session);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/xml');
    // Not the fallback: the call still reaches an agent, and is recorded.
    expect(dialedService(res.body)).not.toBeNull();
    expect(parseCxml(res.body).Say).toBeUndefined();
    const record = await t.runtime.store.db.selectFrom('call_records').select(['status', 'agent_id']).where('session_token', '=', session).executeTakeFirstOrThrow();
    expect(record).toMatchObject({ status: 'connecting', agent_id: expect.any(Number) });
  });
});

describe.runIf(TEST_REDIS_URL)('redis: caches stay coherent across instances', () => {
  let one: TestApp;
  let two: TestApp;
  beforeAll(async () => {
    // Two instances over one database and one Redis key space.
    const env = { DATABASE_URL: `sqlite:/tmp/vlb-coherent-${process.pid}-${Date.now()}.sqlite`, APP_KEY: 'b'.repeat(64), REDIS_URL: TEST_REDIS_URL!, SIGNUP: 'open' };
    const cluster = { redisKeyPrefix: `vlbt:coherent-${process.pid}-${Date.now()}:` };
    one = await createTestApp(sqlite, env, cluster);
    two = await createTestApp(sqlite, env, cluster);
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  it('a rule change on one instance is seen by the next call on the other; a rotated secret stops working everywhere once its grace period is over', async () => {
    const { a, secret, agents } = await tenantWithGroup(one, 'coherent');
    const viaTwo = (s: string) => two.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, s) });
    expect(dialedService((await viaTwo(newSession())).body)).not.toBeNull(); // instance two has cached the rules now
    const direct = await one.request({ method: 'POST', url: '/api/inbound-routing-rules', token: a.admin.token, payload: { pattern: '+12125550187', target_type: 'agent', target_id: agents[1], priority: 1 } });
    expect(direct.statusCode).toBe(201);
    const agent = (await one.request({ method: 'GET', url: `/api/voice-agents/${agents[1]}`, token: a.admin.token })).json();
    await expect.poll(async () => dialedService((await viaTwo(newSession())).body)?.number, { timeout: 2000 }).toBe(agent.service_value);

    // With the default grace period the old secret still works on both; the new one works on the other at once.
    const rotated = (await one.request({ method: 'POST', url: '/api/tenant/webhook-credentials/rotate', token: a.admin.token })).json<{ webhook_secret: string }>();
    const withSecret = (s: string) => two.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${s}`, payload: voiceBody(a.domain, newSession()) });
    await expect.poll(async () => (await withSecret(rotated.webhook_secret)).statusCode, { timeout: 2000 }).toBe(200);
    expect((await viaTwo(newSession())).statusCode).toBe(200);
    // Grace period 0: rotating again stops the replaced secret everywhere.
    await one.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { webhook_security: { rotation_grace_hours: 0 } } } });
    const again = (await one.request({ method: 'POST', url: '/api/tenant/webhook-credentials/rotate', token: a.admin.token })).json<{ webhook_secret: string }>();
    await expect.poll(async () => (await withSecret(rotated.webhook_secret)).statusCode, { timeout: 2000 }).toBe(401);
    expect((await viaTwo(newSession())).statusCode).toBe(401);
    expect((await withSecret(again.webhook_secret)).statusCode).toBe(200);
  });

  it('the replaced secret stops working on the other instance when the grace period is ended on one', async () => {
    const { a, secret } = await tenantWithGroup(one, 'grace-ended');
    const viaTwo = (s: string) => two.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${s}`, payload: voiceBody(a.domain, newSession()) });
    expect((await viaTwo(secret)).statusCode).toBe(200); // cached on instance two
    await one.request({ method: 'POST', url: '/api/tenant/webhook-credentials/rotate', token: a.admin.token });
    // Its use through instance two is what instance one shows the admin. Until the rotation's
    // announcement reaches instance two, the old secret is still its current one there, so
    // Cloudonix's next request (not the one racing the announcement) is the one noted.
    const lastUsedAfterCall = async () => {
      expect((await viaTwo(secret)).statusCode).toBe(200);
      return (await one.request({ method: 'GET', url: '/api/tenant', token: a.admin.token })).json().previous_webhook_secret_last_used_at;
    };
    await expect.poll(lastUsedAfterCall, { timeout: 5000, interval: 100 }).not.toBeNull();
    expect((await one.request({ method: 'DELETE', url: '/api/tenant/webhook-credentials/previous', token: a.admin.token })).statusCode).toBe(204);
    await expect.poll(async () => (await viaTwo(secret)).statusCode, { timeout: 2000 }).toBe(401);
  });

  it('an agent disabled, a member removed or an agent edited on one instance is seen by the very next call on the other', async () => {
    const { a, secret, agents, group } = await tenantWithGroup(one, 'config-coherent');
    const viaTwo = async () => dialedService((await two.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, newSession()) })).body)?.number;
    const numberOf = async (id: number) => (await one.request({ method: 'GET', url: `/api/voice-agents/${id}`, token: a.admin.token })).json().service_value as string;
    const [first, second] = [await numberOf(agents[0]!), await numberOf(agents[1]!)];
    expect(new Set([await viaTwo(), await viaTwo()])).toEqual(new Set([first, second])); // both cached on instance two

    expect((await one.request({ method: 'PATCH', url: `/api/voice-agents/${agents[0]}/toggle`, token: a.admin.token })).statusCode).toBe(200);
    expect([await viaTwo(), await viaTwo(), await viaTwo()]).toEqual([second, second, second]);

    expect((await one.request({ method: 'PATCH', url: `/api/voice-agents/${agents[0]}/toggle`, token: a.admin.token })).statusCode).toBe(200);
    const detail = (await one.request({ method: 'GET', url: `/api/agent-groups/${group}`, token: a.admin.token })).json();
    const member = detail.members.find((m: { agent_id: number }) => m.agent_id === agents[1]);
    expect((await one.request({ method: 'DELETE', url: `/api/agent-groups/${group}/members/${member.id}`, token: a.admin.token })).statusCode).toBe(204);
    expect([await viaTwo(), await viaTwo()]).toEqual([first, first]);

    expect((await one.request({ method: 'PUT', url: `/api/voice-agents/${agents[0]}`, token: a.admin.token, payload: { service_value: '+12125550999' } })).statusCode).toBe(200);
    expect(await viaTwo()).toBe('+12125550999');
  });
});

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: webhook fuzz`, () => {
    let t: TestApp;
    let ctx: Awaited<ReturnType<typeof tenantWithGroup>>;
    beforeAll(async () => {
      t = await createTestApp(dialect);
      ctx = await tenantWithGroup(t, 'fuzz');
    });
    afterAll(async () => t?.close());

    it('2,000 random and truncated bodies across the four webhook routes: no 5xx', async () => {
      const sample = voiceBody(ctx.a.domain, newSession());
      const json = JSON.stringify(sample);
      const bodies = fc.sample(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.nat({ max: json.length }).map((n) => json.slice(0, n)),
          fc.dictionary(
            fc.constantFrom('Session', 'CallSid', 'From', 'To', 'Direction', 'DialCallStatus', 'token', 'eventId', 'status', 'session', 'disposition', 'callEndTime', 'SessionData', 'domain', 'callerId', 'destination', 'from', 'to', 'call_id'),
            // Long strings too: MariaDB and PostgreSQL refuse values wider than their columns.
            fc.oneof(fc.string(), fc.string({ minLength: 60, maxLength: 600 }), fc.integer(), fc.jsonValue(), fc.constant(null)),
          ).map((d) => JSON.stringify(d)),
          fc.string({ unit: 'binary' }),
        ),
        { numRuns: 2000, seed: 4 },
      );
      const routes = ['application', 'callback', 'session/update', 'session/cdr'];
      const statuses = new Map<number, number>();
      for (let i = 0; i < bodies.length; i++) {
        const route = routes[i % routes.length]!;
        const contentType = i % 7 === 0 ? 'application/x-www-form-urlencoded' : 'application/json';
        const res = await t.request({ method: 'POST', url: `/api/voice/${route}/${ctx.a.domain}?token=${ctx.secret}`, headers: { 'content-type': contentType }, payload: bodies[i]! });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500) throw new Error(`${route} → ${res.statusCode} for ${bodies[i]}: ${res.body}`);
        if (res.statusCode === 200 && (route === 'application' || route === 'callback')) parseCxml(res.body);
      }
      expect(statuses.get(200) ?? 0).toBeGreaterThan(500);
      expect((await t.request({ method: 'GET', url: '/up' })).statusCode).toBe(200);
    });
  });
}
