import { z } from 'zod';
import type { DateBound } from '../time/date-bound.js';
import { callRecordFilters, resolveFilterAliases, statusListField, type CallRecordFilters } from './call-records.js';
import { paginationQuery } from './fields.js';
import './error-messages.js';

/**
 * Exports of call records: the request body (format, a whitelist of columns, the
 * call-record list's filters) and the status view. Shared by the API and the UI.
 */
export const exportFields = [
  'id',
  'session_token',
  'direction',
  'from',
  'to',
  'status',
  'agent_id',
  'agent_name',
  'group_id',
  'group_name',
  'attempt',
  'disposition',
  'started_at',
  'answered_at',
  'ended_at',
  'duration_seconds',
  'billsec',
  'outcome_reason',
  // true for a test call the console placed to try an agent.
  'is_test',
  // The words above as the UI shows them (core/lifecycle/call-words.ts): one vocabulary.
  'status_label',
  'outcome_label',
] as const;
export type ExportField = (typeof exportFields)[number];

/** The seed documents' column names, for clients written against them: each is the field it names. */
export const exportFieldAliases: Readonly<Record<string, ExportField>> = {
  from_number: 'from',
  to_number: 'to',
  duration: 'duration_seconds',
  start_time: 'started_at',
};

export const exportFormats = ['csv', 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** queued → running → completed | failed; a completed export becomes expired when its file is removed. */
export const exportStatuses = ['queued', 'running', 'completed', 'failed', 'expired'] as const;
export type ExportStatus = (typeof exportStatuses)[number];

const known = new Set<string>(exportFields);

/** Column names in the order asked for; unknown names are refused by name, repeats are dropped. */
export const exportFieldList = z
  .array(z.string().max(64), { message: 'must be a list of field names' })
  .min(1, { message: 'must name at least one field' })
  .max(100)
  .transform((names, ctx) => {
    const canonical = names.map((n) => exportFieldAliases[n] ?? n);
    const unknown = canonical.filter((n) => !known.has(n));
    if (unknown.length > 0) {
      ctx.addIssue({ code: 'custom', message: `unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (allowed: ${exportFields.join(', ')}; aliases: ${Object.keys(exportFieldAliases).join(', ')})` });
      return z.NEVER;
    }
    return [...new Set(canonical)] as ExportField[];
  })
  .describe(`Column names: any of ${exportFields.join(', ')}; the aliases ${Object.entries(exportFieldAliases).map(([a, f]) => `${a} (${f})`).join(', ')} are read as the field they name`);

/**
 * The call-record list's filters, as a JSON object: the same fields and rules as
 * `GET /api/call-records`, plus `status` as a list, and unknown keys refused.
 */
export const exportFilters = callRecordFilters
  .extend({
    status: z.preprocess((v) => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? v.join(',') : v), statusListField).optional(),
  })
  .strict()
  .refine((q) => q.min_duration === undefined || q.max_duration === undefined || q.max_duration >= q.min_duration, {
    message: 'must not be less than min_duration',
    path: ['max_duration'],
  })
  .transform(resolveFilterAliases);

export const createExportBody = z
  .object({
    format: z.enum(exportFormats, { message: 'must be csv or json' }),
    fields: exportFieldList.default([...exportFields]),
    filters: exportFilters.default({}),
  })
  .strict();
export type CreateExportInput = z.output<typeof createExportBody>;

const boundText = (b: DateBound): string => (b.kind === 'day' ? b.day : new Date(b.at).toISOString());

/**
 * Parsed filters back to JSON that `exportFilters` parses to the same filters:
 * what is stored with an export, shown in its view and read again by the job.
 */
export function exportFiltersToJson(f: CallRecordFilters): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (f.agent_id !== undefined) out.agent_id = f.agent_id;
  if (f.group_id !== undefined) out.group_id = f.group_id;
  if (f.status !== undefined) out.status = f.status.join(',');
  if (f.outcome !== undefined) out.outcome = f.outcome.join(',');
  if (f.direction !== undefined) out.direction = f.direction;
  if (f.from !== undefined) out.from = f.from;
  if (f.to !== undefined) out.to = f.to;
  if (f.session_token !== undefined) out.session_token = f.session_token;
  if (f.start_date !== undefined) out.start_date = boundText(f.start_date);
  if (f.end_date !== undefined) out.end_date = boundText(f.end_date);
  if (f.min_duration !== undefined) out.min_duration = f.min_duration;
  if (f.max_duration !== undefined) out.max_duration = f.max_duration;
  // As the list's query string says it; read back by the same filter field.
  if (f.is_test !== undefined) out.is_test = String(f.is_test);
  return out;
}

export const exportListQuery = paginationQuery.extend({
  status: z.enum(exportStatuses, { message: `must be one of: ${exportStatuses.join(', ')}` }).optional(),
});
export type ExportListQuery = z.output<typeof exportListQuery>;

export const exportView = z.object({
  id: z.number().int(),
  format: z.enum(exportFormats),
  status: z.enum(exportStatuses),
  /** 0-100, from the number of matching records counted when the job started. */
  progress: z.number().int(),
  row_count: z.number().int(),
  fields: z.array(z.string()),
  filters: z.record(z.string(), z.unknown()),
  /** Why a failed export failed. */
  error: z.string().nullable(),
  requested_by: z.number().int().nullable(),
  created_at: z.string(),
  completed_at: z.string().nullable(),
  expires_at: z.string().nullable(),
  /** Path of the file while it can be downloaded (completed and not expired). */
  download_url: z.string().nullable(),
});
export type ExportView = z.infer<typeof exportView>;
