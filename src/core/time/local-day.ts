/**
 * Calendar days in a tenant's time zone. Analytics count a call on the local
 * day it started, so "today" means the tenant's today, not UTC's.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

function parts(ms: number, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

function computeLocalDay(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Per zone, the last day asked for and its bounds: nearly every call lands on today. */
const recentDays = new Map<string, { day: string; start: number; end: number }>();

/** The local calendar day (YYYY-MM-DD) of an instant. */
export function localDay(ms: number, timeZone: string): string {
  const recent = recentDays.get(timeZone);
  if (recent && ms >= recent.start && ms < recent.end) return recent.day;
  // formatToParts costs microseconds: worth it once per zone and day, not on every call write.
  const day = computeLocalDay(ms, timeZone);
  recentDays.set(timeZone, { day, ...localDayRange(day, timeZone) });
  return day;
}

/** The UTC offset (ms) of a zone at an instant: local wall time minus UTC. */
function offsetAt(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant a local day starts (midnight, or the first moment after a DST gap). */
export function startOfLocalDay(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // Two passes settle the offset even when midnight sits next to a DST change.
  let t = guess - offsetAt(guess, timeZone);
  t = guess - offsetAt(t, timeZone);
  return computeLocalDay(t, timeZone) === day ? t : t + 3_600_000;
}

/** [start, end) of a local day as UTC instants. */
export function localDayRange(day: string, timeZone: string): { start: number; end: number } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return { start: startOfLocalDay(day, timeZone), end: startOfLocalDay(next, timeZone) };
}

/** Every day from `from` to `to` inclusive (YYYY-MM-DD strings). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && out.length < 3700; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The calendar day `n` days after `day` (negative goes back). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
