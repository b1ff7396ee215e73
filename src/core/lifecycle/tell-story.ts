import type { CallState } from '../routing/call-state.js';
import { normalizeDisposition, type DialOutcome, type Disposition } from '../routing/call-status.js';
import { MAX_DURATION_SECONDS } from '../routing/cloudonix-payloads.js';
import { SESSION_PROGRESS, type CallFacts, type FallbackReason, type Handoff, type RouteAct, type SessionFailure } from './call-event.js';
import type { OutcomeReason } from './outcome-reason.js';

export interface AttemptStory {
  readonly attempt: number;
  /** null: a number was dialled (outbound trunks, a fallback number). */
  readonly agentId: number | null;
  readonly outcome: DialOutcome | null;
  readonly fallback: FallbackReason | null;
}

/** A call as we tell it: what every list, dashboard and export shows. */
export interface CallStory {
  readonly status: CallState;
  /** Why it ended so; null while the call is live. */
  readonly reason: OutcomeReason | null;
  readonly ended: boolean;
  readonly answered: boolean;
  readonly attempts: readonly AttemptStory[];
  /** Who has the call: the agent of its latest hand-off (null: a number); else the agent that answered; else the last agent dialled. */
  readonly agentId: number | null;
  /** The call's hand-offs in order; the last one says who took over. */
  readonly handoffs: readonly Handoff[];
  readonly answeringAgentId: number | null;
  readonly answeredAt: number | null;
  readonly endedAt: number | null;
  readonly durationSeconds: number | null;
  readonly billsec: number | null;
  /** The CDR's disposition in our words, when a CDR came. */
  readonly disposition: Disposition | null;
}

/** Dial results that mean the attempt is over without an answer. */
const NOT_ANSWERED: ReadonlySet<DialOutcome> = new Set(['busy', 'canceled', 'no_answer', 'failed', 'unknown']);

const REASON_OF_DIAL: Readonly<Record<DialOutcome, OutcomeReason>> = {
  answered: 'answered',
  busy: 'busy',
  canceled: 'caller_hung_up',
  no_answer: 'no_answer',
  failed: 'agent_failed',
  unknown: 'agent_failed',
  in_progress: 'agent_failed',
};

const REASON_OF_DISPOSITION: Readonly<Record<Disposition, OutcomeReason | null>> = {
  answered: null,
  busy: 'busy',
  canceled: 'caller_hung_up',
  no_answer: 'no_answer',
  failed: 'agent_failed',
  congestion: 'agent_failed',
  declined: 'declined',
  unknown: null,
};

/** When a session update reported several leg failures, the one said first here wins. */
const SESSION_FAILURE_ORDER: readonly SessionFailure[] = ['canceled', 'busy', 'declined', 'no_answer', 'failed'];
const REASON_OF_SESSION: Readonly<Record<SessionFailure, OutcomeReason>> = {
  canceled: 'caller_hung_up',
  busy: 'busy',
  declined: 'declined',
  no_answer: 'no_answer',
  failed: 'agent_failed',
};

const fallbackReason = (f: FallbackReason): OutcomeReason => (f === 'no_rule' || f === 'target_missing' ? 'no_rule' : 'overflow_fallback');

const minOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

function seconds(from: number | null, to: number | null): number | null {
  if (from === null || to === null || to < from) return null;
  const s = Math.round((to - from) / 1000);
  return s <= MAX_DURATION_SECONDS ? s : null;
}

function statusOfEnd(reason: OutcomeReason, answered: boolean): CallState {
  if (answered) return 'completed';
  switch (reason) {
    // The fallback route took the call by design: not a failure of ours or of an agent.
    case 'no_rule':
    case 'overflow_fallback':
      return 'fallback';
    case 'busy':
      return 'busy';
    case 'no_answer':
    case 'caller_hung_up':
      return 'no_answer';
    default:
      return 'failed';
  }
}

/**
 * The call's story from its facts: status, reason, attempts, the agent that
 * answered, times and billed seconds. The CDR is the final authority; unknown
 * dispositions resolve from billsec and the answer time; a failure a session
 * update reports is one leg's, never the end of the call. Pure.
 */
export function tellStory(facts: CallFacts): CallStory {
  // Plain loops, no intermediate arrays: a routed call's first write tells its story on the hot path.
  const keys = Object.keys(facts.answers);
  const steps = keys.length === 1 ? [Number(keys[0])] : keys.map(Number).sort((a, b) => a - b);
  const answers = steps.map((s) => facts.answers[String(s)]!);
  const finalAct: (RouteAct & { at: number }) | undefined = answers[answers.length - 1];
  const attempts: AttemptStory[] = [];
  for (const a of answers) if (a.act === 'dial') attempts.push({ attempt: a.attempt, agentId: a.agentId, outcome: facts.results[String(a.attempt)] ?? null, fallback: a.fallback });
  if (attempts.length > 1) attempts.sort((a, b) => a.attempt - b.attempt);
  const { session, cdr } = facts;
  const disposition = cdr ? normalizeDisposition(cdr.disposition) : null;

  const dialAnswered = attempts.find((a) => a.outcome === 'answered');
  let answered: boolean;
  if (cdr) answered = disposition === 'answered' || (disposition === 'unknown' && ((cdr.billsec ?? 0) > 0 || cdr.answeredAt !== null));
  else answered = dialAnswered !== undefined || session.answeredAt !== null || session.progress >= SESSION_PROGRESS.connected;
  // We ended the call ourselves (a message, a hangup): an answer then was our message, not an agent.
  if (finalAct?.act === 'end' && !dialAnswered) answered = false;

  const answering = answered ? (dialAnswered ?? [...attempts].reverse().find((a) => a.outcome === null || !NOT_ANSWERED.has(a.outcome))) : undefined;
  const endedByUs = finalAct?.act === 'end' ? finalAct.at : null;
  const heardEnd = cdr !== null || session.endedAt !== null || endedByUs !== null;
  const closedAt = facts.closedAt ?? null;
  const ended = heardEnd || facts.expiredAt !== null || closedAt !== null;

  const startedAt = cdr?.startedAt ?? session.startedAt ?? answers[0]?.at ?? null;
  const answeredAt = answered ? (cdr?.answeredAt ?? session.answeredAt ?? null) : null;
  const endedAt = ended ? (cdr?.endedAt ?? session.endedAt ?? endedByUs ?? minOf(facts.expiredAt, closedAt)) : null;
  let lastAgent: number | null = null;
  for (let i = attempts.length - 1; i >= 0; i--) {
    const id = attempts[i]!.agentId;
    if (id === null) continue;
    lastAgent = id ?? null;
    break;
  }
  const handoffs = facts.handoffs ? Object.values(facts.handoffs).sort((a, b) => a.at - b.at || a.seq - b.seq || (a.agentId ?? 0) - (b.agentId ?? 0)) : [];
  const takenOver = handoffs[handoffs.length - 1];

  let reason: OutcomeReason | null = null;
  if (ended) reason = endReason();
  const status: CallState = ended && reason ? statusOfEnd(reason, answered) : liveStatus();

  return {
    status,
    reason,
    ended,
    answered,
    attempts,
    agentId: takenOver ? takenOver.agentId : (answering?.agentId ?? lastAgent),
    handoffs,
    answeringAgentId: answering?.agentId ?? null,
    answeredAt,
    endedAt,
    durationSeconds: cdr?.durationSeconds ?? (ended ? seconds(startedAt, endedAt) : null),
    billsec: cdr?.billsec ?? (answered && ended ? seconds(answeredAt, endedAt) : null),
    disposition,
  };

  function endReason(): OutcomeReason {
    if (!heardEnd) return closedAt !== null && (facts.expiredAt === null || closedAt <= facts.expiredAt) ? 'ended_by_admin' : 'unknown_end';
    if (answered) return answering?.fallback ? fallbackReason(answering.fallback) : 'answered';
    // Nobody was ever dialled: the fallback (or no rule) is the whole story.
    if (attempts.length === 0 && finalAct?.fallback) return fallbackReason(finalAct.fallback);
    const fromCdr = disposition ? REASON_OF_DISPOSITION[disposition] : null;
    if (fromCdr) return fromCdr;
    const lastResult = [...attempts].reverse().find((a) => a.outcome !== null)?.outcome;
    if (lastResult) return REASON_OF_DIAL[lastResult];
    const failure = SESSION_FAILURE_ORDER.find((f) => session.failures.includes(f));
    if (failure) return REASON_OF_SESSION[failure];
    if (finalAct?.fallback) return fallbackReason(finalAct.fallback);
    return disposition === 'unknown' ? 'agent_failed' : 'no_answer';
  }

  function liveStatus(): CallState {
    if (answered) return 'connected';
    const last = attempts[attempts.length - 1];
    const pending = last !== undefined && (last.outcome === null || last.outcome === 'in_progress');
    if (pending || session.progress >= SESSION_PROGRESS.ringing) return 'connecting';
    if (answers.length > 0 || session.progress >= SESSION_PROGRESS.processing) return 'routing';
    return 'received';
  }
}
