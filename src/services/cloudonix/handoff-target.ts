import { AppError, invalidFields } from '../../core/errors.js';
import { agentVerb, type AgentCall } from '../../core/routing/agent-verb.js';
import type { CxmlVerb } from '../../core/routing/cxml.js';
import { numberProblem } from '../../core/routing/dialable-number.js';
import type { HandOffBody } from '../../core/schemas/call-control.js';
import type { Repositories } from '../../store/index.js';
import type { DistributionService } from '../distribution-service.js';
import { AGENT_RING_TIMEOUT_SECONDS } from '../routing/agent-dialer.js';
import type { AgentRoute, RoutingConfig } from '../routing-config.js';

/** Where a hand-off sends the call: the verb to switch to, and whose slot the call now holds. */
export interface HandOffTarget {
  readonly type: HandOffBody['target_type'];
  readonly verb: CxmlVerb;
  /** The agent that takes the call (slot claimed for it); null for a number. */
  readonly agentId: number | null;
  readonly agentName: string | null;
  readonly groupId: number | null;
  readonly number: string | null;
}

interface Deps {
  repos: Repositories;
  config: RoutingConfig;
  distribution: DistributionService;
}

/**
 * Finds whom a hand-off goes to and claims the call's slot on that agent (atomic against
 * its cap and its pool's limit, as routing does before it dials): an agent by id; a group
 * through the distribution service, which picks as routing would and skips members that
 * are full; or a number, checked as the routing engine checks numbers. The agent is
 * reached as its provider needs (core agent-verb) with no Dial action: once the hand-off
 * target's leg is over, the call ends (nothing fails over to the routing that came before).
 * The caller releases the slot if the switch at Cloudonix fails.
 */
export function createHandOffTargets({ repos, config, distribution }: Deps) {
  const verbFor = (agent: AgentRoute, call: AgentCall, groupOptions: Parameters<typeof agentVerb>[0]['groupOptions'] = null): CxmlVerb => {
    const verb = agentVerb({ agent, groupOptions, call, action: '', timeout: AGENT_RING_TIMEOUT_SECONDS });
    return { ...verb, action: undefined };
  };

  async function toAgent(tenantId: number, agentId: number, call: AgentCall, current: number | null): Promise<HandOffTarget> {
    const row = await repos.voiceAgents.findById(tenantId, agentId);
    const agent = (await config.get(tenantId)).agents.get(agentId);
    if (!row || !agent) throw invalidFields({ target_id: ['no such agent'] }, 'There is no such agent to hand the call to.');
    if (agentId === current) throw new AppError('conflict', `The call is already with ${row.name}.`);
    if (!agent.enabled) throw new AppError('conflict', `${row.name} is disabled: enable it first, or hand the call to someone else.`);
    const refused = await distribution.claimSlot(tenantId, agent, call.session);
    if (refused) {
      const why = refused === 'pool_full' ? 'its provider pool is at its limit' : 'it is at its limit of live calls';
      throw new AppError('conflict', `${row.name} cannot take the call now: ${why}.`, { reason: refused });
    }
    return { type: 'agent', verb: verbFor(agent, call), agentId, agentName: row.name, groupId: null, number: null };
  }

  async function toGroup(tenantId: number, groupId: number, call: AgentCall, current: number | null): Promise<HandOffTarget> {
    const group = await repos.agentGroups.findById(tenantId, groupId);
    const routing = await config.get(tenantId);
    const route = routing.groups.get(groupId);
    if (!group || !route) throw invalidFields({ target_id: ['no such group'] }, 'There is no such group to hand the call to.');
    const decision = await distribution.choose(tenantId, groupId, routing, call.from);
    for (const agentId of decision.candidates) {
      const agent = routing.agents.get(agentId);
      // The agent that has the call now is not a hand-off to anyone.
      if (!agent || !agent.enabled || agentId === current) continue;
      if (await distribution.claimSlot(tenantId, agent, call.session)) continue;
      const name = (await repos.voiceAgents.findById(tenantId, agentId))?.name ?? null;
      return { type: 'group', verb: verbFor(agent, call, route.settings.dial_options ?? null), agentId, agentName: name, groupId, number: null };
    }
    throw new AppError('conflict', `No agent of ${group.name} can take the call now (all busy, full, unhealthy or disabled).`);
  }

  function toNumber(raw: string | undefined): HandOffTarget {
    const problem = raw === undefined || raw.trim() === '' ? 'is required to hand a call to a number' : numberProblem(raw);
    if (problem !== undefined) throw invalidFields({ number: [problem] }, `The number ${problem}.`);
    const number = raw!.trim();
    return { type: 'number', verb: { kind: 'dial_number', number }, agentId: null, agentName: null, groupId: null, number };
  }

  return {
    /** Checks the request's target and claims it; `current` is the agent that has the call now. */
    async resolve(tenantId: number, body: HandOffBody, call: AgentCall, current: number | null): Promise<HandOffTarget> {
      if (body.target_type === 'number') return toNumber(body.number);
      if (body.target_id === undefined) throw invalidFields({ target_id: [`is required to hand a call to ${body.target_type === 'agent' ? 'an agent' : 'a group'}`] });
      return body.target_type === 'agent' ? toAgent(tenantId, body.target_id, call, current) : toGroup(tenantId, body.target_id, call, current);
    },
  };
}
export type HandOffTargets = ReturnType<typeof createHandOffTargets>;
