/**
 * Spreadsheet formula injection ("CSV injection"): Excel, LibreOffice and Google
 * Sheets treat a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
 * return before one) as a formula, so a caller ID such as `=HYPERLINK("http://evil","x")`
 * would run when an analyst opens the export. Such cells get a leading single
 * quote, which spreadsheets show as text and never evaluate (OWASP's advice).
 *
 * One exception: a plain E.164 number (`+` then digits only, e.g. `+14155550123`)
 * is left as is. It cannot call a function or reach a URL, and phone numbers are
 * most of what an export holds; quoting them would make every number `'+1415…`.
 * Anything else after the `+` (spaces, letters, operators) is neutralised.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_PHONE_NUMBER = /^\+\d+$/;

/** The cell text as it should be written to a CSV file: unchanged, or prefixed with `'`. */
export function csvSafe(cell: string): string {
  if (!FORMULA_START.test(cell) || PLAIN_PHONE_NUMBER.test(cell)) return cell;
  return `'${cell}`;
}
