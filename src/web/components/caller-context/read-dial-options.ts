import { DIAL_HEADERS_MAX, STREAM_PARAMETERS_MAX } from '../../../core/schemas/dial-options.js';

/** Which options a form shows: an agent's own transport, or both for a group (its members may be either). */
export type DialOptionsScope = 'sip' | 'websocket' | 'both';

const rowListMax = { headers: DIAL_HEADERS_MAX, stream_parameters: STREAM_PARAMETERS_MAX } as const;
export type RowList = keyof typeof rowListMax;

/** Input names under `prefix` (`dial_options`, `settings.dial_options`), so each server message lands under its own input. */
export function dialOptionFieldNames(prefix: string): string[] {
  const names = [prefix, ...['forward_headers', 'time_limit_seconds', 'caller_id', 'caller_name'].map((f) => `${prefix}.${f}`)];
  for (const [list, max] of Object.entries(rowListMax)) {
    names.push(`${prefix}.${list}`);
    for (let i = 0; i < max; i += 1) names.push(`${prefix}.${list}.${i}.name`, `${prefix}.${list}.${i}.value`);
  }
  return names;
}

function text(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** The name/value rows of a list in form order; a row left wholly empty is not sent. */
function readRows(data: FormData, prefix: string, list: RowList): { name: string; value: string }[] {
  const rows: { name: string; value: string }[] = [];
  for (let i = 0; data.has(`${prefix}.${list}.${i}.name`); i += 1) {
    const row = { name: text(data, `${prefix}.${list}.${i}.name`), value: text(data, `${prefix}.${list}.${i}.value`) };
    if (row.name !== '' || row.value !== '') rows.push(row);
  }
  return rows;
}

/**
 * The dial options a form holds. Empty inputs are left out, so an agent's unset field
 * takes its group's value; the time limit is typed in minutes and sent in seconds.
 */
export function readDialOptions(data: FormData, prefix: string, scope: DialOptionsScope): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (scope !== 'websocket') {
    const headers = readRows(data, prefix, 'headers');
    if (headers.length > 0) options.headers = headers;
    if (data.get(`${prefix}.forward_headers`) === 'on') options.forward_headers = true;
    const minutes = text(data, `${prefix}.time_limit_seconds`);
    // Number('') would be 0; a typo stays NaN so the schema names the field.
    if (minutes !== '') options.time_limit_seconds = Math.round(Number(minutes) * 60);
    for (const field of ['caller_id', 'caller_name'] as const) {
      const value = text(data, `${prefix}.${field}`);
      if (value !== '') options[field] = value;
    }
  }
  if (scope !== 'sip') {
    const parameters = readRows(data, prefix, 'stream_parameters');
    if (parameters.length > 0) options.stream_parameters = parameters;
  }
  return options;
}

export function maxRows(list: RowList): number {
  return rowListMax[list];
}
