import { z } from 'zod';
import { normalizeDigits } from '../routing/phone-number.js';
import { paginationQuery } from './fields.js';

/**
 * Schemas of the audit views (webhook audit, configuration audit log) and of
 * privacy erasure, shared by the API and the web UI.
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

export interface DateBound {
  /** The instant named, in epoch ms. */
  ms: number;
  /** True when only a calendar day was given (so an end bound covers the whole day). */
  dateOnly: boolean;
}

/**
 * An ISO date (`2025-03-01`) or date-time (`2025-03-01T10:00:00Z`, offset optional,
 * UTC when absent), or null when it names no real instant. Parsed by hand because
 * `Date.parse` rolls 2025-02-30 over to March and reads a zone-less time as local.
 */
export function parseDateBound(text: string): DateBound | null {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)] as const;
  const millis = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const date = new Date(Date.UTC(...parts, millis));
  // The components must survive the round trip: no day 31 in April, no hour 24.
  if (parts[0] < 1970 || parts[0] > 9999) return null;
  if (date.getUTCMonth() !== parts[1] || date.getUTCDate() !== parts[2] || date.getUTCHours() !== parts[3] || date.getUTCMinutes() !== parts[4] || date.getUTCSeconds() !== parts[5]) return null;
  let offset = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const z2 = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const [hours, minutes] = [Number(z2[2]), Number(z2[3])];
    if (hours > 14 || minutes > 59) return null;
    offset = (z2[1] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  }
  return { ms: date.getTime() - offset, dateOnly: h === undefined };
}

const dateMessage = 'must be an ISO date (2025-03-01) or date-time (2025-03-01T10:00:00Z)';

/** Lower bound, inclusive: a bare date starts at 00:00 UTC. */
export const startDateField = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const bound = parseDateBound(v);
    if (bound) return bound.ms;
    ctx.addIssue({ code: 'custom', message: dateMessage });
    return z.NEVER;
  });

/** Upper bound as an exclusive instant: a bare date includes that whole UTC day. */
export const endDateField = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const bound = parseDateBound(v);
    if (bound) return bound.dateOnly ? bound.ms + 86_400_000 : bound.ms + 1;
    ctx.addIssue({ code: 'custom', message: dateMessage });
    return z.NEVER;
  });

function datesInOrder(q: { start_date?: number | undefined; end_date?: number | undefined }, ctx: z.RefinementCtx): void {
  if (q.start_date !== undefined && q.end_date !== undefined && q.end_date <= q.start_date) {
    ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'must not be before start_date' });
  }
}

const int32Id = z.coerce.number().int().positive().max(2_147_483_647);
/** Machine words as the service writes them (`agent_group.updated`, `unauthorized`). */
const word = (max: number) => z.string().trim().regex(new RegExp(`^[a-z0-9_.]{1,${max}}$`), `must be a lower-case word of at most ${max} characters`);

export const webhookEventTypes = ['voice_application', 'dial_callback', 'session_update', 'cdr'] as const;
export const webhookEventTypeField = z.enum(webhookEventTypes, { message: `must be one of: ${webhookEventTypes.join(', ')}` });

export const webhookAuditQuery = paginationQuery
  .extend({
    event_type: webhookEventTypeField.optional(),
    session_token: z.string().trim().regex(/^[\x21-\x7e]{1,128}$/, 'must be a session token (at most 128 printable characters)').optional(),
    outcome: word(30).optional(),
    start_date: startDateField.optional(),
    end_date: endDateField.optional(),
  })
  .superRefine(datesInOrder);
export type WebhookAuditQuery = z.infer<typeof webhookAuditQuery>;

export const auditLogQuery = paginationQuery
  .extend({
    entity_type: word(60).optional(),
    entity_id: int32Id.optional(),
    action: word(60).optional(),
    user_id: int32Id.optional(),
    start_date: startDateField.optional(),
    end_date: endDateField.optional(),
  })
  .superRefine(datesInOrder);
export type AuditLogQuery = z.infer<typeof auditLogQuery>;

export const webhookAuditView = z.object({
  id: z.number().int(),
  event_type: z.string(),
  method: z.string(),
  path: z.string(),
  session_token: z.string().nullable(),
  outcome: z.string(),
  status_code: z.number().int(),
  error: z.string().nullable(),
  /** The request as received (query and body), secrets masked. */
  payload: z.unknown(),
  duration_ms: z.number().int().nullable(),
  received_at: z.string(),
});
export type WebhookAuditView = z.infer<typeof webhookAuditView>;

export const auditLogView = z.object({
  id: z.number().int(),
  user_id: z.number().int().nullable(),
  user_name: z.string().nullable(),
  action: z.string(),
  entity_type: z.string(),
  entity_id: z.number().int().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
  created_at: z.string(),
});
export type AuditLogView = z.infer<typeof auditLogView>;

/** A phone number as a person types it; compared on its digits, the way routing compares numbers. */
export const eraseNumberBody = z
  .object({
    number: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(64)
      .refine((v) => /^(sips?:)?[+0-9 ().\-/]+(@.*)?$/i.test(v) && normalizeDigits(v).length >= 3 && normalizeDigits(v).length <= 20, {
        message: 'must be a phone number (3 to 20 digits)',
      }),
  })
  .strict();
export type EraseNumberInput = z.infer<typeof eraseNumberBody>;

export const erasureResult = z.object({
  /** The token that now stands where the number was. */
  replaced_with: z.string(),
  call_records: z.number().int(),
  cdrs: z.number().int(),
  webhook_audit: z.number().int(),
});
export type ErasureResult = z.infer<typeof erasureResult>;
