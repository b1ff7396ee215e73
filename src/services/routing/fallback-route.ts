import type { AgentCall } from '../../core/routing/agent-verb.js';
import type { CxmlVerb } from '../../core/routing/cxml.js';
import type { TenantSettings } from '../../core/schemas/tenant.js';
import type { Eventually } from '../../core/eventually.js';
import type { AgentDialer, DialChoice } from './agent-dialer.js';
import type { DecisionTrace, FallbackReason, RouteTarget } from './route-plan.js';
import type { RoutePlanner, TargetPlan } from './route-planner.js';
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
export function fallbackAnswer(
  deps: { planner: RoutePlanner; dialer: AgentDialer },
  tenantId: number,
  routing: TenantRouting,
  settings: TenantSettings,
  trace: DecisionTrace,
  reason: FallbackReason,
  call: AgentCall,
  actionUrl: (attempt: number) => string,
): Eventually<FallbackAnswer> {
  const fallback = settings.fallback;
  const marked: DecisionTrace = Object.assign({}, trace, { fallback: { type: fallback.type, reason } });
  const alreadyFallingBack = trace.fallback !== null && trace.fallback.type !== 'tenant' && reason === 'attempts_exhausted';
  if (alreadyFallingBack) return { verbs: [{ kind: 'hangup' }], trace: Object.assign({}, trace, { fallback: { type: 'hangup', reason } }), agentId: null };

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
      const fallingBack: FallingBack = { deps, tenantId, routing, trace, marked, target, call, actionUrl };
      const planned = deps.planner.planTarget(tenantId, target, false, routing, call.from);
      return planned instanceof Promise ? planned.then((p) => dialFallback(fallingBack, p)) : dialFallback(fallingBack, planned);
    }
  }
}

/** A fallback to an agent or a group: what it was given, and the trace marked with it. */
interface FallingBack {
  deps: { planner: RoutePlanner; dialer: AgentDialer };
  tenantId: number;
  routing: TenantRouting;
  trace: DecisionTrace;
  marked: DecisionTrace;
  target: RouteTarget;
  call: AgentCall;
  actionUrl: (attempt: number) => string;
}

/** Dials the fallback target's first candidate that takes the call (one level: its own failures end in a hangup). */
function dialFallback(f: FallingBack, planned: TargetPlan): Eventually<FallbackAnswer> {
  const { trace } = f;
  const { missing: _missing, ...plan } = planned;
  // The fallback's own attempts start afresh, keeping the history of the first ones.
  const fresh: DecisionTrace = Object.assign({}, f.marked, plan, { target: f.target, skipped: [...trace.skipped, ...plan.skipped], attempts: [], settings: Object.assign({}, plan.settings, { fallback_enabled: false }) });
  const choice = f.deps.dialer.dialNext(f.tenantId, f.routing, fresh, f.call, (n) => f.actionUrl(trace.attempts.length + n));
  return choice instanceof Promise ? choice.then((c) => fallbackChoice(trace, c)) : fallbackChoice(trace, choice);
}

function fallbackChoice(trace: DecisionTrace, choice: DialChoice): FallbackAnswer {
  if (!choice.verb) return { verbs: [{ kind: 'hangup' }], trace: Object.assign({}, choice.trace, { attempts: trace.attempts }), agentId: null };
  return { verbs: [choice.verb], trace: Object.assign({}, choice.trace, { attempts: [...trace.attempts, ...choice.trace.attempts] }), agentId: choice.agentId };
}
