import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callStateLabel, outcomeLabel } from '../../src/core/lifecycle/call-words.js';
import type { CallRecordListResponse } from '../../src/http/call-records.js';
import type { ExportResponse } from '../../src/http/exports.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createInboundRule } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Rec = CallRecordListResponse['data'][number];

async function waitForExport(t: TestApp, token: string, id: number): Promise<ExportResponse> {
  const until = Date.now() + 30_000;
  for (;;) {
    const view = (await t.request({ method: 'GET', url: `/api/exports/${id}/status`, token })).json<ExportResponse>();
    if (view.status === 'completed' || view.status === 'failed') return view;
    if (Date.now() > until) throw new Error(`export ${id} still ${view.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: ending a stale live call, fallback calls, one vocabulary, seed API names`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    let capped: number;
    let voice: (session: string, over?: Record<string, unknown>) => Promise<string>;
    const records = async (q = '', token = a.analyst.token): Promise<Rec[]> => {
      const res = await t.request({ method: 'GET', url: `/api/call-records?per_page=200${q}`, token });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<CallRecordListResponse>().data;
    };
    const bySession = async (s: string) => (await records()).find((r) => r.session_token === s)!;
    const end = (id: number, token = a.admin.token) => t.request({ method: 'POST', url: `/api/calls/active/${id}/end`, token });

    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'ender');
      b = await registerTenant(t, 'other');
      const secret = await webhookSecret(t, a.admin.token);
      voice = async (session, over = {}) =>
        (await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: `Bearer ${secret}` }, payload: voiceBody(a.domain, session, over) })).body;
      await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { fallback: { type: 'message', message: 'Everyone is busy.' } } } });
      capped = await createAgent(t, a.admin.token, { name: 'Capped bot', max_concurrent_calls: 1, service_value: '+12125559000' });
      await createInboundRule(t, a.admin.token, { pattern: '+1212*', target_type: 'agent', target_id: capped });
    });
    afterAll(async () => t?.close());

    it('a full agent overflows to the fallback; ending the stale call frees the slot (admin only, once, own tenant)', async () => {
      const [stale, overflow, after] = [newSession(), newSession(), newSession()];
      expect(dialedService(await voice(stale))).not.toBeNull();
      expect(dialedService(await voice(overflow))).toBeNull();
      const over = await bySession(overflow);
      expect(over).toMatchObject({ status: 'fallback', outcome_reason: 'overflow_fallback', agent_id: null, fallback_target: 'message', direction: 'inbound' });

      const live = await bySession(stale);
      expect(live).toMatchObject({ status: 'connecting', outcome_reason: null, agent_id: capped });
      expect((await end(live.id, a.analyst.token)).statusCode).toBe(403);
      expect((await end(live.id, b.admin.token)).statusCode).toBe(404);
      expect((await end(999_999)).statusCode).toBe(404);
      expect((await end(live.id, a.analyst.token)).statusCode).toBe(403);

      const first = await end(live.id);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({ ended_now: true, call: { id: live.id, status: 'failed', outcome_reason: 'ended_by_admin', agent_id: capped } });
      expect(first.json().call.ended_at).not.toBeNull();
      const again = await end(live.id);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ ended_now: false, call: { outcome_reason: 'ended_by_admin' } });

      const active = (await t.request({ method: 'GET', url: '/api/calls/active', token: a.analyst.token })).json<{ data: { id: number }[] }>().data;
      expect(active.map((c) => c.id)).not.toContain(live.id);
      // The capped agent's one slot is free again: the next call is dialled to it, not sent to the fallback.
      expect(dialedService(await voice(after))).not.toBeNull();
      expect(await bySession(after)).toMatchObject({ agent_id: capped, status: 'connecting' });

      const audit = (await t.request({ method: 'GET', url: '/api/audit-log?action=call.ended', token: a.admin.token })).json<{ data: { entity_id: number; entity_type: string }[] }>().data;
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ entity_type: 'call_record', entity_id: live.id });
      const timeline = (await t.request({ method: 'GET', url: `/api/call-records/${live.id}`, token: a.analyst.token })).json<{ events: { event_type: string }[] }>().events;
      expect(timeline.map((e) => e.event_type)).toContain('call.ended_by_admin');
      await end((await bySession(after)).id);
    });

    it('no rule is a fallback call too; the fallback/overflow filter lists exactly those', async () => {
      const none = newSession();
      await voice(none, { To: '+442071234567' });
      expect(await bySession(none)).toMatchObject({ status: 'fallback', outcome_reason: 'no_rule', agent_id: null, fallback_target: 'message' });
      const fallbacks = await records('&outcome=overflow_fallback,no_rule');
      expect(fallbacks.length).toBeGreaterThanOrEqual(2);
      expect(new Set(fallbacks.map((r) => r.outcome_reason))).toEqual(new Set(['overflow_fallback', 'no_rule']));
      expect(await records('&outcome=no_rule')).toEqual(fallbacks.filter((r) => r.outcome_reason === 'no_rule'));
      expect((await records('&status=fallback')).map((r) => r.id).sort()).toEqual(fallbacks.map((r) => r.id).sort());
      const bad = await t.request({ method: 'GET', url: '/api/call-records?outcome=overflow', token: a.analyst.token });
      expect(bad.statusCode).toBe(422);
      expect(bad.body).toContain('overflow_fallback');
    });

    it('the CSV says the same status and outcome words as the API, and the UI labels of them', async () => {
      const res = await t.request({ method: 'POST', url: '/api/exports', token: a.analyst.token, payload: { format: 'csv', fields: ['id', 'status', 'outcome_reason', 'status_label', 'outcome_label'] } });
      expect(res.statusCode, res.body).toBe(202);
      const done = await waitForExport(t, a.analyst.token, res.json<ExportResponse>().id);
      expect(done.status).toBe('completed');
      const [header, ...rows] = parse((await t.request({ method: 'GET', url: `/api/exports/${done.id}/download`, token: a.analyst.token })).rawPayload) as string[][];
      expect(header).toEqual(['id', 'status', 'outcome_reason', 'status_label', 'outcome_label']);
      const api = new Map((await records()).map((r) => [String(r.id), r]));
      expect(rows).toHaveLength(api.size);
      const seen = new Set<string>();
      for (const [id, status, reason, statusLabel, reasonLabel] of rows) {
        const r = api.get(id!)!;
        expect([status, reason]).toEqual([r.status, r.outcome_reason ?? '']);
        expect([statusLabel, reasonLabel]).toEqual([callStateLabel(r.status), outcomeLabel(r.outcome_reason)]);
        seen.add(`${status}/${reason}`);
      }
      expect(seen).toEqual(new Set(['fallback/overflow_fallback', 'fallback/no_rule', 'failed/ended_by_admin']));
    });

    it("the seed documents' names are read as the fields they name, and documented", async () => {
      const canonical = await records('&from=4155550123&to=%2B1212&start_date=2020-01-01&sort=-started_at');
      const aliased = await records('&from_number=4155550123&to_number=%2B1212&start_time=2020-01-01&sort=-start_time');
      expect(aliased.length).toBeGreaterThan(0);
      expect(aliased).toEqual(canonical);
      const clash = await t.request({ method: 'GET', url: '/api/call-records?from=1&from_number=2', token: a.analyst.token });
      expect(clash.statusCode).toBe(422);
      expect(clash.body).toContain('alias of from');

      const created = await t.request({
        method: 'POST',
        url: '/api/exports',
        token: a.analyst.token,
        payload: { format: 'csv', fields: ['from_number', 'to_number', 'duration', 'start_time'], filters: { from_number: '+14155550123', to_number: '+1212', start_time: '2020-01-01' } },
      });
      expect(created.statusCode, created.body).toBe(202);
      const id = created.json<ExportResponse>().id;
      expect(created.json()).toMatchObject({ fields: ['from', 'to', 'duration_seconds', 'started_at'], filters: { from: '14155550123', to: '1212', start_date: '2020-01-01' } });
      const done = await waitForExport(t, a.analyst.token, id);
      expect((await t.request({ method: 'GET', url: `/api/exports/${id}`, token: a.analyst.token })).json()).toEqual(done);
      expect((await t.request({ method: 'GET', url: `/api/exports/${id}/status`, token: b.admin.token })).statusCode).toBe(404);
      const [header, ...rows] = parse((await t.request({ method: 'GET', url: `/api/exports/${id}/download`, token: a.analyst.token })).rawPayload) as string[][];
      expect(header).toEqual(['from', 'to', 'duration_seconds', 'started_at']);
      expect(rows).toHaveLength(canonical.length);

      const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, { parameters?: { name: string }[] }>> }>();
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/exports/{id}/status', '/api/calls/active/{id}/end']));
      const params = doc.paths['/api/call-records']!.get!.parameters!.map((p) => p.name);
      expect(params).toEqual(expect.arrayContaining(['from_number', 'to_number', 'start_time', 'outcome']));
    });

    it('an outbound call shows the agent whose caller ID placed it', async () => {
      const out = await t.request({ method: 'POST', url: '/api/outbound-routing-rules', token: a.admin.token, payload: { name: 'out', caller_id: '+12125559000', destination_pattern: '+44*', trunk_config: { trunks: ['t1'] } } });
      expect(out.statusCode, out.body).toBe(201);
      const s = newSession();
      await voice(s, { From: '+12125559000', To: '+442079460000' });
      const rec = await bySession(s);
      expect(rec).toMatchObject({ direction: 'outbound', agent_id: null, caller_agent_id: capped, caller_agent_name: 'Capped bot' });
      const detail = (await t.request({ method: 'GET', url: `/api/call-records/${rec.id}`, token: a.analyst.token })).json<Rec>();
      expect(detail).toMatchObject({ caller_agent_id: capped, caller_agent_name: 'Capped bot' });
      expect(await records('&direction=inbound')).not.toContainEqual(expect.objectContaining({ caller_agent_id: capped }));
    });
  });
}
