import { CircleCheck, CircleDashed, TriangleAlert } from 'lucide-react';
import type { SetupCheck } from '../api/types.js';
import { formatDateTime, formatTimeAgo } from '../../../lib/format.js';
import { useNow } from '../../../lib/use-now.js';
import { setupItemLabel } from '../setup-items.js';

const received = [
  { key: 'voice_application', label: 'Voice application requests' },
  { key: 'session_update', label: 'Session updates' },
  { key: 'cdr', label: 'CDRs' },
] as const;

/**
 * "Check wiring": each item the domain needs, OK or what is missing in the server's words, then
 * which webhooks this service actually received lately (settings alone do not prove traffic).
 */
export function WiringReport({ check }: { check: SetupCheck }) {
  const now = useNow(30_000);
  // The sentences the items below do not already say (the domain unknown, unreachable URLs, webhooks that stopped).
  const itemWords = new Set(check.steps.map((s) => s.words));
  const more = check.missing.filter((sentence) => !itemWords.has(sentence));
  return (
    <div className="space-y-4" data-wiring-report="">
      <p role="status" className={`flex items-start gap-2 text-sm font-medium ${check.in_sync ? 'text-emerald-800' : 'text-amber-900'}`}>
        {check.in_sync ? <CircleCheck className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden="true" /> : <TriangleAlert className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden="true" />}
        {!check.domain_found
          ? 'Cloudonix does not know this domain.'
          : check.in_sync
            ? 'The domain is wired to this service.'
            : `${check.steps.filter((s) => s.action !== 'none').length} of ${check.steps.length} items need setting up.`}
      </p>
      <ul aria-label="Cloudonix wiring" className="space-y-2 text-sm">
        {check.steps.map((step) => {
          const ok = step.action === 'none';
          return (
            // The server's words may hold a long URL: it wraps anywhere rather than widen the page on a phone.
            <li key={step.item} data-wiring-item={step.item} className="flex items-start gap-2 [overflow-wrap:anywhere]">
              {ok ? <CircleCheck className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden="true" /> : <TriangleAlert className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden="true" />}
              <span className="min-w-0">
                <span className="font-medium text-slate-900">{setupItemLabel(step.item)}:</span> {ok ? <span className="text-emerald-800">OK</span> : null}
                {!ok && <span className="text-slate-700">{step.words}</span>}
              </span>
            </li>
          );
        })}
      </ul>
      {more.length > 0 && (
        <ul aria-label="Also found" className="space-y-2 text-sm text-slate-700">
          {more.map((sentence) => (
            <li key={sentence} className="flex items-start gap-2">
              <TriangleAlert className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden="true" />
              <span className="min-w-0 [overflow-wrap:anywhere]">{sentence}</span>
            </li>
          ))}
        </ul>
      )}
      <div>
        <h4 className="text-sm font-medium text-slate-700">Received recently</h4>
        <ul aria-label="Received recently" className="mt-1.5 space-y-1 text-sm">
          {received.map((r) => {
            const { last_at: at, ever } = check.received[r.key];
            return (
              <li key={r.key} className="flex items-start gap-2" data-received={r.key}>
                {at ? <CircleCheck className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden="true" /> : <CircleDashed className="mt-0.5 size-4 shrink-0 text-slate-400" aria-hidden="true" />}
                <span className="min-w-0">
                  <span className="font-medium text-slate-900">{r.label}:</span>{' '}
                  {at ? (
                    <span title={formatDateTime(at)}>last received {formatTimeAgo(at, now)}</span>
                  ) : (
                    <span className="text-slate-600">{ever ? 'none in the past 24 hours' : 'never received'}</span>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
