import type { DialServiceVerb } from '../../core/routing/cxml.js';
import type { Clock } from '../clock.js';
import type { DistributionService } from '../distribution-service.js';
import type { TenantRouting } from '../routing-config.js';
import type { DecisionTrace } from './route-plan.js';

/** Ring time given to an AI agent before Cloudonix reports no-answer (they answer in well under a second). */
export const AGENT_RING_TIMEOUT_SECONDS = 30;

export interface DialChoice {
  verb: DialServiceVerb;
  agentId: number;
  trace: DecisionTrace;
}

/**
 * Dials the next candidate of a trace that has not been tried yet, claiming a live
 * slot on it first: the claim is atomic against the agent's concurrency cap, so a
 * race lost to another call moves on to the next candidate (recorded as skipped).
 */
export function createAgentDialer(distribution: DistributionService, clock: Clock) {
  return {
    /** `routing` is the configuration snapshot the call's decision reads. */
    async dialNext(tenantId: number, routing: TenantRouting, trace: DecisionTrace, sessionToken: string, actionUrl: (attempt: number) => string): Promise<DialChoice | null> {
      const tried = new Set(trace.attempts.map((a) => a.agent_id));
      const skipped = [...trace.skipped];
      const attempt = trace.attempts.length + 1;
      if (attempt > trace.settings.max_attempts) return null;
      const { agents } = routing;
      for (const agentId of trace.candidates) {
        if (tried.has(agentId)) continue;
        const agent = agents.get(agentId);
        if (!agent || !agent.enabled) {
          skipped.push({ agent_id: agentId, reason: agent ? 'disabled' : 'deleted' });
          continue;
        }
        if (!(await distribution.occupySlot(tenantId, agentId, sessionToken, agent.maxConcurrentCalls))) {
          skipped.push({ agent_id: agentId, reason: 'at_capacity' });
          continue;
        }
        return {
          agentId,
          verb: {
            kind: 'dial_service',
            provider: agent.provider,
            serviceValue: agent.serviceValue,
            username: agent.username,
            password: agent.password,
            action: actionUrl(attempt),
            timeout: AGENT_RING_TIMEOUT_SECONDS,
          },
          trace: {
            ...trace,
            skipped,
            chosen_agent_id: agentId,
            attempts: [...trace.attempts, { attempt, agent_id: agentId, at: new Date(clock()).toISOString(), outcome: null }],
          },
        };
      }
      trace.skipped.splice(0, trace.skipped.length, ...skipped);
      return null;
    },
  };
}
export type AgentDialer = ReturnType<typeof createAgentDialer>;
