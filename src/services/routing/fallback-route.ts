import type { AgentCall } from '../../core/routing/agent-verb.js';
import type { CxmlVerb } from '../../core/routing/cxml.js';
import type { TenantSettings } from '../../core/schemas/tenant.js';
import type { AgentDialer } from './agent-dialer.js';
import type { DecisionTrace, FallbackReason } from './route-plan.js';
import type { RoutePlanner } from './route-planner.js';
import type { TenantRouting } from '../routing-config.js';

export interface FallbackAnswer {
  verbs: CxmlVerb[];
  trace: DecisionTrace;
  /** The agent now dialled, when the fallback is an agent or a group. */
  agentId: number | null;
}

/**
 * The tenant's fallback route, when no rule matched, nobody was eligible, or every
 * attempt failed: an agent, a group (one level: its own failures end in a hangup),
 * a number, a spoken message, a rejection (busy, so the carrier can reroute), or a hangup.
 */
export async function fallbackAnswer(
  deps: { planner: RoutePlanner; dialer: AgentDialer },
  tenantId: number,
  routing: TenantRouting,
  settings: TenantSettings,
  trace: DecisionTrace,
  reason: FallbackReason,
  call: AgentCall,
  actionUrl: (attempt: number) => string,
): Promise<FallbackAnswer> {
  const fallback = settings.fallback;
  const marked: DecisionTrace = { ...trace, fallback: { type: fallback.type, reason } };
  const alreadyFallingBack = trace.fallback !== null && trace.fallback.type !== 'tenant' && reason === 'attempts_exhausted';
  if (alreadyFallingBack) return { verbs: [{ kind: 'hangup' }], trace: { ...trace, fallback: { type: 'hangup', reason } }, agentId: null };

  switch (fallback.type) {
    case 'hangup':
      return { verbs: [{ kind: 'hangup' }], trace: marked, agentId: null };
    case 'message':
      return { verbs: [{ kind: 'say', text: fallback.message }, { kind: 'hangup' }], trace: marked, agentId: null };
    case 'number':
      return { verbs: [{ kind: 'dial_number', number: fallback.number }], trace: marked, agentId: null };
    case 'reject':
      // Refused without answering, so the carrier may try its next route.
      return { verbs: [{ kind: 'reject', reason: fallback.reason }], trace: marked, agentId: null };
    case 'agent':
    case 'group': {
      const target = fallback.type === 'agent' ? { type: 'agent' as const, id: fallback.agent_id } : { type: 'group' as const, id: fallback.group_id };
      const { missing: _missing, ...plan } = await deps.planner.planTarget(tenantId, target, false, routing, call.from);
      // The fallback's own attempts start afresh, keeping the history of the first ones.
      const fresh: DecisionTrace = { ...marked, ...plan, target, skipped: [...trace.skipped, ...plan.skipped], attempts: [], settings: { ...plan.settings, fallback_enabled: false } };
      const choice = await deps.dialer.dialNext(tenantId, routing, fresh, call, (n) => actionUrl(trace.attempts.length + n));
      if (!choice.verb) return { verbs: [{ kind: 'hangup' }], trace: { ...choice.trace, attempts: trace.attempts }, agentId: null };
      return { verbs: [choice.verb], trace: { ...choice.trace, attempts: [...trace.attempts, ...choice.trace.attempts] }, agentId: choice.agentId };
    }
  }
}
