import { z } from 'zod';
import { normalizeDigits } from '../routing/phone-number.js';
import { parseDateBound } from '../time/date-bound.js';
import { paginationQuery } from './fields.js';

/**
 * Schemas of the audit views (webhook audit, configuration audit log) and of
 * privacy erasure, shared by the API and the web UI.
 */

const dateMessage = 'must be a date (YYYY-MM-DD, a whole day in the tenant time zone) or an ISO date-time with a zone, e.g. 2026-11-24T10:00:00Z';

/** `start_date` / `end_date`: kept as a bound, because a day's instants depend on the tenant's time zone. */
export const dateBoundField = z
  .string()
  .max(40)
  .transform((raw, ctx) => {
    const bound = parseDateBound(raw);
    if (bound) return bound;
    ctx.addIssue({ code: 'custom', message: dateMessage });
    return z.NEVER;
  });

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
    start_date: dateBoundField.optional(),
    end_date: dateBoundField.optional(),
    /**
     * Also list rows anyone can cause without the secret (wrong-secret refusals and the
     * summaries of refusals not stored one by one); an `outcome` filter naming one lists it anyway.
     */
    include_rejected: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional(),
  });
export type WebhookAuditQuery = z.infer<typeof webhookAuditQuery>;

export const auditLogQuery = paginationQuery
  .extend({
    entity_type: word(60).optional(),
    entity_id: int32Id.optional(),
    action: word(60).optional(),
    user_id: int32Id.optional(),
    start_date: dateBoundField.optional(),
    end_date: dateBoundField.optional(),
  });
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
  /** The acting user's current name; null for the system, or (with user_deleted) for a user since deleted. */
  user_name: z.string().nullable(),
  user_deleted: z.boolean(),
  action: z.string(),
  entity_type: z.string(),
  entity_id: z.number().int().nullable(),
  /** The changed item's current name (an agent's, a group's, a rule's name or pattern…); null when it has none or is gone. */
  entity_name: z.string().nullable(),
  /** True when the item no longer exists: shown as "deleted agent #12". */
  entity_deleted: z.boolean(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
  created_at: z.string(),
});
export type AuditLogView = z.infer<typeof auditLogView>;

/** Text that is nothing but a phone number: `+1 (415) 555-0123`, `0044 20 7123 4567`, `sip:+14155550123@host`. */
export const PHONE_NUMBER_TEXT = /^(sips?:)?[+0-9 ().\-/]+(@.*)?$/i;

/** A phone number as a person types it; compared on its digits, the way routing compares numbers. */
export const eraseNumberBody = z
  .object({
    number: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(64)
      .refine((v) => PHONE_NUMBER_TEXT.test(v) && normalizeDigits(v).length >= 3 && normalizeDigits(v).length <= 20, {
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
