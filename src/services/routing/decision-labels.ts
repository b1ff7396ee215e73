import type { RouteAct } from '../../core/lifecycle/call-event.js';
import type { DecisionResult, FallbackLabel } from '../call-metrics.js';
import type { DecisionTrace } from './route-plan.js';

/**
 * A routing answer in the words of the call metrics: what the first answer did
 * (an agent dialled, a number dialled by an outbound rule, the tenant's fallback,
 * or a hangup because the group's fallback is off).
 */
export function decisionResult(act: RouteAct, trace: DecisionTrace): DecisionResult {
  if (trace.fallback) return 'fallback';
  if (act.act === 'end') return 'hangup';
  return act.agentId === null ? 'outbound' : 'agent';
}

/** Why the trace fell back, with "every candidate was at its cap" (its own or its provider pool's) told apart from other lacks of candidates. */
export function fallbackLabel(trace: DecisionTrace): FallbackLabel | null {
  const f = trace.fallback;
  if (!f) return null;
  if (f.reason === 'no_candidate' && trace.skipped.length > 0 && trace.skipped.every((s) => s.reason === 'at_capacity' || s.reason === 'pool_full')) return 'all_at_capacity';
  return f.reason;
}
