import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysBetween, localDay, localDayRange, startOfLocalDay } from '../../src/core/time/local-day.js';

describe('local days', () => {
  it('puts an instant on the tenant’s calendar day', () => {
    const t = Date.UTC(2026, 10, 24, 3, 0); // 03:00 UTC
    expect(localDay(t, 'UTC')).toBe('2026-11-24');
    expect(localDay(t, 'America/New_York')).toBe('2026-11-23');
    expect(localDay(t, 'Asia/Tokyo')).toBe('2026-11-24');
  });

  it('finds where a local day starts and ends, across DST changes', () => {
    expect(startOfLocalDay('2026-11-24', 'UTC')).toBe(Date.UTC(2026, 10, 24));
    expect(startOfLocalDay('2026-11-24', 'America/New_York')).toBe(Date.UTC(2026, 10, 24, 5));
    const spring = localDayRange('2026-03-08', 'America/New_York'); // 23-hour day
    expect(spring.end - spring.start).toBe(23 * 3_600_000);
    const fall = localDayRange('2026-11-01', 'America/New_York'); // 25-hour day
    expect(fall.end - fall.start).toBe(25 * 3_600_000);
  });

  it('law: every instant falls inside the range of its own local day', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.constantFrom('UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'), (t, tz) => {
        const { start, end } = localDayRange(localDay(t, tz), tz);
        expect(t).toBeGreaterThanOrEqual(start);
        expect(t).toBeLessThan(end);
      }),
    );
  });

  it('lists the days of a range', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(daysBetween('2026-03-02', '2026-03-01')).toEqual([]);
  });
});
