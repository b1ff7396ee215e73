import { normalizeDialStatus } from '../../core/routing/call-status.js';
import type { CallState } from '../../core/routing/call-state.js';
import { renderCxml, type CxmlVerb } from '../../core/routing/cxml.js';
import type { VoiceRequest } from '../../core/routing/cloudonix-payloads.js';
import type { TenantSettings } from '../../core/schemas/tenant.js';
import type { Plane } from '../../plane/plane.js';
import type { CallRecordRow } from '../../store/call-records.js';
import { readJson, writeJson } from '../../store/json-column.js';
import type { AgentHealth } from '../agent-health.js';
import type { DistributionService } from '../distribution-service.js';
import type { RoutingConfig, TenantRouting } from '../routing-config.js';
import type { Logger } from '../logger.js';
import type { AgentDialer } from './agent-dialer.js';
import { answerOnce } from './answer-once.js';
import type { CallRecorder, StateChange } from './call-recorder.js';
import { fallbackAnswer } from './fallback-route.js';
import type { DecisionTrace } from './route-plan.js';
import type { RoutePlanner } from './route-planner.js';
import type { TenantEntry } from './tenant-directory.js';

interface Deps {
  plane: Plane;
  config: RoutingConfig;
  health: AgentHealth;
  planner: RoutePlanner;
  dialer: AgentDialer;
  recorder: CallRecorder;
  distribution: DistributionService;
  logger: Logger;
}

export interface VoiceContext {
  tenant: TenantEntry;
  request: VoiceRequest;
  sessionToken: string;
  /** Builds our Dial action URL for an attempt number. */
  actionUrl: (attempt: number) => string;
}

interface Outcome {
  verbs: CxmlVerb[];
  trace: DecisionTrace;
  agentId: number | null;
  status: CallState;
}

/**
 * What a caller hears when routing itself failed (database or Redis down, a bug):
 * the tenant's message or number fallback, which need nothing but the settings,
 * else a hangup.
 */
export function emergencyCxml(settings: TenantSettings): string {
  const f = settings.fallback;
  return renderCxml(f.type === 'message' ? [{ kind: 'say', text: f.message }] : f.type === 'number' ? [{ kind: 'dial_number', number: f.number }] : []);
}

/**
 * The hot path: the voice-application request (first routing) and the Dial
 * action callback (failover). Each answer is computed once per session and
 * attempt, recorded, and rendered as CXML; on any internal failure the tenant's
 * fallback (or a hangup) is still valid CXML.
 */
export function createVoiceFlow({ plane, config, health, planner, dialer, recorder, distribution, logger }: Deps) {
  /** Dials the next candidate, or falls back; never throws for lack of agents. */
  async function connect(ctx: VoiceContext, routing: TenantRouting, trace: DecisionTrace, exhausted: 'no_candidate' | 'attempts_exhausted'): Promise<Outcome> {
    const tenantId = ctx.tenant.tenantId;
    if (trace.outbound) {
      const { number, trunks, caller_id } = trace.outbound;
      return { verbs: [{ kind: 'dial_number', number, trunks, callerId: caller_id, action: ctx.actionUrl(1) }], trace, agentId: null, status: 'connecting' };
    }
    const choice = trace.fallback?.reason === 'no_rule' || trace.fallback?.reason === 'target_missing' ? null : await dialer.dialNext(tenantId, routing, trace, ctx.sessionToken, ctx.actionUrl);
    if (choice) return { verbs: [choice.verb], trace: choice.trace, agentId: choice.agentId, status: 'connecting' };
    const reason = trace.fallback?.reason ?? exhausted;
    if (!trace.settings.fallback_enabled && reason !== 'no_rule') return { verbs: [{ kind: 'hangup' }], trace, agentId: null, status: 'failed' };
    const fb = await fallbackAnswer({ planner, dialer }, tenantId, routing, ctx.tenant.settings, trace, reason, ctx.sessionToken, ctx.actionUrl);
    const dialling = fb.verbs.some((v) => v.kind === 'dial_service' || v.kind === 'dial_number');
    return { verbs: fb.verbs, trace: fb.trace, agentId: fb.agentId, status: dialling ? 'connecting' : 'failed' };
  }

  function changesFor(o: Outcome, eventType: string): StateChange[] {
    const fields = { decision_trace: writeJson(o.trace), attempt: o.trace.attempts.length, ...(o.agentId !== null ? { agent_id: o.agentId } : {}) };
    return [{ to: o.status, eventType, fields, payload: { agent_id: o.agentId, attempt: o.trace.attempts.length, fallback: o.trace.fallback } }];
  }

  async function emergency(ctx: VoiceContext, err: unknown, where: string): Promise<string> {
    logger.error({ err, tenantId: ctx.tenant.tenantId, session: ctx.sessionToken }, `routing failed in ${where}; answering the fallback`);
    return emergencyCxml(ctx.tenant.settings);
  }

  return {
    async applicationRequest(ctx: VoiceContext): Promise<string> {
      const key = `t:${ctx.tenant.tenantId}:voice:${ctx.sessionToken}:0`;
      // The configuration's version is read in the same plane round trip as the claim:
      // both are sent now, after the request arrived, so a change committed before it is seen.
      const routing = config.get(ctx.tenant.tenantId);
      routing.catch(() => {}); // a duplicate never awaits it; the first caller handles its failure
      return answerOnce(plane, logger, {
        key,
        compute: async () => {
          try {
            const { request } = ctx;
            const snapshot = await routing;
            const plan = { ...(await planner.plan(ctx.tenant.tenantId, { from: request.from, to: request.to }, false, snapshot)), cloudonix_direction: request.direction };
            const outcome = await connect(ctx, snapshot, plan, 'no_candidate');
            const changes: StateChange[] = [
              { to: 'routing', eventType: 'call.routing', fields: { direction: plan.direction, rule_id: plan.matched_rule?.id ?? null, group_id: plan.group_id }, payload: { rule: plan.matched_rule, target: plan.target } },
              ...changesFor(outcome, outcome.status === 'connecting' ? 'call.connecting' : 'call.unrouted'),
            ];
            const call = { sessionToken: ctx.sessionToken, direction: 'inbound', from: request.from, to: request.to };
            // One transaction for a new call; a session update may have opened the record first.
            if (!(await recorder.createRouted(ctx.tenant.tenantId, call, changes))) {
              const { record } = await recorder.open(ctx.tenant.tenantId, call);
              await recorder.change(ctx.tenant.tenantId, record, changes);
            }
            return renderCxml(outcome.verbs);
          } catch (err) {
            return emergency(ctx, err, 'the voice application request');
          }
        },
        onLost: () => emergencyCxml(ctx.tenant.settings),
      });
    },

    async dialCallback(ctx: VoiceContext, attemptParam: number | null): Promise<string> {
      const tenantId = ctx.tenant.tenantId;
      const record = await recorder.find(tenantId, ctx.sessionToken);
      const attempt = attemptParam ?? record?.attempt ?? 1;
      return answerOnce(plane, logger, {
        key: `t:${tenantId}:voice:${ctx.sessionToken}:${attempt}`,
        compute: async () => {
          try {
            if (!record) return renderCxml([]);
            return renderCxml(await afterDial(ctx, record));
          } catch (err) {
            return emergency(ctx, err, 'the dial callback');
          }
        },
        onLost: () => renderCxml([]),
      });
    },
  };

  async function afterDial(ctx: VoiceContext, record: CallRecordRow): Promise<CxmlVerb[]> {
    const tenantId = ctx.tenant.tenantId;
    const trace = readJson<DecisionTrace | null>(record.decision_trace, null);
    const outcome = normalizeDialStatus(ctx.request.dialCallStatus ?? ctx.request.callStatus);
    const agentId = record.agent_id === null ? null : Number(record.agent_id);
    if (agentId !== null) {
      await distribution.releaseSlot(tenantId, agentId, ctx.sessionToken);
      // Busy is a deliberate decline, not a fault; anything short of an answer counts against the agent.
      if (outcome === 'answered' || outcome === 'in_progress') await health.recordSuccess(tenantId, agentId);
      else if (outcome !== 'busy') await health.recordFailure(tenantId, agentId, ctx.tenant.settings.health);
    }
    const noted = trace ? { ...trace, attempts: trace.attempts.map((a, i) => (i === trace.attempts.length - 1 ? { ...a, outcome } : a)) } : null;
    const ended = (to: CallState): StateChange[] => [{ to, eventType: 'call.dial_result', fields: noted ? { decision_trace: writeJson(noted) } : {}, payload: { outcome } }];

    if (outcome === 'answered' || outcome === 'in_progress') {
      await recorder.change(tenantId, record, ended('completed'));
      return [{ kind: 'hangup' }];
    }
    if (!noted || noted.outbound || (outcome === 'busy' && !noted.settings.failover_on_busy)) {
      await recorder.change(tenantId, record, ended(outcome === 'busy' ? 'busy' : outcome === 'no_answer' ? 'no_answer' : 'failed'));
      return [{ kind: 'hangup' }];
    }
    const next = await connect(ctx, await config.get(tenantId), noted, 'attempts_exhausted');
    const finalState: CallState = next.status === 'connecting' ? 'connecting' : outcome === 'busy' ? 'busy' : outcome === 'no_answer' ? 'no_answer' : 'failed';
    await recorder.change(tenantId, record, [
      { to: 'routing', eventType: 'call.failover', payload: { failed_agent_id: agentId, outcome } },
      ...changesFor({ ...next, status: finalState }, next.status === 'connecting' ? 'call.connecting' : 'call.unrouted'),
    ]);
    return next.verbs;
  }
}
export type VoiceFlow = ReturnType<typeof createVoiceFlow>;
