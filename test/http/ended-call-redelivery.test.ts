import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../../src/store/json-column.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL, type TestDialect } from '../support/backends.js';
import { dialedService, newSession, parseCxml, webhookSecret } from '../support/cloudonix.js';
import { cloudonixFor, type PlayedCall } from '../support/ended-calls.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Every database, and SQLite with the Redis plane. */
const BACKENDS: { name: string; dialect: TestDialect; env: Record<string, string> }[] = [
  ...DIALECTS.map((dialect) => ({ name: dialect.name, dialect, env: {} })),
  ...(TEST_REDIS_URL ? [{ name: 'sqlite+redis', dialect: DIALECTS[0]!, env: { REDIS_URL: TEST_REDIS_URL } }] : []),
];

/**
 * The plane keeps no key per ended call for long: a session update's eventId is not
 * remembered there at all, and a routing request's claim and answer only for a couple
 * of minutes. What they protected must still hold when Cloudonix sends a call's
 * webhooks again after that (late, redelivered): each is stored once, nothing is
 * routed again, no slot stays held, and the call's record and timeline do not change.
 */
for (const { name, dialect, env } of BACKENDS) {
  describe(`${name}: webhooks of an ended call sent again after its keys are gone`, () => {
    let t: TestApp;
    let a: TenantActors;
    let secret: string;
    const agents: number[] = [];
    let cx: ReturnType<typeof cloudonixFor>;
    beforeAll(async () => {
      t = await createTestApp(dialect, env);
      a = await registerTenant(t, 'redelivery');
      secret = await webhookSecret(t, a.admin.token);
      agents.push(await createAgent(t, a.admin.token, { provider: 'vapi', service_value: '+12125550901' }));
      agents.push(await createAgent(t, a.admin.token, { provider: 'retell', service_value: '+12125550902' }));
      const group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: agents[0]! }, { agent_id: agents[1]! }]);
      const rule = await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: a.admin.token, payload: { name: 'Main', pattern: '+1212555????', target_type: 'group', target_id: group } });
      expect(rule.statusCode).toBe(201);
      cx = cloudonixFor(t, a, secret);
    });
    afterAll(async () => t?.close());

    const slots = () => t.runtime.plane.slotCounts(agents.map((id) => `t:${a.tenantId}:a:${id}:live-calls`), Date.now());
    /** What a user sees of the call: its record, its timeline and its CDRs. */
    async function seen(session: string) {
      const r = await t.runtime.store.db.selectFrom('call_records').selectAll().where('tenant_id', '=', a.tenantId).where('session_token', '=', session).executeTakeFirstOrThrow();
      const timeline = (await t.runtime.services.callRecords.detail(a.tenantId, Number(r.id))).events.map((e) => [e.event_type, e.id, e.to_status]);
      const cdrs = (await t.runtime.services.repos.cdrs.listForSession(a.tenantId, session)).length;
      return { record: { ...r, facts: readJson<unknown>(r.facts, null), decision_trace: readJson<unknown>(r.decision_trace, null) }, timeline, cdrs };
    }
    /** As if the routing requests' keys had expired: the two-minute tail has passed. */
    async function forgetVoiceKeys(call: PlayedCall): Promise<void> {
      for (let step = 0; step <= call.actions.length; step++) {
        for (const kind of ['claim', 'answer']) await t.runtime.plane.forget(`t:${a.tenantId}:voice:${call.session}:${step}:${kind}`);
      }
    }

    it('a call that failed over and was answered: every webhook sent again is stored once, nothing routed again', async () => {
      const call = await cx.play(newSession(), 'failover');
      expect(call.actions).toHaveLength(2);
      const before = await seen(call.session);
      expect(before.record).toMatchObject({ status: 'completed', outcome_reason: 'answered', attempt: 2 });
      expect(before.cdrs).toBe(1);
      expect(await slots()).toEqual([0, 0]);
      // No key per session event is kept in the plane.
      expect(await t.runtime.plane.recall(`t:${a.tenantId}:session-event:${call.session}-1`)).toBeNull();

      await forgetVoiceKeys(call);
      const again = [];
      for (const send of call.sent) again.push(await send());
      expect(again.map((r) => r.statusCode)).toEqual(call.sent.map(() => 200));
      // The voice request and both Dial callbacks: no agent dialled again.
      const cxml = again.filter((r) => String(r.headers['content-type']).includes('xml'));
      expect(cxml).toHaveLength(3);
      for (const r of cxml) {
        expect(parseCxml(r.body)).toBeTruthy();
        expect(dialedService(r.body)).toBeNull();
      }
      // The session updates and the CDR: duplicates.
      const json = again.filter((r) => !String(r.headers['content-type']).includes('xml')).map((r) => r.json<{ duplicate: boolean }>().duplicate);
      expect(json).toEqual([true, true, true, true]);
      expect(await seen(call.session)).toEqual(before);
      expect(await slots()).toEqual([0, 0]);
      expect((await t.runtime.services.liveCalls.active(a.tenantId, {})).data).toEqual([]);
    });

    it('a call nobody answered, and one we never routed: the late session updates and CDR are stored once', async () => {
      const call = await cx.play(newSession(), 'no_answer');
      const orphan = newSession();
      await cx.sessionUpdate({ eventId: `${orphan}-1`, token: orphan, status: 'completed', domain: a.domain, callEndTime: Date.now() - 1_000 });
      await cx.cdr({ domain: a.domain, disposition: 'ANSWER', billsec: 7, duration: 9, session: { token: orphan } });
      const before = [await seen(call.session), await seen(orphan)];
      expect(before[0]!.record.status).toBe('no_answer');
      expect(before[1]!.record).toMatchObject({ status: 'completed', billsec: 7 });

      await forgetVoiceKeys(call);
      for (const send of call.sent) expect((await send()).statusCode).toBe(200);
      // Twice more, and reordered: the CDR before the update.
      for (let i = 0; i < 2; i++) {
        expect((await cx.cdr({ domain: a.domain, disposition: 'ANSWER', billsec: 7, duration: 9, session: { token: orphan } })).json()).toMatchObject({ duplicate: true });
        expect((await cx.sessionUpdate({ eventId: `${orphan}-1`, token: orphan, status: 'completed', domain: a.domain, callEndTime: Date.now() - 1_000 })).json()).toMatchObject({ duplicate: true });
      }
      expect([await seen(call.session), await seen(orphan)]).toEqual(before);
      expect(await slots()).toEqual([0, 0]);
    });

    it('a live call whose voice request comes again after its keys expired keeps its agent; the slot the copy claimed is given back', async () => {
      const s = newSession();
      const first = dialedService((await cx.voice(s)).body)!;
      const held = await slots();
      expect(held.reduce((x, y) => x + y, 0)).toBe(1);
      const before = await seen(s);
      await forgetVoiceKeys({ session: s, sent: [], actions: [] });
      // Round robin picks the other agent for the copy; it is found a repeat and holds nothing.
      const copy = await cx.voice(s);
      expect(copy.statusCode).toBe(200);
      expect(dialedService(copy.body)).toBeNull();
      expect(await slots()).toEqual(held);
      expect(await seen(s)).toEqual(before);
      // The call goes on with its agent and ends; then nobody holds a slot.
      await cx.callback(first.action, s, 'completed');
      await cx.cdr({ domain: a.domain, disposition: 'ANSWER', billsec: 5, duration: 6, session: { token: s } });
      expect(await slots()).toEqual([0, 0]);
    });
  });
}
