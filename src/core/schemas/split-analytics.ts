import { z } from 'zod';
import './error-messages.js';

const MAX_RANGE_MS = 366 * 86_400_000;
const instant = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), { message: 'must be a date and time such as 2026-12-01T00:00:00Z (or a date, 2026-12-01)' });

/** `GET /api/analytics/splits`: one split rule's calls started in [from, to) (default: the last 30 days). */
export const splitAnalyticsQuery = z
  .object({
    rule_id: z.coerce.number({ message: 'must be the id of an inbound rule' }).int({ message: 'must be a whole number' }).positive({ message: 'must be positive' }).max(2_147_483_647),
    from: instant.optional(),
    to: instant.optional(),
  })
  .superRefine((q, ctx) => {
    if (!q.from || !q.to) return;
    const span = Date.parse(q.to) - Date.parse(q.from);
    if (span <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    if (span > MAX_RANGE_MS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the range may span at most 366 days' });
  });
export type SplitAnalyticsQuery = z.infer<typeof splitAnalyticsQuery>;

const interval = z.object({ low: z.number(), high: z.number() });

const armAnalytics = z.object({
  label: z.string(),
  /** The arm's share now (null: a label calls carry that the split no longer has). */
  percent: z.number().nullable(),
  target: z.object({ type: z.enum(['agent', 'group']), id: z.number().int() }).nullable(),
  target_name: z.string().nullable(),
  calls: z.number().int(),
  answered: z.number().int(),
  /** Answered / calls (0..1, four decimals); null without calls. */
  answer_rate: z.number().nullable(),
  /** 95% Wilson score interval of answer_rate. */
  answer_rate_ci95: interval.nullable(),
  /** Answered calls with a known billsec: the sample behind the duration figures. */
  duration_sample: z.number().int(),
  avg_billsec: z.number().nullable(),
  median_billsec: z.number().nullable(),
  short_calls: z.number().int(),
  /** Short answered calls / duration_sample (0..1). */
  short_call_share: z.number().nullable(),
});

export const splitAnalyticsView = z.object({
  rule_id: z.number().int(),
  rule_name: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  /** Answered calls billed fewer seconds than this count as short. */
  short_call_seconds: z.number().int(),
  /** Fewest calls per arm before answer rates are compared. */
  min_calls_per_arm: z.number().int(),
  arms: z.array(armAnalytics),
  verdict: z.object({ kind: z.enum(['too_small', 'no_difference', 'better']), label: z.string().nullable(), message: z.string() }),
});
export type SplitAnalyticsView = z.infer<typeof splitAnalyticsView>;
