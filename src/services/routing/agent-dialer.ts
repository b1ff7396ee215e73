import { agentVerb, type AgentCall } from '../../core/routing/agent-verb.js';
import type { ConnectStreamVerb, DialServiceVerb } from '../../core/routing/cxml.js';
import type { Clock } from '../clock.js';
import type { DistributionService } from '../distribution-service.js';
import type { TenantRouting } from '../routing-config.js';
import type { DecisionTrace } from './route-plan.js';

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
  return {
    /** `routing` is the configuration snapshot the call's decision reads. */
    async dialNext(tenantId: number, routing: TenantRouting, trace: DecisionTrace, call: AgentCall, actionUrl: (attempt: number) => string): Promise<DialChoice> {
      const tried = new Set(trace.attempts.map((a) => a.agent_id));
      const skipped = [...trace.skipped];
      const attempt = trace.attempts.length + 1;
      if (attempt > trace.settings.max_attempts) return { verb: null, agentId: null, trace };
      const { agents, groups } = routing;
      const group = trace.group_id === null ? undefined : groups.get(trace.group_id);
      const groupOptions = group?.settings.dial_options ?? null;
      for (const agentId of trace.candidates) {
        if (tried.has(agentId)) continue;
        const agent = agents.get(agentId);
        if (!agent || !agent.enabled) {
          skipped.push({ agent_id: agentId, reason: agent ? 'disabled' : 'deleted' });
          continue;
        }
        const refused = await distribution.claimSlot(tenantId, agent, call.session);
        if (refused) {
          skipped.push({ agent_id: agentId, reason: refused });
          continue;
        }
        // Remembered when the call is sent to the agent (a failover overwrites it), so the caller's next call
        // prefers the agent that last took them; answered or not, the agent's health decides whether it may again.
        if (group) await distribution.rememberCaller(tenantId, group.id, group.settings, call.from, agentId);
        return {
          agentId,
          verb: agentVerb({ agent, groupOptions, call, action: actionUrl(attempt), timeout: AGENT_RING_TIMEOUT_SECONDS }),
          trace: {
            ...trace,
            skipped,
            chosen_agent_id: agentId,
            attempts: [...trace.attempts, { attempt, agent_id: agentId, at: new Date(clock()).toISOString(), outcome: null }],
          },
        };
      }
      return { verb: null, agentId: null, trace: { ...trace, skipped } };
    },
  };
}
export type AgentDialer = ReturnType<typeof createAgentDialer>;
