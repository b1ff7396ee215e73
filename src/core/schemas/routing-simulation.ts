import { z } from 'zod';
import { numberProblem } from '../routing/dialable-number.js';
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
  })
  .strict();
export type SimulateRoutingInput = z.infer<typeof simulateRoutingBody>;
