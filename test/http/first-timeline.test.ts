import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import * as m0019 from '../../src/store/migrations/0019-first-answer-on-row.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { newSession, webhookSecret } from '../support/cloudonix.js';
import { cloudonixFor } from '../support/ended-calls.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 23: a routed call's first write stores no timeline rows; its first entries are told
 * from the record. The drawer must show the same timeline for a call stored the old way
 * (rows; what migration 0019's down() writes back) and the new way, on every database.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect.name}: the first timeline entries told from the record`, () => {
    let t: TestApp;
    let a: TenantActors;
    let bare: TenantActors;
    let cx: ReturnType<typeof cloudonixFor>;
    let cxBare: ReturnType<typeof cloudonixFor>;
    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'first-timeline');
      const agents = [
        await createAgent(t, a.admin.token, { provider: 'vapi', service_value: '+12125550911' }),
        await createAgent(t, a.admin.token, { provider: 'retell', service_value: '+12125550912' }),
      ];
      const group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: agents[0]! }, { agent_id: agents[1]! }]);
      const rule = await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: a.admin.token, payload: { name: 'Main', pattern: '+1212555????', target_type: 'group', target_id: group } });
      expect(rule.statusCode).toBe(201);
      cx = cloudonixFor(t, a, await webhookSecret(t, a.admin.token));
      // A tenant without rules: its calls are answered by the fallback (call.unrouted).
      bare = await registerTenant(t, 'first-timeline-bare');
      cxBare = cloudonixFor(t, bare, await webhookSecret(t, bare.admin.token));
    });
    afterAll(async () => t?.close());

    const db = () => t.runtime.store.db as unknown as Kysely<unknown>;
    const recordOf = (tenantId: number, session: string) =>
      t.runtime.store.db.selectFrom('call_records').select(['id']).where('tenant_id', '=', tenantId).where('session_token', '=', session).executeTakeFirstOrThrow();
    async function drawer(tenant: TenantActors, session: string) {
      const { id } = await recordOf(tenant.tenantId, session);
      const res = await t.request({ method: 'GET', url: `/api/call-records/${id}`, token: tenant.admin.token });
      expect(res.statusCode).toBe(200);
      return res.json() as { events: { id: number; event_type: string }[] } & Record<string, unknown>;
    }
    const storedRows = async (tenantId: number, session: string) =>
      (await t.runtime.services.repos.callEvents.listForCall(tenantId, Number((await recordOf(tenantId, session)).id))).map((e) => e.event_type);
    const withoutEventIds = (d: { events: { id: number }[] }) => ({ ...d, events: d.events.map(({ id: _id, ...e }) => e) });

    it('a call stored without first rows and the same call stored the old way show the same drawer', async () => {
      const calls: [TenantActors, string][] = [];
      for (const script of ['answered', 'failover', 'no_answer'] as const) calls.push([a, (await cx.play(newSession(), script)).session]);
      const unrouted = newSession();
      expect((await cxBare.voice(unrouted)).statusCode).toBe(200);
      calls.push([bare, unrouted]);
      // Opened by a session update before its routing: stored as rows, as before.
      const early = newSession();
      expect((await cx.sessionUpdate({ eventId: `${early}-0`, token: early, status: 'ringing', domain: a.domain })).statusCode).toBe(200);
      expect((await cx.voice(early)).statusCode).toBe(200);

      const newShape = new Map<string, Awaited<ReturnType<typeof drawer>>>();
      for (const [tenant, s] of calls) {
        expect(await storedRows(tenant.tenantId, s)).not.toContain('call.received');
        const d = await drawer(tenant, s);
        expect(d.events.slice(0, 2).map((e) => [e.event_type, e.id])).toEqual([
          ['call.received', -1],
          [tenant === bare ? 'call.unrouted' : 'call.connecting', -2],
        ]);
        newShape.set(s, d);
      }
      expect(await storedRows(a.tenantId, early)).toContain('call.received');
      const earlyBefore = await drawer(a, early);

      // Down: the old shape (rows, no column). The drawer shows the same, the rows now having ids of their own.
      await m0019.down(db());
      for (const [tenant, s] of calls) {
        expect((await storedRows(tenant.tenantId, s)).slice(0, 2)).toEqual(['call.received', tenant === bare ? 'call.unrouted' : 'call.connecting']);
        const old = await drawer(tenant, s);
        expect(old.events.every((e) => e.id > 0)).toBe(true);
        expect(withoutEventIds(old)).toEqual(withoutEventIds(newShape.get(s)!));
        newShape.set(s, old);
      }
      // Up again, as an upgrade finds them: every existing call keeps its rows and reads exactly as before.
      await m0019.up(db());
      for (const [tenant, s] of calls) expect(await drawer(tenant, s)).toEqual(newShape.get(s));
      expect(await drawer(a, early)).toEqual(earlyBefore);
    });

    it('a call routed after the upgrade stores rows only for what came after its first write', async () => {
      const s = (await cx.play(newSession(), 'failover')).session;
      const d = await drawer(a, s);
      expect(d.events.slice(0, 2).map((e) => [e.event_type, e.id])).toEqual([['call.received', -1], ['call.connecting', -2]]);
      expect(d.events.filter((e) => e.event_type === 'call.connecting')).toHaveLength(2);
      expect(await storedRows(a.tenantId, s)).toEqual(d.events.slice(2).map((e) => e.event_type));
    });
  });
}
