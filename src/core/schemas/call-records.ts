import { z } from 'zod';
import { outcomeReasons, type OutcomeReason } from '../lifecycle/outcome-reason.js';
import { callStates, type CallState } from '../routing/call-state.js';
import { normalizeDisposition, type Disposition } from '../routing/call-status.js';
import { normalizeDigits } from '../routing/phone-number.js';
import { parseDateBound } from '../time/date-bound.js';
import { paginationQuery } from './fields.js';
import './error-messages.js';

/**
 * Query and response schemas of call records, CDRs and live calls, shared by the
 * API, the exports and the UI's URL search params, so all refuse the same filters.
 */
const idField = z.coerce.number().int().positive().max(2_147_483_647);
const secondsField = z.coerce.number().int().min(0).max(2_147_483_647);

/** Call records and CDRs are read in bulk, so their pages may be twice the usual size. */
export const recordsPagination = paginationQuery.extend({ per_page: z.coerce.number().int().min(1).max(200).default(20) });

/** `status=failed,busy`: one state or a comma list; duplicates are harmless. */
export const statusListField = z
  .string()
  .max(200)
  .transform((raw, ctx) => {
    const words = raw.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
    const known = new Set<string>(callStates);
    if (words.length === 0 || words.some((w) => !known.has(w))) {
      ctx.addIssue({ code: 'custom', message: `must be one or more of: ${callStates.join(', ')} (comma-separated)` });
      return z.NEVER;
    }
    return [...new Set(words)] as CallState[];
  });

/** Phone filters are compared as digits, so `+1 (415) 555-0123` finds `+14155550123`. */
export const phoneFilterField = z
  .string()
  .max(64)
  .transform((raw, ctx) => {
    const digits = normalizeDigits(raw);
    if (!digits) {
      ctx.addIssue({ code: 'custom', message: 'must contain the digits of a phone number' });
      return z.NEVER;
    }
    return digits;
  });

export const dateFilterField = z
  .string()
  .max(40)
  .transform((raw, ctx) => {
    const bound = parseDateBound(raw);
    if (!bound) {
      ctx.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD, a whole day in the tenant time zone) or an ISO date-time with a zone, e.g. 2026-11-24T10:00:00Z' });
      return z.NEVER;
    }
    return bound;
  });

/**
 * Every stored spelling of each disposition, as letters only (what `normalizeDisposition`
 * compares): the CDR filter matches the stored raw word case- and punctuation-insensitively.
 */
export const dispositionSpellings: Readonly<Record<Exclude<Disposition, 'unknown'>, readonly string[]>> = {
  answered: ['answer', 'answered'],
  no_answer: ['noanswer'],
  busy: ['busy'],
  failed: ['failed'],
  congestion: ['congestion'],
  canceled: ['cancel', 'cancelled', 'canceled'],
  declined: ['rejected', 'declined'],
};

export const dispositionFilterField = z
  .string()
  .max(40)
  .transform((raw, ctx) => {
    const d = normalizeDisposition(raw);
    if (d === 'unknown') {
      ctx.addIssue({ code: 'custom', message: 'must be a disposition: ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION, CANCELLED or REJECTED (any case)' });
      return z.NEVER;
    }
    return d as Exclude<Disposition, 'unknown'>;
  });

/** `outcome=overflow_fallback,no_rule`: one outcome reason or a comma list (the fallback and overflow filter). */
export const outcomeListField = z
  .string()
  .max(300)
  .transform((raw, ctx) => {
    const words = raw.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
    const known = new Set<string>(outcomeReasons);
    if (words.length === 0 || words.some((w) => !known.has(w))) {
      ctx.addIssue({ code: 'custom', message: `must be one or more of: ${outcomeReasons.join(', ')} (comma-separated)` });
      return z.NEVER;
    }
    return [...new Set(words)] as OutcomeReason[];
  });

export const callRecordSorts = ['-started_at', 'started_at', '-duration', 'duration', '-status', 'status'] as const;
export type CallRecordSort = (typeof callRecordSorts)[number];
/** The seed documents' sort names: `start_time` is `started_at`. */
const sortAliases: Readonly<Record<string, CallRecordSort>> = { start_time: 'started_at', '-start_time': '-started_at' };
const sortField = z
  .string()
  .max(20)
  .transform((raw, ctx) => {
    const sort = sortAliases[raw] ?? raw;
    if (!(callRecordSorts as readonly string[]).includes(sort)) {
      ctx.addIssue({ code: 'custom', message: `must be one of: ${callRecordSorts.join(', ')} (start_time is an alias of started_at)` });
      return z.NEVER;
    }
    return sort as CallRecordSort;
  });

export const directionField = z.enum(['inbound', 'outbound'], { message: 'must be inbound or outbound' });

/** `is_test=true` lists only the console's test calls, `false` only real ones; a JSON boolean in export filters. */
export const isTestFilterField = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'], { message: 'must be true or false' }).transform((v) => v === 'true' || v === '1')]);

export const callRecordFilters = z.object({
  agent_id: idField.optional(),
  group_id: idField.optional(),
  status: statusListField.optional(),
  direction: directionField.optional(),
  from: phoneFilterField.optional(),
  to: phoneFilterField.optional(),
  session_token: z.string().trim().min(1).max(128).optional(),
  start_date: dateFilterField.optional(),
  end_date: dateFilterField.optional(),
  min_duration: secondsField.optional(),
  max_duration: secondsField.optional(),
  outcome: outcomeListField.optional().describe('Outcome reasons, comma-separated: overflow_fallback,no_rule lists the calls the fallback route took'),
  is_test: isTestFilterField.optional().describe('true: only test calls the console placed to try an agent; false: only real calls; absent: both'),
  // The seed documents' names, for clients written against them: read as the field they name.
  from_number: phoneFilterField.optional().describe('Alias of from'),
  to_number: phoneFilterField.optional().describe('Alias of to'),
  start_time: dateFilterField.optional().describe('Alias of start_date'),
  end_time: dateFilterField.optional().describe('Alias of end_date'),
});
type FilterAlias = 'from_number' | 'to_number' | 'start_time' | 'end_time';
const filterAliases: readonly (readonly [FilterAlias, 'from' | 'to' | 'start_date' | 'end_date'])[] = [
  ['from_number', 'from'],
  ['to_number', 'to'],
  ['start_time', 'start_date'],
  ['end_time', 'end_date'],
];
export type CallRecordFilters = Omit<z.output<typeof callRecordFilters>, FilterAlias>;

/** Filters with each alias read as its field; both spellings with different values are refused. */
export function resolveFilterAliases<T extends z.output<typeof callRecordFilters>>(q: T, ctx: z.RefinementCtx): Omit<T, FilterAlias> {
  const out: Record<string, unknown> = { ...q };
  for (const [alias, field] of filterAliases) {
    const value = out[alias];
    delete out[alias];
    if (value === undefined) continue;
    if (out[field] !== undefined && JSON.stringify(out[field]) !== JSON.stringify(value)) {
      ctx.addIssue({ code: 'custom', message: `is an alias of ${field}: give one of them`, path: [alias] });
      continue;
    }
    out[field] = value;
  }
  return out as Omit<T, FilterAlias>;
}

const durationOrder = (q: { min_duration?: number | undefined; max_duration?: number | undefined }) =>
  q.min_duration === undefined || q.max_duration === undefined || q.max_duration >= q.min_duration;

export const callRecordListQuery = recordsPagination
  .extend({
    ...callRecordFilters.shape,
    sort: sortField.default('-started_at').describe(`One of ${callRecordSorts.join(', ')}; start_time is an alias of started_at`),
  })
  .refine(durationOrder, { message: 'must not be less than min_duration', path: ['max_duration'] })
  .transform(resolveFilterAliases);
export type CallRecordListQuery = z.output<typeof callRecordListQuery>;

export const cdrListQuery = recordsPagination.extend({
  from: phoneFilterField.optional(),
  to: phoneFilterField.optional(),
  disposition: dispositionFilterField.optional(),
  token: z.string().trim().min(1).max(128).optional(),
  start_date: dateFilterField.optional(),
  end_date: dateFilterField.optional(),
});
export type CdrListQuery = z.output<typeof cdrListQuery>;

export const liveCallsQuery = z.object({ agent_id: idField.optional(), group_id: idField.optional() });
export type LiveCallsQuery = z.output<typeof liveCallsQuery>;

const iso = z.string();

export const callRecordView = z.object({
  id: z.number().int(),
  session_token: z.string(),
  direction: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  status: z.string(),
  /** Why the call ended so (null while it is live): see core/lifecycle/outcome-reason.ts. */
  outcome_reason: z.enum(outcomeReasons).nullable(),
  /** Cloudonix's Direction as sent (inbound, subscriber, outbound-api, incoming, ...). */
  cloudonix_direction: z.string().nullable(),
  agent_id: z.number().int().nullable(),
  agent_name: z.string().nullable(),
  group_id: z.number().int().nullable(),
  group_name: z.string().nullable(),
  rule_id: z.number().int().nullable(),
  attempt: z.number().int(),
  disposition: z.string().nullable(),
  started_at: iso,
  answered_at: iso.nullable(),
  ended_at: iso.nullable(),
  duration_seconds: z.number().int().nullable(),
  billsec: z.number().int().nullable(),
  /** What the tenant's fallback route did with the call (message, number, reject, hangup, agent, group); null when it was not used. */
  fallback_target: z.string().nullable(),
  /** An outbound call: the agent whose number is the caller ID that placed it (null when no agent has it). */
  caller_agent_id: z.number().int().nullable(),
  caller_agent_name: z.string().nullable(),
  /** The label of the split arm (A/B) the call was routed through; null when its rule has no split. */
  variant: z.string().nullable(),
  /** A test call the console placed to try an agent (POST /api/voice-agents/:id/test-call); analytics leave these out. */
  is_test: z.boolean(),
});
export type CallRecordView = z.infer<typeof callRecordView>;

/** `POST /api/calls/active/:id/end`: whether this request ended the call (false: it had ended already), and the call now. */
export const endCallResult = z.object({ ended_now: z.boolean(), call: callRecordView });
export type EndCallResult = z.infer<typeof endCallResult>;

export const callEventView = z.object({
  id: z.number().int().describe('Unique within the call; negative (-1, -2) for call.received and the first answer, told from the record rather than stored as rows.'),
  event_type: z.string(),
  from_status: z.string().nullable(),
  to_status: z.string().nullable(),
  payload: z.unknown(),
  occurred_at: iso,
});
export type CallEventView = z.infer<typeof callEventView>;

export const cdrView = z.object({
  id: z.number().int(),
  call_record_id: z.number().int().nullable(),
  session_token: z.string().nullable(),
  call_id: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** As Cloudonix sent it (ANSWER, NO ANSWER, ...). */
  disposition: z.string().nullable(),
  /** Our word for it: answered, no_answer, busy, failed, congestion, canceled or unknown. */
  disposition_normalized: z.string().nullable(),
  duration_seconds: z.number().int().nullable(),
  billsec: z.number().int().nullable(),
  received_at: iso,
});
export type CdrView = z.infer<typeof cdrView>;

export const cdrDetail = cdrView.extend({ payload: z.unknown() });
export type CdrDetail = z.infer<typeof cdrDetail>;

export const callRecordDetail = callRecordView.extend({
  decision_trace: z.record(z.string(), z.unknown()).nullable(),
  events: z.array(callEventView),
  cdrs: z.array(cdrDetail),
});
export type CallRecordDetail = z.infer<typeof callRecordDetail>;

export const liveCallView = z.object({
  id: z.number().int(),
  session_token: z.string(),
  status: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  agent_id: z.number().int().nullable(),
  agent_name: z.string().nullable(),
  group_id: z.number().int().nullable(),
  group_name: z.string().nullable(),
  started_at: iso,
  answered_at: iso.nullable(),
  duration_so_far_seconds: z.number().int(),
});
export type LiveCallView = z.infer<typeof liveCallView>;

export const callStatsView = z.object({
  active_calls: z.number().int(),
  total_today: z.number().int(),
  completed_today: z.number().int(),
  failed_today: z.number().int(),
  /** Seconds, one decimal, over today's completed calls that have a duration; 0 when none. */
  avg_duration: z.number(),
  /** The tenant's local day the numbers are for, and its time zone. */
  date: z.string(),
  timezone: z.string(),
});
export type CallStatsView = z.infer<typeof callStatsView>;
