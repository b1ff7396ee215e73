import { z } from 'zod';

/**
 * A domain API key as the Cloudonix console shows it: letters and digits, typically
 * 34 characters starting `XI`. Only its shape is checked here; whether Cloudonix
 * accepts it is asked of Cloudonix when it is saved.
 */
export const cloudonixApiKeyField = z
  .string()
  .trim()
  .min(8, { message: 'must be at least 8 characters (a Cloudonix domain API key starts with XI)' })
  .max(200, { message: 'must be at most 200 characters' })
  .regex(/^[A-Za-z0-9._~+/=-]+$/, { message: 'must be the key only, without spaces or "Bearer"' });

/** PUT /api/cloudonix/connection: a new key, the verification option, or both. */
export const updateCloudonixConnectionInput = z
  .object({
    api_key: cloudonixApiKeyField.optional(),
    verify_unknown_sessions: z.boolean().optional(),
  })
  .strict()
  .refine((v) => v.api_key !== undefined || v.verify_unknown_sessions !== undefined, { message: 'give api_key, verify_unknown_sessions or both' });
export type UpdateCloudonixConnectionInput = z.infer<typeof updateCloudonixConnectionInput>;

/** GET /api/cloudonix/connection: never the key itself, only its last 4 characters. */
export const cloudonixConnectionView = z.object({
  connected: z.boolean(),
  /** The tenant's domain: the Cloudonix domain the key must belong to. */
  domain: z.string(),
  /** The Cloudonix REST API this installation calls (CLOUDONIX_API_URL). */
  api_url: z.string(),
  /** '…abcd' (last 4 characters of the key), or null when no key is set. */
  key_hint: z.string().nullable(),
  verify_unknown_sessions: z.boolean(),
  connected_at: z.string().nullable(),
  last_setup_at: z.string().nullable(),
});
export type CloudonixConnectionView = z.infer<typeof cloudonixConnectionView>;
