import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDisposition } from '../../src/core/routing/call-status.js';
import { callRecordListQuery, cdrListQuery, dispositionSpellings } from '../../src/core/schemas/call-records.js';
import { dateBoundInstant, parseDateBound } from '../../src/core/time/date-bound.js';

describe('date filters', () => {
  it('reads a calendar day or a zoned date-time, and nothing else', () => {
    expect(parseDateBound('2026-11-24')).toEqual({ kind: 'day', day: '2026-11-24' });
    expect(parseDateBound(' 2024-02-29 ')).toEqual({ kind: 'day', day: '2024-02-29' });
    expect(parseDateBound('2026-11-24T03:00:00Z')).toEqual({ kind: 'instant', at: Date.UTC(2026, 10, 24, 3) });
    expect(parseDateBound('2026-11-24T03:00:00.250+01:00')).toEqual({ kind: 'instant', at: Date.UTC(2026, 10, 24, 2, 0, 0, 250) });
    expect(parseDateBound('2026-11-24T03:00Z')).toEqual({ kind: 'instant', at: Date.UTC(2026, 10, 24, 3) });
    for (const bad of ['', '2026-02-30', '2025-02-29', '2026-13-01', '2026-1-1', '26-11-24', '1969-12-31', '2026-11-24T03:00:00', '2026-11-24T24:00:00Z', '2026-11-24T10:60Z', '2026-02-30T00:00:00Z', '2026-11-24T03:00:00+25:00', 'today', '1732417200000', '2026-11-24 03:00:00Z']) {
      expect(parseDateBound(bad), bad).toBeNull();
    }
  });

  it('turns a local day into the UTC instants it spans (03:00 UTC is the previous day in New York)', () => {
    const day = parseDateBound('2026-11-23')!;
    const start = dateBoundInstant(day, 'start', 'America/New_York');
    const end = dateBoundInstant(day, 'end', 'America/New_York');
    expect(start).toBe(Date.UTC(2026, 10, 23, 5));
    expect(end).toBe(Date.UTC(2026, 10, 24, 5));
    const threeUtc = Date.UTC(2026, 10, 24, 3);
    expect(threeUtc >= start && threeUtc < end).toBe(true);
    expect(dateBoundInstant(day, 'start', 'UTC')).toBe(Date.UTC(2026, 10, 23));
    // A date-time end is included: the range ends just after it.
    const at = parseDateBound('2026-11-24T03:00:00Z')!;
    expect(dateBoundInstant(at, 'end', 'Asia/Tokyo')).toBe(threeUtc + 1);
    expect(dateBoundInstant(at, 'start', 'Asia/Tokyo')).toBe(threeUtc);
  });

  it('law: any valid day parses back to itself and spans 23 to 25 hours', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(1971, 0, 1)), max: new Date(Date.UTC(2090, 0, 1)), noInvalidDate: true }), fc.constantFrom('UTC', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'), (d, tz) => {
        const text = d.toISOString().slice(0, 10);
        const bound = parseDateBound(text)!;
        expect(bound).toEqual({ kind: 'day', day: text });
        const hours = (dateBoundInstant(bound, 'end', tz) - dateBoundInstant(bound, 'start', tz)) / 3_600_000;
        expect(hours).toBeGreaterThanOrEqual(23);
        expect(hours).toBeLessThanOrEqual(25);
      }),
    );
  });
});

describe('call-record query schemas', () => {
  it('every disposition spelling normalises to its own key', () => {
    for (const [key, spellings] of Object.entries(dispositionSpellings)) {
      for (const s of spellings) expect(normalizeDisposition(s), s).toBe(key);
    }
  });

  it('reads lists, digits and defaults; names the bad field', () => {
    const ok = callRecordListQuery.parse({ status: 'Completed, busy,busy', from: '+1 (415) 555-0123', start_date: '2026-11-24' });
    expect(ok).toMatchObject({ status: ['completed', 'busy'], from: '14155550123', page: 1, per_page: 20, sort: '-started_at', start_date: { kind: 'day' } });
    const bad = callRecordListQuery.safeParse({ per_page: '201', sort: 'name', status: 'done', from: 'abc', min_duration: '10', max_duration: '5' });
    expect(bad.success).toBe(false);
    const paths = new Set(bad.error!.issues.map((i) => i.path.join('.')));
    for (const f of ['per_page', 'sort', 'status', 'from']) expect(paths.has(f), f).toBe(true);
    expect(callRecordListQuery.safeParse({ min_duration: '10', max_duration: '5' }).error?.issues[0]?.path).toEqual(['max_duration']);
    expect(cdrListQuery.parse({ disposition: 'No Answer' }).disposition).toBe('no_answer');
    expect(cdrListQuery.safeParse({ disposition: 'maybe' }).success).toBe(false);
  });
});
