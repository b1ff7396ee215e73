import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundRuleResponse } from '../../src/http/inbound-routing-rules.js';
import type { SimulationResponse } from '../../src/http/routing-simulate.js';
import { readJson } from '../../src/store/json-column.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL, type TestDialect } from '../support/backends.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const RULES = '/api/inbound-routing-rules';
const NY = 'America/New_York';
const OFFICE = { windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:30' }], holidays: [{ date: '2026-12-25', name: 'Christmas' }] };

const backends: { name: string; dialect: TestDialect; env: Record<string, string> }[] = [
  ...DIALECTS.map((dialect) => ({ name: dialect.name, dialect, env: {} })),
  ...(TEST_REDIS_URL ? [{ name: 'sqlite + redis', dialect: DIALECTS[0]!, env: { REDIS_URL: TEST_REDIS_URL } }] : []),
];

for (const { name, dialect, env } of backends) {
  describe(`${name}: schedules on inbound rules`, () => {
    let t: TestApp;
    let a: TenantActors;
    let secret: string;
    let office: number;
    let afterHours: number;
    // The services' clock: a Thursday, 10:00 in New York, unless a test moves it.
    let now = Date.parse('2026-12-03T15:00:00Z');
    const agents: Record<'day' | 'night', number> = { day: 0, night: 0 };

    beforeAll(async () => {
      t = await createTestApp(dialect, env, { clock: () => now });
      a = await registerTenant(t, 'hours');
      expect((await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { timezone: NY } } })).statusCode).toBe(200);
      secret = await webhookSecret(t, a.admin.token);
      agents.day = await createAgent(t, a.admin.token, { name: 'Day desk', provider: 'vapi', service_value: '+12125550901' });
      agents.night = await createAgent(t, a.admin.token, { name: 'Night desk', provider: 'retell', service_value: '+12125550902' });
      const created = await post({ name: 'Office hours', pattern: '+1212555????', target_type: 'agent', target_id: agents.day, priority: 1, schedule: OFFICE });
      expect(created.statusCode).toBe(201);
      office = created.json<InboundRuleResponse>().id;
      const night = await post({ name: 'After hours', pattern: '+1212*', target_type: 'agent', target_id: agents.night, priority: 2 });
      afterHours = night.json<InboundRuleResponse>().id;
    });
    afterAll(async () => t?.close());

    const post = (payload: unknown) => t.request({ method: 'POST', url: RULES, token: a.admin.token, payload: payload as object });
    const simulate = (when?: string) =>
      t.request({ method: 'POST', url: '/api/routing/simulate', token: a.analyst.token, payload: { from: '+14155550123', to: '+12125550187', ...(when === undefined ? {} : { when }) } });

    it('stores the schedule with the rule and shows it; PUT replaces or removes it', async () => {
      const rule = (await t.request({ method: 'GET', url: `${RULES}/${office}`, token: a.analyst.token })).json<InboundRuleResponse>();
      expect(rule.schedule).toEqual({ windows: OFFICE.windows, holidays: [{ date: '2026-12-25', name: 'Christmas', hours: [] }] });
      const listed = (await t.request({ method: 'GET', url: RULES, token: a.analyst.token })).json<{ data: InboundRuleResponse[] }>().data;
      expect(listed.find((r) => r.id === afterHours)?.schedule).toBeNull();

      const temp = (await post({ pattern: '+1999*', target_type: 'agent', target_id: agents.day })).json<InboundRuleResponse>();
      expect(temp.schedule).toBeNull();
      const put = (payload: unknown) => t.request({ method: 'PUT', url: `${RULES}/${temp.id}`, token: a.admin.token, payload: payload as object });
      const late = { windows: [{ days: ['fri'], from: '22:00', to: '02:00' }], holidays: [{ date: '2026-12-31', end_date: '2027-01-01', hours: [{ from: '10:00', to: '14:00' }] }] };
      const updated = await put({ schedule: late });
      expect(updated.statusCode).toBe(200);
      expect(updated.json<InboundRuleResponse>().schedule).toEqual({ windows: late.windows, holidays: [{ ...late.holidays[0], name: null }] });
      expect((await put({ priority: 7 })).json<InboundRuleResponse>().schedule?.windows).toEqual(late.windows); // other fields keep it
      expect((await put({ schedule: null })).json<InboundRuleResponse>().schedule).toBeNull();
      expect((await t.request({ method: 'DELETE', url: `${RULES}/${temp.id}`, token: a.admin.token })).statusCode).toBe(204);
    });

    it('refuses a bad schedule with 422 naming the field', async () => {
      const base = { pattern: '+1888*', target_type: 'agent', target_id: agents.day };
      const window = OFFICE.windows[0]!;
      const cases: [unknown, string, RegExp][] = [
        [{ windows: [{ ...window, from: '9am' }] }, 'schedule.windows.0.from', /HH:MM/],
        [{ windows: [{ ...window, to: '09:00' }] }, 'schedule.windows.0.to', /must differ from the start/],
        [{ windows: [{ ...window, days: ['funday'] }] }, 'schedule.windows.0.days.0', /must be one of mon, tue/],
        [{ holidays: [{ date: '2026-13-01' }] }, 'schedule.holidays.0.date', /real date/],
        [{ holidays: [{ date: '2026-12-25', end_date: '2026-12-01' }] }, 'schedule.holidays.0.end_date', /on or after/],
        [{ windows: Array.from({ length: 21 }, () => window) }, 'schedule.windows', /at most 20 windows/],
        [{ windows: [], holidays: [] }, 'schedule', /at least one window or holiday/],
      ];
      for (const [schedule, field, message] of cases) {
        const res = await post({ ...base, schedule });
        expect(res.statusCode, field).toBe(422);
        expect(res.json().error.details.fields[field]?.[0], field).toMatch(message);
      }
      const put = await t.request({ method: 'PUT', url: `${RULES}/${office}`, token: a.admin.token, payload: { schedule: { windows: [{ ...window, to: '25:00' }] } } });
      expect(put.statusCode).toBe(422);
      expect(put.json().error.details.fields).toHaveProperty(['schedule.windows.0.to']);
    });

    it('the rule tester tries any moment: outside hours and on a holiday the next rule takes the call', async () => {
      const open = (await simulate('2026-12-03T10:00')).json<SimulationResponse>();
      expect(open).toMatchObject({ matched_rule: { id: office }, would_choose: { agent_id: agents.day }, schedule_skipped: [], when: '2026-12-03T15:00:00.000Z', time_zone: NY });

      const evening = await simulate('2026-12-03T20:00');
      expect(evening.statusCode).toBe(200);
      expect(evening.json<SimulationResponse>()).toMatchObject({
        matched_rule: { id: afterHours, name: 'After hours' },
        would_choose: { agent_id: agents.night, name: 'Night desk' },
        schedule_skipped: [{ rule_id: office, name: 'Office hours', reason: 'outside_hours' }],
        when: '2026-12-04T01:00:00.000Z',
      });
      // A zoned instant: 14:30 UTC is 09:30 in New York, open.
      expect((await simulate('2026-12-03T14:30:00Z')).json<SimulationResponse>().matched_rule?.id).toBe(office);
      expect((await simulate('2026-12-25T10:00')).json<SimulationResponse>().schedule_skipped).toEqual([{ rule_id: office, name: 'Office hours', reason: 'holiday' }]);
      // No `when`: the services' clock (Thursday 10:00).
      expect((await simulate()).json<SimulationResponse>()).toMatchObject({ matched_rule: { id: office }, when: null });
      const bad = await simulate('next tuesday');
      expect(bad.statusCode).toBe(422);
      expect(bad.json().error.details.fields).toHaveProperty('when');
    });

    it('a real voice request outside hours goes to the next rule, and the call record says why', async () => {
      const voice = async () => {
        const s = newSession();
        const res = await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: `Bearer ${secret}` }, payload: voiceBody(a.domain, s) });
        expect(res.statusCode).toBe(200);
        const row = await t.runtime.store.db.selectFrom('call_records').select(['rule_id', 'decision_trace']).where('session_token', '=', s).executeTakeFirstOrThrow();
        return { dialled: dialedService(res.body)?.number, rule: Number(row.rule_id), trace: readJson<Record<string, unknown>>(row.decision_trace, {}) };
      };
      now = Date.parse('2026-12-03T15:00:00Z'); // Thursday 10:00
      const day = await voice();
      expect(day).toMatchObject({ dialled: '+12125550901', rule: office });
      expect(day.trace).not.toHaveProperty('schedule_skipped');

      now = Date.parse('2026-12-05T15:00:00Z'); // Saturday 10:00
      const weekend = await voice();
      expect(weekend).toMatchObject({ dialled: '+12125550902', rule: afterHours });
      expect(weekend.trace.schedule_skipped).toEqual([{ rule_id: office, name: 'Office hours', reason: 'outside_hours' }]);
      now = Date.parse('2026-12-03T15:00:00Z');
    });
  });
}
