import { z } from 'zod';
import { toE164 } from '../routing/phone-number.js';
import './error-messages.js';

/**
 * A test call to an agent (POST /api/voice-agents/:id/test-call): Cloudonix rings the
 * admin's phone (`destination`) and, once answered, dials the agent. Shared by the API
 * and the UI's dialog, so both refuse the same numbers.
 */

/** A phone number in international form, stored and sent in E.164 (`+14155550123`). */
const phoneNumber = (what: string) =>
  z
    .string()
    .trim()
    .max(64)
    .transform((raw, ctx) => {
      const e164 = toE164(raw);
      if (e164 === null || !/^\+\d{7,15}$/.test(e164)) {
        ctx.addIssue({ code: 'custom', message: `must be ${what} in international form, e.g. +14155550123` });
        return z.NEVER;
      }
      return e164;
    });

export const testCallBody = z
  .object({
    /** The phone Cloudonix rings first: the admin's own. */
    destination: phoneNumber('the phone number to ring'),
    /** The caller ID that phone shows; Cloudonix's default for the domain when absent. */
    caller_id: phoneNumber('a phone number').optional(),
  })
  .strict();
export type TestCallBody = z.infer<typeof testCallBody>;

export const testCallResult = z.object({
  /** Cloudonix's session token of the call placed. */
  session_token: z.string(),
  /**
   * The call's record (GET /api/call-records/:id), marked is_test: follow it to learn what happened.
   * null only while the database is away (the record is written as soon as it is back).
   */
  call_record_id: z.number().int().nullable(),
  agent_id: z.number().int(),
  destination: z.string(),
});
export type TestCallResult = z.infer<typeof testCallResult>;
