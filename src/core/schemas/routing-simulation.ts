import { z } from 'zod';
import { numberProblem } from '../routing/dialable-number.js';
import { isMomentText } from '../time/wall-time.js';
import './error-messages.js';

/** A caller or dialled number for the rule tester: refused unless routing could match its digits. */
export const testNumberField = z
  .string()
  .trim()
  .min(1, { message: 'is required' })
  .max(64, { message: 'must be at most 64 characters' })
  .superRefine((value, ctx) => {
    const problem = numberProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** `POST /api/routing/simulate`, shared with the rule tester's form so both refuse the same input. */
export const simulateRoutingBody = z
  .object({
    from: testNumberField,
    to: testNumberField,
    direction: z.enum(['inbound', 'subscriber', 'outbound-api', 'application']).optional(),
    /** The moment to try, for rules with a schedule; absent: now. */
    when: z
      .string()
      .trim()
      .max(40, { message: 'must be at most 40 characters' })
      .refine((v) => v === '' || isMomentText(v), { message: "must be a date-time such as 2026-12-25T09:30 (the tenant's time zone) or 2026-12-25T14:30:00Z" })
      .optional()
      .meta({ description: "The moment whose schedules apply: an ISO date-time with a zone, or without one for the tenant's own time zone; absent or empty: now." }),
  })
  .strict();
export type SimulateRoutingInput = z.infer<typeof simulateRoutingBody>;
