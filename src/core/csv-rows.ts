/** A CSV cell before quoting: text, a number, or nothing (written empty). */
export type CsvCell = string | number | null;

// RFC 4180: a cell holding a quote, comma or line break is quoted, its quotes doubled.
const NEEDS_QUOTES = /[",\n\r]/;

function csvCellText(cell: CsvCell): string {
  const text = String(cell ?? '');
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * CSV text of `rows`, each ended by `\n`: the same bytes csv-stringify writes with its defaults, built
 * with one string per cell instead of its per-cell option objects and arrays (an export of a million
 * rows allocated ~4 KB of garbage per row through it, ~0.5 KB this way). Formula neutralising is the
 * caller's (`csvSafe`).
 */
export function csvRows(rows: readonly (readonly CsvCell[])[]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) out += (i === 0 ? '' : ',') + csvCellText(row[i]!);
    out += '\n';
  }
  return out;
}
