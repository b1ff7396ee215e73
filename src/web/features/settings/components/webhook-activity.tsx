import { CircleCheck, CircleDashed, TriangleAlert } from 'lucide-react';
import type { WebhookWiringView } from '../../../../core/schemas/tenant.js';
import { formatDateTime, formatTimeAgo } from '../../../lib/format.js';
import { useNow } from '../../../lib/use-now.js';

const webhooks = [
  { key: 'voice_application', at: 'voice_application_at', label: 'Voice application requests' },
  { key: 'session_update', at: 'session_update_at', label: 'Session updates' },
  { key: 'cdr', at: 'cdr_at', label: 'CDRs' },
] as const;

/** When each Cloudonix webhook last arrived (the server looks back 24 hours); a missing one is marked. */
export function WebhookActivity({ wiring }: { wiring: WebhookWiringView }) {
  // "3 minutes ago" moves on between refetches of the tenant.
  const now = useNow(30_000);
  const missing = new Set<string>(wiring.problems.map((p) => p.webhook));
  return (
    <div>
      <h3 className="text-sm font-medium text-slate-700">Received from Cloudonix</h3>
      <ul className="mt-1.5 space-y-1 text-sm" aria-label="Webhooks received from Cloudonix">
        {webhooks.map((w) => {
          const at = wiring[w.at];
          const Icon = missing.has(w.key) ? TriangleAlert : at ? CircleCheck : CircleDashed;
          const colour = missing.has(w.key) ? 'text-amber-600' : at ? 'text-emerald-600' : 'text-slate-400';
          return (
            <li key={w.key} className="flex items-center gap-2" data-webhook={w.key}>
              <Icon className={`size-4 shrink-0 ${colour}`} aria-hidden="true" />
              <span>
                <span className="font-medium text-slate-900">{w.label}:</span>{' '}
                {at ? (
                  <span title={formatDateTime(at)}>last received {formatTimeAgo(at, now)}</span>
                ) : (
                  <span className="text-slate-600">not received in the past 24 hours</span>
                )}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
