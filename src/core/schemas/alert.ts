import { z } from 'zod';
import { emailField, paginationQuery } from './fields.js';

/**
 * Alerts: what can go wrong with a tenant's calls, each an alert that fires once and
 * recovers once, and the tenant's alert settings. Shared by the API and the web UI.
 */

/**
 * The kinds, each with what its subject is. A new kind (a provider pool at its cap) is one
 * line here, one in `alertKindLabels`, and its condition in core/alerts/alert-conditions.ts.
 */
export const alertKinds = ['agent_down', 'agent_at_cap', 'pool_at_cap', 'fallback_share', 'no_session_updates', 'no_cdrs', 'webhook_errors'] as const;
export type AlertKind = (typeof alertKinds)[number];

/** Plain words for each kind, as the UI, the email and the webhook body say them. */
export const alertKindLabels: Readonly<Record<AlertKind, string>> = {
  agent_down: 'Agent out of rotation',
  agent_at_cap: 'Agent busy at its limit',
  pool_at_cap: 'Provider pool at its limit',
  fallback_share: 'Many calls going to the fallback',
  no_session_updates: 'Calls routed, but no session updates arrive',
  no_cdrs: 'Calls routed, but no CDRs arrive',
  webhook_errors: 'Webhooks refused or failing',
};

export const alertStates = ['firing', 'resolved'] as const;
export type AlertState = (typeof alertStates)[number];

const minutes = (min: number, max: number) => {
  const message = { message: `must be a whole number of minutes from ${min} to ${max}` };
  return z.number(message).int(message).min(min, message).max(max, message);
};
const count = (min: number, max: number) => {
  const message = { message: `must be a whole number from ${min} to ${max}` };
  return z.number(message).int(message).min(min, message).max(max, message);
};

const webhookUrlField = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => /^https?:\/\/[^\s/]+/i.test(v) && URL.canParse(v), { message: 'must be an http:// or https:// URL' });

/** Thresholds and where notifications go. */
export const alertSettings = z.object({
  /** Off: nothing is evaluated or sent for this tenant (agent health still works). */
  enabled: z.boolean().default(true),
  /** An agent (or a provider pool) whose live calls stay at its limit this long. */
  at_cap_minutes: minutes(1, 1440).default(10),
  /** The fallback route took more than `fallback_percent` of at least `fallback_min_calls` calls in the last `fallback_window_minutes`. */
  fallback_percent: count(1, 100).default(20),
  fallback_window_minutes: minutes(5, 1440).default(30),
  fallback_min_calls: count(1, 100_000).default(10),
  /** At least `wiring_min_calls` calls routed in the last `wiring_window_minutes` and not one session update (or CDR) arrived. */
  wiring_min_calls: count(1, 100_000).default(5),
  wiring_window_minutes: minutes(5, 1440).default(30),
  /** At least this many webhooks refused or failed in the last `webhook_errors_window_minutes`. */
  webhook_errors_threshold: count(1, 1_000_000).default(20),
  webhook_errors_window_minutes: minutes(1, 1440).default(15),
  /** Outgoing webhook (HMAC-signed, see docs/alerts.md); null sends none. */
  webhook_url: webhookUrlField.nullable().default(null),
  email_recipients: z.array(emailField).max(10, { message: 'at most 10 addresses' }).default([]),
  /** Notifications per tenant per 10 minutes; past it they are dropped and counted in the next one. */
  max_notifications_per_10_minutes: count(1, 1000).default(10),
});
export type AlertSettings = z.infer<typeof alertSettings>;
export const defaultAlertSettings: AlertSettings = alertSettings.parse({});

/** What the API answers: the settings, and whether a signing secret is set (never the secret). */
export const alertSettingsView = alertSettings.extend({ webhook_url: z.string().nullable(), email_recipients: z.array(z.string()), signing_secret_set: z.boolean() });
export type AlertSettingsView = z.infer<typeof alertSettingsView>;

/** PUT: any subset; `signing_secret` is write-only (null removes it). */
export const updateAlertSettingsBody = alertSettings
  .partial()
  .extend({
    signing_secret: z.string().min(16, { message: 'must be at least 16 characters' }).max(200).nullable().optional(),
  })
  .strict();
export type UpdateAlertSettingsInput = z.infer<typeof updateAlertSettingsBody>;

export const alertQuery = paginationQuery.extend({
  state: z.enum(alertStates, { message: `must be one of: ${alertStates.join(', ')}` }).optional(),
  kind: z.enum(alertKinds, { message: `must be one of: ${alertKinds.join(', ')}` }).optional(),
});
export type AlertQuery = z.infer<typeof alertQuery>;

export const alertView = z.object({
  id: z.number().int(),
  kind: z.enum(alertKinds),
  /** The kind in plain words. */
  label: z.string(),
  /** The agent (or other subject) the alert is about; null for tenant-wide kinds. */
  subject_id: z.number().int().nullable(),
  subject_name: z.string().nullable(),
  state: z.enum(alertStates),
  /** One sentence saying what was seen. */
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
  fired_at: z.string(),
  resolved_at: z.string().nullable(),
  acknowledged_at: z.string().nullable(),
  acknowledged_by: z.number().int().nullable(),
});
export type AlertView = z.infer<typeof alertView>;

export const alertCounts = z.object({ firing: z.number().int(), unacknowledged: z.number().int() });
export type AlertCounts = z.infer<typeof alertCounts>;

export const testAlertResult = z.object({
  webhook: z.enum(['sent', 'failed', 'not_configured']),
  email: z.enum(['sent', 'failed', 'not_configured']),
});
export type TestAlertResult = z.infer<typeof testAlertResult>;
