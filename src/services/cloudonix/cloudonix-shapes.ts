import { z } from 'zod';
import type { CloudonixApplication, CloudonixDomain, CloudonixSession } from './cloudonix-api.js';

/**
 * Cloudonix's answers as we read them: only the fields we use, lenient about the rest
 * (extra fields ignored, a missing optional field defaulted), so a new field at
 * Cloudonix never breaks setup, while a missing id or name is a clear failure.
 */
const nullableNumber = z.number().nullable().optional().transform((v) => v ?? null);
const nullableString = z.string().nullable().optional().transform((v) => v ?? null);

export const domainAnswer = z.object({
  id: z.number(),
  domain: z.string(),
  active: z.boolean().optional().default(true),
  defaultApplication: z.union([z.number(), z.string()]).nullable().optional().transform((v) => v ?? null),
  profile: z.record(z.string(), z.unknown()).nullable().optional().transform((v) => v ?? {}),
}) satisfies z.ZodType<CloudonixDomain, unknown>;

export const applicationAnswer = z.object({
  id: z.number(),
  name: z.string(),
  type: z.string().optional().default('cxml'),
  url: z.string().nullable().optional().transform((v) => v ?? ''),
  method: z.string().nullable().optional().transform((v) => (v ?? 'POST').toUpperCase()),
  active: z.boolean().optional().default(true),
}) satisfies z.ZodType<CloudonixApplication, unknown>;

export const applicationList = z.array(applicationAnswer);

export const sessionAnswer = z.object({
  token: z.string(),
  status: z.string().optional().default('unknown'),
  destination: nullableString,
  callerId: nullableString,
  callStartTime: nullableNumber,
  callAnswerTime: nullableNumber,
  callEndTime: nullableNumber,
}) satisfies z.ZodType<CloudonixSession, unknown>;

/** Cloudonix's error bodies are `{ status, message }`; some proxies answer plain text. */
export function messageOf(body: string): string {
  try {
    const parsed = z.object({ message: z.string() }).safeParse(JSON.parse(body));
    if (parsed.success) return parsed.data.message;
  } catch {
    // not JSON: the text itself, if short
  }
  return body.trim().slice(0, 200);
}
