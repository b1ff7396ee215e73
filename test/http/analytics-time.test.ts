import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsResponse, OverviewResponse, RoutingSharesResponse, TrendsResponse } from '../../src/http/analytics.js';
import { addDays, localDay, localDayRange } from '../../src/core/time/local-day.js';
import { fallbackLabel } from '../../src/services/routing/decision-labels.js';
import type { DecisionTrace } from '../../src/services/routing/route-plan.js';
import { createRollups } from '../../src/services/analytics/rollups.js';
import { createLogger } from '../../src/services/logger.js';
import { readJson } from '../../src/store/json-column.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup, createInboundRule } from '../support/fixtures.js';
import { runTenantIsolationTests } from '../support/isolation-matrix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
// A half-hour zone: local hours start at :30 UTC, so buckets must follow local midnight, not UTC's.
const TZ = 'Asia/Kolkata';

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: analytics over hours, overflow and fallback, seed names`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    let secret: string;
    let today: string;
    let midnight: number;
    let now = Date.UTC(2026, 10, 24, 9, 0); // 14:30 in Kolkata
    const get = <T>(path: string) => t.request({ method: 'GET', url: path, token: a.analyst.token }).then((r) => {
      expect(r.statusCode, `${path}: ${r.body}`).toBe(200);
      return r.json<T>();
    });

    const sessions: string[] = [];
    async function callAt(localMs: number, to = '+12125550187'): Promise<boolean> {
      now = localMs;
      const s = newSession();
      sessions.push(s);
      const res = await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, s, { To: to }) });
      expect(res.statusCode).toBe(200);
      return dialedService(res.body) !== null;
    }

    beforeAll(async () => {
      t = await createTestApp(dialect, {}, { clock: () => now });
      a = await registerTenant(t, 'hours');
      b = await registerTenant(t, 'hours-other');
      await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { timezone: TZ } } });
      secret = await webhookSecret(t, a.admin.token);
      const first = await createAgent(t, a.admin.token, { max_concurrent_calls: 1 });
      const second = await createAgent(t, a.admin.token, { max_concurrent_calls: 1 });
      const group = await createGroup(t, a.admin.token, 'priority', [{ agent_id: first, priority: 1 }, { agent_id: second, priority: 2 }]);
      await createInboundRule(t, a.admin.token, { pattern: '+1212*', target_type: 'group', target_id: group });
      today = localDay(now, TZ);
      midnight = localDayRange(today, TZ).start;
      // Yesterday 23:50, then today's calls (all left live, so the agents keep their slots):
      await callAt(midnight - 10 * MINUTE, '+33100000000'); // no rule: fallback
      expect(await callAt(midnight + 9 * HOUR + 10 * MINUTE)).toBe(true); // 09:10 first agent
      expect(await callAt(midnight + 9 * HOUR + 40 * MINUTE)).toBe(true); // 09:40 first full: overflow to the second
      expect(await callAt(midnight + 11 * HOUR + 5 * MINUTE)).toBe(false); // 11:05 both full: fallback, all_at_capacity
      expect(await callAt(midnight + 13 * HOUR + 20 * MINUTE, '+33100000001')).toBe(false); // 13:20 no rule
      now = midnight + 14 * HOUR + 30 * MINUTE;
      await t.runtime.services.rollups.flush();
    });
    afterAll(async () => t?.close());

    it('today is counted per local hour up to the current hour, not one bar', async () => {
      const m = await get<MetricsResponse>(`/api/analytics/metrics?start_date=${today}&end_date=${today}`);
      expect(m.bucket).toBe('hour');
      expect(m.timezone).toBe(TZ);
      expect(m.timeline.map((p) => p.hour)).toEqual([...Array(15).keys()]); // 00:00 … 14:00
      expect(m.timeline[0]!.at).toBe(new Date(midnight).toISOString());
      expect(m.timeline.every((p) => p.date === today)).toBe(true);
      const calls = Object.fromEntries(m.timeline.filter((p) => p.calls > 0).map((p) => [p.hour, p.calls]));
      expect(calls).toEqual({ 9: 2, 11: 1, 13: 1 });
      expect(m.total_calls).toBe(4);
      expect(m.trends).toEqual([{ date: today, calls: 4, answered: 0, success_rate: 0 }]);
    });

    it('two days are hourly too (yesterday in full); longer ranges are daily; bucket can be asked', async () => {
      const yesterday = addDays(today, -1);
      const two = await get<MetricsResponse>(`/api/analytics/metrics?start_date=${yesterday}&end_date=${today}`);
      expect(two.bucket).toBe('hour');
      expect(two.timeline).toHaveLength(24 + 15);
      expect(two.timeline[23]).toMatchObject({ date: yesterday, hour: 23, calls: 1 });
      const week = await get<MetricsResponse>(`/api/analytics/metrics?start_date=${addDays(today, -6)}&end_date=${today}`);
      expect(week.bucket).toBe('day');
      expect(week.timeline.map((p) => [p.date, p.hour, p.calls]).slice(-2)).toEqual([[yesterday, null, 1], [today, null, 4]]);
      expect((await get<MetricsResponse>(`/api/analytics/metrics?start_date=${today}&end_date=${today}&bucket=day`)).timeline).toHaveLength(1);
      expect((await get<MetricsResponse>(`/api/analytics/metrics?start_date=${addDays(today, -3)}&end_date=${today}&bucket=hour`)).timeline).toHaveLength(3 * 24 + 15);
      const tooLong = await t.request({ method: 'GET', url: `/api/analytics/metrics?start_date=${addDays(today, -9)}&end_date=${today}&bucket=hour`, token: a.analyst.token });
      expect(tooLong.statusCode).toBe(422);
      expect(Object.keys(tooLong.json().error.details.fields)).toContain('bucket');
      expect((await t.request({ method: 'GET', url: '/api/analytics/metrics?bucket=minute', token: a.analyst.token })).statusCode).toBe(422);
    });

    it('overflow and fallback shares with reasons, matching the decision traces read one by one', async () => {
      const r = await get<RoutingSharesResponse>(`/api/analytics/routing?start_date=${today}&end_date=${today}`);
      expect(r).toEqual({
        start_date: today,
        end_date: today,
        total_calls: 4,
        overflowed: { calls: 1, share: 25 },
        fell_back: { calls: 2, share: 50 },
        fallback_reasons: [
          { reason: 'no_rule', calls: 1, share: 25 },
          { reason: 'all_at_capacity', calls: 1, share: 25 },
        ],
      });
      // The independent count: every trace parsed here and labelled as the metrics label it.
      const rows = await t.runtime.store.db.selectFrom('call_records').select(['decision_trace', 'started_at']).where('tenant_id', '=', a.tenantId).where('started_at', '>=', midnight).execute();
      const labels = rows.map((row) => fallbackLabel(readJson<DecisionTrace>(row.decision_trace, null as unknown as DecisionTrace))).filter((l) => l !== null).sort();
      expect(labels).toEqual(r.fallback_reasons.map((x) => x.reason).sort());
      const twoDays = await get<RoutingSharesResponse>(`/api/analytics/routing?start_date=${addDays(today, -1)}&end_date=${today}`);
      expect(twoDays).toMatchObject({ total_calls: 5, fell_back: { calls: 3, share: 60 }, fallback_reasons: [{ reason: 'no_rule', calls: 2, share: 40 }, { reason: 'all_at_capacity', calls: 1, share: 20 }] });
      const other = (await t.request({ method: 'GET', url: '/api/analytics/routing', token: b.analyst.token })).json<RoutingSharesResponse>();
      expect(other).toMatchObject({ total_calls: 0, overflowed: { calls: 0, share: 0 }, fell_back: { calls: 0, share: 0 }, fallback_reasons: [] });
    });

    it('the seed names /overview and /trends answer the same numbers with success_rate as a fraction', async () => {
      // The 09:10 call is answered: 1 of today's 4.
      const cdr = await t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { disposition: 'ANSWER', duration: 30, billsec: 28, session: { token: sessions[1] } } });
      expect(cdr.statusCode).toBeLessThan(300);
      await t.runtime.services.rollups.flush();
      const q = `start_date=${today}&end_date=${today}`;
      const m = await get<MetricsResponse>(`/api/analytics/metrics?${q}`);
      const o = await get<OverviewResponse>(`/api/analytics/overview?${q}`);
      expect(m.success_rate).toBe(25);
      expect(o).toMatchObject({ total_calls: 4, calls_today: 4, success_rate: 0.25, success_rate_percent: 25, bucket: 'hour' });
      expect(o.timeline.find((p) => p.hour === 9)).toMatchObject({ calls: 2, answered: 1, success_rate: 0.5, success_rate_percent: 50 });
      expect(o.timeline.map((p) => p.calls)).toEqual(m.timeline.map((p) => p.calls));
      const tr = await get<TrendsResponse>(`/api/analytics/trends?${q}`);
      expect(tr.bucket).toBe('hour');
      expect(tr.trends.map(({ success_rate: _f, success_rate_percent: _p, ...p }) => p)).toEqual(m.timeline.map(({ success_rate: _s, ...p }) => p));
      expect(tr.trends.every((p) => p.success_rate >= 0 && p.success_rate <= 1)).toBe(true);
      const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json();
      for (const path of ['/api/analytics/overview', '/api/analytics/trends']) expect(doc.paths[path].get.description).toMatch(/^Alias of `GET \/api\/analytics\/metrics`/);
      expect(doc.paths['/api/analytics/overview'].get.parameters.map((p: { name: string }) => p.name)).toEqual(doc.paths['/api/analytics/metrics'].get.parameters.map((p: { name: string }) => p.name));
    });

    it('days rolled up before the overflow and fallback counts existed are recounted once, at the next start', async () => {
      const q = `start_date=${today}&end_date=${today}`;
      const before = await get<RoutingSharesResponse>(`/api/analytics/routing?${q}`);
      const db = t.runtime.store.db;
      // As an installation upgraded to migration 0012 finds its days: zeros, and no mark yet.
      await db.updateTable('call_daily_rollups').set({ overflowed: 0, fb_no_rule: 0, fb_all_at_capacity: 0 }).execute();
      await db.deleteFrom('app_meta').where('meta_key', '=', 'rollups.routing-counts-recounted').execute();
      expect((await get<RoutingSharesResponse>(`/api/analytics/routing?${q}`)).fell_back.calls).toBe(0);
      const next = createRollups(t.runtime.services.repos, () => now, createLogger('silent'));
      await next.recounting;
      await next.close();
      expect(await get<RoutingSharesResponse>(`/api/analytics/routing?${q}`)).toEqual(before);
      expect(await db.selectFrom('app_meta').select('meta_value').where('meta_key', '=', 'rollups.routing-counts-recounted').executeTakeFirst()).toBeDefined();
    });

    describe('isolation matrix', () => {
      runTenantIsolationTests(() => ({ t, a, b, ids: {} }), [
        { method: 'GET', url: () => '/api/analytics/overview', scope: 'own', access: 'read' },
        { method: 'GET', url: () => '/api/analytics/trends', scope: 'own', access: 'read' },
        { method: 'GET', url: () => '/api/analytics/routing', scope: 'own', access: 'read' },
      ]);
    });
  });
}
