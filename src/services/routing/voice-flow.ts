import type { Eventually } from '../../core/eventually.js';
import type { CallEvent, RouteAct } from '../../core/lifecycle/call-event.js';
import { nextStepAfterDial } from '../../core/lifecycle/next-step.js';
import { stepAnswered } from '../../core/lifecycle/repeat-answer.js';
import { tellStory } from '../../core/lifecycle/tell-story.js';
import type { AgentCall } from '../../core/routing/agent-verb.js';
import { normalizeDialStatus } from '../../core/routing/call-status.js';
import { renderCxml, type CxmlVerb } from '../../core/routing/cxml.js';
import type { VoiceRequest } from '../../core/routing/cloudonix-payloads.js';
import type { TenantSettings } from '../../core/schemas/tenant.js';
import type { Plane } from '../../plane/plane.js';
import type { CallRecordRow } from '../../store/call-records.js';
import { readJson, writeJson } from '../../store/json-column.js';
import { isDatabaseUnavailable } from '../../store/dialect.js';
import type { CallMetrics } from '../call-metrics.js';
import type { Clock } from '../clock.js';
import type { RoutingConfig, TenantRouting } from '../routing-config.js';
import type { Logger } from '../logger.js';
import { planeKeys } from '../plane-keys.js';
import type { AgentDialer, DialChoice } from './agent-dialer.js';
import { answerOnce } from './answer-once.js';
import type { CallLife, CallTenant } from './call-life.js';
import { DuplicateEvent, type CallChange, type CallRecorder, type NewCall } from './call-recorder.js';
import { decisionResult, fallbackLabel } from './decision-labels.js';
import { fallbackAnswer, type FallbackAnswer } from './fallback-route.js';
import type { DecisionTrace } from './route-plan.js';
import type { RoutePlanner } from './route-planner.js';
import { factsOfRow } from './stored-facts.js';
import type { TenantEntry } from './tenant-directory.js';

interface Deps {
  plane: Plane;
  config: RoutingConfig;
  planner: RoutePlanner;
  dialer: AgentDialer;
  recorder: CallRecorder;
  life: CallLife;
  metrics: CallMetrics;
  clock: Clock;
  logger: Logger;
}

export interface VoiceContext {
  tenant: TenantEntry;
  request: VoiceRequest;
  sessionToken: string;
  /** Builds our Dial action URL for an attempt number. */
  actionUrl: (attempt: number) => string;
}

/** One routing answer: the CXML verbs, the decision behind them, and what they do to the call. */
interface Answer {
  verbs: CxmlVerb[];
  trace: DecisionTrace;
  act: RouteAct;
}

/** A call's first decision: the planner's trace, and the answer that carried it out. */
interface FirstDecision {
  plan: DecisionTrace;
  answer: Answer;
}

/**
 * What a caller hears when routing itself failed (database or Redis down, a bug):
 * the tenant's message or number fallback, which need nothing but the settings,
 * else a hangup.
 */
export function emergencyCxml(settings: TenantSettings): string {
  const f = settings.fallback;
  return renderCxml(
    f.type === 'message' ? [{ kind: 'say', text: f.message }] : f.type === 'number' ? [{ kind: 'dial_number', number: f.number }] : f.type === 'reject' ? [{ kind: 'reject', reason: f.reason }] : [],
  );
}

const callTenant = (t: TenantEntry): CallTenant => ({ tenantId: t.tenantId, domain: t.domain, health: t.settings.health });

/** The call as an agent is told of it (the `{placeholders}` of its URL, headers and caller ID). */
const agentCall = (ctx: VoiceContext, trace: DecisionTrace): AgentCall => ({
  session: ctx.sessionToken,
  from: ctx.request.from,
  to: ctx.request.to,
  domain: ctx.tenant.domain,
  callerName: ctx.request.callerName,
  direction: trace.direction,
});

/** The act of an answer whose verbs are `verbs`: the number of the attempt it dials, or the end. */
function actOf(verbs: readonly CxmlVerb[], trace: DecisionTrace, agentId: number | null): RouteAct {
  const fallback = trace.fallback?.reason ?? null;
  const dials = verbs.some((v) => v.kind === 'dial_service' || v.kind === 'dial_number' || v.kind === 'connect_stream');
  if (!dials) return { act: 'end', fallback };
  // A number dialled without attempts of its own (the fallback number) still counts as one.
  return { act: 'dial', attempt: Math.max(1, trace.attempts.length + (agentId === null && !trace.outbound ? 1 : 0)), agentId, fallback };
}

const answerOf = (fb: FallbackAnswer): Answer => ({ verbs: fb.verbs, trace: fb.trace, act: actOf(fb.verbs, fb.trace, fb.agentId) });

/**
 * The hot path: the voice-application request (first routing) and the Dial
 * action callback (failover). Each answer is computed once per session and
 * attempt, recorded with what it does to the call's story, and rendered as CXML;
 * on any internal failure the tenant's fallback (or a hangup) is still valid CXML.
 */
export function createVoiceFlow({ plane, config, planner, dialer, recorder, life, metrics, clock, logger }: Deps) {
  const fallbackDeps = { planner, dialer };

  /**
   * Dials the next candidate, or falls back; never throws for lack of agents. Answered at once
   * when the plane answers at once (the embedded plane), else as a promise.
   */
  function connect(ctx: VoiceContext, routing: TenantRouting, trace: DecisionTrace, exhausted: 'no_candidate' | 'attempts_exhausted'): Eventually<Answer> {
    if (trace.outbound) {
      const { number, trunks, caller_id } = trace.outbound;
      const verbs: CxmlVerb[] = [{ kind: 'dial_number', number, trunks, callerId: caller_id, action: ctx.actionUrl(1) }];
      return { verbs, trace, act: { act: 'dial', attempt: 1, agentId: null, fallback: null } };
    }
    const call = agentCall(ctx, trace);
    if (trace.fallback?.reason === 'no_rule' || trace.fallback?.reason === 'target_missing') return fallBack(ctx, routing, trace, exhausted, call, null);
    const choice = dialer.dialNext(ctx.tenant.tenantId, routing, trace, call, ctx.actionUrl);
    if (choice instanceof Promise) return choice.then((c) => fallBack(ctx, routing, trace, exhausted, call, c));
    return fallBack(ctx, routing, trace, exhausted, call, choice);
  }

  /** The agent `choice` dialled, else the tenant's fallback (or a hangup when the group has it off). */
  function fallBack(ctx: VoiceContext, routing: TenantRouting, trace: DecisionTrace, exhausted: 'no_candidate' | 'attempts_exhausted', call: AgentCall, choice: DialChoice | null): Eventually<Answer> {
    if (choice?.verb) {
      const verbs = [choice.verb];
      return { verbs, trace: choice.trace, act: actOf(verbs, choice.trace, choice.agentId) };
    }
    const tried = choice?.trace ?? trace;
    const reason = tried.fallback?.reason ?? exhausted;
    if (!tried.settings.fallback_enabled && reason !== 'no_rule') return { verbs: [{ kind: 'hangup' }], trace: tried, act: { act: 'end', fallback: null } };
    const fb = fallbackAnswer(fallbackDeps, ctx.tenant.tenantId, routing, ctx.tenant.settings, tried, reason, call, ctx.actionUrl);
    return fb instanceof Promise ? fb.then(answerOf) : answerOf(fb);
  }

  /**
   * A call's first decision on the configuration at `version`: its plan and its answer, at once
   * when the configuration is loaded and the plane answers at once, else as a promise.
   */
  function decideFirst(ctx: VoiceContext, version: number): Eventually<FirstDecision> {
    const tenantId = ctx.tenant.tenantId;
    const snapshot = config.readyAt(tenantId, version);
    if (!snapshot) return config.atVersion(tenantId, version).then((loaded) => planFirst(ctx, loaded));
    return planFirst(ctx, snapshot);
  }

  function planFirst(ctx: VoiceContext, snapshot: TenantRouting): Eventually<FirstDecision> {
    // The request carries the call's numbers and Cloudonix's direction, as the planner reads them.
    const planned = planner.plan(ctx.tenant.tenantId, ctx.request, false, snapshot, { timeZone: ctx.tenant.settings.timezone });
    return planned instanceof Promise ? planned.then((plan) => connectFirst(ctx, snapshot, plan)) : connectFirst(ctx, snapshot, planned);
  }

  function connectFirst(ctx: VoiceContext, snapshot: TenantRouting, plan: DecisionTrace): Eventually<FirstDecision> {
    // The plan is this call's own (the planner builds a new trace for every call): Cloudonix's direction is added to it, last.
    plan.cloudonix_direction = ctx.request.direction;
    const answer = connect(ctx, snapshot, plan, 'no_candidate');
    return answer instanceof Promise ? answer.then((a) => ({ plan, answer: a })) : { plan, answer };
  }

  /**
   * The timeline entry of an answer at routing step `step`: `call.connecting` when it dials,
   * `call.unrouted` when the first answer reaches nobody, `call.hangup` when a later one ends the call.
   */
  function answered(a: Answer, step: number, fields: CallChange['fields'] = {}, payload: Record<string, unknown> = {}): CallChange {
    const event: CallEvent = { kind: 'answer', step, at: clock(), ...a.act };
    const agentId = a.act.act === 'dial' ? a.act.agentId : null;
    return {
      eventType: a.act.act === 'dial' ? 'call.connecting' : step === 0 ? 'call.unrouted' : 'call.hangup',
      event,
      fields: Object.assign({}, fields, { decision_trace: writeJson(a.trace) }),
      trace: a.trace,
      payload: Object.assign({}, payload, { agent_id: agentId, attempt: a.trace.attempts.length, fallback: a.trace.fallback }),
    };
  }

  /** A call's first answer, counted once it is recorded (or held for the database). */
  function countFirst(ctx: VoiceContext, a: Answer, seconds: number): void {
    metrics.decided(ctx.tenant.domain, a.act.act === 'dial' ? a.act.agentId : null, decisionResult(a.act, a.trace), seconds);
    const reason = fallbackLabel(a.trace);
    if (reason) metrics.fellBack(ctx.tenant.domain, reason);
  }

  /** An answer after a Dial that was not taken: the tenant's fallback reached now, or the next agent. */
  function countRetry(ctx: VoiceContext, before: DecisionTrace, a: Answer): void {
    const reason = before.fallback === null ? fallbackLabel(a.trace) : null;
    if (reason) metrics.fellBack(ctx.tenant.domain, reason);
    else if (a.act.act === 'dial' && a.act.agentId !== null) metrics.failedOver(ctx.tenant.domain);
  }

  async function emergency(ctx: VoiceContext, err: unknown, where: 'first' | 'callback'): Promise<string> {
    if (where === 'first') metrics.decided(ctx.tenant.domain, null, 'error');
    metrics.fellBack(ctx.tenant.domain, 'error');
    if (isDatabaseUnavailable(err)) metrics.databaseError('routing');
    logger.error({ err, tenantId: ctx.tenant.tenantId, session: ctx.sessionToken }, `routing failed in ${where === 'first' ? 'the voice application request' : 'the dial callback'}; answering the fallback`);
    return emergencyCxml(ctx.tenant.settings);
  }

  return {
    applicationRequest(ctx: VoiceContext): Promise<string> {
      const tenantId = ctx.tenant.tenantId;
      // The configuration's version is read in the claim's own atomic step (one plane round trip):
      // after the request arrived, so a change committed before it is seen; a duplicate loads nothing.
      return answerOnce(plane, logger, {
        key: `t:${tenantId}:voice:${ctx.sessionToken}:0`,
        counterKey: planeKeys.configVersion(tenantId),
        compute: async (version) => {
          try {
            const started = performance.now();
            const { request } = ctx;
            // Decided without a promise when it can be (see decideFirst); only the record's write is awaited then.
            const decided = decideFirst(ctx, version);
            const { plan, answer } = decided instanceof Promise ? await decided : decided;
            const seconds = (performance.now() - started) / 1000;
            // A call through a split keeps its arm as the record's variant (analytics group by it).
            const routingFields = { direction: plan.direction, rule_id: plan.matched_rule?.id ?? null, group_id: plan.group_id, ...(plan.split ? { variant: plan.split.arm } : {}) };
            const changes = [answered(answer, 0, routingFields, { rule: plan.matched_rule, target: plan.target })];
            const call: NewCall = { sessionToken: ctx.sessionToken, direction: plan.direction, from: request.from, to: request.to, cloudonixDirection: request.direction };
            await life.routed(callTenant(ctx.tenant), call, changes);
            countFirst(ctx, answer, seconds);
            return renderCxml(answer.verbs);
          } catch (err) {
            // A copy that came after its answer key expired: the record has the call's first answer
            // (the slot this copy claimed is given back); it gets what a copy whose answer was lost gets.
            if (err instanceof DuplicateEvent) return emergencyCxml(ctx.tenant.settings);
            return emergency(ctx, err, 'first');
          }
        },
        onLost: () => emergencyCxml(ctx.tenant.settings),
      });
    },

    async dialCallback(ctx: VoiceContext, attemptParam: number | null): Promise<string> {
      const tenantId = ctx.tenant.tenantId;
      const record = await recorder.find(tenantId, ctx.sessionToken);
      const attempt = Math.max(1, attemptParam ?? Number(record?.attempt ?? 1));
      return answerOnce(plane, logger, {
        key: `t:${tenantId}:voice:${ctx.sessionToken}:${attempt}`,
        counterKey: planeKeys.configVersion(tenantId),
        compute: async (version) => {
          // A callback answered before (a copy after its answer key expired, or after the call
          // ended): the record says so, nothing is routed or stored again.
          try {
            if (record && stepAnswered(factsOfRow(record), attempt)) return renderCxml([]);
            return renderCxml(record ? await afterDial(ctx, record, attempt, version) : []);
          } catch (err) {
            if (err instanceof DuplicateEvent) return renderCxml([]);
            return emergency(ctx, err, 'callback');
          }
        },
        onLost: () => renderCxml([]),
      });
    },
  };

  async function afterDial(given: VoiceContext, record: CallRecordRow, attempt: number, version: number): Promise<CxmlVerb[]> {
    // A callback may carry less than the first request: the numbers the agent is told of come from the record then.
    const ctx: VoiceContext = Object.assign({}, given, { request: Object.assign({}, given.request, { from: given.request.from ?? record.from_number, to: given.request.to ?? record.to_number }) });
    const trace = readJson<DecisionTrace | null>(record.decision_trace, null);
    const outcome = normalizeDialStatus(ctx.request.dialCallStatus ?? ctx.request.callStatus);
    const told = tellStory(factsOfRow(record));
    const step = nextStepAfterDial({
      outcome,
      callEnded: told.ended,
      routed: trace !== null,
      outbound: trace?.outbound != null,
      failoverOnBusy: trace?.settings.failover_on_busy ?? false,
      handedOff: told.handoffs.length > 0,
    });
    if (!trace) return [{ kind: 'hangup' }];
    const noted: DecisionTrace = Object.assign({}, trace, { attempts: trace.attempts.map((a) => (a.attempt === attempt ? Object.assign({}, a, { outcome }) : a)) });
    const result: CallChange = { eventType: 'call.dial_result', event: { kind: 'dial_result', attempt, outcome }, fields: { decision_trace: writeJson(noted) }, payload: { outcome, attempt } };
    const call: NewCall = { sessionToken: ctx.sessionToken, direction: record.direction, from: record.from_number, to: record.to_number };
    if (step.kind === 'hangup' && step.why === 'handed_off') {
      // A Dial the hand-off interrupted: its result is kept, but no answer of ours is recorded (an `end`
      // would end the story of a call that goes on with whoever took it over).
      await life.record(callTenant(ctx.tenant), call, [result]);
      return [{ kind: 'hangup' }];
    }
    const answer: Answer =
      step.kind === 'hangup' ? { verbs: [{ kind: 'hangup' }], trace: noted, act: { act: 'end', fallback: null } } : await connect(ctx, await config.atVersion(ctx.tenant.tenantId, version), noted, 'attempts_exhausted');
    await life.record(callTenant(ctx.tenant), call, [result, answered(answer, attempt, {}, { after: step.kind === 'hangup' ? step.why : 'failover' })]);
    if (step.kind === 'try_next') countRetry(ctx, noted, answer);
    return answer.verbs;
  }
}
export type VoiceFlow = ReturnType<typeof createVoiceFlow>;
