import type { AlertKind, AlertSettings } from '../schemas/alert.js';

/** What the evaluator saw of one tenant at `now` (services/alerts/alert-observer.ts reads it). */
export interface AlertObservations {
  readonly now: number;
  /** Agents out of rotation now, and until when. */
  readonly agentsDown: readonly { readonly agentId: number; readonly until: number }[];
  /** Agents and provider pools whose live calls are at their limit now, and since when they have been (first seen so). */
  readonly atCap: readonly AtCap[];
  /** Calls started in the fallback window, and how many of them the fallback route took. */
  readonly calls: { readonly total: number; readonly fallback: number };
  /** In the wiring window: calls routed to an agent, and whether any session update and any CDR was accepted. */
  readonly wiring: { readonly routed: number; readonly sessionUpdateSeen: boolean; readonly cdrSeen: boolean };
  /** Webhooks refused or failed in the webhook-errors window. */
  readonly webhookErrors: number;
}

export interface AtCap {
  readonly kind: 'agent_at_cap' | 'pool_at_cap';
  readonly subjectId: number;
  readonly since: number;
  readonly liveCalls: number;
  readonly cap: number;
}

/** A condition that holds now: an alert of this kind and subject should be open. */
export interface AlertCondition {
  readonly kind: AlertKind;
  readonly subjectId: number | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * Which alerts should be open, given what was seen. Pure: the service opens the ones
 * not open yet and resolves the open ones no longer listed, so each fires once and
 * recovers once however often this runs.
 */
export function alertConditions(o: AlertObservations, s: AlertSettings): AlertCondition[] {
  const out: AlertCondition[] = [];
  for (const a of o.agentsDown) out.push({ kind: 'agent_down', subjectId: a.agentId, details: { out_until: new Date(a.until).toISOString() } });
  const capMs = s.at_cap_minutes * 60_000;
  for (const a of o.atCap) {
    if (o.now - a.since >= capMs) out.push({ kind: a.kind, subjectId: a.subjectId, details: { live_calls: a.liveCalls, max_concurrent_calls: a.cap, at_cap_since: new Date(a.since).toISOString() } });
  }
  const { total, fallback } = o.calls;
  if (total >= s.fallback_min_calls && fallback * 100 > s.fallback_percent * total) {
    out.push({ kind: 'fallback_share', subjectId: null, details: { calls: total, fallback_calls: fallback, percent: Math.round((fallback * 1000) / total) / 10, window_minutes: s.fallback_window_minutes } });
  }
  const w = o.wiring;
  if (w.routed >= s.wiring_min_calls) {
    const facts = { routed_calls: w.routed, window_minutes: s.wiring_window_minutes };
    if (!w.sessionUpdateSeen) out.push({ kind: 'no_session_updates', subjectId: null, details: facts });
    if (!w.cdrSeen) out.push({ kind: 'no_cdrs', subjectId: null, details: facts });
  }
  if (o.webhookErrors >= s.webhook_errors_threshold) {
    out.push({ kind: 'webhook_errors', subjectId: null, details: { webhook_errors: o.webhookErrors, window_minutes: s.webhook_errors_window_minutes } });
  }
  return out;
}

/** One sentence for an alert, firing or resolved, naming its subject when it has one. */
export function alertMessage(kind: AlertKind, firing: boolean, subject: string | null, d: Readonly<Record<string, unknown>>): string {
  const who = subject ?? (kind === 'pool_at_cap' ? 'A provider pool' : 'An agent');
  switch (kind) {
    case 'agent_down':
      return firing ? `${who} failed calls in a row and is out of rotation.` : `${who} is back in rotation.`;
    case 'agent_at_cap':
    case 'pool_at_cap':
      return firing ? `${who} has been at its limit of ${String(d.max_concurrent_calls)} live calls since ${String(d.at_cap_since)}.` : `${who} is below its limit of live calls again.`;
    case 'fallback_share':
      return firing
        ? `The fallback route took ${String(d.percent)}% of the ${String(d.calls)} calls of the last ${String(d.window_minutes)} minutes.`
        : 'The share of calls going to the fallback is below the threshold again.';
    case 'no_session_updates':
      return firing
        ? `${String(d.routed_calls)} calls were routed in the last ${String(d.window_minutes)} minutes and no session update arrived: check the domain's session-update endpoint.`
        : 'Session updates arrive again.';
    case 'no_cdrs':
      return firing ? `${String(d.routed_calls)} calls were routed in the last ${String(d.window_minutes)} minutes and no CDR arrived: check the domain's CDR endpoint.` : 'CDRs arrive again.';
    case 'webhook_errors':
      return firing ? `${String(d.webhook_errors)} webhooks were refused or failed in the last ${String(d.window_minutes)} minutes.` : 'Webhooks are accepted again.';
  }
}
