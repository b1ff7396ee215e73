import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../../src/store/json-column.js';
import { DIALECTS, TEST_REDIS_URL } from '../support/backends.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup, createInboundRule } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const MINUTE = 60_000;
const planes = [{ name: 'memory', env: {} as Record<string, string> }, ...(TEST_REDIS_URL ? [{ name: 'redis', env: { REDIS_URL: TEST_REDIS_URL } }] : [])];

interface Trace {
  candidates: number[];
  sticky?: { agent_id: number; used: boolean; reason: string } | null;
}

for (const plane of planes) {
  describe(`${plane.name}: least live calls and returning callers`, () => {
    let t: TestApp;
    let a: TenantActors;
    let secret: string;
    let now = Date.UTC(2026, 10, 24, 12);
    beforeAll(async () => {
      t = await createTestApp(DIALECTS[0]!, plane.env, { clock: () => now });
      a = await registerTenant(t, 'sticky');
      secret = await webhookSecret(t, a.admin.token);
    });
    afterAll(async () => t?.close());

    const agents = (n: number, over: Record<string, unknown> = {}) => Promise.all(Array.from({ length: n }, () => createAgent(t, a.admin.token, over)));
    /** One inbound call from `from` to `to`, as Cloudonix sends it: the agent dialled and the trace stored. */
    async function call(from: string, to: string): Promise<{ session: string; agent: string | null; trace: Trace }> {
      const session = newSession();
      const res = await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: `Bearer ${secret}` }, payload: voiceBody(a.domain, session, { From: from, To: to, CallerName: from }) });
      expect(res.statusCode).toBe(200);
      const row = await t.runtime.store.db.selectFrom('call_records').select('decision_trace').where('session_token', '=', session).executeTakeFirstOrThrow();
      return { session, agent: dialedService(res.body)?.number ?? null, trace: readJson<Trace>(row.decision_trace, { candidates: [] }) };
    }

    it('the setting is checked field by field and answered as stored; least_live takes no window', async () => {
      const post = (payload: unknown) => t.request({ method: 'POST', url: '/api/agent-groups', token: a.admin.token, payload: payload as object });
      const cases: [unknown, string][] = [
        [{ name: 'x', strategy: 'least_live', settings: { returning_callers: { ttl_minutes: 0 } } }, 'settings.returning_callers.ttl_minutes'],
        [{ name: 'x', strategy: 'round_robin', settings: { returning_callers: { ttl_minutes: 10_081 } } }, 'settings.returning_callers.ttl_minutes'],
        [{ name: 'x', strategy: 'priority', settings: { returning_callers: { enabled: 'yes' } } }, 'settings.returning_callers.enabled'],
        [{ name: 'x', strategy: 'least_live', settings: { window_hours: 5 } }, 'settings'],
      ];
      for (const [payload, field] of cases) {
        const res = await post(payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(422);
        expect(Object.keys(res.json().error.details.fields), JSON.stringify(payload)).toContain(field);
      }
      const made = await post({ name: 'Sticky live', strategy: 'least_live', settings: { returning_callers: { ttl_minutes: 15 } } });
      expect(made.statusCode).toBe(201);
      expect(made.json()).toMatchObject({ strategy: 'least_live', settings: { returning_callers: { enabled: true, ttl_minutes: 15 } } });
    });

    it('least live under a skewed load: new calls go to the least loaded until even, the busiest gets none; the failover order is by load', async () => {
      const [heavy, medium, idle] = await agents(3);
      const group = await createGroup(t, a.admin.token, 'least_live', [{ agent_id: heavy! }, { agent_id: medium! }, { agent_id: idle! }]);
      const d = t.runtime.services.distribution;
      // Calls already in progress: 6 on one agent, 2 on another, none on the third.
      for (let i = 0; i < 6; i++) await d.occupySlot(a.tenantId, heavy!, `held-h${i}`, null);
      for (let i = 0; i < 2; i++) await d.occupySlot(a.tenantId, medium!, `held-m${i}`, null);
      expect((await d.preview(a.tenantId, group)).candidates).toEqual([idle, medium, heavy]);

      // Ten new calls, each holding its slot as the dialer does: the idle agent catches up, then the two alternate.
      const picks: number[] = [];
      for (let i = 0; i < 10; i++) {
        const pick = (await d.choose(a.tenantId, group)).candidates[0]!;
        expect(await d.occupySlot(a.tenantId, pick, `new-${i}`, null)).toBe(true);
        picks.push(pick);
      }
      expect(picks.slice(0, 2)).toEqual([idle, idle]);
      expect(picks).not.toContain(heavy);
      const live = await d.preview(a.tenantId, group);
      // 6 / 6 / 6 now: all equal, so the rotation decides, and the same preview twice agrees.
      expect(new Set(live.candidates)).toEqual(new Set([heavy, medium, idle]));
      expect(picks.filter((p) => p === idle)).toHaveLength(6);
      expect(picks.filter((p) => p === medium)).toHaveLength(4);
    });

    it('capacity weighs live calls: 3 calls on capacity 4 take the next call before 1 call on capacity 1', async () => {
      const [small, large] = await agents(2);
      const group = await createGroup(t, a.admin.token, 'least_live', [{ agent_id: small!, capacity: 1 }, { agent_id: large!, capacity: 4 }]);
      const d = t.runtime.services.distribution;
      await d.occupySlot(a.tenantId, small!, 'cap-s', null);
      for (let i = 0; i < 3; i++) await d.occupySlot(a.tenantId, large!, `cap-l${i}`, null);
      expect((await d.choose(a.tenantId, group)).candidates).toEqual([large, small]);
    });

    it('a returning caller goes back to the agent that last took them, until the TTL passes (injected clock)', async () => {
      const [x, y] = await agents(2);
      const numbers = new Map([[x!, ''], [y!, '']]);
      for (const id of [x!, y!]) numbers.set(id, (await t.request({ method: 'GET', url: `/api/voice-agents/${id}`, token: a.admin.token })).json<{ service_value: string }>().service_value);
      const group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: x! }, { agent_id: y! }], { returning_callers: { enabled: true, ttl_minutes: 30 } });
      await createInboundRule(t, a.admin.token, { pattern: '+13135550100', target_type: 'group', target_id: group });
      const to = '+13135550100';

      const first = await call('+1 (415) 555-0199', to);
      expect(first.trace.sticky ?? null).toBeNull(); // a new caller: the rotation decides
      const firstAgent = first.trace.candidates[0]!;
      expect(first.agent).toBe(numbers.get(firstAgent));

      // The rotation would now pick the other agent; the caller (same number, written differently) goes back.
      now += 20 * MINUTE;
      const again = await call('14155550199', to);
      expect(again.trace.sticky).toEqual({ agent_id: firstAgent, used: true, reason: 'returning_caller' });
      expect(again.agent).toBe(numbers.get(firstAgent));
      const other = firstAgent === x ? y! : x!;
      expect(again.trace.candidates).toEqual([firstAgent, other]);

      // Another caller is not affected.
      const stranger = await call('+14155550777', to);
      expect(stranger.trace.sticky ?? null).toBeNull();

      // 31 minutes after the last call the caller is forgotten: the strategy decides alone.
      now += 31 * MINUTE;
      const later = await call('+14155550199', to);
      expect(later.trace.sticky ?? null).toBeNull();

      // A group without the setting never sends anyone back.
      const plain = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: x! }, { agent_id: y! }]);
      await createInboundRule(t, a.admin.token, { pattern: '+13135550101', target_type: 'group', target_id: plain });
      const p1 = await call('+14155550188', '+13135550101');
      const p2 = await call('+14155550188', '+13135550101');
      expect(p2.agent).not.toBe(p1.agent);
      expect(p2.trace.sticky ?? null).toBeNull();
    });

    it('prefers but never requires: the last agent at its cap leaves the call to the strategy, saying why, and the next call returns to the new agent', async () => {
      const [capped, spare] = await agents(2, { max_concurrent_calls: 1 });
      const group = await createGroup(t, a.admin.token, 'least_live', [{ agent_id: capped! }, { agent_id: spare! }], { returning_callers: { enabled: true, ttl_minutes: 60 } });
      await createInboundRule(t, a.admin.token, { pattern: '+13135550200', target_type: 'group', target_id: group });
      const to = '+13135550200';
      const caller = '+14155550150';

      const first = await call(caller, to);
      const firstAgent = first.trace.candidates[0]!;
      const other = firstAgent === capped ? spare! : capped!;
      // The first call is still in progress, so its agent is full: the caller's second call goes elsewhere.
      const second = await call(caller, to);
      expect(second.trace.sticky).toEqual({ agent_id: firstAgent, used: false, reason: 'sticky_agent_full' });
      expect(second.trace.candidates).toEqual([other]);
      // Both calls end; the caller's third call returns to the agent that took the second.
      const d = t.runtime.services.distribution;
      await d.releaseSlot(a.tenantId, firstAgent, first.session);
      await d.releaseSlot(a.tenantId, other, second.session);
      const third = await call(caller, to);
      expect(third.trace.sticky).toEqual({ agent_id: other, used: true, reason: 'returning_caller' });

      // The rule tester shows the same: a preview changes nothing and names the agent.
      const tested = await t.request({ method: 'POST', url: '/api/routing/simulate', token: a.admin.token, payload: { from: caller, to } });
      expect(tested.json()).toMatchObject({ strategy: 'least_live', sticky: { agent_id: other, used: false, reason: 'sticky_agent_full' } });
    });
  });
}

describe.runIf(TEST_REDIS_URL)('redis: returning callers across two instances', () => {
  let one: TestApp;
  let two: TestApp;
  beforeAll(async () => {
    const cluster = { redisKeyPrefix: `vlbt:sticky-${process.pid}-${Date.now()}:`, clock: () => Date.UTC(2026, 10, 24, 12) };
    // One database file and one Redis prefix: two instances of one installation.
    const env = { DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'vlb-sticky-')), 'shared.sqlite')}`, APP_KEY: randomBytes(32).toString('hex'), REDIS_URL: TEST_REDIS_URL! };
    one = await createTestApp(DIALECTS[0]!, env, cluster);
    two = await createTestApp(DIALECTS[0]!, env, cluster);
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  it('a caller served through one instance goes back to the same agent through the other', async () => {
    const a = await registerTenant(one, 'sticky-two');
    const secret = await webhookSecret(one, a.admin.token);
    const [x, y] = await Promise.all([createAgent(one, a.admin.token), createAgent(one, a.admin.token)]);
    const group = await createGroup(one, a.admin.token, 'least_live', [{ agent_id: x! }, { agent_id: y! }], { returning_callers: { enabled: true, ttl_minutes: 10 } });
    await createInboundRule(one, a.admin.token, { pattern: '+13135550300', target_type: 'group', target_id: group });
    const trace = async (t: TestApp) => {
      const session = newSession();
      const res = await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: `Bearer ${secret}` }, payload: voiceBody(a.domain, session, { From: '+14155550400', To: '+13135550300' }) });
      expect(res.statusCode).toBe(200);
      const row = await t.runtime.store.db.selectFrom('call_records').select('decision_trace').where('session_token', '=', session).executeTakeFirstOrThrow();
      return readJson<Trace>(row.decision_trace, { candidates: [] });
    };
    const first = await trace(one);
    // The first call still holds its agent, so least-live alone would pick the other one; the caller returns anyway.
    const second = await trace(two);
    expect(second.sticky).toEqual({ agent_id: first.candidates[0], used: true, reason: 'returning_caller' });
    expect(second.candidates[0]).toBe(first.candidates[0]);
  });
});
