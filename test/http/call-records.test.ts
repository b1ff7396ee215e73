import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecordDetailResponse, CallRecordListResponse } from '../../src/http/call-records.js';
import type { CdrDetailResponse, CdrListResponse } from '../../src/http/cdrs.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup, createInboundRule } from '../support/fixtures.js';
import { runTenantIsolationTests } from '../support/isolation-matrix.js';
import { fuzzQuery } from '../support/query-fuzz.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const ms = (iso: string) => Date.parse(iso);

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: call records and CDRs`, () => {
    let now = ms('2026-11-24T15:00:00Z');
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    let secret: string;
    const s = { c1: newSession(), c2: newSession(), c3: newSession(), c4: newSession(), c5: newSession(), c6: newSession(), orphan: `orphan-${newSession()}` };
    const ids: Record<string, number> = {};
    const id: Record<string, number> = {};

    const at = (iso: string) => (now = ms(iso));
    const voice = (session: string, over: Record<string, unknown>) =>
      t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: `Bearer ${secret}` }, payload: voiceBody(a.domain, session, over) });
    const callback = (action: string, session: string, status: string) =>
      t.request({ method: 'POST', url: action.replace(/^https?:\/\/[^/]+/, ''), payload: voiceBody(a.domain, session, { DialCallStatus: status, CallStatus: status }) });
    const update = (body: object) => t.request({ method: 'POST', url: `/api/voice/session/update/${a.domain}?token=${secret}`, payload: body });
    const cdr = (body: object) => t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: body });
    const get = (url: string, token = a.analyst.token) => t.request({ method: 'GET', url, token });
    const sessionsOf = async (url: string) => {
      const res = await get(url);
      expect(res.statusCode, `${url} ${res.body}`).toBe(200);
      return res.json<CallRecordListResponse>().data.map((r) => r.session_token);
    };
    const cdrTokens = async (url: string) => {
      const res = await get(url);
      expect(res.statusCode, `${url} ${res.body}`).toBe(200);
      return res.json<CdrListResponse>().data.map((r) => r.session_token);
    };

    beforeAll(async () => {
      t = await createTestApp(dialect, {}, { clock: () => now });
      a = await registerTenant(t, 'records');
      b = await registerTenant(t, 'other');
      secret = await webhookSecret(t, a.admin.token);
      id.agent1 = await createAgent(t, a.admin.token, { name: 'Alpha', service_value: '+12125550901' });
      id.agent2 = await createAgent(t, a.admin.token, { name: 'Bravo', provider: 'retell', service_value: '+12125550902' });
      id.group = await createGroup(t, a.admin.token, 'priority', [{ agent_id: id.agent1, priority: 1 }, { agent_id: id.agent2, priority: 2 }]);
      id.rule1 = await createInboundRule(t, a.admin.token, { name: 'Main', pattern: '+1212555????', target_type: 'group', target_id: id.group });
      id.rule2 = await createInboundRule(t, a.admin.token, { pattern: '+1646*', target_type: 'agent', target_id: id.agent2 });

      // c4, the day before: dialled, then a CONGESTION CDR fails it.
      at('2026-11-23T14:00:00Z');
      expect(dialedService((await voice(s.c4, { From: '+14155550444' })).body)).not.toBeNull();
      at('2026-11-23T14:00:30Z');
      await cdr({ disposition: 'CONGESTION', duration: 0, billsec: 0, from: '+14155550444', to: '+12125550187', session: { token: s.c4 } });
      // c1: answered by Alpha, 61 s.
      at('2026-11-24T12:00:00Z');
      const d1 = dialedService((await voice(s.c1, { From: '+14155550123' })).body)!;
      await update({ eventId: `${s.c1}-1`, token: s.c1, status: 'connected', callAnswerTime: ms('2026-11-24T12:00:02Z') });
      at('2026-11-24T12:01:03Z');
      await callback(d1.action, s.c1, 'completed');
      await cdr({ disposition: 'ANSWER', duration: 61, billsec: 59, from: '+14155550123', to: '+12125550187', session: { token: s.c1, callStartTime: ms('2026-11-24T12:00:00Z'), callAnswerTime: ms('2026-11-24T12:00:02Z'), callEndTime: ms('2026-11-24T12:01:01Z') } });
      // c2: Alpha does not answer, Bravo is busy.
      at('2026-11-24T13:00:00Z');
      const d2 = dialedService((await voice(s.c2, { From: '+14155550999' })).body)!;
      const d2b = dialedService((await callback(d2.action, s.c2, 'no-answer')).body)!;
      await callback(d2b.action, s.c2, 'busy');
      await cdr({ disposition: 'BUSY', duration: 3, billsec: 0, from: '+14155550999', to: '+12125550187', session: { token: s.c2 } });
      // c3: straight to Bravo by the second rule, no group.
      at('2026-11-24T14:00:00Z');
      const d3 = dialedService((await voice(s.c3, { From: '+442071234567', To: '+16465550100' })).body)!;
      await callback(d3.action, s.c3, 'completed');
      await cdr({ disposition: 'answered', duration: 30, billsec: 28, from: '+442071234567', to: '+16465550100', session: { token: s.c3 } });
      // c5: live on Alpha. c6: an outgoing session we never routed.
      at('2026-11-24T14:50:00Z');
      await voice(s.c5, { From: '+13105550555' });
      await update({ eventId: `${s.c5}-1`, token: s.c5, status: 'connected' });
      at('2026-11-24T14:55:00Z');
      await update({ eventId: `${s.c6}-1`, token: s.c6, status: 'ringing', direction: 'outgoing', callerId: '15550001', destination: '15550002', callStartTime: now });
      at('2026-11-24T14:58:00Z');
      await cdr({ disposition: 'No Answer', from: '+19995550000', to: '+18885550000', session: { token: s.orphan } });
      at('2026-11-24T15:00:00Z');

      const rows = await t.runtime.store.db.selectFrom('call_records').select(['id', 'session_token']).where('tenant_id', '=', a.tenantId).execute();
      for (const [k, token] of Object.entries(s)) {
        const row = rows.find((r) => r.session_token === token);
        if (row) id[k] = Number(row.id);
      }
      ids.call = id.c1!;
      ids.cdr = Number((await t.runtime.store.db.selectFrom('cdrs').select('id').where('session_token', '=', s.c1).executeTakeFirstOrThrow()).id);
    });
    afterAll(async () => t?.close());

    it('lists every record newest first, with names and ISO times', async () => {
      const res = await get('/api/call-records');
      const body = res.json<CallRecordListResponse>();
      // The orphan CDR tells of a call we never routed: it is recorded too.
      expect(body.data.map((r) => r.session_token)).toEqual([s.orphan, s.c6, s.c5, s.c3, s.c2, s.c1, s.c4]);
      expect(body.meta).toEqual({ current_page: 1, per_page: 20, total: 7, last_page: 1, total_capped: false });
      expect(body.data.find((r) => r.session_token === s.c1)).toEqual({
        id: id.c1, session_token: s.c1, direction: 'inbound', cloudonix_direction: 'inbound', from: '+14155550123', to: '+12125550187', status: 'completed', outcome_reason: 'answered',
        agent_id: id.agent1, agent_name: 'Alpha', group_id: id.group, group_name: expect.stringMatching(/^Group /), rule_id: id.rule1, attempt: 1,
        disposition: 'answered', started_at: '2026-11-24T12:00:00.000Z', answered_at: '2026-11-24T12:00:02.000Z', ended_at: '2026-11-24T12:01:01.000Z',
        duration_seconds: 61, billsec: 59, fallback_target: null, caller_agent_id: null, caller_agent_name: null, variant: null, is_test: false,
      });
      expect(body.data.find((r) => r.session_token === s.c2)).toMatchObject({ status: 'busy', agent_id: id.agent2, agent_name: 'Bravo', attempt: 2, duration_seconds: 3 });
      expect(body.data.find((r) => r.session_token === s.c6)).toMatchObject({ direction: 'outbound', status: 'connecting', agent_id: null, agent_name: null, group_name: null, from: '15550001' });
    });

    it('filters by every field, alone and together', async () => {
      const cases: [string, string[]][] = [
        [`agent_id=${id.agent1}`, [s.c5, s.c1, s.c4]],
        [`agent_id=${id.agent2}`, [s.c3, s.c2]],
        [`group_id=${id.group}`, [s.c5, s.c2, s.c1, s.c4]],
        ['status=completed', [s.c3, s.c1]],
        ['status=completed,%20BUSY', [s.c3, s.c2, s.c1]],
        ['status=connected,connecting', [s.c6, s.c5]],
        ['status=no_answer', [s.orphan]],
        ['direction=outbound', [s.c6]],
        ['direction=inbound', [s.orphan, s.c5, s.c3, s.c2, s.c1, s.c4]],
        ['from=415', [s.c2, s.c1, s.c4]],
        [`from=${encodeURIComponent('+1 (415) 555-0123')}`, [s.c1]],
        ['to=6465550100', [s.c3]],
        ['to=15550002', [s.c6]],
        [`session_token=${s.c3}`, [s.c3]],
        ['start_date=2026-11-24', [s.orphan, s.c6, s.c5, s.c3, s.c2, s.c1]],
        ['end_date=2026-11-23', [s.c4]],
        ['start_date=2026-11-23&end_date=2026-11-23', [s.c4]],
        ['start_date=2026-11-24T13:00:00Z', [s.orphan, s.c6, s.c5, s.c3, s.c2]],
        ['end_date=2026-11-24T13:00:00Z', [s.c2, s.c1, s.c4]],
        [`start_date=${encodeURIComponent('2026-11-24T14:30:00+01:00')}`, [s.orphan, s.c6, s.c5, s.c3]],
        ['min_duration=30', [s.c3, s.c1]],
        ['max_duration=3', [s.c2, s.c4]],
        ['min_duration=1&max_duration=60', [s.c3, s.c2]],
        [`agent_id=${id.agent1}&status=completed&start_date=2026-11-24&from=4155550123`, [s.c1]],
      ];
      for (const [q, expected] of cases) expect(await sessionsOf(`/api/call-records?${q}`), q).toEqual(expected);
    });

    it('sorts by start, duration (no duration last) and status, both ways', async () => {
      const cases: [string, string[]][] = [
        ['-started_at', [s.orphan, s.c6, s.c5, s.c3, s.c2, s.c1, s.c4]],
        ['started_at', [s.c4, s.c1, s.c2, s.c3, s.c5, s.c6, s.orphan]],
        ['duration', [s.c4, s.c2, s.c3, s.c1, s.orphan, s.c6, s.c5]],
        ['-duration', [s.c1, s.c3, s.c2, s.c4, s.orphan, s.c6, s.c5]],
        ['status', [s.c2, s.c3, s.c1, s.c5, s.c6, s.c4, s.orphan]],
        ['-status', [s.orphan, s.c4, s.c6, s.c5, s.c3, s.c1, s.c2]],
      ];
      for (const [sort, expected] of cases) expect(await sessionsOf(`/api/call-records?sort=${sort}`), sort).toEqual(expected);
      // Pages of 1, 3 and 4 cross the boundary between calls with and without a duration.
      for (const per of [1, 3, 4]) {
        for (const [sort, expected] of cases.filter(([c]) => c.endsWith('duration'))) {
          const paged: string[] = [];
          for (let page = 1; paged.length < expected.length; page++) paged.push(...(await sessionsOf(`/api/call-records?sort=${sort}&per_page=${per}&page=${page}`)));
          expect(paged, `${sort} by ${per}`).toEqual(expected);
        }
      }
    });

    it('pages with meta, up to 200 a page', async () => {
      const pages: string[] = [];
      for (let page = 1; page <= 4; page++) {
        const body = (await get(`/api/call-records?per_page=2&page=${page}`)).json<CallRecordListResponse>();
        expect(body.meta).toEqual({ current_page: page, per_page: 2, total: 7, last_page: 4, total_capped: false });
        pages.push(...body.data.map((r) => r.session_token));
      }
      expect(pages).toEqual(await sessionsOf('/api/call-records'));
      expect((await get('/api/call-records?per_page=2&page=5')).json<CallRecordListResponse>()).toMatchObject({ data: [], meta: { current_page: 5, total: 7 } });
      expect((await get('/api/call-records?per_page=200&status=failed')).json<CallRecordListResponse>().meta).toEqual({ current_page: 1, per_page: 200, total: 1, last_page: 1, total_capped: false });
    });

    it('shows one record with its decision trace, timeline in order and CDRs', async () => {
      const res = await get(`/api/call-records/${id.c1}`);
      expect(res.statusCode).toBe(200);
      const d = res.json<CallRecordDetailResponse>();
      expect(d).toMatchObject({ id: id.c1, status: 'completed', agent_name: 'Alpha' });
      expect(d.decision_trace).toMatchObject({ matched_rule: { name: 'Main' }, strategy: 'priority', chosen_agent_id: id.agent1, attempts: [{ agent_id: id.agent1, outcome: 'answered' }] });
      expect(d.events[0]).toMatchObject({ event_type: 'call.received', from_status: null, to_status: 'received', payload: null });
      expect(d.events.map((e) => e.event_type)).toEqual(expect.arrayContaining(['session.updated', 'call.dial_result', 'cdr.received']));
      expect(d.events.at(-1)).toMatchObject({ event_type: 'cdr.received', to_status: 'completed', payload: { disposition: 'ANSWER', duration: 61, billsec: 59 } });
      const times = d.events.map((e) => Date.parse(e.occurred_at));
      expect(times).toEqual([...times].sort((x, y) => x - y));
      expect(d.cdrs).toHaveLength(1);
      expect(d.cdrs[0]).toMatchObject({ id: ids.cdr, disposition: 'ANSWER', disposition_normalized: 'answered', duration_seconds: 61, payload: { disposition: 'ANSWER', session: { token: s.c1 } } });
      for (const bad of ['999999', '0', 'abc', '1.5']) expect((await get(`/api/call-records/${bad}`)).statusCode, bad).toBe(404);
    });

    it('lists CDRs newest first with every filter, and shows one with its payload', async () => {
      expect(await cdrTokens('/api/cdr')).toEqual([s.orphan, s.c3, s.c2, s.c1, s.c4]);
      const cases: [string, string[]][] = [
        ['disposition=answered', [s.c3, s.c1]],
        ['disposition=ANSWER', [s.c3, s.c1]],
        ['disposition=Answered', [s.c3, s.c1]],
        ['disposition=NO%20ANSWER', [s.orphan]],
        ['disposition=noanswer', [s.orphan]],
        ['disposition=busy', [s.c2]],
        ['disposition=congestion', [s.c4]],
        ['disposition=failed', []],
        [`token=${s.c1}`, [s.c1]],
        ['from=9995550000', [s.orphan]],
        ['to=16465550100', [s.c3]],
        ['start_date=2026-11-24', [s.orphan, s.c3, s.c2, s.c1]],
        ['start_date=2026-11-23&end_date=2026-11-23', [s.c4]],
        ['end_date=2026-11-24T13:00:00Z', [s.c2, s.c1, s.c4]],
      ];
      for (const [q, expected] of cases) expect(await cdrTokens(`/api/cdr?${q}`), q).toEqual(expected);
      expect((await get('/api/cdr?per_page=2&page=3')).json<CdrListResponse>().meta).toEqual({ current_page: 3, per_page: 2, total: 5, last_page: 3, total_capped: false });
      const one = (await get(`/api/cdr/${ids.cdr}`)).json<CdrDetailResponse>();
      expect(one).toMatchObject({ session_token: s.c1, call_record_id: id.c1, from: '+14155550123', disposition: 'ANSWER', received_at: '2026-11-24T12:01:03.000Z' });
      expect(one.payload).toEqual({ disposition: 'ANSWER', duration: 61, billsec: 59, from: '+14155550123', to: '+12125550187', session: { token: s.c1, callStartTime: ms('2026-11-24T12:00:00Z'), callAnswerTime: ms('2026-11-24T12:00:02Z'), callEndTime: ms('2026-11-24T12:01:01Z') } });
      expect((await get('/api/cdr/999999')).statusCode).toBe(404);
    });

    it('a day filter is the whole day in the tenant time zone (03:00 UTC is the day before in New York)', async () => {
      const ny = await registerTenant(t, 'newyork');
      const nySecret = await webhookSecret(t, ny.admin.token);
      expect((await t.request({ method: 'PUT', url: '/api/tenant', token: ny.admin.token, payload: { settings: { timezone: 'America/New_York' } } })).statusCode).toBe(200);
      const [late, early] = [newSession(), newSession()];
      at('2026-11-24T04:00:00Z');
      for (const [token, start] of [[late, '2026-11-24T03:00:00Z'], [early, '2026-11-24T06:00:00Z']] as const) {
        await t.request({ method: 'POST', url: `/api/voice/session/update/${ny.domain}?token=${nySecret}`, payload: { token, status: 'ringing', callStartTime: start } });
        await t.request({ method: 'POST', url: `/api/voice/session/cdr/${ny.domain}?token=${nySecret}`, payload: { disposition: 'BUSY', session: { token } } });
      }
      at('2026-11-24T15:00:00Z');
      const list = async (url: string) => (await t.request({ method: 'GET', url, token: ny.analyst.token })).json<CallRecordListResponse>().data.map((r) => r.session_token);
      expect(await list('/api/call-records?start_date=2026-11-23&end_date=2026-11-23')).toEqual([late]);
      expect(await list('/api/call-records?start_date=2026-11-24&end_date=2026-11-24')).toEqual([early]);
      expect(await list('/api/call-records?end_date=2026-11-24T03:00:00Z')).toEqual([late]);
      // Both CDRs arrived at 04:00 UTC: 23:00 on the 23rd in New York.
      expect(await list('/api/cdr?start_date=2026-11-23&end_date=2026-11-23')).toHaveLength(2);
      expect(await list('/api/cdr?start_date=2026-11-24')).toHaveLength(0);
    });

    it('refuses bad filters with 422 naming the field', async () => {
      const cases: [string, string][] = [
        ['/api/call-records?per_page=201', 'per_page'], ['/api/call-records?per_page=0', 'per_page'], ['/api/call-records?page=abc', 'page'],
        ['/api/call-records?sort=name', 'sort'], ['/api/call-records?sort=-agent_id', 'sort'], ['/api/call-records?status=done', 'status'],
        ['/api/call-records?status=,', 'status'], ['/api/call-records?status=completed&status=busy', 'status'], ['/api/call-records?direction=sideways', 'direction'],
        ['/api/call-records?agent_id=-1', 'agent_id'], ['/api/call-records?group_id=1.5', 'group_id'], ['/api/call-records?min_duration=-1', 'min_duration'],
        ['/api/call-records?min_duration=10&max_duration=5', 'max_duration'], ['/api/call-records?start_date=2026-02-30', 'start_date'],
        ['/api/call-records?start_date=2026-11-24T10:00:00', 'start_date'], ['/api/call-records?start_date=2026-11-24&end_date=2026-11-23', 'end_date'],
        ['/api/call-records?from=abc', 'from'], ['/api/call-records?session_token=', 'session_token'], [`/api/call-records?to=${'1'.repeat(65)}`, 'to'],
        ['/api/cdr?per_page=201', 'per_page'], ['/api/cdr?disposition=maybe', 'disposition'], ['/api/cdr?token=', 'token'],
        ['/api/cdr?start_date=2026-11-25&end_date=2026-11-24T00:00:00Z', 'end_date'], ['/api/cdr?end_date=tomorrow', 'end_date'], ['/api/cdr?from=%2B', 'from'],
      ];
      for (const [url, field] of cases) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(422);
        expect(Object.keys(res.json<{ error: { details: { fields: Record<string, string[]> } } }>().error.details.fields), url).toContain(field);
      }
    });

    it('300 random query strings per list: 200 or 422, never a 5xx', async () => {
      await fuzzQuery(t, '/api/call-records', ['page', 'per_page', 'agent_id', 'group_id', 'status', 'direction', 'from', 'to', 'session_token', 'start_date', 'end_date', 'min_duration', 'max_duration', 'sort'], a.analyst.token);
      await fuzzQuery(t, '/api/cdr', ['page', 'per_page', 'from', 'to', 'disposition', 'token', 'start_date', 'end_date'], a.analyst.token);
    });

    it("another tenant's lists hold none of this tenant's calls", async () => {
      expect((await get('/api/call-records', b.admin.token)).json<CallRecordListResponse>()).toMatchObject({ data: [], meta: { total: 0 } });
      expect((await get(`/api/cdr?token=${s.c1}`, b.admin.token)).json<CdrListResponse>().data).toEqual([]);
    });

    describe('isolation matrix', () => {
      runTenantIsolationTests(() => ({ t, a, b, ids }), [
        { method: 'GET', url: () => '/api/call-records', scope: 'own', access: 'read' },
        { method: 'GET', url: (i) => `/api/call-records/${i.call}`, scope: 'row', access: 'read' },
        { method: 'GET', url: () => '/api/cdr', scope: 'own', access: 'read' },
        { method: 'GET', url: (i) => `/api/cdr/${i.cdr}`, scope: 'row', access: 'read' },
      ]);
    });

    it('keeps the record when its agent is deleted, without the name', async () => {
      expect((await t.request({ method: 'DELETE', url: `/api/inbound-routing-rules/${id.rule2}`, token: a.admin.token })).statusCode).toBe(204);
      expect((await t.request({ method: 'DELETE', url: `/api/voice-agents/${id.agent2}`, token: a.admin.token })).statusCode).toBe(204);
      expect((await get(`/api/call-records/${id.c3}`)).json<CallRecordDetailResponse>()).toMatchObject({ agent_id: id.agent2, agent_name: null, group_id: null });
    });
  });
}
