import type { MetricsView, OverviewView, TrendsView } from '../../core/schemas/analytics.js';

/** A percent (one decimal) as the seed's fraction, to four decimals. */
const fraction = (percent: number) => Math.round(percent * 100) / 10_000;
const seedRate = <T extends { success_rate: number }>(x: T) => ({ ...x, success_rate: fraction(x.success_rate), success_rate_percent: x.success_rate });

/**
 * The seed documents' names for the metrics answer: `success_rate` is a fraction
 * there, so the alias routes say it so and keep the percent as
 * `success_rate_percent`. Pure re-labelling of one answer, never a second count.
 */
export function asOverview(m: MetricsView): OverviewView {
  return { ...seedRate(m), trends: m.trends.map(seedRate), timeline: m.timeline.map(seedRate) };
}

export function asTrends(m: MetricsView): TrendsView {
  return { start_date: m.start_date, end_date: m.end_date, timezone: m.timezone, bucket: m.bucket, trends: m.timeline.map(seedRate) };
}
