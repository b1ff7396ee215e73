import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysBetween, localDay, localDayRange } from '../../src/core/time/local-day.js';
import { DIALECTS } from '../support/backends.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { runTenantIsolationTests } from '../support/isolation-matrix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: analytics`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    let secret: string;
    let group: number;
    let agents: number[];
    // 03:30 UTC: still "yesterday" in New York, so day boundaries are exercised.
    const today = Date.UTC(2026, 10, 24, 3, 30);
    let now = today;
    let tz = 'America/New_York';

    beforeAll(async () => {
      t = await createTestApp(dialect, {}, { clock: () => now });
      a = await registerTenant(t, 'stats');
      b = await registerTenant(t, 'other');
      await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { timezone: tz } } });
      secret = await webhookSecret(t, a.admin.token);
      agents = [await createAgent(t, a.admin.token), await createAgent(t, a.admin.token)];
      group = await createGroup(t, a.admin.token, 'round_robin', agents.map((agent_id) => ({ agent_id })));
      await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: a.admin.token, payload: { pattern: '+1212*', target_type: 'group', target_id: group } });
      // Calls over four days: answered with a duration, failed twice over, busy, and unrouted.
      const plan: [number, 'answered' | 'failed' | 'busy' | 'unrouted', number][] = [
        [-3, 'answered', 30], [-3, 'failed', 0], [-2, 'answered', 45], [-2, 'answered', 61], [-2, 'busy', 0],
        [-1, 'unrouted', 0], [-1, 'answered', 12], [0, 'answered', 100], [0, 'failed', 0], [0, 'answered', 7],
      ];
      for (const [offset, kind, seconds] of plan) {
        now = today + offset * DAY + Math.floor(Math.random() * 3_600_000);
        await placeCall(kind, seconds);
      }
      now = today + 5 * 60_000;
      await t.runtime.services.rollups.flush();
    });
    afterAll(async () => t?.close());

    async function placeCall(kind: 'answered' | 'failed' | 'busy' | 'unrouted', seconds: number) {
      const s = newSession();
      const to = kind === 'unrouted' ? '+33100000000' : '+12125550187';
      const first = await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, s, { To: to }) });
      let dial = dialedService(first.body);
      const cb = (action: string, status: string) => t.request({ method: 'POST', url: action.replace(/^https?:\/\/[^/]+/, ''), payload: voiceBody(a.domain, s, { DialCallStatus: status }) });
      if (!dial) return;
      if (kind === 'answered') {
        await cb(dial.action, 'completed');
        await t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { disposition: 'ANSWER', duration: seconds, billsec: seconds, session: { token: s } } });
      } else if (kind === 'busy') await cb(dial.action, 'busy');
      else while (dial) dial = dialedService((await cb(dial.action, 'failed')).body);
    }

    /** The independent count: straight from call_records, by local-day ranges. */
    async function sqlDay(day: string, agentId?: number) {
      const { start, end } = localDayRange(day, tz);
      let q = t.runtime.store.db.selectFrom('call_records').where('tenant_id', '=', a.tenantId).where('started_at', '>=', start).where('started_at', '<', end);
      if (agentId !== undefined) q = q.where('agent_id', '=', agentId);
      const rows = await q.select(['status', 'duration_seconds', 'group_id']).execute();
      const answered = rows.filter((r) => r.status === 'completed');
      const durations = answered.map((r) => r.duration_seconds).filter((d): d is number => d !== null).map(Number);
      return { calls: rows.length, answered: answered.length, durations, groupCalls: rows.filter((r) => Number(r.group_id) === group).length };
    }

    const get = (path: string) => t.request({ method: 'GET', url: path, token: a.analyst.token });
    const pct = (n: number, d: number) => (d === 0 ? 0 : Math.round((1000 * n) / d) / 10);
    const avg = (xs: number[]) => (xs.length === 0 ? 0 : Math.round((10 * xs.reduce((s, x) => s + x, 0)) / xs.length) / 10);

    it('metrics match an independent count of the call records, day by day, in the tenant’s time zone', async () => {
      const todayLocal = localDay(now, tz);
      const start = addDays(todayLocal, -4);
      const res = await get(`/api/analytics/metrics?start_date=${start}&end_date=${todayLocal}`);
      expect(res.statusCode).toBe(200);
      const m = res.json();
      let calls = 0, answered = 0;
      const durations: number[] = [];
      for (const [i, day] of daysBetween(start, todayLocal).entries()) {
        const c = await sqlDay(day);
        expect(m.trends[i], day).toEqual({ date: day, calls: c.calls, answered: c.answered, success_rate: pct(c.answered, c.calls) });
        calls += c.calls; answered += c.answered; durations.push(...c.durations);
      }
      expect(calls).toBe(10);
      expect(m).toMatchObject({ total_calls: calls, answered_calls: answered, success_rate: pct(answered, calls), avg_duration: avg(durations), calls_today: (await sqlDay(todayLocal)).calls, active_calls: 0 });
    });

    it('per agent and per group numbers and shares match the records', async () => {
      const days = daysBetween(addDays(localDay(now, tz), -4), localDay(now, tz));
      const q = `start_date=${days[0]}&end_date=${days[days.length - 1]}`;
      const perAgent = (await get(`/api/analytics/agents?${q}`)).json().data;
      const groupTotal = (await Promise.all(days.map((d) => sqlDay(d)))).reduce((s, c) => s + c.groupCalls, 0);
      for (const agentId of agents) {
        const counts = await Promise.all(days.map((d) => sqlDay(d, agentId)));
        const calls = counts.reduce((s, c) => s + c.calls, 0);
        const answered = counts.reduce((s, c) => s + c.answered, 0);
        const row = perAgent.find((r: { agent_id: number }) => r.agent_id === agentId);
        expect(row).toMatchObject({ calls, answered, success_rate: pct(answered, calls), avg_duration: avg(counts.flatMap((c) => c.durations)) });
        expect(row.groups).toEqual([expect.objectContaining({ group_id: group, calls, share: pct(calls, groupTotal) })]);
      }
      const groups = (await get(`/api/analytics/groups?${q}`)).json().data;
      expect(groups).toHaveLength(1);
      expect(groups[0]).toMatchObject({ group_id: group, calls: groupTotal });
      expect(groups[0].members.reduce((s: number, m: { calls: number }) => s + m.calls, 0)).toBe(groupTotal);
      const filtered = (await get(`/api/analytics/metrics?${q}&agent_id=${agents[0]}`)).json();
      expect(filtered.total_calls).toBe(perAgent.find((r: { agent_id: number }) => r.agent_id === agents[0]).calls);
    });

    it('recounts every day when the tenant changes time zone', async () => {
      tz = 'Asia/Tokyo';
      await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { timezone: tz } } });
      const end = localDay(now, tz);
      const m = (await get(`/api/analytics/metrics?start_date=${addDays(end, -5)}&end_date=${end}`)).json();
      for (const point of m.trends) expect(point.calls, point.date).toBe((await sqlDay(point.date)).calls);
      expect(m.total_calls).toBe(10);
    });

    it('bad filters get 422 naming the field', async () => {
      for (const [query, field] of [['start_date=2026-13-01', 'start_date'], ['start_date=2026-02-30', 'start_date'], ['end_date=yesterday', 'end_date'], ['start_date=2026-05-02&end_date=2026-05-01', 'end_date'], ['start_date=2024-01-01&end_date=2026-01-01', 'end_date'], ['agent_id=abc', 'agent_id']] as const) {
        const res = await get(`/api/analytics/metrics?${query}`);
        expect(res.statusCode, query).toBe(422);
        expect(Object.keys(res.json().error.details.fields), query).toContain(field);
      }
    });

    describe('isolation matrix', () => {
      runTenantIsolationTests(() => ({ t, a, b, ids: {} }), [
        { method: 'GET', url: () => '/api/analytics/metrics', scope: 'own', access: 'read' },
        { method: 'GET', url: () => '/api/analytics/agents', scope: 'own', access: 'read' },
        { method: 'GET', url: () => '/api/analytics/groups', scope: 'own', access: 'read' },
      ]);
    });
  });
}
