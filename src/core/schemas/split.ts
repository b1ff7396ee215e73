import { z } from 'zod';
import './error-messages.js';

const INT_MAX = 2_147_483_647;
export const MIN_SPLIT_ARMS = 2;
export const MAX_SPLIT_ARMS = 10;
/** Width of call_records.variant, where the chosen arm's label is stored. */
export const SPLIT_LABEL_MAX = 40;

/** Percent in tenths (70.5 → 705): the split's arithmetic stays in integers. */
export const percentTenths = (percent: number): number => Math.round(percent * 10);

const percentField = z
  .number({ message: 'must be a number' })
  .gt(0, { message: 'must be more than 0' })
  .max(100, { message: 'must be at most 100' })
  .refine((p) => Math.abs(p * 10 - Math.round(p * 10)) < 1e-9, { message: 'may have at most one decimal (e.g. 33.3)' });

export const splitArmField = z
  .object({
    /** What the arm is called in the trace, the call record (its variant) and analytics: `A`, `new prompt`. */
    label: z
      .string({ message: 'must be text' })
      .trim()
      .min(1, { message: 'is required' })
      .max(SPLIT_LABEL_MAX, { message: `must be at most ${SPLIT_LABEL_MAX} characters` })
      .regex(/^[^\p{Cc}]+$/u, { message: 'must not hold control characters' }),
    target: z
      .object({
        type: z.enum(['agent', 'group'], { message: 'must be agent or group' }),
        id: z.number({ message: 'must be a whole number' }).int({ message: 'must be a whole number' }).positive({ message: 'must be positive' }).max(INT_MAX),
      })
      .strict(),
    percent: percentField,
  })
  .strict();
export type SplitArm = z.output<typeof splitArmField>;

/**
 * A weighted split's arms: 2–10 of them, labels unique (ignoring case, since people read
 * them), percents summing to exactly 100 (compared in tenths, so 33.3 + 33.3 + 33.4 is 100).
 */
export const splitArmsField = z
  .array(splitArmField, { message: 'must be a list of arms' })
  .min(MIN_SPLIT_ARMS, { message: `needs at least ${MIN_SPLIT_ARMS} arms` })
  .max(MAX_SPLIT_ARMS, { message: `may have at most ${MAX_SPLIT_ARMS} arms` })
  .superRefine((arms, ctx) => {
    const seen = new Map<string, number>();
    arms.forEach((arm, i) => {
      const key = arm.label.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'label'], message: `repeats the label of arm ${seen.get(key)! + 1}; labels must be unique` });
      else seen.set(key, i);
    });
    // A percent refused on its own (more decimals) is not added up as well.
    if (arms.some((a) => Math.abs(a.percent * 10 - percentTenths(a.percent)) > 1e-9)) return;
    const total = arms.reduce((s, a) => s + percentTenths(a.percent), 0);
    if (arms.length >= MIN_SPLIT_ARMS && total !== 1000) ctx.addIssue({ code: 'custom', message: `percents must add up to 100 (they add up to ${total / 10})` });
  });

/** A split's arm as the API shows it, with the name of its target (null once that agent or group is gone). */
export const splitArmView = z.object({
  label: z.string(),
  target: z.object({ type: z.enum(['agent', 'group']), id: z.number().int() }),
  percent: z.number(),
  target_name: z.string().nullable(),
});
export type SplitArmView = z.infer<typeof splitArmView>;

/** "A 70% / B 30%": how a split reads in lists. */
export function splitSummary(arms: readonly Pick<SplitArm, 'label' | 'percent'>[]): string {
  return arms.map((a) => `${a.label} ${a.percent}%`).join(' / ');
}
