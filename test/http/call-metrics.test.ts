import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL, type TestDialect } from '../support/backends.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup, createInboundRule } from '../support/fixtures.js';
import { parsePrometheusText, seriesOf, type Sample } from '../support/prometheus-text.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const TOKEN = 'metrics-token-for-the-call-mix';
const DAY_MS = 86_400_000;

/** A series key as seriesOf writes it: labels sorted by name. */
const k = (labels: Record<string, string>) =>
  Object.keys(labels)
    .sort()
    .map((n) => `${n}=${labels[n]}`)
    .join(',');

// Every database, with the embedded plane; and once with Redis as the plane, when there is one.
const runs: { name: string; dialect: TestDialect; env: Record<string, string> }[] = [
  ...DIALECTS.map((dialect) => ({ name: dialect.name, dialect, env: {} })),
  ...(TEST_REDIS_URL ? [{ name: `${DIALECTS[0]!.name} + redis`, dialect: DIALECTS[0]!, env: { REDIS_URL: TEST_REDIS_URL } }] : []),
];

for (const run of runs) {
  describe(`${run.name}: call metrics at /metrics`, () => {
    let t: TestApp;
    let a: TenantActors;
    let secret: string;
    const id: Record<'alpha' | 'bravo' | 'charlie', number> = { alpha: 0, bravo: 0, charlie: 0 };
    const sessions: string[] = [];
    const session = () => {
      const s = newSession();
      sessions.push(s);
      return s;
    };
    // Numbers: +1212555…. → group (alpha capped at 1, then bravo); +1646… → charlie; +1313… → a group of alpha alone; others → no rule.
    const TO = { group: '+12125550187', charlie: '+16465550100', alphaOnly: '+13135550100', nowhere: '+19995550100' };

    const voice = (s: string, to: string, domain = a.domain, key = secret) =>
      t.request({ method: 'POST', url: `/api/voice/application/${domain}`, headers: { authorization: `Bearer ${key}` }, payload: voiceBody(domain, s, { To: to }) });
    const dialled = async (s: string, to: string) => {
      const res = await voice(s, to);
      expect(res.statusCode, res.body).toBe(200);
      return dialedService(res.body);
    };
    const callback = (action: string, s: string, status: string) =>
      t.request({ method: 'POST', url: action.replace(/^https?:\/\/[^/]+/, ''), payload: voiceBody(a.domain, s, { DialCallStatus: status, CallStatus: status }) });
    const cdr = (s: string, disposition: string, key = secret) =>
      t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${key}`, payload: { disposition, duration: 40, billsec: disposition === 'ANSWER' ? 35 : 0, session: { token: s } } });
    const update = (body: object) => t.request({ method: 'POST', url: `/api/voice/session/update/${a.domain}?token=${secret}`, payload: body });
    const scrape = async (): Promise<Sample[]> => {
      const res = await t.request({ method: 'GET', url: '/metrics', token: TOKEN });
      expect(res.statusCode).toBe(200);
      return parsePrometheusText(res.body);
    };

    beforeAll(async () => {
      t = await createTestApp(run.dialect, { METRICS_TOKEN: TOKEN, ...run.env });
      a = await registerTenant(t, 'metrics');
      secret = await webhookSecret(t, a.admin.token);
      id.alpha = await createAgent(t, a.admin.token, { name: 'Alpha', max_concurrent_calls: 1 });
      id.bravo = await createAgent(t, a.admin.token, { name: 'Bravo' });
      id.charlie = await createAgent(t, a.admin.token, { name: 'Charlie' });
      const group = await createGroup(t, a.admin.token, 'priority', [{ agent_id: id.alpha, priority: 1 }, { agent_id: id.bravo, priority: 2 }]);
      const alphaOnly = await createGroup(t, a.admin.token, 'priority', [{ agent_id: id.alpha, priority: 1 }]);
      await createInboundRule(t, a.admin.token, { pattern: '+1212555????', target_type: 'group', target_id: group });
      await createInboundRule(t, a.admin.token, { pattern: '+1646*', target_type: 'agent', target_id: id.charlie });
      await createInboundRule(t, a.admin.token, { pattern: '+1313*', target_type: 'group', target_id: alphaOnly });
    });
    afterAll(async () => t?.close());

    it('counts a simulated call mix exactly, live calls against caps, and labels carry no numbers or tokens', async () => {
      const tenant = a.domain;
      const [A, B, C] = [String(id.alpha), String(id.bravo), String(id.charlie)];

      // 3 answered on charlie; one CDR comes before its Dial callback, one is delivered twice, one voice request twice.
      const answered = [session(), session(), session()];
      const actions: string[] = [];
      for (const s of answered) actions.push((await dialled(s, TO.charlie))!.action);
      expect((await voice(answered[0]!, TO.charlie)).statusCode).toBe(200);
      expect((await cdr(answered[0]!, 'ANSWER')).statusCode).toBe(200);
      for (const [i, s] of answered.entries()) expect((await callback(actions[i]!, s, 'completed')).statusCode).toBe(200);
      for (const s of answered.slice(1)) expect((await cdr(s, 'ANSWER')).json()).toMatchObject({ duplicate: false });
      expect((await cdr(answered[1]!, 'ANSWER')).json()).toMatchObject({ duplicate: true });

      // 2 not answered and 1 busy on charlie, ended by their CDRs.
      for (const disposition of ['NO ANSWER', 'NO ANSWER', 'BUSY']) {
        const s = session();
        await dialled(s, TO.charlie);
        expect((await cdr(s, disposition)).statusCode).toBe(200);
      }

      // Failover: alpha does not answer, bravo does.
      const moved = session();
      const first = (await dialled(moved, TO.group))!;
      const second = dialedService((await callback(first.action, moved, 'no-answer')).body)!;
      expect(second.action).toContain('attempt=2');
      expect((await callback(second.action, moved, 'completed')).statusCode).toBe(200);

      // Left live: alpha (its cap of 1 now full), then bravo (alpha skipped at its cap), and charlie.
      const [liveAlpha, liveBravo, liveCharlie] = [session(), session(), session()];
      expect(await dialled(liveAlpha, TO.group)).not.toBeNull();
      expect(await dialled(liveBravo, TO.group)).not.toBeNull();
      expect(await dialled(liveCharlie, TO.charlie)).not.toBeNull();
      // A group of alpha alone while alpha is full: the tenant's fallback (hangup).
      expect(await dialled(session(), TO.alphaOnly)).toBeNull();
      // No rule for the number, twice.
      for (let i = 0; i < 2; i++) expect(await dialled(session(), TO.nowhere)).toBeNull();

      // A session update retried (same eventId): counted once as accepted, once as duplicate.
      const ringing = { eventId: `${liveCharlie}-ringing`, token: liveCharlie, status: 'ringing' };
      expect((await update(ringing)).json()).toMatchObject({ duplicate: false });
      expect((await update(ringing)).json()).toMatchObject({ duplicate: true });

      // Refused: a wrong secret (voice and CDR) and a domain no tenant has.
      expect((await voice(session(), TO.charlie, tenant, 'wrong-secret')).statusCode).toBe(401);
      expect((await cdr(liveCharlie, 'ANSWER', 'wrong-secret')).statusCode).toBe(401);
      expect((await voice(session(), TO.charlie, 'nobody-here.cloudonix.net')).statusCode).toBe(404);

      // An export: queued, completed, then expired by the sweep.
      const stopExports = t.runtime.services.exports.startBackground();
      const queued = await t.request({ method: 'POST', url: '/api/exports', token: a.admin.token, payload: { format: 'csv' } });
      expect(queued.statusCode, queued.body).toBe(202);
      for (const until = Date.now() + 30_000; ; ) {
        const view = (await t.request({ method: 'GET', url: `/api/exports/${queued.json<{ id: number }>().id}`, token: a.admin.token })).json<{ status: string }>();
        if (view.status === 'completed') break;
        if (Date.now() > until) throw new Error(`export still ${view.status}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await t.runtime.services.exports.sweepExpired(Date.now() + 400 * DAY_MS)).toBe(1);
      await stopExports();

      const samples = await scrape();
      const series = (name: string) => seriesOf(samples, name);
      expect(series('vlb_routing_decisions_total')).toEqual({
        [k({ tenant, agent: C, result: 'agent' })]: 7,
        [k({ tenant, agent: A, result: 'agent' })]: 2,
        [k({ tenant, agent: B, result: 'agent' })]: 1,
        [k({ tenant, agent: 'none', result: 'fallback' })]: 3,
        [k({ tenant, agent: 'none', result: 'rejected' })]: 1,
        [k({ tenant: 'unknown', agent: 'none', result: 'rejected' })]: 1,
      });
      expect(series('vlb_routing_decision_seconds_count')).toEqual({ '': 13 });
      expect(series('vlb_calls_ended_total')).toEqual({
        [k({ tenant, agent: C, outcome: 'answered' })]: 3,
        [k({ tenant, agent: C, outcome: 'no_answer' })]: 2,
        [k({ tenant, agent: C, outcome: 'busy' })]: 1,
        [k({ tenant, agent: B, outcome: 'answered' })]: 1,
        [k({ tenant, agent: 'none', outcome: 'overflow_fallback' })]: 1,
        [k({ tenant, agent: 'none', outcome: 'no_rule' })]: 2,
      });
      expect(series('vlb_fallbacks_total')).toEqual({ [k({ tenant, reason: 'no_rule' })]: 2, [k({ tenant, reason: 'all_at_capacity' })]: 1 });
      expect(series('vlb_failovers_total')).toEqual({ [k({ tenant })]: 1 });
      expect(series('vlb_webhooks_total')).toEqual({
        [k({ type: 'voice', result: 'accepted' })]: 14,
        [k({ type: 'voice', result: 'rejected' })]: 2,
        [k({ type: 'callback', result: 'accepted' })]: 5,
        [k({ type: 'cdr', result: 'accepted' })]: 6,
        [k({ type: 'cdr', result: 'duplicate' })]: 1,
        [k({ type: 'cdr', result: 'rejected' })]: 1,
        [k({ type: 'session_update', result: 'accepted' })]: 1,
        [k({ type: 'session_update', result: 'duplicate' })]: 1,
      });
      expect(series('vlb_live_calls')).toEqual({ [k({ tenant, agent: A })]: 1, [k({ tenant, agent: B })]: 1, [k({ tenant, agent: C })]: 1 });
      expect(series('vlb_agent_capacity')).toEqual({ [k({ tenant, agent: A })]: 1 });
      expect(series('vlb_export_jobs_total')).toEqual({ [k({ status: 'queued' })]: 1, [k({ status: 'completed' })]: 1, [k({ status: 'expired' })]: 1 });
      expect(series('vlb_plane_errors_total')).toEqual({});
      expect(series('vlb_database_errors_total')).toEqual({});
      expect(series('vlb_plane_degraded')).toEqual({ '': 0 });
      expect(series('vlb_ready')).toEqual({ '': 1 });
      // HTTP metrics share the registry.
      expect(series('http_requests_total')[k({ method: 'POST', route: '/api/voice/application/:domain', status_code: '200' })]).toBe(14);

      // Bounded labels: no session token, no phone number, anywhere in the exposition.
      const values = samples.flatMap((s) => Object.values(s.labels));
      for (const s of sessions) expect(values.filter((v) => v.includes(s))).toEqual([]);
      // The tenant's domain is a label by design, and its random test suffix may hold seven digits (3992411d did).
      expect(values.filter((v) => v !== tenant && /\d{7,}/.test(v))).toEqual([]);

      // Ending a live call moves it from the gauge to the counter, once, however often its CDR comes.
      for (let i = 0; i < 2; i++) expect((await cdr(liveCharlie, 'ANSWER')).statusCode).toBe(200);
      const after = await scrape();
      expect(seriesOf(after, 'vlb_live_calls')[k({ tenant, agent: C })]).toBe(0);
      expect(seriesOf(after, 'vlb_calls_ended_total')[k({ tenant, agent: C, outcome: 'answered' })]).toBe(4);
    });
  });
}
