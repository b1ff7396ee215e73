import { z } from 'zod';
import { isNetwork, MAX_ALLOWED_SOURCES } from '../source-allowlist.js';
import { domainInputField, timeZoneField } from './fields.js';

/** `<Reject reason>` values offered as a fallback (cloudonix.md §2.4). */
export const fallbackRejectReasons = ['busy', 'rejected', 'congestion'] as const;

/** What the caller hears when no rule matches or every candidate failed. */
export const fallbackRoute = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hangup') }),
  z.object({ type: z.literal('message'), message: z.string().trim().min(1).max(500) }),
  z.object({ type: z.literal('number'), number: z.string().trim().regex(/^\+?[0-9]{3,20}$/, 'must be a phone number') }),
  z.object({ type: z.literal('agent'), agent_id: z.number().int().positive() }),
  z.object({ type: z.literal('group'), group_id: z.number().int().positive() }),
  /** Refuse the call unanswered with a SIP reason, so the carrier may try another route. */
  z.object({ type: z.literal('reject'), reason: z.enum(fallbackRejectReasons, { message: `must be one of: ${fallbackRejectReasons.join(', ')}` }).default('busy') }),
]);
export type FallbackRoute = z.infer<typeof fallbackRoute>;

const callMinutesMessage = { message: 'must be a whole number of minutes from 5 to 1440 (24 hours)' };
const maxCallMinutesField = z.number(callMinutesMessage).int(callMinutesMessage).min(5, callMinutesMessage).max(1440, callMinutesMessage);

const graceMessage = { message: 'must be a whole number of hours from 0 to 168 (7 days)' };
const rotationGraceHoursField = z.number(graceMessage).int(graceMessage).min(0, graceMessage).max(168, graceMessage);
const allowedSourcesField = z
  .array(
    z
      .string()
      .trim()
      .refine(isNetwork, { error: (issue) => `${JSON.stringify(String(issue.input).slice(0, 60))} is not an IPv4 or IPv6 address or network, such as 203.0.113.0/24 or 2001:db8::/32` }),
  )
  .max(MAX_ALLOWED_SOURCES, { message: `at most ${MAX_ALLOWED_SOURCES} networks` });

const whole = (from: number, to: number, unit: string) => {
  const message = { message: `must be a whole number of ${unit} from ${from} to ${to}` };
  return z.number(message).int(message).min(from, message).max(to, message);
};
const shareMessage = { message: 'must be a share from 0.1 to 1 (10% to 100%)' };
/** Short-call health: off by default, so a tenant's agents leave rotation only after failures until it opts in. */
const shortCallFields = {
  short_calls_enabled: z.boolean(),
  /** An answered call billed fewer seconds than this is short. */
  short_call_seconds: whole(1, 120, 'seconds'),
  /** Answered calls that must have ended in the window before the share is judged. */
  short_call_min_calls: whole(2, 1000, 'calls'),
  short_call_window_minutes: whole(1, 1440, 'minutes'),
  /** The share of those calls that were short which takes the agent out (0.1–1). */
  short_call_share: z.number(shareMessage).min(0.1, shareMessage).max(1, shareMessage),
};
const shortCallDefaults = { short_calls_enabled: false, short_call_seconds: 5, short_call_min_calls: 5, short_call_window_minutes: 10, short_call_share: 0.6 };

export const tenantSettings = z.object({
  timezone: timeZoneField.default('UTC'),
  retention_days: z.number().int().min(0).max(3650).default(30),
  /**
   * A call whose end is never heard (no session update or CDR says so) is closed after this
   * many minutes as "unknown end", and its agent's slot freed. Longer than any real call.
   */
  max_call_minutes: maxCallMinutesField.default(120),
  fallback: fallbackRoute.default({ type: 'hangup' }),
  /**
   * Consecutive technical failures that take an agent out of rotation, and for how long; and
   * (when `short_calls_enabled`) a surge of very short answered calls, an agent that answers and
   * drops, takes it out for the same time (core/lifecycle/short-calls.ts).
   */
  health: z
    .object({
      failure_threshold: z.number().int().min(1).max(20).default(3),
      cooldown_seconds: z.number().int().min(5).max(3600).default(60),
      short_calls_enabled: shortCallFields.short_calls_enabled.default(shortCallDefaults.short_calls_enabled),
      short_call_seconds: shortCallFields.short_call_seconds.default(shortCallDefaults.short_call_seconds),
      short_call_min_calls: shortCallFields.short_call_min_calls.default(shortCallDefaults.short_call_min_calls),
      short_call_window_minutes: shortCallFields.short_call_window_minutes.default(shortCallDefaults.short_call_window_minutes),
      short_call_share: shortCallFields.short_call_share.default(shortCallDefaults.short_call_share),
    })
    .default({ failure_threshold: 3, cooldown_seconds: 60, ...shortCallDefaults }),
  webhook_security: z
    .object({
      /** When false, webhooks are accepted without the secret (for a first trial only). */
      require_secret: z.boolean().default(true),
      /** After a rotation the replaced secret is still accepted this long, so calls in progress complete. */
      rotation_grace_hours: rotationGraceHoursField.default(24),
      /** Networks the Cloudonix webhooks may come from (CIDRs or addresses); empty allows any address. */
      allowed_sources: allowedSourcesField.default([]),
    })
    .default({ require_secret: true, rotation_grace_hours: 24, allowed_sources: [] }),
});
export type TenantSettings = z.infer<typeof tenantSettings>;

export const defaultTenantSettings: TenantSettings = tenantSettings.parse({});

export const updateTenantBody = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    domain: domainInputField.optional(),
    settings: z
      .object({
        timezone: tenantSettings.shape.timezone.unwrap().optional(),
        retention_days: z.number().int().min(0).max(3650).optional(),
        max_call_minutes: maxCallMinutesField.optional(),
        fallback: fallbackRoute.optional(),
        webhook_security: z
          .object({ require_secret: z.boolean(), rotation_grace_hours: rotationGraceHoursField, allowed_sources: allowedSourcesField })
          .partial()
          .strict()
          .optional(),
        health: z
          .object({ failure_threshold: z.number().int().min(1).max(20), cooldown_seconds: z.number().int().min(5).max(3600), ...shortCallFields })
          .partial()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type UpdateTenantInput = z.infer<typeof updateTenantBody>;

export const webhookUrls = z.object({
  voice_application: z.string(),
  session_update: z.string(),
  cdr: z.string(),
});
export type WebhookUrls = z.infer<typeof webhookUrls>;

/** The answer to a rotation: the new secret, and until when the replaced one is still accepted (null: not at all). */
export const rotatedWebhookSecret = z.object({ webhook_secret: z.string(), webhook_urls: webhookUrls, previous_webhook_secret_expires_at: z.string().nullable() });
export type RotatedWebhookSecret = z.infer<typeof rotatedWebhookSecret>;

/** Which Cloudonix webhooks arrive, and which endpoint the domain seems to lack (core/lifecycle/webhook-wiring.ts). */
export const webhookWiringView = z.object({
  /** When each webhook was last accepted in the past 24 hours (null: not in that time). */
  voice_application_at: z.string().nullable(),
  session_update_at: z.string().nullable(),
  cdr_at: z.string().nullable(),
  /**
   * Whether each webhook was ever accepted (as far back as the webhook audit is kept): the
   * getting-started checklist ticks "Cloudonix calls this service", "session updates arrive"
   * and "CDRs arrive" from these, and stays until all are true.
   */
  received_ever: z.object({ voice_application: z.boolean(), session_update: z.boolean(), cdr: z.boolean() }),
  problems: z.array(
    z.object({
      webhook: z.enum(['session_update', 'cdr']),
      /** The Cloudonix domain profile setting to fill in with the matching webhook URL. */
      setting: z.enum(['session-update-endpoint', 'cdr-endpoint']),
      message: z.string(),
    }),
  ),
});
export type WebhookWiringView = z.infer<typeof webhookWiringView>;

export const tenantView = z.object({
  id: z.number().int(),
  name: z.string(),
  domain: z.string(),
  settings: tenantSettings,
  created_at: z.string(),
  updated_at: z.string(),
  /** Admins only. */
  webhook_secret: z.string().optional(),
  /** Admins only: while the secret a rotation replaced is still accepted, until when (ISO time); else null. */
  previous_webhook_secret_expires_at: z.string().nullable().optional(),
  /** Admins only, during that grace period: when a webhook last carried the replaced secret (null: none since the rotation). */
  previous_webhook_secret_last_used_at: z.string().nullable().optional(),
  webhook_urls: webhookUrls.optional(),
  /** Admins only: set while PUBLIC_URL is unset, since webhook_urls are then built from the address the browser used. */
  webhook_urls_warning: z.string().nullable().optional(),
  /** Admins only: why Cloudonix could not use these URLs (localhost, a private address, plain http), or null. */
  webhook_urls_problem: z.string().nullable().optional(),
  /** Whether Cloudonix sends every webhook: a warning with the URL to paste when one is missing. */
  webhook_wiring: webhookWiringView,
});
export type TenantView = z.infer<typeof tenantView>;
