import { fallbackReasons, type FallbackReasonLabel, type RoutingSharesView } from '../../core/schemas/analytics.js';
import type { RoutingShareRow } from '../../store/call-rollups.js';
import type { FallbackLabel } from '../call-metrics.js';

// One vocabulary: the API's reasons are the vlb_fallbacks_total labels, word for word (fails to compile otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameWords: Same<FallbackLabel, FallbackReasonLabel> = true;
void sameWords;

const known = new Set<string>(fallbackReasons);
const percent = (n: number, total: number) => (total === 0 ? 0 : Math.round((1000 * n) / total) / 10);

/**
 * The label routing/decision-labels.ts `fallbackLabel` gives a trace, from the flags the
 * store reads out of it: `no_candidate` with every skip at a cap is `all_at_capacity`.
 */
function labelOf(r: RoutingShareRow): FallbackReasonLabel | null {
  if (r.fallback_reason === null) return null;
  if (r.fallback_reason === 'no_candidate' && r.skipped_at_capacity && !r.skipped_otherwise) return 'all_at_capacity';
  return known.has(r.fallback_reason) ? (r.fallback_reason as FallbackReasonLabel) : 'error';
}

/**
 * Overflow: an agent was at its cap and the call went to the next agent (no fallback).
 * Fallback: the tenant's fallback route took the call, by reason. Shares are percents of
 * every call of the range, so "75% of today's calls overflowed to the fallback" reads off
 * `fallback_reasons`.
 */
export function routingShares(rows: readonly RoutingShareRow[]): Omit<RoutingSharesView, 'start_date' | 'end_date'> {
  let total = 0;
  let overflowed = 0;
  const reasons = new Map<FallbackReasonLabel, number>();
  for (const r of rows) {
    total += r.calls;
    const label = labelOf(r);
    if (label) reasons.set(label, (reasons.get(label) ?? 0) + r.calls);
    else if (r.skipped_at_capacity && r.dialled_agent) overflowed += r.calls;
  }
  const fellBack = [...reasons.values()].reduce((s, n) => s + n, 0);
  return {
    total_calls: total,
    overflowed: { calls: overflowed, share: percent(overflowed, total) },
    fell_back: { calls: fellBack, share: percent(fellBack, total) },
    fallback_reasons: [...reasons]
      .map(([reason, calls]) => ({ reason, calls, share: percent(calls, total) }))
      .sort((a, b) => b.calls - a.calls || fallbackReasons.indexOf(a.reason) - fallbackReasons.indexOf(b.reason)),
  };
}
