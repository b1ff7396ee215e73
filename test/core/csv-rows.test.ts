import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvRows, type CsvCell } from '../../src/core/csv-rows.js';

const cell: fc.Arbitrary<CsvCell> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.constantFrom('a"b', '"', ',', 'x,y', '\n', 'a\r\nb', '\r', '', ' padded ', "'=1"),
  fc.integer(),
  fc.double(),
  fc.constant(null),
);
// Two cells at least: a row of one empty cell is an empty line, which a CSV reader skips.
const table = fc.array(fc.array(cell, { minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 5 });

describe('csvRows', () => {
  it('reads back as the same cells in a CSV reader (nothing as an empty cell), whatever the text holds', () => {
    fc.assert(
      fc.property(table, (rows) => {
        expect(parse(csvRows(rows), { relax_column_count: true })).toEqual(rows.map((r) => r.map((c) => String(c ?? ''))));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes the bytes export files had when csv-stringify wrote them', () => {
    fc.assert(
      fc.property(table, (rows) => {
        expect(csvRows(rows)).toBe(stringify(rows));
      }),
      { numRuns: 2000 },
    );
  });
});
