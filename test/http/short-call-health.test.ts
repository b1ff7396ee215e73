import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VoiceAgentView } from '../../src/core/schemas/voice-agent.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL } from '../support/backends.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup, createInboundRule } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const OUT_LINE = 'agent out of rotation: it answers and drops calls';
const health = { short_calls_enabled: true, short_call_seconds: 5, short_call_min_calls: 5, short_call_window_minutes: 10, short_call_share: 0.6, cooldown_seconds: 60 };

interface Backend {
  name: string;
  /** The instances Cloudonix's webhooks reach, in turn (one, or two sharing one database and Redis). */
  open(clock: () => number): Promise<TestApp[]>;
}

const backends: Backend[] = [
  ...DIALECTS.map((dialect) => ({ name: `${dialect.name} (memory plane)`, open: async (clock: () => number) => [await createTestApp(dialect, {}, { clock })] })),
  ...(TEST_REDIS_URL
    ? [
        {
          name: 'two instances on Redis',
          async open(clock: () => number) {
            const env = { DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'vlb-short-')), 'shared.sqlite')}`, APP_KEY: randomBytes(32).toString('hex'), REDIS_URL: TEST_REDIS_URL! };
            const cluster = { redisKeyPrefix: `vlbt:short-${randomBytes(4).toString('hex')}:`, clock };
            const one = await createTestApp(DIALECTS[0]!, env, cluster);
            return [one, await createTestApp(DIALECTS[0]!, env, cluster)];
          },
        },
      ]
    : []),
];

for (const backend of backends) {
  describe(`${backend.name}: an agent that answers and drops calls leaves rotation`, () => {
    let now = Date.parse('2026-11-24T16:00:00Z');
    let apps: TestApp[];
    let a: TenantActors;
    let secret: string;
    let x: number;
    let y: number;
    let group: number;
    let turn = 0;
    /** The next instance in turn, as a load balancer would spread webhooks. */
    const next = () => apps[turn++ % apps.length]!;

    beforeAll(async () => {
      apps = await backend.open(() => now);
      const t = apps[0]!;
      a = await registerTenant(t, 'short');
      secret = await webhookSecret(t, a.admin.token);
      x = await createAgent(t, a.admin.token, { name: 'Dropper' });
      y = await createAgent(t, a.admin.token, { name: 'Steady' });
      group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: x }, { agent_id: y }]);
      await createInboundRule(t, a.admin.token, { pattern: '*', target_type: 'agent', target_id: x });
      const res = await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { health } } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().settings.health).toEqual({ failure_threshold: 3, ...health });
    });
    afterAll(async () => {
      for (const t of [...(apps ?? [])].reverse()) await t.close();
    });

    /** A call to the Dropper, answered and billed `billsec` seconds: the voice request on one instance, the CDR on the next. */
    async function answeredCall(billsec: number): Promise<void> {
      await end(await start(), billsec);
    }
    async function start(): Promise<string> {
      const s = newSession();
      const voice = await next().request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, s) });
      expect(dialedService(voice.body), voice.body).not.toBeNull();
      return s;
    }
    async function end(s: string, billsec: number): Promise<void> {
      const cdr = await next().request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { disposition: 'ANSWER', duration: billsec + 4, billsec, session: { token: s } } });
      expect(cdr.statusCode, cdr.body).toBe(200);
    }
    /** Calls dialled before the agent was taken out, that end while it is out. */
    let inProgress: string[] = [];
    const calls = async (n: number, billsec: number) => {
      for (let i = 0; i < n; i++) await answeredCall(billsec);
    };
    const view = async (t = next()) => (await t.request({ method: 'GET', url: `/api/voice-agents/${x}`, token: a.analyst.token })).json<VoiceAgentView>();
    const outLines = () => apps.flatMap((t) => t.logs).filter((line) => line.includes(OUT_LINE));

    it('a lone short call, and a few, leave the agent in rotation', async () => {
      await calls(1, 2);
      expect((await view()).health_status).toBe('healthy');
      await calls(3, 1);
      // 4 answered calls, all short: fewer than the 5 needed for any verdict.
      expect((await view()).health_status).toBe('healthy');
    });

    it('the window forgets calls older than its minutes', async () => {
      now += 11 * 60_000;
      // With the 4 short calls above still counted, this would be 5 of 5.
      await calls(1, 0);
      expect((await view()).health_status).toBe('healthy');
    });

    it('calls of normal length keep the agent in rotation', async () => {
      await calls(6, 45);
      expect((await view()).health_status).toBe('healthy');
      expect(outLines()).toEqual([]);
      now += 11 * 60_000;
    });

    it('a surge of short answered calls takes it out for the cooldown, with the reason, skipped by routing, logged once', async () => {
      inProgress = [await start(), await start(), await start()];
      await calls(4, 60);
      await calls(5, 3);
      expect((await view()).health_status).toBe('healthy'); // 5 of 9: under 60%
      await calls(1, 2); // 6 of 10
      for (const t of apps) {
        const v = await view(t);
        expect(v).toMatchObject({ health_status: 'unhealthy', unhealthy_reason: 'short_calls', short_calls: { short_calls: 6, answered_calls: 10, short_call_seconds: 5 } });
        expect(Date.parse(v.unhealthy_until!)).toBe(now + 60_000);
        const decision = await t.runtime.services.distribution.choose(a.tenantId, group);
        expect(decision.candidates).toEqual([y]);
        expect(decision.skipped).toEqual([{ agentId: x, reason: 'unhealthy' }]);
      }
      expect(outLines()).toHaveLength(1);
      expect(JSON.parse(outLines()[0]!)).toMatchObject({ level: 40, tenantId: a.tenantId, agentId: x, reason: 'short_calls', shortCalls: 6, answeredCalls: 10 });
    });

    it('while out, late ends of its calls in progress neither log again nor bring it back early', async () => {
      now += 20_000;
      await end(inProgress[0]!, 1);
      await end(inProgress[1]!, 2);
      await end(inProgress[2]!, 90);
      expect(await view()).toMatchObject({ health_status: 'unhealthy', unhealthy_reason: 'short_calls' });
      expect(outLines()).toHaveLength(1);
    });

    it('after the cooldown it is back in rotation, judged afresh', async () => {
      now += 41_000;
      const v = await view();
      expect(v).toMatchObject({ health_status: 'healthy', unhealthy_until: null, unhealthy_reason: null, short_calls: null });
      for (const t of apps) expect((await t.runtime.services.distribution.choose(a.tenantId, group)).skipped).toEqual([]);
      // The surge that took it out is not judged twice: one more short call alone does not take it out again.
      await calls(1, 1);
      expect((await view()).health_status).toBe('healthy');
    });

    it('short calls ending at the same moment on every instance take it out once, and say so once', async () => {
      const sessions: string[] = [];
      for (let i = 0; i < 6; i++) sessions.push(await start());
      await Promise.all(sessions.map((s) => end(s, 1)));
      expect(await view()).toMatchObject({ health_status: 'unhealthy', unhealthy_reason: 'short_calls', short_calls: { short_calls: expect.any(Number), answered_calls: expect.any(Number) } });
      expect(outLines()).toHaveLength(2);
    });
  });
}

describe(`${DIALECTS[0]!.name}: short-call settings`, () => {
  let t: TestApp;
  let a: TenantActors;
  beforeAll(async () => {
    t = await createTestApp(DIALECTS[0]!);
    a = await registerTenant(t, 'short-settings');
  });
  afterAll(async () => t?.close());

  it('are off by default, change one at a time, and refuse values out of range naming the field', async () => {
    const put = (h: Record<string, unknown>) => t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { health: h } } });
    const first = await t.request({ method: 'GET', url: '/api/tenant', token: a.admin.token });
    expect(first.json().settings.health.short_calls_enabled).toBe(false);
    const saved = await put({ short_call_seconds: 8 });
    expect(saved.json().settings.health).toMatchObject({ failure_threshold: 3, short_calls_enabled: false, short_call_seconds: 8, short_call_share: 0.6 });
    for (const [field, value] of [
      ['short_call_share', 1.5],
      ['short_call_share', 0],
      ['short_call_seconds', 0],
      ['short_call_min_calls', 1],
      ['short_call_window_minutes', 2.5],
      ['short_calls_enabled', 'yes'],
    ] as const) {
      const res = await put({ [field]: value });
      expect(res.statusCode, `${field}=${value}`).toBe(422);
      expect(res.json().error.details.fields).toHaveProperty([`settings.health.${field}`]);
    }
  });
});
