import { WEEKDAYS, type Weekday } from '../../../../core/routing/rule-schedule.js';
import type { RuleScheduleView } from '../../../../core/schemas/rule-schedule.js';

export const weekdayLabels: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/** Days as runs: mon..fri → "Mon–Fri", mon, wed → "Mon, Wed", all → "Every day". */
export function daysLabel(days: readonly Weekday[]): string {
  if (days.length === 7) return 'Every day';
  const picked = WEEKDAYS.map((d) => days.includes(d));
  const runs: string[] = [];
  for (let i = 0; i < 7; i++) {
    if (!picked[i]) continue;
    let j = i;
    while (j + 1 < 7 && picked[j + 1]) j++;
    const [a, b] = [weekdayLabels[WEEKDAYS[i]!], weekdayLabels[WEEKDAYS[j]!]];
    runs.push(j === i ? a : j === i + 1 ? `${a}, ${b}` : `${a}–${b}`);
    i = j;
  }
  return runs.join(', ');
}

/** One line for the rules list: "Mon–Fri 09:00–17:30, Sat 10:00–14:00 · 2 holidays". */
export function scheduleSummary(schedule: RuleScheduleView): string {
  const windows = schedule.windows.map((w) => `${daysLabel(w.days)} ${w.from}–${w.to}`);
  const hours = windows.length > 0 ? windows.join(', ') : 'Any hour';
  const n = schedule.holidays.length;
  return n === 0 ? hours : `${hours} · ${n} ${n === 1 ? 'holiday' : 'holidays'}`;
}
