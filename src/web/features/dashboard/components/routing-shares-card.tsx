import { fallbackReasonText } from '../../../../core/schemas/analytics.js';
import { formatNumber, formatPercent, plural } from '../../../lib/format.js';
import type { RoutingShares } from '../api/get-routing-shares.js';
import type { PeriodText } from '../period.js';

function Share({ label, share, calls, tone, testId }: { label: string; share: number; calls: number; tone: string; testId: string }) {
  return (
    <div data-testid={testId}>
      <p className="text-sm text-slate-700">
        <span className="text-2xl font-semibold tabular-nums text-slate-900">{formatPercent(share)}</span> {label}
      </p>
      <div className="mt-1.5 h-2 w-full overflow-hidden rounded-full bg-slate-200" aria-hidden="true">
        <div className={`h-full rounded-full ${tone}`} style={{ width: `${Math.min(100, share)}%` }} />
      </div>
      <p className="mt-1 text-xs text-slate-600">{plural(calls, 'call')}</p>
    </div>
  );
}

/**
 * How the period's calls were routed when agents were full or missing: the share
 * that overflowed to the next agent, the share the fallback route took, and why,
 * in the reason words of the call drawer and the vlb_fallbacks_total metric.
 */
export function RoutingSharesCard({ shares, period }: { shares: RoutingShares; period: PeriodText }) {
  const s = shares;
  return (
    <section aria-labelledby="routing-shares-title" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="routing-shares-title" className="text-base font-semibold text-slate-900">
        Overflow and fallback
      </h2>
      {s.total_calls === 0 ? (
        <p className="mt-4 text-sm text-slate-500">No calls {period.phrase}.</p>
      ) : (
        <>
          <p className="mt-1 text-xs text-slate-600">
            Of {plural(s.total_calls, 'call')}, {period.short}
          </p>
          <div className="mt-4 grid gap-5 sm:grid-cols-2">
            <Share testId="overflow-share" label="overflowed to the next agent (one was at its cap)" share={s.overflowed.share} calls={s.overflowed.calls} tone="bg-amber-500" />
            <Share testId="fallback-share" label="went to the fallback route" share={s.fell_back.share} calls={s.fell_back.calls} tone="bg-red-500" />
          </div>
          {s.fallback_reasons.length > 0 && (
            <div className="mt-5">
              <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Why the fallback took them</h3>
              <ul className="mt-2 divide-y divide-slate-100 text-sm" data-testid="fallback-reasons">
                {s.fallback_reasons.map((r) => (
                  <li key={r.reason} className="flex items-baseline justify-between gap-3 py-1.5">
                    <span className="text-slate-800 first-letter:uppercase">{fallbackReasonText[r.reason]}</span>
                    <span className="shrink-0 tabular-nums text-slate-600">
                      {formatNumber(r.calls)} · {formatPercent(r.share)}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}
