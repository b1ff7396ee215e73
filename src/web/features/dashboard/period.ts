import { z } from 'zod';
import { analyticsQuery } from '../../../core/schemas/analytics.js';
import { formatDayWithYear, isoDay } from '../../lib/format.js';
import type { DayRange } from './api/get-metrics.js';
import type { RangeDays } from './components/range-picker.js';

/** The period the dashboard shows, in words: `short` after a comma, `phrase` after a verb. */
export interface PeriodText {
  short: string;
  phrase: string;
}

/** The last `days` local days, today included (the browser's today; the API counts in the tenant's zone, the same or a day apart). */
export function lastDays(days: RangeDays): DayRange {
  return { start_date: isoDay(-(days - 1)), end_date: isoDay() };
}

export function describeLastDays(days: RangeDays): PeriodText {
  if (days === 1) return { short: 'today', phrase: 'today' };
  if (days === 2) return { short: 'yesterday and today', phrase: 'yesterday and today' };
  return { short: `last ${days} days`, phrase: `in the last ${days} days` };
}

export function describeRange({ start_date, end_date }: DayRange): PeriodText {
  const start = formatDayWithYear(start_date);
  const end = formatDayWithYear(end_date);
  return start_date === end_date ? { short: start, phrase: `on ${start}` } : { short: `${start} – ${end}`, phrase: `from ${start} to ${end}` };
}

/** The analytics API's rule's message, said for someone picking dates rather than writing a query. */
function plainMessage(message: string): string {
  if (/^must not be before/.test(message)) return 'must not be before the start date';
  const most = /at most (\d+) days/.exec(message);
  if (most) return `must be at most ${Number(most[1]) - 1} days after the start date`;
  return message;
}

/** Custom dashboard dates, checked with the analytics API's own query schema (the same days, order and longest span). */
export const customRangeSchema = z
  .object({ start_date: z.string().trim(), end_date: z.string().trim() })
  .superRefine((range, ctx) => {
    for (const key of ['start_date', 'end_date'] as const) {
      if (range[key] === '') ctx.addIssue({ code: 'custom', path: [key], message: 'is required' });
    }
    if (range.start_date === '' || range.end_date === '') return;
    const parsed = analyticsQuery.safeParse(range);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: plainMessage(issue.message) });
  });
