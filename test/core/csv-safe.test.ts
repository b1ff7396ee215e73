import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvSafe } from '../../src/core/csv-safe.js';

describe('csvSafe', () => {
  it('prefixes a single quote to cells a spreadsheet would run as a formula', () => {
    for (const cell of ['=HYPERLINK("http://evil","x")', '=1+1', '+1+1', '-2+3', '@SUM(A1:A2)', '\t=1', '\r=1', '+', '-', '=', '+1 415 555 0123', '+cmd|x', '+1415=2']) {
      expect(csvSafe(cell), JSON.stringify(cell)).toBe(`'${cell}`);
    }
  });

  it('leaves plain text and plain E.164 numbers alone', () => {
    for (const cell of ['', 'hello', '14155550123', '+14155550123', '+1', "'=already", ' =1', 'a=b', 'completed', '2026-01-01T00:00:00.000Z']) {
      expect(csvSafe(cell), JSON.stringify(cell)).toBe(cell);
    }
  });

  it('never lets a written cell start with a formula character (except a plain +digits number), whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (cell) => {
        const out = csvSafe(cell);
        expect(out.endsWith(cell)).toBe(true);
        expect(out.length - cell.length).toBeLessThanOrEqual(1);
        if (/^[=+\-@\t\r]/.test(out)) expect(out).toMatch(/^\+\d+$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('survives CSV quoting: the parsed cell is the neutralised text', () => {
    const cells = ['=HYPERLINK("http://evil","x")', '@a,b', '-1\n=2'];
    const [row] = parse(stringify([cells.map(csvSafe)])) as string[][];
    expect(row).toEqual(cells.map((c) => `'${c}`));
  });
});
