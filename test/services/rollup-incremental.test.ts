import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDay, localDayRange } from '../../src/core/time/local-day.js';
import { createLogger } from '../../src/services/logger.js';
import { createRollups } from '../../src/services/analytics/rollups.js';
import { createCallRecorder } from '../../src/services/routing/call-recorder.js';
import { openStore, type Store } from '../../src/store/database.js';
import { createRepositories } from '../../src/store/index.js';
import { ROLLUP_COUNTERS, type RollupCounter, type RollupCounts } from '../../src/core/stats/rollup-contribution.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup, createInboundRule } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const TZ = 'America/New_York';
const ANALYTICS = ['metrics', 'routing', 'agents', 'groups'] as const;

/**
 * Roll-ups kept call by call (each write adds its change in its own transaction) must equal
 * a full recompute of the day from the call records, and analytics must answer the same
 * numbers from either: a seeded, varied day of calls (answered, failed over, busy, fallback,
 * overflow, corrected by a late CDR, test calls), some written by a second instance at the
 * same moment as the first, on every database.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect.name}: incremental roll-ups equal a full recompute`, () => {
    let t: TestApp;
    let a: TenantActors;
    let secret: string;
    let second: { store: Store; recorder: ReturnType<typeof createCallRecorder> };
    let thirdAgent: number;
    let today: string;
    let midnight: number;
    let now = Date.UTC(2026, 10, 24, 17, 0); // 12:00 in New York

    const voice = (s: string, over: Record<string, unknown> = {}) => t.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, s, over) });
    const dialBack = (action: string, s: string, status: string) => t.request({ method: 'POST', url: action.replace(/^https?:\/\/[^/]+/, ''), payload: voiceBody(a.domain, s, { DialCallStatus: status }) });
    const cdr = (s: string, disposition: string, billsec: number) =>
      t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { disposition, duration: billsec + 2, billsec, session: { token: s } } });

    /** One call through the webhooks: answered, failed over until nothing is left, busy, or left ringing (its slot held). */
    async function call(kind: 'answered' | 'failed' | 'busy' | 'ringing', to = '+12125550187', seconds = 30): Promise<string> {
      const s = newSession();
      let dial = dialedService((await voice(s, { To: to })).body);
      if (!dial || kind === 'ringing') return s;
      if (kind === 'answered') {
        await dialBack(dial.action, s, 'completed');
        await cdr(s, 'ANSWER', seconds);
      } else if (kind === 'busy') await dialBack(dial.action, s, 'busy');
      else while (dial) dial = dialedService((await dialBack(dial.action, s, 'failed')).body);
      return s;
    }

    const rowsOf = async () => {
      const rows = await t.runtime.store.db.selectFrom('call_daily_rollups').selectAll().where('tenant_id', '=', a.tenantId).execute();
      // A call that moved to another agent leaves its old row at zero; a recompute has no such row.
      return rows
        .map((r) => ({ day: r.day, agent: Number(r.agent_id), group: Number(r.group_id), ...(Object.fromEntries(ROLLUP_COUNTERS.map((c) => [c, Number(r[c])])) as RollupCounts) }))
        .filter((r) => ROLLUP_COUNTERS.some((c) => r[c] !== 0))
        .sort((x, y) => `${x.day}|${x.agent}|${x.group}`.localeCompare(`${y.day}|${y.agent}|${y.group}`));
    };
    const answers = async () => {
      const yesterday = localDay(midnight - 1, TZ);
      const out: Record<string, unknown> = {};
      for (const view of ANALYTICS) {
        const res = await t.request({ method: 'GET', url: `/api/analytics/${view}?start_date=${yesterday}&end_date=${today}`, token: a.analyst.token });
        expect(res.statusCode, res.body).toBe(200);
        out[view] = res.json();
      }
      return out;
    };

    beforeAll(async () => {
      t = await createTestApp(dialect, {}, { clock: () => now });
      a = await registerTenant(t, 'incroll');
      await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { timezone: TZ } } });
      secret = await webhookSecret(t, a.admin.token);
      const first = await createAgent(t, a.admin.token, { max_concurrent_calls: 1 });
      const backup = await createAgent(t, a.admin.token, { max_concurrent_calls: 1 });
      thirdAgent = await createAgent(t, a.admin.token);
      const group = await createGroup(t, a.admin.token, 'priority', [{ agent_id: first, priority: 1 }, { agent_id: backup, priority: 2 }]);
      await createInboundRule(t, a.admin.token, { pattern: '+1212*', target_type: 'group', target_id: group });
      await createInboundRule(t, a.admin.token, { pattern: '+1313*', target_type: 'agent', target_id: thirdAgent });
      today = localDay(now, TZ);
      midnight = localDayRange(today, TZ).start;
      // A second instance: its own connection to the same database, writing calls of the same tenant.
      const store = openStore(t.runtime.config.databaseUrl!);
      const repos = createRepositories(store);
      const keeper = createRollups(repos, () => now, createLogger('silent'));
      second = { store, recorder: createCallRecorder(store, repos, () => now, keeper.days) };
      await keeper.close();

      // Yesterday evening (a day boundary in the tenant's zone), then today.
      now = midnight - 20 * MINUTE;
      await call('answered', '+13135550100', 40);
      await call('ringing', '+33100000000'); // no rule: fallback
      now = midnight + 8 * HOUR;
      await call('answered', '+12125550187', 61);
      await call('failed'); // the first fails, the backup fails: failed over, then attempts exhausted
      await call('busy', '+13135550101');
      const corrected = await call('busy', '+13135550102');
      // Overflow: the first agent held by a ringing call, the next goes to the backup; both held: fallback at capacity.
      now = midnight + 9 * HOUR;
      await call('ringing');
      await call('ringing');
      await call('ringing');
      // A late CDR corrects a call that had ended busy: it was answered after all.
      now = midnight + 10 * HOUR;
      const was = await t.runtime.store.db.selectFrom('call_records').select(['status', 'duration_seconds']).where('session_token', '=', corrected).executeTakeFirstOrThrow();
      expect((await cdr(corrected, 'ANSWER', 25)).statusCode).toBeLessThan(300);
      const is = await t.runtime.store.db.selectFrom('call_records').select(['status', 'duration_seconds']).where('session_token', '=', corrected).executeTakeFirstOrThrow();
      expect(is).not.toEqual(was);

      // Two instances at once: new calls and CDRs of the same calls from both (rows of one agent and day bumped together).
      now = midnight + 11 * HOUR;
      const answer = { kind: 'answer', step: 0, at: now, act: 'dial', attempt: 1, agentId: thirdAgent, fallback: null } as const;
      const trace = JSON.stringify({ fallback: null, skipped: [] });
      const mine = await Promise.all(Array.from({ length: 12 }, () => call('ringing', '+13135550199')));
      const theirs = Array.from({ length: 12 }, () => newSession());
      await Promise.all(
        theirs.map((s) =>
          second.recorder.createRouted(a.tenantId, { sessionToken: s, direction: 'inbound', from: '+14155550123', to: '+13135550199' }, [
            { eventType: 'call.routed', event: answer, fields: { decision_trace: trace, group_id: null } },
          ]),
        ),
      );
      const cdrEvent = (billsec: number) => ({ kind: 'cdr', disposition: 'ANSWER', billsec, durationSeconds: billsec + 2, startedAt: null, answeredAt: null, endedAt: null }) as const;
      await Promise.all(
        [...mine, ...theirs].flatMap((s, i) => [
          cdr(s, i % 3 === 0 ? 'BUSY' : 'ANSWER', 10 + i),
          second.recorder.record(a.tenantId, { sessionToken: s, direction: 'inbound', from: null, to: null }, [{ eventType: 'cdr', event: cdrEvent(10 + i) }]),
        ]),
      );
      // A test call the console placed: recorded, never counted.
      const test = newSession();
      await second.recorder.record(a.tenantId, { sessionToken: test, direction: 'outbound', from: null, to: '+13135550123' }, [
        { eventType: 'call.routed', event: answer, fields: { decision_trace: trace, is_test: 1, group_id: null } },
      ]);
      await second.recorder.record(a.tenantId, { sessionToken: test, direction: 'outbound', from: null, to: null }, [{ eventType: 'cdr', event: cdrEvent(9) }]);
      now = midnight + 12 * HOUR;
    }, 120_000);
    afterAll(async () => {
      await second?.store.close();
      await t?.close();
    });

    it('the rows kept call by call are those a full recompute gives, and analytics answer the same', async () => {
      const kept = await rowsOf();
      const keptAnswers = await answers();
      // Every kind of call is in there: answered with durations, failed, fallbacks and an overflow.
      const sum = (c: RollupCounter) => kept.reduce((s, r) => s + r[c], 0);
      const calls = await t.runtime.store.db.selectFrom('call_records').select(['is_test']).where('tenant_id', '=', a.tenantId).execute();
      expect(sum('calls')).toBe(calls.filter((c) => Number(c.is_test) === 0).length);
      for (const c of ['answered', 'failed', 'duration_count', 'overflowed', 'fb_no_rule', 'fb_all_at_capacity', 'fb_attempts_exhausted'] as const) expect(sum(c), c).toBeGreaterThan(0);
      expect(new Set(kept.map((r) => r.day)).size).toBe(2);

      await t.runtime.services.rollups.rebuildTenant(a.tenantId);
      expect(await rowsOf()).toEqual(kept);
      expect(await answers()).toEqual(keptAnswers);
    });

    it('a row gone wrong is put right by the backstop recompute of the days written to', async () => {
      const right = await rowsOf();
      await t.runtime.store.db.updateTable('call_daily_rollups').set({ calls: 999, answered: 0 }).where('tenant_id', '=', a.tenantId).where('day', '=', today).execute();
      expect(await rowsOf()).not.toEqual(right);
      // A write marks the tenant as written to; the backstop then recounts its today and yesterday.
      await call('busy', '+13135550103');
      await t.runtime.services.rollups.markBackstop();
      await t.runtime.services.rollups.flush();
      const after = await rowsOf();
      const todayThird = (rows: typeof right) => rows.find((r) => r.day === today && r.agent === thirdAgent && r.group === 0)!;
      expect(after.filter((r) => r.day !== today)).toEqual(right.filter((r) => r.day !== today));
      expect(todayThird(after).calls).toBe(todayThird(right).calls + 1);
      expect(todayThird(after).failed).toBe(todayThird(right).failed + 1);
    });
  });
}
