import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findOpenRule } from '../../src/core/routing/find-open-rule.js';
import { compileInboundRules, type InboundRule } from '../../src/core/routing/order-rules.js';
import { isOpenAt, WEEKDAYS, type RuleSchedule, type WeeklyWindow } from '../../src/core/routing/rule-schedule.js';
import { ruleScheduleField, SCHEDULE_WINDOWS_MAX } from '../../src/core/schemas/rule-schedule.js';
import { localDayRange } from '../../src/core/time/local-day.js';
import { parseMoment } from '../../src/core/time/wall-time.js';

const NY = 'America/New_York';
const LONDON = 'Europe/London';
const MIN = 60_000;
const every: WeeklyWindow['days'] = WEEKDAYS;
const weekdays: WeeklyWindow['days'] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const schedule = (windows: readonly WeeklyWindow[], holidays: RuleSchedule['holidays'] = []): RuleSchedule => ({ windows, holidays });
const utc = (text: string) => Date.parse(`${text}Z`);

/** The instants of a local day, minute by minute, at which the schedule is open. */
function openMinutes(s: RuleSchedule, day: string, timeZone: string): number[] {
  const { start, end } = localDayRange(day, timeZone);
  const out: number[] = [];
  for (let t = start; t < end; t += MIN) if (isOpenAt(s, t, timeZone) === 'open') out.push(t);
  return out;
}

describe('rule schedules: isOpenAt', () => {
  it('reads weekday windows in the tenant’s zone', () => {
    const office = schedule([{ days: weekdays, from: '09:00', to: '17:30' }, { days: ['sat'], from: '10:00', to: '14:00' }]);
    // Thursday 2026-12-03, New York is UTC-5.
    expect(isOpenAt(office, utc('2026-12-03T13:59:59'), NY)).toBe('outside_hours');
    expect(isOpenAt(office, utc('2026-12-03T14:00:00'), NY)).toBe('open');
    expect(isOpenAt(office, utc('2026-12-03T22:29:59'), NY)).toBe('open');
    expect(isOpenAt(office, utc('2026-12-03T22:30:00'), NY)).toBe('outside_hours');
    // The same instant is 09:00 in UTC, where it is open too, and 23:00 in Tokyo, where it is not.
    expect(isOpenAt(office, utc('2026-12-03T14:00:00'), 'Asia/Tokyo')).toBe('outside_hours');
    expect(isOpenAt(office, utc('2026-12-05T15:00:00'), NY)).toBe('open'); // Saturday 10:00
    expect(isOpenAt(office, utc('2026-12-05T19:00:00'), NY)).toBe('outside_hours'); // Saturday 14:00
    expect(isOpenAt(office, utc('2026-12-06T15:00:00'), NY)).toBe('outside_hours'); // Sunday
  });

  it('spring forward (New York, 2026-03-08): 01:30–02:30 is open only the 30 minutes that exist, 09:00–17:00 is 8 hours from 09:00 EDT', () => {
    const night = schedule([{ days: every, from: '01:30', to: '02:30' }]);
    expect(isOpenAt(night, utc('2026-03-08T06:29:00'), NY)).toBe('outside_hours'); // 01:29 EST
    expect(isOpenAt(night, utc('2026-03-08T06:30:00'), NY)).toBe('open'); // 01:30 EST
    expect(isOpenAt(night, utc('2026-03-08T07:00:00'), NY)).toBe('outside_hours'); // 03:00 EDT: 02:00–02:59 never happened
    const open = openMinutes(night, '2026-03-08', NY);
    expect(open).toHaveLength(30);
    expect(open[0]).toBe(utc('2026-03-08T06:30:00'));

    const day = schedule([{ days: ['sun'], from: '09:00', to: '17:00' }]);
    const hours = openMinutes(day, '2026-03-08', NY);
    expect(hours).toHaveLength(8 * 60);
    expect(hours[0]).toBe(utc('2026-03-08T13:00:00')); // 09:00 EDT, not 14:00 UTC as the day before
    expect(isOpenAt(day, utc('2026-03-08T20:59:00'), NY)).toBe('open');
    expect(isOpenAt(day, utc('2026-03-08T21:00:00'), NY)).toBe('outside_hours');
  });

  it('fall back (New York, 2026-11-01): the repeated hour is open both times the clock reads it', () => {
    const night = schedule([{ days: every, from: '01:30', to: '02:30' }]);
    expect(isOpenAt(night, utc('2026-11-01T05:30:00'), NY)).toBe('open'); // 01:30 EDT
    expect(isOpenAt(night, utc('2026-11-01T06:00:00'), NY)).toBe('outside_hours'); // 01:00 EST, the clock went back
    expect(isOpenAt(night, utc('2026-11-01T06:30:00'), NY)).toBe('open'); // 01:30 EST
    expect(isOpenAt(night, utc('2026-11-01T07:29:00'), NY)).toBe('open'); // 02:29 EST
    expect(isOpenAt(night, utc('2026-11-01T07:30:00'), NY)).toBe('outside_hours');
    expect(openMinutes(night, '2026-11-01', NY)).toHaveLength(90);

    const day = schedule([{ days: ['sun'], from: '09:00', to: '17:00' }]);
    const hours = openMinutes(day, '2026-11-01', NY);
    expect(hours).toHaveLength(8 * 60);
    expect(hours[0]).toBe(utc('2026-11-01T14:00:00')); // 09:00 EST
  });

  it('London’s switch to BST moves a Mon–Fri window one hour earlier in UTC', () => {
    const office = schedule([{ days: weekdays, from: '09:00', to: '17:30' }]);
    expect(isOpenAt(office, utc('2026-03-27T09:00:00'), LONDON)).toBe('open'); // Friday, GMT
    expect(isOpenAt(office, utc('2026-03-27T08:59:00'), LONDON)).toBe('outside_hours');
    expect(isOpenAt(office, utc('2026-03-30T08:00:00'), LONDON)).toBe('open'); // Monday 09:00 BST
    expect(isOpenAt(office, utc('2026-03-30T07:59:00'), LONDON)).toBe('outside_hours');
    expect(isOpenAt(office, utc('2026-03-30T16:29:00'), LONDON)).toBe('open');
    expect(isOpenAt(office, utc('2026-03-30T16:30:00'), LONDON)).toBe('outside_hours');
  });

  it('closes on a holiday, or opens only its own hours', () => {
    const office = schedule([{ days: weekdays, from: '09:00', to: '17:30' }], [{ date: '2026-12-25', name: 'Christmas' }]);
    expect(isOpenAt(office, utc('2026-12-24T17:00:00'), NY)).toBe('open'); // Thursday 12:00
    expect(isOpenAt(office, utc('2026-12-25T17:00:00'), NY)).toBe('holiday'); // Friday 12:00
    expect(isOpenAt(office, utc('2026-12-25T04:59:00'), NY)).toBe('outside_hours'); // still the 24th, 23:59 in New York
    expect(isOpenAt(office, utc('2026-12-26T05:00:00'), 'UTC')).toBe('outside_hours'); // a Saturday, not a holiday

    const shortDays = schedule([{ days: weekdays, from: '09:00', to: '17:30' }], [{ date: '2026-12-31', end_date: '2027-01-02', hours: [{ from: '10:00', to: '14:00' }] }]);
    expect(isOpenAt(shortDays, utc('2026-12-31T09:30:00'), 'UTC')).toBe('holiday');
    expect(isOpenAt(shortDays, utc('2026-12-31T10:00:00'), 'UTC')).toBe('open');
    expect(isOpenAt(shortDays, utc('2027-01-02T11:00:00'), 'UTC')).toBe('open'); // a Saturday opened by the holiday's hours
    expect(isOpenAt(shortDays, utc('2027-01-01T14:00:00'), 'UTC')).toBe('holiday');
    expect(isOpenAt(shortDays, utc('2027-01-04T09:00:00'), 'UTC')).toBe('open');
    // No windows: always open but on holidays.
    const closedOnly = schedule([], [{ date: '2026-07-04' }]);
    expect(isOpenAt(closedOnly, utc('2026-07-03T23:00:00'), 'UTC')).toBe('open');
    expect(isOpenAt(closedOnly, utc('2026-07-04T23:00:00'), 'UTC')).toBe('holiday');
  });

  it('carries a window past midnight into the next day, unless it starts on a holiday', () => {
    const late = schedule([{ days: ['fri'], from: '22:00', to: '02:00' }]);
    expect(isOpenAt(late, utc('2026-12-04T21:59:00'), 'UTC')).toBe('outside_hours'); // Friday
    expect(isOpenAt(late, utc('2026-12-04T22:00:00'), 'UTC')).toBe('open');
    expect(isOpenAt(late, utc('2026-12-05T01:59:00'), 'UTC')).toBe('open'); // Saturday
    expect(isOpenAt(late, utc('2026-12-05T02:00:00'), 'UTC')).toBe('outside_hours');
    expect(isOpenAt(late, utc('2026-12-06T01:00:00'), 'UTC')).toBe('outside_hours'); // Sunday: Saturday has no window
    const holidayFriday = schedule(late.windows, [{ date: '2026-12-04' }]);
    expect(isOpenAt(holidayFriday, utc('2026-12-05T01:00:00'), 'UTC')).toBe('outside_hours');
    const untilMidnight = schedule([{ days: every, from: '18:00', to: '24:00' }]);
    expect(isOpenAt(untilMidnight, utc('2026-12-05T23:59:00'), 'UTC')).toBe('open');
    expect(isOpenAt(untilMidnight, utc('2026-12-06T00:00:00'), 'UTC')).toBe('outside_hours');
  });

  it('a window and its complement split every day exactly', () => {
    const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(time, time, fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.constantFrom('UTC', NY, LONDON, 'Asia/Kolkata', 'Australia/Lord_Howe'), (from, to, at, zone) => {
        fc.pre(from !== to);
        const one = isOpenAt(schedule([{ days: every, from, to }]), at, zone) === 'open';
        const other = isOpenAt(schedule([{ days: every, from: to, to: from }]), at, zone) === 'open';
        expect(one).not.toBe(other);
      }),
      { numRuns: 300 },
    );
  });
});

describe('rule schedules: the first open rule', () => {
  const rule = (id: number, pattern: string, extra: Partial<InboundRule> = {}): InboundRule => ({ id, name: `r${id}`, pattern, targetType: 'agent', targetId: id, priority: 100, position: id, enabled: true, ...extra });
  const { rules } = compileInboundRules([
    rule(1, '+1212555*', { priority: 1, schedule: schedule([{ days: weekdays, from: '09:00', to: '17:00' }], [{ date: '2026-12-25' }]) }),
    rule(2, '+1212*', { priority: 2, schedule: schedule([{ days: ['sat', 'sun'], from: '00:00', to: '24:00' }]) }),
    rule(3, '+1*', { priority: 3 }),
  ]);

  it('skips a closed rule with its reason and takes the next that matches', () => {
    const open = findOpenRule(rules, '12125550100', utc('2026-12-03T15:00:00'), NY); // Thursday 10:00
    expect(open.rule?.id).toBe(1);
    expect(open.scheduleSkipped).toEqual([]);
    const evening = findOpenRule(rules, '12125550100', utc('2026-12-03T23:00:00'), NY);
    expect(evening.rule?.id).toBe(3);
    expect(evening.scheduleSkipped).toEqual([
      { rule_id: 1, name: 'r1', reason: 'outside_hours' },
      { rule_id: 2, name: 'r2', reason: 'outside_hours' },
    ]);
    const christmas = findOpenRule(rules, '12125550100', utc('2026-12-25T15:00:00'), NY);
    expect(christmas.scheduleSkipped[0]).toEqual({ rule_id: 1, name: 'r1', reason: 'holiday' });
    expect(findOpenRule(rules, '12125550100', utc('2026-12-05T15:00:00'), NY).rule?.id).toBe(2); // Saturday
  });

  it('asks nothing of rules without a schedule', () => {
    const plain = compileInboundRules([rule(7, '+1*')]).rules;
    const a = findOpenRule(plain, '12125550100', 0, 'Not/AZone');
    const b = findOpenRule(plain, '19995550100', 0, 'Not/AZone');
    expect(a.rule?.id).toBe(7);
    expect(a.scheduleSkipped).toBe(b.scheduleSkipped); // one shared empty list, nothing allocated
  });
});

describe('rule schedules: the schema', () => {
  const fieldsOf = (value: unknown) => {
    const r = ruleScheduleField.safeParse(value);
    return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message]));
  };
  const win = { days: ['mon'], from: '09:00', to: '17:00' };

  it('accepts windows and holidays, filling defaults', () => {
    expect(ruleScheduleField.parse({ windows: [{ days: ['mon', 'sat'], from: ' 22:00', to: '02:00' }] })).toEqual({ windows: [{ days: ['mon', 'sat'], from: '22:00', to: '02:00' }], holidays: [] });
    expect(ruleScheduleField.parse({ holidays: [{ date: '2026-12-25', name: '' }] })).toEqual({ windows: [], holidays: [{ date: '2026-12-25', name: null, hours: [] }] });
  });

  it('refuses bad input naming the field', () => {
    expect(fieldsOf({ windows: [{ ...win, from: '9:00' }] })).toEqual({ 'windows.0.from': 'must be a time of day as HH:MM, 00:00 to 23:59' });
    expect(fieldsOf({ windows: [{ ...win, to: '25:00' }] })).toEqual({ 'windows.0.to': 'must be a time of day as HH:MM, 00:00 to 24:00' });
    expect(fieldsOf({ windows: [{ ...win, to: '09:00' }] })['windows.0.to']).toMatch(/^must differ from the start/);
    expect(fieldsOf({ windows: [{ ...win, days: ['monday'] }] })).toEqual({ 'windows.0.days.0': 'must be one of mon, tue, wed, thu, fri, sat, sun' });
    expect(fieldsOf({ windows: [{ ...win, days: [] }] })).toEqual({ 'windows.0.days': 'pick at least one day' });
    expect(fieldsOf({ windows: [{ ...win, days: ['mon', 'mon'] }] })).toEqual({ 'windows.0.days': 'names a day twice' });
    expect(fieldsOf({ windows: Array.from({ length: SCHEDULE_WINDOWS_MAX + 1 }, () => win) })).toEqual({ windows: `may hold at most ${SCHEDULE_WINDOWS_MAX} windows` });
    expect(fieldsOf({ holidays: [{ date: '2026-02-30' }] })).toEqual({ 'holidays.0.date': 'must be a real date as YYYY-MM-DD' });
    expect(fieldsOf({ holidays: [{ date: '2026-12-25', end_date: '2026-12-24' }] })).toEqual({ 'holidays.0.end_date': 'must be on or after the date' });
    expect(fieldsOf({ holidays: [{ date: '2026-12-25', hours: [{ from: '14:00', to: '10:00' }] }] })['holidays.0.hours.0.to']).toMatch(/^must be after the start/);
    expect(fieldsOf({ windows: [], holidays: [] })).toEqual({ '': 'give at least one window or holiday; null means always open' });
    expect(fieldsOf({ windows: [{ ...win, extra: 1 }] })).toEqual({ 'windows.0': 'unknown field: extra' });
  });
});

describe('rule tester moments', () => {
  it('reads a zoned date-time as that instant and a bare one as wall time in the tenant’s zone', () => {
    expect(parseMoment('2026-12-25T09:30:00Z', NY)).toBe(utc('2026-12-25T09:30:00'));
    expect(parseMoment('2026-12-25T09:30:00+01:00', NY)).toBe(utc('2026-12-25T08:30:00'));
    expect(parseMoment('2026-12-25T09:30', NY)).toBe(utc('2026-12-25T14:30:00'));
    expect(parseMoment('2026-07-01T09:30:15', LONDON)).toBe(utc('2026-07-01T08:30:15'));
    expect(parseMoment('2026-03-08T02:30', NY)).toBe(utc('2026-03-08T07:30:00')); // skipped: 03:30 EDT
    expect(parseMoment('2026-11-01T01:30', NY)).toBe(utc('2026-11-01T05:30:00')); // repeated: the first, EDT
    for (const bad of ['2026-02-30T10:00', 'tomorrow', '2026-12-25', '2026-12-25T24:00', '']) expect(parseMoment(bad, NY), bad).toBeNull();
  });
});
