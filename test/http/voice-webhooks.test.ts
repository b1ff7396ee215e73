import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../../src/store/json-column.js';
import { DIALECTS } from '../support/backends.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { dialedService, newSession, parseCxml, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { runTenantIsolationTests } from '../support/isolation-matrix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: Cloudonix voice webhooks`, () => {
    let t: TestApp;
    let a: TenantActors;
    let secret: string;
    const agents: number[] = [];
    let group: number;
    let other: TenantActors;
    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'voice');
      other = await registerTenant(t, 'neighbour');
      secret = await webhookSecret(t, a.admin.token);
      agents.push(await createAgent(t, a.admin.token, { provider: 'vapi', service_value: '+12125550901' }));
      agents.push(await createAgent(t, a.admin.token, { provider: 'retell', service_value: '+12125550902', username: `u&<>"'`, password: `p&<>"'` }));
      group = await createGroup(t, a.admin.token, 'priority', [{ agent_id: agents[0]!, priority: 1 }, { agent_id: agents[1]!, priority: 2 }]);
      const rule = await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: a.admin.token, payload: { name: 'Main', pattern: '+1212555????', target_type: 'group', target_id: group } });
      expect(rule.statusCode).toBe(201);
    });
    afterAll(async () => t?.close());

    const auth = () => ({ authorization: `Bearer ${secret}` });
    const voice = (session: string, over: Record<string, unknown> = {}) =>
      t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: auth(), payload: voiceBody(a.domain, session, over) });
    const callback = (action: string, session: string, status: string) =>
      t.request({ method: 'POST', url: action.replace(/^https?:\/\/[^/]+/, ''), payload: voiceBody(a.domain, session, { DialCallStatus: status, CallStatus: status }) });
    const sessionUpdate = (body: unknown) => t.request({ method: 'POST', url: `/api/voice/session/update/${a.domain}?token=${secret}`, payload: body as object });
    const record = (session: string) => t.runtime.store.db.selectFrom('call_records').selectAll().where('session_token', '=', session).executeTakeFirstOrThrow();

    it('end to end: first agent, failover on no-answer, hangup on completed, session updates, CDR finalises', async () => {
      const s = newSession();
      const first = await voice(s);
      expect(first.statusCode).toBe(200);
      expect(first.headers['content-type']).toContain('application/xml');
      const dial1 = dialedService(first.body)!;
      expect(dial1).toMatchObject({ provider: 'vapi', number: '+12125550901' });
      expect(dial1.action).toContain('attempt=1');
      // The agent has no cap, yet its live call is counted.
      expect(await t.runtime.plane.slotCounts([`t:${a.tenantId}:a:${agents[0]}:live-calls`], Date.now())).toEqual([1]);

      const second = await callback(dial1.action, s, 'no-answer');
      const dial2 = dialedService(second.body)!;
      expect(dial2).toMatchObject({ provider: 'retell', number: '+12125550902', username: `u&<>"'`, password: `p&<>"'` });
      expect(second.body).toContain('username="u&amp;&lt;&gt;&quot;&apos;"');

      const t0 = Date.now();
      expect((await sessionUpdate({ eventId: `${s}-1`, token: s, status: 'ringing', domain: a.domain })).statusCode).toBe(200);
      expect((await sessionUpdate([{ eventId: `${s}-2`, token: s, status: 'connected', callAnswerTime: t0 + 1000, domain: a.domain }])).statusCode).toBe(200);
      expect((await record(s)).status).toBe('connected');

      const done = await callback(dial2.action, s, 'completed');
      expect(parseCxml(done.body)).toHaveProperty('Hangup');
      await sessionUpdate({ eventId: `${s}-3`, token: s, status: 'connected', callEndTime: t0 + 61_000, endTime: new Date(t0 + 61_000).toISOString() });
      const cdr = await t.request({
        method: 'POST',
        url: `/api/voice/session/cdr/${a.domain}?token=${secret}`,
        payload: { domain: a.domain, from: '+14155550123', to: '+12125550187', disposition: 'ANSWER', duration: 61, billsec: 60, session: { token: s, callStartTime: t0, callAnswerTime: t0 + 1000, callEndTime: t0 + 61_000 } },
      });
      expect(cdr.statusCode).toBe(200);

      const r = await record(s);
      expect(r).toMatchObject({ status: 'completed', agent_id: agents[1], group_id: group, attempt: 2, duration_seconds: 61, billsec: 60, disposition: 'answered' });
      expect(Number(r.ended_at)).toBe(t0 + 61_000);
      const trace = readJson<{ attempts: { agent_id: number; outcome: string }[] }>(r.decision_trace, { attempts: [] });
      expect(trace).toMatchObject({ direction: 'inbound', matched_rule: { name: 'Main', pattern: '+1212555????' }, strategy: 'priority', candidates: agents, chosen_agent_id: agents[1] });
      expect(trace.attempts.map((x: { agent_id: number; outcome: string }) => [x.agent_id, x.outcome])).toEqual([[agents[0], 'no_answer'], [agents[1], 'answered']]);
      const events = (await t.runtime.services.callRecords.detail(a.tenantId, Number(r.id))).events;
      expect(events.map((e) => e.to_status)).toEqual(['received', 'connecting', 'routing', 'connecting', 'connecting', 'connected', 'connected', 'completed', 'completed', 'completed']);
      expect(r.outcome_reason).toBe('answered');
      // The live-call slots were released: both agents are free again.
      expect(await t.runtime.plane.slotCounts(agents.map((id) => `t:${a.tenantId}:a:${id}:live-calls`), Date.now())).toEqual([0, 0]);
    });

    it('a body that is not the JSON it looks like: the voice routes still answer CXML, session updates and CDRs get 400', async () => {
      for (const url of [`/api/voice/application/${a.domain}?token=${secret}&Session=${newSession()}`, `/api/voice/callback/${a.domain}?token=${secret}&attempt=1`]) {
        const res = await t.request({ method: 'POST', url, payload: '{"From": "+1415', headers: { 'content-type': 'application/json' } });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['content-type']).toContain('application/xml');
        expect(parseCxml(res.body)).toBeTruthy();
      }
      for (const kind of ['update', 'cdr']) {
        const res = await t.request({ method: 'POST', url: `/api/voice/session/${kind}/${a.domain}?token=${secret}`, payload: '[{"token": ', headers: { 'content-type': 'text/plain' } });
        expect(res.statusCode, kind).toBe(400);
        expect(res.json().error.code).toBe('malformed_json');
      }
    });

    it('forty first session updates of forty new calls at once are all taken (no deadlock between their inserts)', async () => {
      const sessions = Array.from({ length: 40 }, () => newSession());
      const answers = await Promise.all(sessions.map((s) => sessionUpdate({ eventId: `${s}-1`, token: s, status: 'ringing', domain: a.domain })));
      expect(answers.map((r) => r.statusCode)).toEqual(sessions.map(() => 200));
      for (const s of sessions) expect((await record(s)).status).toBe('connecting');
    });

    it('routes and records a call whose From is a SIP URI longer than the number columns', async () => {
      const s = newSession();
      const from = `sip:${'caller-with-a-long-display-identity.'.repeat(4)}@pbx.example.com`;
      const answer = await voice(s, { From: from });
      expect(dialedService(answer.body)).toMatchObject({ provider: 'vapi' });
      const r = await record(s);
      expect(r.status).toBe('connecting');
      expect(r.from_number).toBe(from.slice(0, 64));
    });

    it('keeps session updates and CDRs whose token and numbers are longer than their columns', async () => {
      const token = `long-${'t'.repeat(300)}`;
      const long = `sip:${'x'.repeat(100)}@pbx.example.com`;
      const update = await sessionUpdate({ eventId: `${token.slice(0, 40)}-1`, token, status: 'ringing', callerId: long, destination: long, domain: a.domain });
      expect(update.statusCode).toBe(200);
      const cdr = await t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { domain: a.domain, from: long, to: long, disposition: 'ANSWER', duration: 5, billsec: 4, session: { token } } });
      expect(cdr.statusCode).toBe(200);
      const r = await record(token.slice(0, 128));
      expect(r).toMatchObject({ from_number: long.slice(0, 64), duration_seconds: 5, disposition: 'answered' });
    });

    it('answers the same request alike as GET query, JSON and form', async () => {
      const answers: string[] = [];
      const s1 = newSession();
      answers.push((await t.request({ method: 'GET', url: `/api/voice/application/${a.domain}`, query: { ...Object.fromEntries(Object.entries(voiceBody(a.domain, s1)).filter(([, v]) => typeof v === 'string')), token: secret } })).body);
      const s2 = newSession();
      answers.push((await voice(s2)).body);
      const s3 = newSession();
      const form = new URLSearchParams(Object.entries(voiceBody(a.domain, s3)).filter(([, v]) => typeof v === 'string') as [string, string][]).toString();
      answers.push((await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' }, payload: form })).body);
      expect(dialedService(answers[0]!)).toMatchObject({ provider: 'vapi' });
      expect(new Set(answers).size).toBe(1);
    });

    it('finds the tenant from Domain, AccountSid or X-CX-Domain when the path has none', async () => {
      for (const [params, headers] of [
        [{ Domain: a.domain }, {}],
        [{ Domain: undefined, AccountSid: a.domain }, {}],
        [{ Domain: undefined, AccountSid: undefined }, { 'X-CX-Domain': a.domain }],
      ] as const) {
        const res = await t.request({ method: 'POST', url: '/api/voice/application', headers: { ...auth(), ...headers }, payload: voiceBody(a.domain, newSession(), params) });
        expect(res.statusCode).toBe(200);
        expect(dialedService(res.body)?.provider).toBe('vapi');
      }
    });

    it('sends an agent calling out, matched by caller ID, through the trunks', async () => {
      const res = await t.request({
        method: 'POST',
        url: '/api/outbound-routing-rules',
        token: a.admin.token,
        payload: { name: 'Agents out', caller_id: '+1212555090?', destination_pattern: '+44*', trunk_config: { trunks: ['carrier-out'], caller_id: '+12125550100' } },
      });
      expect(res.statusCode).toBe(201);
      const out = await voice(newSession(), { From: '+12125550901', To: '+442071234567' });
      const dial = parseCxml(out.body).Dial as Record<string, unknown>;
      expect(dial).toMatchObject({ trunks: 'carrier-out', callerId: '+12125550100', Number: '+442071234567' });
    });

    it('uses the fallback when no rule matches, escaping the spoken message', async () => {
      await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { fallback: { type: 'message', message: `Sorry & goodbye <"caller">` } } } });
      const res = await voice(newSession(), { To: '+33100000000' });
      const doc = parseCxml(res.body);
      expect(doc.Say).toBe(`Sorry & goodbye <"caller">`);
      expect(doc).toHaveProperty('Hangup');
      await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { fallback: { type: 'hangup' } } } });
    });

    it('refuses a wrong or missing secret with 401 and audits it', async () => {
      const s = newSession();
      const wrong = await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: 'Bearer nope' }, payload: voiceBody(a.domain, s) });
      expect(wrong.statusCode).toBe(401);
      const missing = await t.request({ method: 'POST', url: `/api/voice/session/update/${a.domain}`, payload: { token: s, status: 'ringing' } });
      expect(missing.statusCode).toBe(401);
      await t.runtime.services.routing.audit.flush();
      const rows = await t.runtime.services.repos.webhookAudit.list(a.tenantId);
      expect(rows.filter((r) => r.session_token === s).map((r) => [r.event_type, r.outcome, r.status_code])).toEqual(
        expect.arrayContaining([['voice_application', 'unauthorized', 401], ['session_update', 'unauthorized', 401]]),
      );
      expect((await t.request({ method: 'POST', url: '/api/voice/application/nobody.example', headers: auth(), payload: voiceBody('nobody.example', s) })).statusCode).toBe(404);
    });

    it("another tenant's secret does not open this tenant's webhooks", async () => {
      const other = await registerTenant(t, 'intruder');
      const otherSecret = await webhookSecret(t, other.admin.token);
      for (const url of [`/api/voice/application/${a.domain}`, `/api/voice/callback/${a.domain}`, `/api/voice/session/update/${a.domain}`, `/api/voice/session/cdr/${a.domain}`]) {
        const res = await t.request({ method: 'POST', url: `${url}?token=${otherSecret}`, payload: voiceBody(a.domain, newSession()) });
        expect(res.statusCode, url).toBe(401);
      }
      // Its own domain with its own secret works, and names nothing of ours.
      const own = await t.request({ method: 'POST', url: `/api/routing/simulate`, token: other.admin.token, payload: { from: '+14155550123', to: '+12125550187' } });
      expect(own.json()).toMatchObject({ matched_rule: null, candidates: [] });
    });

    describe('isolation matrix', () => {
      runTenantIsolationTests(() => ({ t, a, b: other, ids: {} }), [
        { method: 'POST', url: () => '/api/routing/simulate', payload: () => ({ from: '+14155550123', to: '+12125550187' }), scope: 'own', access: 'member' },
      ]);
    });

    it('ten concurrent copies of a request get identical answers and one record, advancing the rotation once', async () => {
      const rr = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: agents[0]! }, { agent_id: agents[1]! }]);
      await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: a.admin.token, payload: { pattern: '+1999*', target_type: 'group', target_id: rr, priority: 1 } });
      const s = newSession();
      const copies = await Promise.all(Array.from({ length: 10 }, () => voice(s, { To: '+19995550000' })));
      expect(new Set(copies.map((c) => c.body)).size).toBe(1);
      expect(copies.every((c) => c.statusCode === 200)).toBe(true);
      const rows = await t.runtime.store.db.selectFrom('call_records').select('id').where('session_token', '=', s).execute();
      expect(rows).toHaveLength(1);
      expect(await t.runtime.plane.peekCounter(`t:${a.tenantId}:g:${rr}:rotation`)).toBe(1);
    });

    it('forty calls routed at once are each recorded once with their whole timeline, also the one a session update opened first', async () => {
      const sessions = Array.from({ length: 40 }, () => newSession());
      const early = sessions[7]!;
      await sessionUpdate({ eventId: `ev-${early}`, token: early, status: 'ringing', domain: a.domain, direction: 'incoming', callerId: '15550001', destination: '12125550100' });
      const answers = await Promise.all(sessions.map((s) => voice(s)));
      expect(answers.every((r) => r.statusCode === 200 && dialedService(r.body) !== null)).toBe(true);
      const rows = await t.runtime.store.db.selectFrom('call_records').select(['id', 'session_token', 'status', 'agent_id']).where('session_token', 'in', sessions).execute();
      expect(rows.map((r) => r.session_token).sort()).toEqual([...sessions].sort());
      expect(rows.every((r) => r.status === 'connecting' && r.agent_id !== null)).toBe(true);
      for (const r of rows) {
        const types = ((await t.runtime.services.callRecords.detail(a.tenantId, Number(r.id))).events).map((e) => e.event_type);
        expect(types).toContain('call.connecting');
        expect(types.filter((x) => x === 'call.received')).toHaveLength(1);
      }
    });

    it('busy does not fail over unless the group says so; attempts stop at max_attempts', async () => {
      const busy = await voice(newSession());
      const s = newSession();
      const first = dialedService((await voice(s)).body)!;
      const after = await callback(first.action, s, 'busy');
      expect(parseCxml(after.body)).toHaveProperty('Hangup');
      expect(dialedService(after.body)).toBeNull();
      expect((await record(s)).status).toBe('busy');
      expect(busy.statusCode).toBe(200);

      await t.request({ method: 'PUT', url: `/api/agent-groups/${group}`, token: a.admin.token, payload: { settings: { failover_on_busy: true, max_attempts: 1 } } });
      const s2 = newSession();
      const d = dialedService((await voice(s2)).body)!;
      const next = await callback(d.action, s2, 'busy');
      expect(dialedService(next.body)).toBeNull(); // max_attempts 1: no second agent
      await t.request({ method: 'PUT', url: `/api/agent-groups/${group}`, token: a.admin.token, payload: { settings: { failover_on_busy: false, max_attempts: 3 } } });
    });

    it('ignores times no calendar can hold in session updates and CDRs, and the call still lists', async () => {
      const s = newSession();
      await voice(s);
      // Past the year 9999 and before 1970; then a span of three centuries, too long for a duration column.
      const bogus = { callStartTime: 1e20, callAnswerTime: -5, callEndTime: '+275760-09-13T00:00:00Z' };
      expect((await sessionUpdate({ eventId: `odd-${s}`, token: s, status: 'answer', domain: a.domain, ...bogus })).statusCode).toBe(200);
      const o = newSession();
      expect((await sessionUpdate({ eventId: `odd-${o}`, token: o, status: 'completed', domain: a.domain, callStartTime: Date.UTC(1900, 0, 1), callEndTime: Date.UTC(2200, 0, 1) })).statusCode).toBe(200);
      const cdr = await t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { domain: a.domain, disposition: 'ANSWER', timestamp: 1e25, session: { token: s, callStartTime: 1e30, callEndTime: 'year 3000' } } });
      expect(cdr.statusCode).toBe(200);
      for (const token of [s, o]) {
        const r = await record(token);
        expect(new Date(Number(r.started_at)).getUTCFullYear(), token).toBeGreaterThanOrEqual(2020);
        if (r.duration_seconds !== null) expect(r.duration_seconds).toBeLessThan(1e9);
      }
      const list = await t.request({ method: 'GET', url: '/api/call-records?per_page=100', token: a.admin.token });
      expect(list.statusCode).toBe(200);
      const listed = list.json<{ data: { session_token: string }[] }>().data.map((c) => c.session_token);
      expect(listed).toEqual(expect.arrayContaining([s, o]));
      const detail = await t.request({ method: 'GET', url: `/api/call-records/${(await record(s)).id}`, token: a.admin.token });
      expect(detail.statusCode).toBe(200);
    });

    it('session updates: deduplicated by eventId, and a session we did not route still appears', async () => {
      const s = newSession();
      const body = { eventId: `ev-${s}`, token: s, status: 'ringing', domain: a.domain, direction: 'incoming', callerId: '15550001', destination: '15550002' };
      expect((await sessionUpdate(body)).json()).toEqual({ received: true, duplicate: false });
      expect((await sessionUpdate([body])).json()).toEqual({ received: true, duplicate: true });
      const r = await record(s);
      expect(r).toMatchObject({ status: 'connecting', direction: 'inbound', from_number: '15550001' });
      const events = (await t.runtime.services.callRecords.detail(a.tenantId, Number(r.id))).events;
      expect(events.filter((e) => e.event_type === 'session.updated')).toHaveLength(1);
      expect((await sessionUpdate('not json at all')).statusCode).toBeLessThan(500);
      expect((await sessionUpdate({ status: 'ringing' })).statusCode).toBe(422);
    });

    it('session updates sent together in one array are each applied; one without a token refuses them all', async () => {
      const [s1, s2, s3] = [newSession(), newSession(), newSession()];
      const update = (s: string, status: string, n: number) => ({ eventId: `${s}-${n}`, token: s, status, domain: a.domain, callerId: '15550001', destination: '15550002' });
      const refused = await sessionUpdate([update(s3, 'ringing', 1), { status: 'ringing' }]);
      expect(refused.statusCode).toBe(422);
      await expect(record(s3)).rejects.toThrow();
      expect((await sessionUpdate([update(s1, 'ringing', 1), update(s2, 'ringing', 1), update(s1, 'answer', 2)])).json()).toEqual({ received: true, duplicate: false });
      expect(await record(s1)).toMatchObject({ status: 'connected' });
      expect(await record(s2)).toMatchObject({ status: 'connecting' });
      expect((await sessionUpdate([update(s1, 'ringing', 1), update(s2, 'ringing', 1)])).json()).toEqual({ received: true, duplicate: true });
      const tooMany = await sessionUpdate(Array.from({ length: 101 }, (_, i) => update(newSession(), 'ringing', i)));
      expect(tooMany.statusCode).toBe(422);
    });

    it('CDRs: both disposition vocabularies; unknown sessions are kept', async () => {
      for (const [word, state] of [['NO ANSWER', 'no_answer'], ['NOANSWER', 'no_answer'], ['CANCELLED', 'no_answer'], ['BUSY', 'busy'], ['CONGESTION', 'failed'], ['ANSWERED', 'completed']] as const) {
        const s = newSession();
        await voice(s);
        await t.request({ method: 'POST', url: `/api/voice/session/cdr?token=${secret}`, payload: { domain: a.domain, disposition: word, duration: 5, billsec: 0, session: { token: s } } });
        expect((await record(s)).status, word).toBe(state);
      }
      // A CDR for a session we never routed is kept, and the call it tells of is recorded too.
      const orphan = await t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { disposition: 'ANSWER', billsec: 7, session: { token: 'never-seen' } } });
      expect(orphan.json()).toMatchObject({ received: true, duplicate: false, call_id: expect.any(Number) });
      expect(await t.runtime.services.repos.cdrs.listForSession(a.tenantId, 'never-seen')).toHaveLength(1);
      expect(await record('never-seen')).toMatchObject({ status: 'completed', outcome_reason: 'answered', billsec: 7, agent_id: null });
    });

    it('the simulator returns the trace without recording a call or advancing a rotation', async () => {
      const before = await t.runtime.store.db.selectFrom('call_records').select('id').execute();
      const sim = await t.request({ method: 'POST', url: '/api/routing/simulate', token: a.analyst.token, payload: { from: '+14155550123', to: '+12125550187' } });
      expect(sim.statusCode).toBe(200);
      expect(sim.json()).toMatchObject({ matched_rule: { name: 'Main' }, strategy: 'priority', would_choose: { agent_id: agents[0] } });
      expect((await t.runtime.store.db.selectFrom('call_records').select('id').execute()).length).toBe(before.length);
      expect((await t.request({ method: 'POST', url: '/api/routing/simulate', token: a.admin.token, payload: { from: 1 } })).statusCode).toBe(422);
    });
  });
}
