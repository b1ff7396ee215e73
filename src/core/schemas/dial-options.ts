import { z } from 'zod';
import type { ProviderTransport } from '../providers.js';
import { listPlaceholders, templateProblem } from '../routing/call-template.js';
import './error-messages.js';

/**
 * What an agent (or every agent of a group) is told about the call: SIP headers,
 * the caller's own headers, a cap on the call's length, caller ID and name, and for
 * WebSocket agents the stream's parameters. Every field is optional: an agent's
 * field overrides its group's, and a field set nowhere leaves Cloudonix's default.
 * Shared by the API and the forms, so both refuse the same input.
 */
export const DIAL_HEADERS_MAX = 10;
export const STREAM_PARAMETERS_MAX = 20;
export const TEMPLATE_VALUE_MAX = 256;
export const CALLER_NAME_MAX = 128;
export const TIME_LIMIT_MAX_SECONDS = 86_400;

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
// RFC 3261 token characters; the X- prefix keeps custom headers clear of the ones SIP itself uses.
const SIP_HEADER_NAME = /^X-[A-Za-z0-9!%*_+`'~.-]+$/i;
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const PHONE_SEPARATORS = /[\s().-]/g;
const CALLER_ID_TEMPLATES = ['{from}', '{to}'];

/** Text filled per call: one line, known placeholders only. */
function templateField(max: number) {
  return z
    .string()
    .trim()
    .max(max, { message: `must be at most ${max} characters` })
    .refine((v) => !CONTROL_CHARACTER.test(v), { message: 'must be one line, without control characters' })
    .superRefine((v, ctx) => {
      const problem = templateProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/** Each name once (SIP header names compare without case); a repeat is named at its own position. */
function uniqueNames<T extends { name: string }>(items: readonly T[], ctx: z.RefinementCtx, ignoreCase: boolean) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = ignoreCase ? item.name.toLowerCase() : item.name;
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: 'is given twice: give each name once' });
    seen.add(key);
  });
}

/** The name of a header or stream parameter: required, short, of the given shape. */
const entryName = (shape: RegExp, message: string) =>
  z.string().trim().min(1, { message: 'is required' }).max(64, { message: 'must be at most 64 characters' }).regex(shape, { message });

export const dialHeaderField = z
  .object({
    name: entryName(SIP_HEADER_NAME, "must be a SIP header name starting with X-, such as X-Caller-Name (letters, digits and -.!%*_+`'~)"),
    value: templateField(TEMPLATE_VALUE_MAX).refine((v) => v !== '', { message: 'is required' }),
  })
  .strict();

export const streamParameterField = z
  .object({
    name: entryName(PARAMETER_NAME, 'must start with a letter or _ and hold only letters, digits and _.-'),
    value: templateField(TEMPLATE_VALUE_MAX),
  })
  .strict();

const emptyToNull = (v: string) => (v === '' ? null : v);

export const callerIdField = z
  .string()
  .trim()
  .max(40, { message: 'must be at most 40 characters' })
  .transform((v) => (CALLER_ID_TEMPLATES.includes(v) ? v : v.replace(PHONE_SEPARATORS, '')))
  .refine((v) => v === '' || CALLER_ID_TEMPLATES.includes(v) || /^\+?\d{6,15}$/.test(v), {
    message: 'must be a phone number in E.164 form such as +12125550123, or {from} or {to}',
  })
  .transform(emptyToNull)
  .nullable();

export const dialOptionsSchema = z
  .object({
    headers: z
      .array(dialHeaderField)
      .max(DIAL_HEADERS_MAX, { message: `must hold at most ${DIAL_HEADERS_MAX} headers` })
      .superRefine((items, ctx) => uniqueNames(items, ctx, true))
      .optional(),
    forward_headers: z.boolean().optional(),
    time_limit_seconds: z
      .number()
      .int({ message: 'must be a whole number of seconds' })
      .min(1, { message: `must be between 1 and ${TIME_LIMIT_MAX_SECONDS} seconds, or null for no limit` })
      .max(TIME_LIMIT_MAX_SECONDS, { message: `must be between 1 and ${TIME_LIMIT_MAX_SECONDS} seconds, or null for no limit` })
      .nullable()
      .optional(),
    caller_id: callerIdField.optional(),
    caller_name: templateField(CALLER_NAME_MAX).transform(emptyToNull).nullable().optional(),
    stream_parameters: z
      .array(streamParameterField)
      .max(STREAM_PARAMETERS_MAX, { message: `must hold at most ${STREAM_PARAMETERS_MAX} parameters` })
      .superRefine((items, ctx) => uniqueNames(items, ctx, false))
      .optional(),
  })
  .strict();
export type DialOptions = z.output<typeof dialOptionsSchema>;
export type DialOptionsInput = z.input<typeof dialOptionsSchema>;

const nameValueView = z.object({ name: z.string(), value: z.string() });

/** The stored options as the API returns them: the same fields, without the input rules. */
export const dialOptionsView = z.object({
  headers: z.array(nameValueView).optional(),
  forward_headers: z.boolean().optional(),
  time_limit_seconds: z.number().int().nullable().optional(),
  caller_id: z.string().nullable().optional(),
  caller_name: z.string().nullable().optional(),
  stream_parameters: z.array(nameValueView).optional(),
});

/** Options that only a SIP dial carries: a WebSocket stream has no SIP headers, caller ID or time limit. */
const SIP_ONLY = ['headers', 'forward_headers', 'time_limit_seconds', 'caller_id', 'caller_name'] as const;

function isSet(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== null && value !== false;
}

/** Options set on an agent that its provider's transport cannot carry, each with the reason. */
export function dialOptionsTransportProblems(options: DialOptions, transport: ProviderTransport): { field: keyof DialOptions; message: string }[] {
  if (transport === 'sip') {
    return isSet(options.stream_parameters) ? [{ field: 'stream_parameters', message: 'apply only to WebSocket providers; a SIP agent gets headers instead' }] : [];
  }
  return SIP_ONLY.filter((field) => isSet(options[field])).map((field) => ({
    field,
    message: 'applies only to SIP providers: a WebSocket agent gets the call through stream parameters instead',
  }));
}

/** Options read back from storage; anything that no longer validates counts as none rather than failing a call. */
export function parseStoredDialOptions(value: unknown): DialOptions | null {
  if (value === null || value === undefined) return null;
  const parsed = dialOptionsSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** For help texts: which placeholders header values, caller names and stream parameters may use. */
export const DIAL_TEMPLATE_HELP = `Filled per call: ${listPlaceholders()}.`;
