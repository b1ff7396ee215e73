import { localDayRange } from './local-day.js';

/**
 * The `start_date` / `end_date` filters of the list endpoints. A calendar day means
 * the whole day in the tenant's time zone; a date-time must carry its zone (Z or
 * ±hh:mm), because a wall time without one is ambiguous around DST changes.
 */
export type DateBound = { readonly kind: 'day'; readonly day: string } | { readonly kind: 'instant'; readonly at: number };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-](0\d|1[0-4]):?[0-5]\d)$/;

/** Years outside this span are typing mistakes, not call history. */
const MIN_YEAR = 1970;
const MAX_YEAR = 9999;

function isCalendarDay(day: string): boolean {
  const m = DAY.exec(day);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < MIN_YEAR || y > MAX_YEAR) return false;
  // Date.UTC rolls 2026-02-30 over to March; a real day survives the round trip.
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** A calendar day (YYYY-MM-DD) or a zoned ISO date-time; null when the text is neither. */
export function parseDateBound(value: string): DateBound | null {
  const text = value.trim();
  if (DAY.test(text)) return isCalendarDay(text) ? { kind: 'day', day: text } : null;
  const m = DATE_TIME.exec(text);
  if (!m || !isCalendarDay(m[1]!)) return null;
  const at = Date.parse(text);
  return Number.isFinite(at) ? { kind: 'instant', at } : null;
}

/**
 * The instant a bound stands for, as one edge of a half-open range [start, end):
 * a day starts at its local midnight and ends where the next local day starts; a
 * date-time given as the end is included, so the range ends one millisecond after it.
 */
export function dateBoundInstant(bound: DateBound, edge: 'start' | 'end', timeZone: string): number {
  if (bound.kind === 'instant') return edge === 'start' ? bound.at : bound.at + 1;
  const { start, end } = localDayRange(bound.day, timeZone);
  return edge === 'start' ? start : end;
}
