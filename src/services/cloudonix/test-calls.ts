import { AppError, notFound } from '../../core/errors.js';
import type { Actor } from '../../core/principal.js';
import { agentVerb } from '../../core/routing/agent-verb.js';
import { renderCxml } from '../../core/routing/cxml.js';
import type { TestCallBody, TestCallResult } from '../../core/schemas/test-call.js';
import type { SecretBox } from '../../core/secret-box.js';
import type { Repositories } from '../../store/index.js';
import { writeJson } from '../../store/json-column.js';
import type { Clock } from '../clock.js';
import type { DistributionService } from '../distribution-service.js';
import type { Logger } from '../logger.js';
import { AGENT_RING_TIMEOUT_SECONDS } from '../routing/agent-dialer.js';
import type { CallLife } from '../routing/call-life.js';
import type { CallChange, NewCall } from '../routing/call-recorder.js';
import type { DecisionTrace } from '../routing/route-plan.js';
import type { AgentRoute, RoutingConfig } from '../routing-config.js';
import { readSettings } from '../tenant-service.js';
import { CloudonixFailure, type CloudonixAccess, type CloudonixApi } from './cloudonix-api.js';
import { cloudonixFailureToAppError } from './cloudonix-errors.js';

interface Deps {
  repos: Repositories;
  api: CloudonixApi;
  /** The tenant's Cloudonix access, or 409 cloudonix_not_connected in words (the connection service's). */
  requireAccess: (tenantId: number) => Promise<CloudonixAccess>;
  secretBox: SecretBox;
  config: RoutingConfig;
  distribution: DistributionService;
  /** Lazy: the routing (and its call life) is built after the services that use this. */
  life: () => CallLife;
  clock: Clock;
  logger: Logger;
}

/** How long Cloudonix rings the admin's phone before giving up (seconds). */
const RING_SECONDS = 30;

/**
 * The decision a test call stands for: one agent, one attempt, no failover and no fallback,
 * so the Dial callback of the agent's leg ends the call whatever its result (voice-flow.ts
 * reads this trace back as for any routed call).
 */
function testTrace(agentId: number, at: number): DecisionTrace {
  return {
    direction: 'outbound',
    cloudonix_direction: 'application',
    matched_rule: null,
    target: { type: 'agent', id: agentId },
    strategy: 'single_agent',
    group_id: null,
    rotation_counter: null,
    candidates: [agentId],
    skipped: [],
    chosen_agent_id: agentId,
    attempts: [{ attempt: 1, agent_id: agentId, at: new Date(at).toISOString(), outcome: null }],
    settings: { max_attempts: 1, fallback_enabled: false, failover_on_busy: false },
    outbound: null,
    fallback: null,
  };
}

/**
 * Test calls to an agent: Cloudonix rings the admin's phone and, once it answers, runs
 * CXML that dials the agent as routing would (core agent-verb, with our Dial callback as
 * action). The call is recorded through the call life like any routed call, so its session
 * updates and CDR fold into the record, and it is marked is_test so analytics leave it out.
 */
export function createTestCalls({ repos, api, requireAccess, secretBox, config, distribution, life, clock, logger }: Deps) {
  /** The agent as routing dials it (password decrypted), or 404 for a missing or another tenant's agent. */
  async function agentOf(tenantId: number, agentId: number): Promise<{ name: string; route: AgentRoute }> {
    const row = await repos.voiceAgents.findById(tenantId, agentId);
    const route = row ? (await config.get(tenantId)).agents.get(agentId) : undefined;
    if (!row || !route) throw notFound('Voice agent');
    return { name: row.name, route };
  }

  return {
    /**
     * Places the call and records it. `urlBase` is where Cloudonix reaches us (PUBLIC_URL, else the
     * address the request came to): the CXML is sent over the REST API, so its Dial callback URL must
     * be absolute. The agent's `{session}` placeholder is empty in a test call: Cloudonix names the
     * session only once the call is placed, after the CXML was written.
     */
    async place(actor: Actor, agentId: number, body: TestCallBody, urlBase: string): Promise<TestCallResult> {
      const { tenantId, userId } = actor.principal;
      const tenant = await repos.tenants.findById(tenantId);
      if (!tenant) throw notFound('Tenant');
      const settings = readSettings(tenant);
      const agent = await agentOf(tenantId, agentId);
      const at = await requireAccess(tenantId);
      const token = settings.webhook_security.require_secret ? `&token=${encodeURIComponent(secretBox.open(tenant.webhook_secret_sealed))}` : '';
      const action = `${urlBase}/api/voice/callback/${encodeURIComponent(tenant.domain)}?attempt=1${token}`;
      const call = { session: '', from: body.destination, to: body.caller_id ?? null, domain: tenant.domain, callerName: null, direction: 'inbound' };
      const verb = agentVerb({ agent: agent.route, groupOptions: null, call, action, timeout: AGENT_RING_TIMEOUT_SECONDS });

      let sessionToken: string;
      try {
        const session = await api.placeCall(at, { destination: body.destination, callerId: body.caller_id, cxml: renderCxml([verb]), timeout: RING_SECONDS });
        sessionToken = session.token;
      } catch (err) {
        throw err instanceof CloudonixFailure ? cloudonixFailureToAppError(err) : err;
      }

      // The slot is claimed as routing claims it, once Cloudonix has named the session; an agent
      // already at its limit gets no extra call: the call is hung up before it is answered.
      const refused = await distribution.claimSlot(tenantId, agent.route, sessionToken);
      if (refused) {
        await api.hangUpSession(at, sessionToken, 'agent at its limit').catch((err: unknown) => logger.warn({ err, tenantId, agentId }, 'could not hang up a refused test call'));
        const why = refused === 'pool_full' ? 'its provider pool is at its limit of live calls' : 'it is at its limit of live calls';
        throw new AppError('conflict', `${agent.name} cannot take a test call now: ${why}. Try again when a call ends.`, { reason: refused });
      }

      const now = clock();
      const change: CallChange = {
        eventType: 'call.test_placed',
        event: { kind: 'answer', step: 0, at: now, act: 'dial', attempt: 1, agentId, fallback: null },
        fields: { decision_trace: writeJson(testTrace(agentId, now)), is_test: 1, direction: 'outbound', rule_id: null, group_id: null },
        payload: { agent_id: agentId, attempt: 1, fallback: null, user_id: userId },
      };
      const newCall: NewCall = { sessionToken, direction: 'outbound', from: body.caller_id ?? null, to: body.destination, cloudonixDirection: 'application' };
      let recorded: Awaited<ReturnType<CallLife['routed']>>;
      try {
        recorded = await life().routed({ tenantId, domain: tenant.domain, health: settings.health }, newCall, [change]);
      } catch (err) {
        // A call nobody could follow is not left ringing, nor its slot held until the backstop.
        await Promise.allSettled([distribution.releaseSlot(tenantId, agentId, sessionToken), api.hangUpSession(at, sessionToken, 'could not record the test call')]);
        throw err;
      }
      const callRecordId = recorded === 'held' ? null : Number(recorded.record.id);
      // The number rung is the admin's own: it stays on the record (where erasure finds it), not in the audit log.
      await repos.auditLog.insert(tenantId, {
        userId,
        action: 'voice_agent.test_call',
        entityType: 'voice_agent',
        entityId: agentId,
        after: { session_token: sessionToken, call_record_id: callRecordId },
        ip: actor.ip,
        at: now,
      });
      logger.info({ tenantId, agentId, callRecordId }, 'test call placed');
      return { session_token: sessionToken, call_record_id: callRecordId, agent_id: agentId, destination: body.destination };
    },
  };
}
export type TestCalls = ReturnType<typeof createTestCalls>;
