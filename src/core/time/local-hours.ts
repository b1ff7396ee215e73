import { localDay, localDayRange } from './local-day.js';

const HOUR_MS = 3_600_000;
const hourFormatters = new Map<string, Intl.DateTimeFormat>();

/** The local hour (0-23) of an instant in a time zone. */
export function localHour(ms: number, timeZone: string): number {
  let f = hourFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' });
    hourFormatters.set(timeZone, f);
  }
  return Number(f.format(ms));
}

export interface LocalHour {
  /** The hour's first instant. */
  start: number;
  date: string;
  hour: number;
}

/**
 * The hours of the local days `from`..`to` (inclusive), counted from the first
 * day's start, up to the hour holding `until` when it falls inside. A day next to
 * a DST change has 23 or 25 of them; each carries its own local date and hour.
 */
export function localHours(from: string, to: string, timeZone: string, until = Number.POSITIVE_INFINITY): LocalHour[] {
  const start = localDayRange(from, timeZone).start;
  const end = Math.min(localDayRange(to, timeZone).end, until < start ? start : until + 1);
  const out: LocalHour[] = [];
  for (let t = start; t < end; t += HOUR_MS) out.push({ start: t, date: localDay(t, timeZone), hour: localHour(t, timeZone) });
  return out;
}
