import { z } from 'zod';
import './error-messages.js';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD' })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), { message: 'is not a calendar date' });

const MAX_RANGE_DAYS = 366;

/** Analytics filters: local calendar days in the tenant's time zone (default: the last 7 days). */
export const analyticsQuery = z
  .object({
    start_date: day.optional(),
    end_date: day.optional(),
    agent_id: z.coerce.number().int().positive().max(2_147_483_647).optional(),
    group_id: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  })
  .superRefine((q, ctx) => {
    if (!q.start_date || !q.end_date) return;
    const span = (Date.parse(q.end_date) - Date.parse(q.start_date)) / 86_400_000;
    if (span < 0) ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'must not be before start_date' });
    if (span >= MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['end_date'], message: `the range may span at most ${MAX_RANGE_DAYS} days` });
  });
export type AnalyticsQuery = z.infer<typeof analyticsQuery>;

const trend = z.object({ date: z.string(), calls: z.number().int(), answered: z.number().int(), success_rate: z.number() });

export const metricsView = z.object({
  start_date: z.string(),
  end_date: z.string(),
  calls_today: z.number().int(),
  total_calls: z.number().int(),
  answered_calls: z.number().int(),
  /** Percent of calls answered (0-100, one decimal). */
  success_rate: z.number(),
  /** Seconds, over answered calls with a known duration. */
  avg_duration: z.number(),
  active_calls: z.number().int(),
  trends: z.array(trend),
});
export type MetricsView = z.infer<typeof metricsView>;

const share = { calls: z.number().int(), share: z.number() };
export const agentAnalyticsView = z.object({
  start_date: z.string(),
  end_date: z.string(),
  data: z.array(
    z.object({
      agent_id: z.number().int(),
      agent_name: z.string().nullable(),
      calls: z.number().int(),
      answered: z.number().int(),
      success_rate: z.number(),
      avg_duration: z.number(),
      groups: z.array(z.object({ group_id: z.number().int(), group_name: z.string().nullable(), ...share })),
    }),
  ),
});

export const groupAnalyticsView = z.object({
  start_date: z.string(),
  end_date: z.string(),
  data: z.array(
    z.object({
      group_id: z.number().int(),
      group_name: z.string().nullable(),
      calls: z.number().int(),
      answered: z.number().int(),
      success_rate: z.number(),
      avg_duration: z.number(),
      members: z.array(z.object({ agent_id: z.number().int(), agent_name: z.string().nullable(), ...share })),
    }),
  ),
});
