import { fallbackReasons, type FallbackReasonLabel, type RoutingSharesView } from '../../core/schemas/analytics.js';
import type { RollupRow } from '../../store/call-rollups.js';
import type { FallbackLabel } from '../call-metrics.js';

// One vocabulary: the API's reasons are the vlb_fallbacks_total labels, word for word (fails to compile otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameWords: Same<FallbackLabel, FallbackReasonLabel> = true;
void sameWords;

/** The roll-up column of each reason. */
const columnOf = {
  no_rule: 'fb_no_rule',
  target_missing: 'fb_target_missing',
  no_candidate: 'fb_no_candidate',
  all_at_capacity: 'fb_all_at_capacity',
  attempts_exhausted: 'fb_attempts_exhausted',
  error: 'fb_error',
} as const satisfies Record<FallbackReasonLabel, keyof RollupRow>;

const percent = (n: number, total: number) => (total === 0 ? 0 : Math.round((1000 * n) / total) / 10);

/**
 * Overflow: an agent was at its cap and the call went to the next agent (no fallback).
 * Fallback: the tenant's fallback route took the call, by reason. Summed from the daily
 * roll-ups (store/call-rollups.ts counts them from each call's decision trace); shares
 * are percents of every call of the range, so "75% of today's calls overflowed to the
 * fallback" reads off `fallback_reasons`.
 */
export function routingShares(rows: readonly RollupRow[]): Omit<RoutingSharesView, 'start_date' | 'end_date'> {
  const sum = (pick: (r: RollupRow) => number) => rows.reduce((s, r) => s + Number(pick(r)), 0);
  const total = sum((r) => r.calls);
  const overflowed = sum((r) => r.overflowed);
  const reasons = fallbackReasons.map((reason) => ({ reason, calls: sum((r) => r[columnOf[reason]]) })).filter((r) => r.calls > 0);
  const fellBack = reasons.reduce((s, r) => s + r.calls, 0);
  return {
    total_calls: total,
    overflowed: { calls: overflowed, share: percent(overflowed, total) },
    fell_back: { calls: fellBack, share: percent(fellBack, total) },
    // Largest first; ties in the order of the list.
    fallback_reasons: reasons.map((r) => ({ ...r, share: percent(r.calls, total) })).sort((a, b) => b.calls - a.calls),
  };
}
