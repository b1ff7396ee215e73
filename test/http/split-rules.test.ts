import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SplitAnalyticsResponse } from '../../src/http/analytics.js';
import type { InboundRuleListResponse, InboundRuleResponse } from '../../src/http/inbound-routing-rules.js';
import { DIALECTS } from '../support/backends.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { runTenantIsolationTests } from '../support/isolation-matrix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const URL = '/api/inbound-routing-rules';
type Trace = { split?: { rule_id: number; arm: string; counter: number }; target: { type: string; id: number } | null };

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: weighted split rules (A/B)`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    let secret: string;
    const ids: Record<string, number> = {};
    const numbers: Record<string, string> = { alpha: '+12125550901', beta: '+12125550902' };
    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'split');
      b = await registerTenant(t, 'other');
      ids.alpha = await createAgent(t, a.admin.token, { name: 'Alpha', service_value: numbers.alpha });
      ids.beta = await createAgent(t, a.admin.token, { name: 'Beta', service_value: numbers.beta });
      ids.group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: ids.beta }]);
      ids.foreign = await createAgent(t, b.admin.token);
      secret = await webhookSecret(t, a.admin.token);
    });
    afterAll(async () => t?.close());

    const post = (payload: unknown) => t.request({ method: 'POST', url: URL, token: a.admin.token, payload: payload as object });
    const put = (id: number, payload: unknown) => t.request({ method: 'PUT', url: `${URL}/${id}`, token: a.admin.token, payload: payload as object });
    const arms = (alphaPercent = 70) => [
      { label: 'A', target: { type: 'agent', id: ids.alpha }, percent: alphaPercent },
      { label: 'B', target: { type: 'group', id: ids.group }, percent: 100 - alphaPercent },
    ];
    const fieldsOf = (res: { json: () => unknown }) => (res.json() as { error: { details: { fields: Record<string, string[]> } } }).error.details.fields;
    const voice = (session: string, to: string) =>
      t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: `Bearer ${secret}` }, payload: voiceBody(a.domain, session, { To: to }) });
    const cdr = (session: string, disposition: string, billsec: number) =>
      t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { domain: a.domain, disposition, duration: billsec + 2, billsec, session: { token: session } } });

    it('creates a split rule, shows its arms with their targets, and edits them', async () => {
      const created = await post({ pattern: '+1646*', target_type: 'split', split: arms(70), name: 'Prompt test' });
      expect(created.statusCode).toBe(201);
      const rule = created.json<InboundRuleResponse>();
      expect(rule).toMatchObject({ target_type: 'split', target_id: null, target_name: null });
      expect(rule.split).toEqual([
        { label: 'A', target: { type: 'agent', id: ids.alpha }, percent: 70, target_name: 'Alpha' },
        { label: 'B', target: { type: 'group', id: ids.group }, percent: 30, target_name: expect.stringMatching(/^Group /) },
      ]);
      const listed = (await t.request({ method: 'GET', url: URL, token: a.analyst.token })).json<InboundRuleListResponse>().data.find((r) => r.id === rule.id);
      expect(listed).toEqual(rule);

      const thirds = [
        { label: 'A', target: { type: 'agent', id: ids.alpha }, percent: 33.3 },
        { label: 'B', target: { type: 'agent', id: ids.beta }, percent: 33.3 },
        { label: 'C', target: { type: 'group', id: ids.group }, percent: 33.4 },
      ];
      const edited = await put(rule.id, { split: thirds });
      expect(edited.statusCode).toBe(200);
      expect(edited.json<InboundRuleResponse>().split!.map((x) => x.percent)).toEqual([33.3, 33.3, 33.4]);
      // Only the name changes: the arms stay.
      expect((await put(rule.id, { name: 'Renamed' })).json<InboundRuleResponse>().split).toHaveLength(3);
      // To one agent: the arms go.
      const single = await put(rule.id, { target_type: 'agent', target_id: ids.alpha });
      expect(single.json()).toMatchObject({ target_type: 'agent', target_id: ids.alpha, split: null });
      // Back to a split without arms: refused, naming the field.
      const bare = await put(rule.id, { target_type: 'split' });
      expect(bare.statusCode).toBe(422);
      expect(fieldsOf(bare)).toEqual({ split: ['is required when target_type is split'] });
      expect((await t.request({ method: 'DELETE', url: `${URL}/${rule.id}`, token: a.admin.token })).statusCode).toBe(204);
    });

    it('refuses bad splits with 422 naming the field', async () => {
      const cases: [unknown, Record<string, string[]>][] = [
        [[arms()[0]], { split: ['needs at least 2 arms'] }],
        [arms(80).map((x, i) => (i === 1 ? { ...x, percent: 10 } : x)), { split: ['percents must add up to 100 (they add up to 90)'] }],
        [arms().map((x) => ({ ...x, label: 'Same' })), { 'split.1.label': ['repeats the label of arm 1; labels must be unique'] }],
        [arms().map((x, i) => (i === 0 ? { ...x, percent: 69.95 } : { ...x, percent: 30.05 })), { 'split.0.percent': ['may have at most one decimal (e.g. 33.3)'], 'split.1.percent': ['may have at most one decimal (e.g. 33.3)'] }],
        [arms().map((x, i) => (i === 0 ? { ...x, target: { type: 'agent', id: ids.foreign } } : x)), { 'split.0.target.id': ['no such voice agent in this tenant'] }],
        [arms().map((x, i) => (i === 1 ? { ...x, target: { type: 'group', id: 999_999 } } : x)), { 'split.1.target.id': ['no such agent group in this tenant'] }],
      ];
      for (const [split, fields] of cases) {
        const res = await post({ pattern: '+1650*', target_type: 'split', split });
        expect(res.statusCode, JSON.stringify(split)).toBe(422);
        expect(fieldsOf(res)).toEqual(fields);
      }
      const both = await post({ pattern: '+1650*', target_type: 'agent', target_id: ids.alpha, split: arms() });
      expect(fieldsOf(both)).toEqual({ split: ['is only for target_type split'] });
    });

    it('refuses to delete an agent or group an arm sends calls to', async () => {
      const rule = (await post({ pattern: '+1651*', target_type: 'split', split: arms(50) })).json<InboundRuleResponse>();
      const res = await t.request({ method: 'DELETE', url: `/api/agent-groups/${ids.group}`, token: a.admin.token });
      expect(res.statusCode).toBe(409);
      expect(res.json<{ error: { message: string } }>().error.message).toContain('(pattern +1651*)');
      expect((await t.request({ method: 'DELETE', url: `${URL}/${rule.id}`, token: a.admin.token })).statusCode).toBe(204);
    });

    it('routes 70/30 exactly, records the arm in the trace and the variant, and compares the arms', async () => {
      const rule = (await post({ pattern: '+1212*', target_type: 'split', split: arms(70), name: 'A/B' })).json<InboundRuleResponse>();
      // The rule tester shows the arm the next call would take without using it up.
      const sim = async () => (await t.request({ method: 'POST', url: '/api/routing/simulate', token: a.admin.token, payload: { from: '+14155550123', to: '+12125550187' } })).json<{ would_choose: { agent_id: number } | null }>();
      expect((await sim()).would_choose?.agent_id).toBe(ids.alpha);
      expect((await sim()).would_choose?.agent_id).toBe(ids.alpha);

      const sessions: { session: string; number: string }[] = [];
      for (let i = 0; i < 20; i++) {
        const session = newSession();
        const res = await voice(session, '+12125550187');
        sessions.push({ session, number: dialedService(res.body)!.number });
      }
      const toAlpha = sessions.filter((s) => s.number === numbers.alpha).length;
      expect(toAlpha).toBe(14);
      expect(sessions.length - toAlpha).toBe(6);

      const records = (await t.request({ method: 'GET', url: '/api/call-records?per_page=100', token: a.admin.token })).json<{ data: { id: number; session_token: string }[] }>().data;
      const first = records.find((r) => r.session_token === sessions[0]!.session)!;
      const detail = (await t.request({ method: 'GET', url: `/api/call-records/${first.id}`, token: a.admin.token })).json<{ decision_trace: Trace; variant: string | null }>();
      expect(detail.decision_trace.split).toEqual({ rule_id: rule.id, arm: 'A', counter: 1 });
      expect(detail.variant).toBe('A');

      // Outcomes: A answers 10 of 14 (billsec 5, 20, 30, ...), B answers 3 of 6.
      const bySession = new Map(sessions.map((s, i) => [s.session, i]));
      let answeredA = 0;
      let answeredB = 0;
      for (const s of sessions) {
        const isA = s.number === numbers.alpha;
        const answer = isA ? answeredA++ < 10 : answeredB++ < 3;
        const billsec = answer ? (isA ? (bySession.get(s.session)! % 2 === 0 ? 5 : 30) : 40) : 0;
        expect((await cdr(s.session, answer ? 'ANSWER' : 'NOANSWER', billsec)).statusCode).toBe(200);
      }
      const res = await t.request({ method: 'GET', url: `/api/analytics/splits?rule_id=${rule.id}`, token: a.analyst.token });
      expect(res.statusCode).toBe(200);
      const body = res.json<SplitAnalyticsResponse>();
      expect(body.arms.map((x) => [x.label, x.percent, x.calls, x.answered])).toEqual([
        ['A', 70, 14, 10],
        ['B', 30, 6, 3],
      ]);
      const armA = body.arms[0]!;
      expect(armA.answer_rate).toBeCloseTo(10 / 14, 4);
      expect(armA.answer_rate_ci95!.low).toBeLessThan(armA.answer_rate!);
      expect(armA.answer_rate_ci95!.high).toBeGreaterThan(armA.answer_rate!);
      expect(armA.duration_sample).toBe(10);
      expect(armA.short_calls).toBe(armA.duration_sample - (armA.avg_billsec! * 10 - 5 * 10) / 25);
      expect(body.arms[1]).toMatchObject({ avg_billsec: 40, median_billsec: 40, short_calls: 0, short_call_share: 0 });
      expect(body.verdict.kind).toBe('too_small');
      expect(body.verdict.message).toMatch(/Too few calls/);

      // With short-call health on, its threshold is what counts as short here too.
      const health = { failure_threshold: 3, cooldown_seconds: 60, short_calls_enabled: true, short_call_seconds: 45, short_call_min_calls: 1000, short_call_window_minutes: 10, short_call_share: 1 };
      expect((await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { health } } })).statusCode).toBe(200);
      const strict = (await t.request({ method: 'GET', url: `/api/analytics/splits?rule_id=${rule.id}`, token: a.analyst.token })).json<SplitAnalyticsResponse>();
      expect(strict.short_call_seconds).toBe(45);
      expect(strict.arms[1]).toMatchObject({ short_calls: 3, short_call_share: 1 });
      await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { health: { ...health, short_calls_enabled: false } } } });

      // Another range: nothing in it.
      const empty = (await t.request({ method: 'GET', url: `/api/analytics/splits?rule_id=${rule.id}&from=2020-01-01&to=2020-02-01`, token: a.analyst.token })).json<SplitAnalyticsResponse>();
      expect(empty.arms.map((x) => x.calls)).toEqual([0, 0]);
      ids.splitRule = rule.id;
    });

    it('refuses bad analytics queries with 422 naming the field', async () => {
      const q = async (query: string) => t.request({ method: 'GET', url: `/api/analytics/splits?${query}`, token: a.analyst.token });
      const missing = await q('');
      expect(missing.statusCode).toBe(422);
      expect(Object.keys(fieldsOf(missing))).toEqual(['rule_id']);
      expect(Object.keys(fieldsOf(await q(`rule_id=${ids.splitRule}&from=yesterday`)))).toEqual(['from']);
      expect(Object.keys(fieldsOf(await q(`rule_id=${ids.splitRule}&from=2026-02-01&to=2026-01-01`)))).toEqual(['to']);
      expect((await q('rule_id=999999')).statusCode).toBe(404);
    });

    it('sends a call whose arm points at a target gone from the database to the fallback as target_missing', async () => {
      const group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: ids.beta! }]);
      const split = [
        { label: 'A', target: { type: 'agent', id: ids.alpha! }, percent: 50 },
        { label: 'B', target: { type: 'group', id: group }, percent: 50 },
      ];
      const rule = (await post({ pattern: '+1652*', target_type: 'split', split })).json<InboundRuleResponse>();
      // The API refuses to delete it (409); a restored backup or a hand edit can still leave an arm pointing nowhere.
      const db = t.runtime.store.db;
      await db.deleteFrom('agent_group_memberships').where('group_id', '=', group).execute();
      await db.deleteFrom('agent_groups').where('id', '=', group).execute();
      // Any configuration write makes every instance reload agents and groups.
      expect((await t.request({ method: 'PUT', url: `/api/voice-agents/${ids.alpha}`, token: a.admin.token, payload: { name: 'Alpha' } })).statusCode).toBe(200);

      const first = newSession();
      expect(dialedService((await voice(first, '+16525550100')).body)?.number).toBe(numbers.alpha);
      const second = newSession();
      expect(dialedService((await voice(second, '+16525550100')).body)).toBeNull();
      const records = (await t.request({ method: 'GET', url: '/api/call-records?per_page=100', token: a.admin.token })).json<{ data: { id: number; session_token: string }[] }>().data;
      const id = records.find((r) => r.session_token === second)!.id;
      const trace = (await t.request({ method: 'GET', url: `/api/call-records/${id}`, token: a.admin.token })).json<{ decision_trace: Trace & { fallback: { reason: string } | null } }>().decision_trace;
      expect(trace.split).toMatchObject({ rule_id: rule.id, arm: 'B' });
      expect(trace.fallback?.reason).toBe('target_missing');
      await t.request({ method: 'DELETE', url: `${URL}/${rule.id}`, token: a.admin.token });
    });

    describe('isolation matrix', () => {
      runTenantIsolationTests(() => ({ t, a, b, ids }), [{ method: 'GET', url: (i) => `/api/analytics/splits?rule_id=${i.splitRule}`, scope: 'row', access: 'read' }]);
    });
  });
}
