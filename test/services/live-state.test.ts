import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_FACTS } from '../../src/core/lifecycle/call-event.js';
import { factsText } from '../../src/core/lifecycle/facts-text.js';
import { foldCallEvent } from '../../src/core/lifecycle/fold-call.js';
import type { TenantResponse } from '../../src/http/tenant.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL, type TestDialect } from '../support/backends.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createInboundRule } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const MINUTE = 60_000;

/** Embedded (SQLite, MariaDB and PostgreSQL with the in-process plane) and scaled (Redis). */
const setups: { name: string; dialect: TestDialect; env: Record<string, string> }[] = [
  ...DIALECTS.map((dialect) => ({ name: dialect.name, dialect, env: {} })),
  ...(TEST_REDIS_URL ? [{ name: `${DIALECTS[0]!.name} + redis`, dialect: DIALECTS[0]!, env: { REDIS_URL: TEST_REDIS_URL } }] : []),
];

for (const { name, dialect, env } of setups) {
  describe(`${name}: live calls heal themselves`, () => {
    let now = Date.now();
    let t: TestApp;
    let a: TenantActors;
    let secret: string;
    let agent: number;
    const slotKey = () => `t:${a.tenantId}:a:${agent}:live-calls`;
    const slots = async () => (await t.runtime.plane.slotCounts([slotKey()], now))[0];
    const voice = (session: string) => t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: `Bearer ${secret}` }, payload: voiceBody(a.domain, session) });
    const cdr = (session: string) => t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { disposition: 'ANSWER', billsec: 10, session: { token: session } } });
    const record = (session: string) => t.runtime.store.db.selectFrom('call_records').selectAll().where('tenant_id', '=', a.tenantId).where('session_token', '=', session).executeTakeFirstOrThrow();
    const wiring = async () => {
      await t.runtime.services.routing.audit.flush();
      return (await t.request({ method: 'GET', url: '/api/tenant', token: a.analyst.token })).json<TenantResponse>().webhook_wiring;
    };
    const sweep = () => t.runtime.services.routing.liveState.sweep();

    beforeAll(async () => {
      t = await createTestApp(dialect, env, { clock: () => now });
      a = await registerTenant(t, 'heal');
      secret = await webhookSecret(t, a.admin.token);
      agent = await createAgent(t, a.admin.token, { max_concurrent_calls: 5 });
      await createInboundRule(t, a.admin.token, { pattern: '*', target_type: 'agent', target_id: agent });
    });
    afterAll(async () => t?.close());

    it('with only the voice URL configured: after the maximum call length the slots are free, the records say unknown end, and the wiring warns', async () => {
      const sessions = [newSession(), newSession(), newSession()];
      for (const s of sessions) expect(dialedService((await voice(s)).body)).not.toBeNull();
      expect(await slots()).toBe(3);
      expect((await wiring()).problems).toEqual([]);

      now += 3 * MINUTE;
      const early = await wiring();
      expect(early.voice_application_at).not.toBeNull();
      expect(early.problems.map((p) => p.setting)).toEqual(['session-update-endpoint']);
      expect(await sweep()).toMatchObject({ expired: 0 });

      now += 120 * MINUTE;
      expect(await sweep()).toMatchObject({ expired: 3 });
      for (const s of sessions) expect(await record(s)).toMatchObject({ status: 'failed', outcome_reason: 'unknown_end', agent_id: agent, ended_at: now });
      expect(await slots()).toBe(0);
      expect((await t.runtime.services.liveCalls.stats(a.tenantId)).active_calls).toBe(0);
      const late = await wiring();
      expect(late.problems.map((p) => p.setting)).toEqual(['session-update-endpoint', 'cdr-endpoint']);
      // Admins get the URL to paste beside the warning.
      const admin = (await t.request({ method: 'GET', url: '/api/tenant', token: a.admin.token })).json<TenantResponse>();
      expect(admin.webhook_urls?.session_update).toContain('/api/voice/session/update/');
      // A second sweep finds nothing more to do.
      expect(await sweep()).toEqual({ expired: 0, restored: 0, released: 0 });
    });

    it('once session updates and CDRs arrive the warning goes', async () => {
      const s = newSession();
      await voice(s);
      const update = await t.request({ method: 'POST', url: `/api/voice/session/update/${a.domain}?token=${secret}`, payload: { eventId: `${s}-1`, token: s, status: 'connected', callAnswerTime: now } });
      expect(update.statusCode).toBe(200);
      expect((await cdr(s)).statusCode).toBe(200);
      expect((await wiring()).problems).toEqual([]);
    });

    it('live slots are rebuilt from the records when the plane forgot them (a restart), and freed when their call ended', async () => {
      now += 10 * MINUTE;
      const [s1, s2] = [newSession(), newSession()];
      await voice(s1);
      await voice(s2);
      expect(await slots()).toBe(2);
      for (const s of [s1, s2]) await t.runtime.plane.releaseSlot(slotKey(), s);
      expect(await slots()).toBe(0);
      expect(await sweep()).toMatchObject({ restored: 2, released: 0 });
      expect(await slots()).toBe(2);

      // A slot left behind by a call that has ended (its release was lost) is freed.
      await cdr(s1);
      await t.runtime.plane.acquireSlot(slotKey(), s1, null, now + 60 * MINUTE, now);
      expect(await slots()).toBe(2);
      expect(await sweep()).toMatchObject({ restored: 0, released: 1 });
      expect(await slots()).toBe(1);
      await cdr(s2);
      expect(await slots()).toBe(0);
    });

    it('the slots of more live calls than the sweep reads at once (a page) are all rebuilt', async () => {
      now += 10 * MINUTE;
      // Calls whose ends are never reported pile up as live: written as the routing path writes them.
      const facts = (at: number) => factsText(foldCallEvent(NO_FACTS, { kind: 'answer', step: 0, at, act: 'dial', attempt: 1, agentId: agent, fallback: null }));
      const count = 2_345;
      const rows = Array.from({ length: count }, (_, i) => {
        const at = now - (i % 600) * 1000;
        return {
          tenant_id: a.tenantId, session_token: `paged-${i}`, direction: 'inbound', from_number: '+12125550001', to_number: '+12125550100', status: i % 2 === 0 ? 'connecting' : 'connected',
          agent_id: agent, group_id: null, rule_id: null, attempt: 1, decision_trace: null, disposition: null, started_at: at, answered_at: null, ended_at: null, duration_seconds: null,
          billsec: null, created_at: at, updated_at: at, facts: facts(at), outcome_reason: null, cloudonix_direction: 'inbound', variant: null, is_test: 0, first_answer: null,
        };
      });
      for (let i = 0; i < count; i += 200) await t.runtime.store.db.insertInto('call_records').values(rows.slice(i, i + 200)).execute();
      expect(await slots()).toBe(0);
      expect(await sweep()).toMatchObject({ restored: count, released: 0 });
      expect(await slots()).toBe(count);
      // Every one of them, not the first page again: each session holds its slot once.
      const members = new Set(await t.runtime.plane.slotMembers(slotKey(), now));
      expect(rows.filter((r) => !members.has(r.session_token))).toEqual([]);
    });
  });
}
