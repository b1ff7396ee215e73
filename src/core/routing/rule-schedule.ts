/**
 * When a routing rule is open: weekly windows of wall-clock time and dated exceptions
 * (holidays), read in the tenant's time zone. Wall-clock means what the clock on the wall
 * says, so a DST change moves the instants a window covers, never its local hours: on a
 * spring-forward day a 01:30–02:30 window is open 01:30–02:00 and then not (02:00–02:59
 * never happens); on a fall-back day the repeated hour is open both times it is read.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `from` is included, `to` is not; HH:MM, `to` may be 24:00. */
export interface TimeWindow {
  readonly from: string;
  readonly to: string;
}

/** A window whose `to` is earlier than its `from` crosses midnight into the next day. */
export interface WeeklyWindow extends TimeWindow {
  readonly days: readonly Weekday[];
}

/** A closed day or range of days (YYYY-MM-DD, inclusive), unless `hours` open part of each. */
export interface Holiday {
  readonly date: string;
  readonly end_date?: string | null | undefined;
  readonly name?: string | null | undefined;
  readonly hours?: readonly TimeWindow[] | undefined;
}

/** No windows: open at any hour of a day that is not a holiday. */
export interface RuleSchedule {
  readonly windows: readonly WeeklyWindow[];
  readonly holidays: readonly Holiday[];
}

export type ScheduleVerdict = 'open' | 'outside_hours' | 'holiday';

interface LocalMoment {
  /** YYYY-MM-DD */
  date: string;
  /** Index into WEEKDAYS (Monday 0). */
  weekday: number;
  /** Minutes since local midnight. */
  minute: number;
}

const MINUTE_MS = 60_000;
const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();
/** Per zone, the last minute read: every zone's offset is whole minutes, so a UTC minute is one local minute. */
const lastMinute = new Map<string, { at: number; local: LocalMoment }>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local date, weekday and minute of an instant in a zone (an unknown zone reads as UTC). */
export function localMoment(instant: number, timeZone: string): LocalMoment {
  const at = Math.floor(instant / MINUTE_MS);
  const hit = lastMinute.get(timeZone);
  if (hit && hit.at === at) return hit.local;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatter(timeZone).formatToParts(at * MINUTE_MS);
  } catch {
    parts = formatter('UTC').formatToParts(at * MINUTE_MS);
  }
  const p: Record<string, string> = {};
  for (const part of parts) p[part.type] = part.value;
  const local = { date: `${p.year}-${p.month}-${p.day}`, weekday: WEEKDAY_INDEX[p.weekday ?? ''] ?? 0, minute: Number(p.hour) * 60 + Number(p.minute) };
  if (lastMinute.size > 1000) lastMinute.clear();
  lastMinute.set(timeZone, { at, local });
  return local;
}

/** Minutes since midnight of HH:MM (24:00 is 1440). */
export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function previousDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

function holidayOn(holidays: readonly Holiday[], date: string): Holiday | undefined {
  // Dates as YYYY-MM-DD compare as text.
  return holidays.find((h) => h.date <= date && date <= (h.end_date ?? h.date));
}

function within(window: TimeWindow, minute: number): boolean {
  return minutesOf(window.from) <= minute && minute < minutesOf(window.to);
}

/**
 * Whether a schedule is open at an instant, or why not. A holiday replaces the weekly
 * windows for its whole date, including what a window of the day before carries past
 * midnight; likewise a window starting on a holiday does not spill into the next day.
 */
export function isOpenAt(schedule: RuleSchedule, instant: number, timeZone: string): ScheduleVerdict {
  const { date, weekday, minute } = localMoment(instant, timeZone);
  const holiday = holidayOn(schedule.holidays, date);
  if (holiday) return holiday.hours?.some((h) => within(h, minute)) ? 'open' : 'holiday';
  if (schedule.windows.length === 0) return 'open';
  const yesterday = WEEKDAYS[(weekday + 6) % 7]!;
  const today = WEEKDAYS[weekday]!;
  let yesterdayIsHoliday: boolean | undefined;
  for (const w of schedule.windows) {
    const from = minutesOf(w.from);
    const to = minutesOf(w.to);
    if (from < to) {
      if (minute >= from && minute < to && w.days.includes(today)) return 'open';
      continue;
    }
    if (minute >= from && w.days.includes(today)) return 'open';
    if (minute < to && w.days.includes(yesterday)) {
      yesterdayIsHoliday ??= holidayOn(schedule.holidays, previousDate(date)) !== undefined;
      if (!yesterdayIsHoliday) return 'open';
    }
  }
  return 'outside_hours';
}
