import { z } from 'zod';
import { callRecordSorts } from '../../../core/schemas/call-records.js';

/**
 * The call-record and CDR pages keep every filter, the sort, the page and the open
 * record in the URL as typed, so a view can be shared. Anything unreadable falls
 * back to its default; the API validates the values themselves.
 */
const text = z.string().max(200).catch('');

export const callRecordSearch = z.object({
  view: z.enum(['records', 'cdrs']).catch('records'),
  agent_id: text,
  group_id: text,
  status: text,
  /** Outcome reasons, comma-separated (`overflow_fallback,no_rule`: the calls the fallback took). */
  outcome: text,
  direction: z.enum(['', 'inbound', 'outbound']).catch(''),
  /** Test calls placed from the agents page: '' both, 'true' only them, 'false' hidden. */
  is_test: z.enum(['', 'true', 'false']).catch(''),
  from: text,
  to: text,
  session_token: text,
  start_date: text,
  end_date: text,
  min_duration: text,
  max_duration: text,
  sort: z.enum(callRecordSorts).catch('-started_at'),
  page: z.coerce.number().int().min(1).catch(1),
  per_page: z.coerce.number().int().min(1).max(200).catch(25),
  /** The record whose details are open. */
  id: z.coerce.number().int().positive().optional().catch(undefined),
  // CDR view
  disposition: text,
  token: text,
  cdr: z.coerce.number().int().positive().optional().catch(undefined),
});
export type CallRecordSearch = z.infer<typeof callRecordSearch>;

/** The record filters in the URL, as the form edits them. */
export const recordFilterKeys = ['agent_id', 'group_id', 'status', 'outcome', 'direction', 'from', 'to', 'session_token', 'start_date', 'end_date', 'min_duration', 'max_duration', 'is_test'] as const;
export const cdrFilterKeys = ['from', 'to', 'disposition', 'token', 'start_date', 'end_date'] as const;
