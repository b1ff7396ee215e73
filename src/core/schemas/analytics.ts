import { z } from 'zod';
import './error-messages.js';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD' })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), { message: 'is not a calendar date' });

const MAX_RANGE_DAYS = 366;
/** Ranges of up to this many local days are counted per hour by default ("today", "the last 24 hours"). */
export const HOURLY_AUTO_DAYS = 2;
/** Hourly counts read the calls themselves: asked for explicitly, a range may span at most this many days. */
export const HOURLY_MAX_DAYS = 7;

/** Analytics filters: local calendar days in the tenant's time zone (default: the last 7 days). */
export const analyticsQuery = z
  .object({
    start_date: day.optional(),
    end_date: day.optional(),
    agent_id: z.coerce.number().int().positive().max(2_147_483_647).optional(),
    group_id: z.coerce.number().int().positive().max(2_147_483_647).optional(),
    /** Buckets of `timeline`: `auto` is hourly for ranges of up to 2 days, daily beyond. */
    bucket: z.enum(['auto', 'hour', 'day']).optional(),
  })
  .superRefine((q, ctx) => {
    if (!q.start_date || !q.end_date) return;
    const span = (Date.parse(q.end_date) - Date.parse(q.start_date)) / 86_400_000;
    if (span < 0) ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'must not be before start_date' });
    if (span >= MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['end_date'], message: `the range may span at most ${MAX_RANGE_DAYS} days` });
    if (q.bucket === 'hour' && span >= HOURLY_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['bucket'], message: `hourly counts cover at most ${HOURLY_MAX_DAYS} days` });
  });
export type AnalyticsQuery = z.infer<typeof analyticsQuery>;

const trend = z.object({ date: z.string(), calls: z.number().int(), answered: z.number().int(), success_rate: z.number() });

/** One bar of the calls chart: an hour or a local day. */
const timelinePoint = z.object({
  /** The bucket's first instant (ISO 8601, UTC). */
  at: z.string(),
  /** Its local day in the tenant's time zone. */
  date: z.string(),
  /** Its local hour (0-23) for hourly buckets; null for days. */
  hour: z.number().int().nullable(),
  calls: z.number().int(),
  answered: z.number().int(),
  /** Percent answered (0-100, one decimal). */
  success_rate: z.number(),
});

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
  /** Per local day, whatever the range (kept for older clients; `timeline` follows `bucket`). */
  trends: z.array(trend),
  /** The tenant's time zone the days and hours are counted in. */
  timezone: z.string(),
  bucket: z.enum(['hour', 'day']),
  /** Hourly for ranges of up to 2 days (up to the current hour today), else daily. */
  timeline: z.array(timelinePoint),
});
export type MetricsView = z.infer<typeof metricsView>;

const fraction = z.number().min(0).max(1);
/** The seed documents' names: `success_rate` a fraction (0..1); the percent is kept as `success_rate_percent`. */
const seedRates = { success_rate: fraction.describe('Answered ÷ calls, a fraction (0..1)'), success_rate_percent: z.number().describe('The same as a percent (0-100, one decimal), as /api/analytics/metrics says success_rate') };

/** GET /api/analytics/overview: /api/analytics/metrics in the seed's words. */
export const overviewView = metricsView.extend({
  ...seedRates,
  trends: z.array(trend.extend(seedRates)),
  timeline: z.array(timelinePoint.extend(seedRates)),
});
export type OverviewView = z.infer<typeof overviewView>;

/** GET /api/analytics/trends: the calls chart of /api/analytics/metrics in the seed's words. */
export const trendsView = z.object({
  start_date: z.string(),
  end_date: z.string(),
  timezone: z.string(),
  bucket: z.enum(['hour', 'day']),
  trends: z.array(timelinePoint.extend(seedRates)),
});
export type TrendsView = z.infer<typeof trendsView>;

/**
 * Why the tenant's fallback route took a call: the decision trace's reason, with
 * `all_at_capacity` told apart from other `no_candidate`s. The words of the
 * vlb_fallbacks_total metric (services/call-metrics.ts FallbackLabel; the compiler
 * holds the two lists equal).
 */
export const fallbackReasons = ['no_rule', 'target_missing', 'no_candidate', 'all_at_capacity', 'attempts_exhausted', 'error'] as const;
export type FallbackReasonLabel = (typeof fallbackReasons)[number];

/** The reasons in words, as the call drawer tells them (web call-event-text.ts). */
export const fallbackReasonText: Readonly<Record<FallbackReasonLabel, string>> = {
  no_rule: 'no rule matched',
  target_missing: 'the rule’s target no longer exists',
  no_candidate: 'no agent available',
  all_at_capacity: 'every agent at its cap',
  attempts_exhausted: 'every attempt failed',
  error: 'a routing error',
};

const shareOf = { calls: z.number().int(), share: z.number().describe('Percent of all calls in the range (0-100, one decimal)') };
export const routingSharesView = z.object({
  start_date: z.string(),
  end_date: z.string(),
  total_calls: z.number().int(),
  /** Calls that found an agent at its cap and went to the next agent (and were not given the fallback). */
  overflowed: z.object(shareOf),
  /** Calls given the tenant's fallback route, live or ended. */
  fell_back: z.object(shareOf),
  /** `fell_back` by reason, largest first; reasons without calls left out. */
  fallback_reasons: z.array(z.object({ reason: z.enum(fallbackReasons), ...shareOf })),
});
export type RoutingSharesView = z.infer<typeof routingSharesView>;

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
