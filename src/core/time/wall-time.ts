import { localMoment } from '../routing/rule-schedule.js';
import { parseDateBound } from './date-bound.js';

const WALL_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/**
 * A moment typed by a person: a zoned ISO date-time (`2026-12-25T09:30:00Z`, `…+01:00`) is that
 * instant; a date-time without a zone (`2026-12-25T09:30`, what a date-time input gives) is
 * that wall time in `timeZone`. A wall time the clock skipped (a spring-forward gap) reads as
 * the same distance past the gap, as Temporal's 'compatible' does; a repeated one as its first
 * occurrence. Null when the text is neither.
 */
export function parseMoment(text: string, timeZone: string): number | null {
  const value = text.trim();
  const wall = WALL_TIME.exec(value);
  if (!wall) {
    const bound = parseDateBound(value);
    return bound?.kind === 'instant' ? bound.at : null;
  }
  if (parseDateBound(wall[1]!)?.kind !== 'day') return null;
  const target = Date.parse(`${wall[1]}T${wall[2]}:${wall[3]}:00Z`);
  const seconds = Number(wall[4] ?? 0) * 1000;
  // Step toward the wall time by the offset seen; an offset change (DST) needs a second step.
  let t = target;
  for (let i = 0; i < 3; i++) {
    const local = localMoment(t, timeZone);
    const seen = Date.parse(`${local.date}T00:00:00Z`) + local.minute * 60_000;
    if (seen === target) {
      // A repeated hour: the earlier of the two instants, if it reads the same.
      const earlier = t - 3_600_000;
      const before = localMoment(earlier, timeZone);
      return (Date.parse(`${before.date}T00:00:00Z`) + before.minute * 60_000 === target ? earlier : t) + seconds;
    }
    t += target - seen;
  }
  return t + seconds;
}

/** A zoned date-time, or one without a zone (read in the tenant's zone); for refusing bad input early. */
export function isMomentText(text: string): boolean {
  return parseMoment(text, 'UTC') !== null;
}
