import { stringify } from 'csv-stringify/sync';
import { csvSafe } from '../../core/csv-safe.js';
import { callStateLabel, outcomeLabel } from '../../core/lifecycle/call-words.js';
import type { ExportField, ExportFormat } from '../../core/schemas/exports.js';
import type { ExportableCallRecord } from '../../store/call-record-stream.js';
import { isoTime } from '../views.js';

/** How export files are written: one chunk of text per page of records, never the whole file at once. */
export const contentTypeOf: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

type Cell = string | number | boolean | null;
const num = (v: number | null): number | null => (v === null ? null : Number(v));

/** One column of a record, as the API's call-record view shows it (times ISO-8601 UTC). */
export function exportValue(r: ExportableCallRecord, field: ExportField): Cell {
  switch (field) {
    case 'id':
      return Number(r.id);
    case 'from':
      return r.from_number;
    case 'to':
      return r.to_number;
    case 'agent_id':
    case 'group_id':
    case 'duration_seconds':
    case 'billsec':
      return num(r[field]);
    case 'attempt':
      return Number(r.attempt);
    case 'is_test':
      return Number(r.is_test) === 1;
    case 'status_label':
      return callStateLabel(r.status);
    case 'outcome_label':
      return outcomeLabel(r.outcome_reason);
    case 'started_at':
    case 'answered_at':
    case 'ended_at':
      return isoTime(r[field]);
    default:
      return r[field];
  }
}

/** CSV through csv-stringify (quoting, escaping), a header row first; text cells are neutralised against formulas. */
export async function* csvChunks(pages: AsyncIterable<readonly ExportableCallRecord[]>, fields: readonly ExportField[]): AsyncGenerator<string> {
  yield stringify([fields]);
  for await (const page of pages) {
    const records = page.map((r) => fields.map((f) => {
      const v = exportValue(r, f);
      // csv-stringify would write a boolean as 1 or nothing: the words say it.
      return typeof v === 'string' ? csvSafe(v) : typeof v === 'boolean' ? String(v) : v;
    }));
    yield stringify(records);
  }
}

/** A JSON array of objects with the chosen fields, one record per line; values are not altered. */
export async function* jsonChunks(pages: AsyncIterable<readonly ExportableCallRecord[]>, fields: readonly ExportField[]): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const page of pages) {
    if (page.length === 0) continue;
    const lines = page.map((r) => JSON.stringify(Object.fromEntries(fields.map((f) => [f, exportValue(r, f)]))));
    yield `${first ? '\n' : ',\n'}${lines.join(',\n')}`;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}
