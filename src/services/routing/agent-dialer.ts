import type { Eventually } from '../../core/eventually.js';
import { agentVerb, type AgentCall } from '../../core/routing/agent-verb.js';
import type { ConnectStreamVerb, DialServiceVerb } from '../../core/routing/cxml.js';
import type { Clock } from '../clock.js';
import type { DistributionService } from '../distribution-service.js';
import type { AgentRoute, GroupRoute, TenantRouting } from '../routing-config.js';
import type { DecisionTrace, SkippedAgent } from './route-plan.js';

/** One `dialNext`: what it was given, and the candidates skipped so far (its own copy of the trace's). */
interface Dialling {
  tenantId: number;
  routing: TenantRouting;
  trace: DecisionTrace;
  call: AgentCall;
  actionUrl: (attempt: number) => string;
  group: GroupRoute | undefined;
  skipped: SkippedAgent[];
}

/** Whether an attempt of the trace dialled the agent already. */
function tried(trace: DecisionTrace, agentId: number): boolean {
  for (const a of trace.attempts) if (a.agent_id === agentId) return true;
  return false;
}

/** Ring time given to an AI agent before Cloudonix reports no-answer (they answer in well under a second). */
export const AGENT_RING_TIMEOUT_SECONDS = 30;

/** The next agent dialled (verb and agent null when nobody could be), and the trace with the attempt or the skips. */
export interface DialChoice {
  verb: DialServiceVerb | ConnectStreamVerb | null;
  agentId: number | null;
  trace: DecisionTrace;
}

/**
 * Dials the next candidate of a trace that has not been tried yet, claiming a live
 * slot on it first (and on its provider pool, in the same atomic step): the claim is
 * atomic against the agent's cap and the pool's limit, so a race lost to another call
 * moves on to the next candidate (recorded as skipped: `at_capacity` or `pool_full`).
 * The agent is reached as its provider needs (core/routing/agent-verb.ts), with
 * its own and its group's caller context. Returns a new trace; the given one is
 * left as it was.
 */
export function createAgentDialer(distribution: DistributionService, clock: Clock) {
  /** The candidates of `d.trace` from the `from`-th on: the first whose slot the call can claim is dialled. */
  function dialFrom(d: Dialling, from: number): Eventually<DialChoice> {
    const candidates = d.trace.candidates;
    for (let i = from; i < candidates.length; i++) {
      const agentId = candidates[i]!;
      if (tried(d.trace, agentId)) continue;
      const agent = d.routing.agents.get(agentId);
      if (!agent || !agent.enabled) {
        d.skipped.push({ agent_id: agentId, reason: agent ? 'disabled' : 'deleted' });
        continue;
      }
      const refused = distribution.claimSlot(d.tenantId, agent, d.call.session);
      if (refused instanceof Promise) {
        const next = i + 1;
        return refused.then((reason) => {
          if (!reason) return dialled(d, agent);
          d.skipped.push({ agent_id: agentId, reason });
          return dialFrom(d, next);
        });
      }
      if (refused) {
        d.skipped.push({ agent_id: agentId, reason: refused });
        continue;
      }
      return dialled(d, agent);
    }
    return { verb: null, agentId: null, trace: Object.assign({}, d.trace, { skipped: d.skipped }) };
  }

  /** The call holds `agent`'s slot: a returning caller's memory notes it, and the agent is dialled. */
  function dialled(d: Dialling, agent: AgentRoute): Eventually<DialChoice> {
    // Remembered when the call is sent to the agent (a failover overwrites it), so the caller's next call
    // prefers the agent that last took them; answered or not, the agent's health decides whether it may again.
    const remembered = d.group ? distribution.rememberCaller(d.tenantId, d.group.id, d.group.settings, d.call.from, agent.id) : undefined;
    return remembered instanceof Promise ? remembered.then(() => choiceOf(d, agent)) : choiceOf(d, agent);
  }

  function choiceOf(d: Dialling, agent: AgentRoute): DialChoice {
    const { trace } = d;
    const attempt = trace.attempts.length + 1;
    return {
      agentId: agent.id,
      verb: agentVerb({ agent, groupOptions: d.group?.settings.dial_options ?? null, call: d.call, action: d.actionUrl(attempt), timeout: AGENT_RING_TIMEOUT_SECONDS }),
      trace: Object.assign({}, trace, {
        skipped: d.skipped,
        chosen_agent_id: agent.id,
        attempts: [...trace.attempts, { attempt, agent_id: agent.id, at: new Date(clock()).toISOString(), outcome: null }],
      }),
    };
  }

  return {
    /**
     * `routing` is the configuration snapshot the call's decision reads. Answered at once
     * when the plane answers at once (the embedded plane).
     */
    dialNext(tenantId: number, routing: TenantRouting, trace: DecisionTrace, call: AgentCall, actionUrl: (attempt: number) => string): Eventually<DialChoice> {
      if (trace.attempts.length + 1 > trace.settings.max_attempts) return { verb: null, agentId: null, trace };
      const group = trace.group_id === null ? undefined : routing.groups.get(trace.group_id);
      return dialFrom({ tenantId, routing, trace, call, actionUrl, group, skipped: [...trace.skipped] }, 0);
    },
  };
}
export type AgentDialer = ReturnType<typeof createAgentDialer>;
