import { z } from 'zod';
import { WEEKDAYS } from '../routing/rule-schedule.js';
import { parseDateBound } from '../time/date-bound.js';
import './error-messages.js';

/**
 * A routing rule's schedule, shared by the API and the rule form so both refuse the same
 * input: weekly windows (`days` + `from`–`to`, crossing midnight when `to` is earlier) and
 * holidays (a date or inclusive range, closed unless `hours` open part of each day), read
 * in the tenant's time zone by `isOpenAt` (core/routing/rule-schedule.ts).
 */
export const SCHEDULE_WINDOWS_MAX = 20;
export const SCHEDULE_HOLIDAYS_MAX = 100;
export const HOLIDAY_HOURS_MAX = 5;
export const HOLIDAY_RANGE_MAX_DAYS = 366;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const TIME_MESSAGE = 'must be a time of day as HH:MM, 00:00 to 23:59';

const fromField = z.string({ message: TIME_MESSAGE }).trim().regex(TIME, { message: TIME_MESSAGE });
/** 24:00 ends a window at midnight (a whole day is 00:00–24:00). */
const toField = z
  .string({ message: TIME_MESSAGE })
  .trim()
  .refine((v) => TIME.test(v) || v === '24:00', { message: 'must be a time of day as HH:MM, 00:00 to 24:00' });

const dayField = z.enum(WEEKDAYS, { message: `must be one of ${WEEKDAYS.join(', ')}` });

export const weeklyWindowField = z
  .object({
    days: z
      .array(dayField, { message: 'must be a list of weekdays' })
      .min(1, { message: 'pick at least one day' })
      .max(7)
      .refine((days) => new Set(days).size === days.length, { message: 'names a day twice' }),
    from: fromField,
    to: toField,
  })
  .strict()
  .refine((w) => w.from !== w.to, {
    path: ['to'],
    message: 'must differ from the start: a window of no time never opens (00:00 to 24:00 is the whole day)',
  });

const holidayHoursField = z
  .object({ from: fromField, to: toField })
  .strict()
  .refine((h) => h.from < h.to || h.to === '24:00', { path: ['to'], message: "must be after the start: a holiday's hours end the same day" });

const dateField = z
  .string({ message: 'must be a date as YYYY-MM-DD' })
  .trim()
  .refine((v) => parseDateBound(v)?.kind === 'day', { message: 'must be a real date as YYYY-MM-DD' });

const daysApart = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export const holidayField = z
  .object({
    date: dateField,
    /** The last closed day, included; absent or null for one day. */
    end_date: dateField.nullable().optional(),
    name: z
      .string()
      .trim()
      .max(80, { message: 'must be at most 80 characters' })
      .nullable()
      .optional()
      .transform((v) => (v === '' || v === undefined ? null : v)),
    /** Hours the rule opens on these days after all; none: closed all day. */
    hours: z.array(holidayHoursField).max(HOLIDAY_HOURS_MAX, { message: `may hold at most ${HOLIDAY_HOURS_MAX} windows` }).default([]),
  })
  .strict()
  .superRefine((h, ctx) => {
    if (!h.end_date || parseDateBound(h.date)?.kind !== 'day' || parseDateBound(h.end_date)?.kind !== 'day') return;
    if (h.end_date < h.date) ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'must be on or after the date' });
    else if (daysApart(h.date, h.end_date) >= HOLIDAY_RANGE_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['end_date'], message: `a holiday may span at most ${HOLIDAY_RANGE_MAX_DAYS} days` });
  });

export const ruleScheduleField = z
  .object({
    windows: z.array(weeklyWindowField).max(SCHEDULE_WINDOWS_MAX, { message: `may hold at most ${SCHEDULE_WINDOWS_MAX} windows` }).default([]),
    holidays: z.array(holidayField).max(SCHEDULE_HOLIDAYS_MAX, { message: `may hold at most ${SCHEDULE_HOLIDAYS_MAX} holidays` }).default([]),
  })
  .strict()
  .refine((s) => s.windows.length > 0 || s.holidays.length > 0, { message: 'give at least one window or holiday; null means always open' })
  .meta({
    description:
      "When the rule is open, in the tenant's time zone. windows: weekdays (mon..sun) and from/to as HH:MM (to earlier than from crosses midnight; to may be 24:00); no windows means open at all hours. holidays: a date or date..end_date range closed all day unless hours open part of it. Outside it the rule is skipped and the next matching rule is tried.",
  });
export type RuleScheduleInput = z.output<typeof ruleScheduleField>;

/** How a stored schedule is shown: the validated shape without the checks (it was checked when written). */
const timeView = z.object({ from: z.string(), to: z.string() });
export const ruleScheduleView = z.object({
  windows: z.array(timeView.extend({ days: z.array(z.enum(WEEKDAYS)) })),
  holidays: z.array(z.object({ date: z.string(), end_date: z.string().nullable().optional(), name: z.string().nullable().optional(), hours: z.array(timeView) })),
});
export type RuleScheduleView = z.infer<typeof ruleScheduleView>;

/** A stored schedule, or null when none is stored or it no longer validates (the rule is then always open). */
export function parseStoredSchedule(value: unknown): RuleScheduleInput | null {
  if (value === null || value === undefined) return null;
  const parsed = ruleScheduleField.safeParse(value);
  return parsed.success ? parsed.data : null;
}
