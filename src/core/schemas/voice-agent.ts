import { z } from 'zod';
import { findProvider, type Provider } from '../providers.js';
import { CALL_PLACEHOLDERS, fillTemplate, listPlaceholders, SAMPLE_CALL_VARIABLES, templateProblem } from '../routing/call-template.js';
import { dialOptionsSchema, dialOptionsTransportProblems, dialOptionsView } from './dial-options.js';
import './error-messages.js';

/** Serialized size limit of an agent's free-form metadata, in UTF-8 bytes. */
export const METADATA_MAX_BYTES = 8 * 1024;

export const providerField = z
  .string()
  .trim()
  .toLowerCase()
  .max(60)
  .refine((id) => findProvider(id) !== undefined, { message: 'is not a supported provider: GET /api/providers lists the valid ids' });

export const agentNameField = z.string().trim().min(1, { message: 'is required' }).max(120, { message: 'must be at most 120 characters' });

/** Checked against the provider's kind once the provider is known (see `serviceValueProblem`). */
export const serviceValueField = z.string().trim().min(1, { message: 'is required' }).max(500, { message: 'must be at most 500 characters' });

/** A credential to set; empty string or null removes the stored one. Never trimmed: spaces may be part of it. */
export const credentialField = z.string().max(255, { message: 'must be at most 255 characters' }).nullable();

export const maxConcurrentCallsField = z
  .number()
  .int({ message: 'must be a whole number' })
  .min(1, { message: 'must be between 1 and 10000, or null for unlimited' })
  .max(10_000, { message: 'must be between 1 and 10000, or null for unlimited' })
  .nullable();

export const descriptionField = z
  .string()
  .trim()
  .max(1000, { message: 'must be at most 1000 characters' })
  .nullable()
  .transform((v) => (v === '' ? null : v));

function jsonBytes(value: unknown): number {
  try {
    // TextEncoder rather than Buffer: this schema also runs in the browser.
    return new TextEncoder().encode(JSON.stringify(value)).length;
  } catch {
    // Too deeply nested to serialize: certainly not small metadata.
    return Number.POSITIVE_INFINITY;
  }
}

export const metadataField = z
  .record(z.string(), z.unknown(), { message: 'must be a JSON object or null' })
  .refine((v) => jsonBytes(v) <= METADATA_MAX_BYTES, { message: `must be at most ${METADATA_MAX_BYTES} bytes as JSON` })
  .nullable();

/** Separators people type inside phone numbers; removed before storage and validation. */
const PHONE_SEPARATORS = /[\s().-]/g;

/**
 * The service value as stored: SIP numbers lose their separators ("+1 (212) 555-0999" →
 * "+12125550999") because the value goes verbatim inside `<Service>`, where the provider
 * looks the number up; a leading '+' is kept exactly as given, never added. URLs are kept as given.
 */
export function normalizeServiceValue(provider: Provider, value: string): string {
  return provider.transport === 'sip' ? value.replace(PHONE_SEPARATORS, '') : value;
}

/** Why a service value does not fit its provider, or undefined when it does. */
export function serviceValueProblem(provider: Provider, value: string): string | undefined {
  if (provider.transport === 'sip') {
    return /^\+?\d{6,15}$/.test(normalizeServiceValue(provider, value))
      ? undefined
      : `must be the agent's E.164 number at ${provider.name}, such as ${provider.service_value.example}`;
  }
  return websocketUrlProblem(provider, value);
}

/**
 * A WebSocket URL may hold the call placeholders in its path and query; it must be a
 * wss:// URL with a host once they are filled, and every other {name} must be replaced.
 */
function websocketUrlProblem(provider: Provider, value: string): string | undefined {
  const wssHint = `must be a wss:// URL for ${provider.name}, such as ${provider.service_value.example}`;
  if (/\s/.test(value)) return `${wssHint} (no spaces)`;
  const unknown = templateProblem(value);
  if (unknown) return `${unknown}: replace the others with your own values`;
  const withoutPlaceholders = value.replace(/\{[^{}\s]*\}/g, '');
  if (/[{}]/.test(withoutPlaceholders)) return `${wssHint} (a { or } that is not part of a placeholder such as {session})`;
  const withSamples = parseUrl(fillTemplate(value, SAMPLE_CALL_VARIABLES, { encode: 'url' }));
  if (!withSamples || withSamples.protocol !== 'wss:' || withSamples.hostname === '') return wssHint;
  // Filled with other values, the address must not move: placeholders belong in the path and query only.
  const withOthers = parseUrl(fillTemplate(value, OTHER_CALL_VARIABLES, { encode: 'url' }));
  if (!withOthers || authorityOf(withOthers) !== authorityOf(withSamples)) {
    return `may use placeholders such as ${listPlaceholders(['session'])} only in its path and query, not in the host`;
  }
  return undefined;
}

const OTHER_CALL_VARIABLES = Object.fromEntries(CALL_PLACEHOLDERS.map((name) => [name, `other-${name}`]));

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function authorityOf(url: URL): string {
  return `${url.username}:${url.password}@${url.host}`;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The provider check needs a readable object, provider and service value; other fields may be wrong. */
function blocksServiceValueCheck(path: readonly PropertyKey[] | undefined): boolean {
  return !path || path.length === 0 || path[0] === 'provider' || path[0] === 'service_value';
}

/** Dial options are checked against the provider's transport once both read well. */
function blocksDialOptionsCheck(path: readonly PropertyKey[] | undefined): boolean {
  return !path || path.length === 0 || path[0] === 'provider' || path[0] === 'dial_options';
}

/** What the agent is told about each call (see dial-options.ts); null or {} for none. */
export const dialOptionsField = dialOptionsSchema.nullable();

const agentFields = {
  name: agentNameField,
  provider: providerField,
  service_value: serviceValueField,
  username: credentialField.optional(),
  password: credentialField.optional(),
  max_concurrent_calls: maxConcurrentCallsField.optional(),
  description: descriptionField.optional(),
  metadata: metadataField.optional(),
  dial_options: dialOptionsField.optional(),
  /** The provider pool whose limit the agent's calls also count against (GET /api/provider-pools); null: none. */
  pool_id: z.number({ message: 'must be a provider pool id or null' }).int().positive().max(2_147_483_647).nullable().optional(),
};

/**
 * A complete agent. The provider decides what the service value must look like, so the
 * check runs on the whole object, and runs even when unrelated fields are wrong so one
 * answer names every bad field.
 */
export const createVoiceAgentBody = z
  .object({ ...agentFields, enabled: z.boolean().default(true) })
  .strict()
  .superRefine(
    (agent, ctx) => {
      const provider = typeof agent.provider === 'string' ? findProvider(agent.provider) : undefined;
      if (!provider || typeof agent.service_value !== 'string') return;
      const problem = serviceValueProblem(provider, agent.service_value);
      if (problem) ctx.addIssue({ code: 'custom', path: ['service_value'], message: problem });
    },
    { when: (payload) => isObject(payload.value) && !payload.issues.some((i) => blocksServiceValueCheck(i.path)) },
  )
  .superRefine(
    (agent, ctx) => {
      const provider = typeof agent.provider === 'string' ? findProvider(agent.provider) : undefined;
      if (!provider || !agent.dial_options) return;
      for (const { field, message } of dialOptionsTransportProblems(agent.dial_options, provider.transport)) {
        ctx.addIssue({ code: 'custom', path: ['dial_options', field], message });
      }
    },
    { when: (payload) => isObject(payload.value) && !payload.issues.some((i) => blocksDialOptionsCheck(i.path)) },
  )
  .transform((agent) => {
    const provider = findProvider(agent.provider);
    return provider ? { ...agent, service_value: normalizeServiceValue(provider, agent.service_value) } : agent;
  });
export type CreateVoiceAgentInput = z.infer<typeof createVoiceAgentBody>;

/**
 * Any subset of the fields. The service merges it with the stored agent and validates the
 * merged agent with `createVoiceAgentBody`, so a provider change needs a matching service value.
 */
export const updateVoiceAgentBody = z
  .object({ ...agentFields, name: agentNameField.optional(), provider: providerField.optional(), service_value: serviceValueField.optional(), enabled: z.boolean().optional() })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one field to change' });
export type UpdateVoiceAgentInput = z.infer<typeof updateVoiceAgentBody>;

/**
 * `never_tried`: no call has been sent to the agent yet, so nothing says it works.
 * `unknown`: live health is kept in Redis, and it cannot be read now (this instance knows of no failure).
 */
export const healthStatuses = ['healthy', 'unhealthy', 'never_tried', 'unknown'] as const;
export type HealthStatus = (typeof healthStatuses)[number];

/** The public shape of an agent: whether credentials are set, never the credentials. */
export const voiceAgentView = z.object({
  id: z.number().int(),
  name: z.string(),
  provider: z.string(),
  provider_name: z.string(),
  transport: z.enum(['sip', 'websocket']),
  service_value: z.string(),
  has_username: z.boolean(),
  has_password: z.boolean(),
  enabled: z.boolean(),
  max_concurrent_calls: z.number().int().nullable(),
  description: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  /** Only the fields set on this agent; {} when none (the group's apply, then Cloudonix's defaults). */
  dial_options: dialOptionsView,
  /** The provider pool the agent's calls also count against; null: none. */
  pool_id: z.number().int().nullable(),
  health_status: z.enum(healthStatuses),
  /** Set while the agent is out of rotation after consecutive failures or a surge of short calls. */
  unhealthy_until: z.string().nullable(),
  /** Why it is out of rotation (null while in): `failures` in a row, or `short_calls` (it answers and drops calls). */
  unhealthy_reason: z.enum(['failures', 'short_calls']).nullable(),
  /** With `short_calls`: of the answered calls that ended in the tenant's window, how many were under `short_call_seconds`. */
  short_calls: z.object({ short_calls: z.number().int(), answered_calls: z.number().int(), short_call_seconds: z.number().int() }).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type VoiceAgentView = z.infer<typeof voiceAgentView>;

/**
 * Something worth a second look in a saved agent that is not wrong in itself: another agent
 * already dials the same number or URL (two entries for one agent skew the shares).
 */
export const voiceAgentWarning = z.object({
  code: z.literal('duplicate_target'),
  field: z.literal('service_value'),
  message: z.string(),
  /** The other agents concerned. */
  agents: z.array(z.object({ id: z.number().int(), name: z.string() })),
});
export type VoiceAgentWarning = z.infer<typeof voiceAgentWarning>;

/** What create and update answer: the agent, and warnings the client should show (empty when none). */
export const savedVoiceAgentView = voiceAgentView.extend({ warnings: z.array(voiceAgentWarning) });
export type SavedVoiceAgentView = z.infer<typeof savedVoiceAgentView>;
