import { legOf, readCxml, type AgentLeg, type CxmlSummary } from './simulate-cxml.js';
import { ok, RequestFailed, type Answer, type SendWebhook, type WebhookRequest } from './simulate-http.js';
import { NO_ANSWER_RING_SECONDS, type CallScript } from './simulate-mix.js';
import { cdr, dialCallback, FINAL_STATUS, sessionUpdate, voiceRequest, type CallIdentity, type CallTimes, type Outcome, type SessionStatus } from './simulate-payloads.js';

/** What the service answered to a voice request or an action callback. */
export type AnswerKind = 'dial' | 'connect' | 'hangup' | 'reject' | 'say' | 'nothing' | 'not-cxml' | 'failed';

export interface ServiceAnswer {
  after: 'voice' | 'callback';
  kind: AnswerKind;
  /** `vapi +1212…`, `websocket wss://…`, `hangup`, … */
  label: string;
  /** False when the call was already over (answered and done, or the caller hung up), so the answer was not acted on. */
  followed: boolean;
}

/** One request of the call and what came back, as the flow command prints it. */
export interface PlayedStep {
  request: WebhookRequest;
  /** `voice-app`, `callback no-answer`, `session ringing`, `session noanswer (ended)`, `cdr`. */
  label: string;
  /** Null when the service could not be reached. */
  answer: Answer | null;
  /** The CXML of a voice or callback answer that got a 2xx and parsed. */
  cxml: CxmlSummary | null;
  /** Why the step failed (non-2xx, unreachable, not CXML); null when it went through. */
  error: string | null;
}

export interface PlayedLeg {
  attempt: number;
  verb: AgentLeg['verb'];
  label: string;
  outcome: Outcome;
}

export interface CallReport {
  steps: PlayedStep[];
  legs: PlayedLeg[];
  answers: ServiceAnswer[];
  /** How the call ended (the CDR's disposition); null when it was not played to its end (voice only, or unreachable). */
  outcome: Outcome | null;
  answeredAt: number | null;
  endedAt: number | null;
  /** Requests that got a non-2xx answer or no answer at all. */
  failures: number;
}

export interface PlayCallOptions {
  call: CallIdentity;
  script: CallScript;
  send: SendWebhook;
  /** Only the voice-application request, as when Cloudonix knows the voice URL only. */
  voiceOnly?: boolean;
  /** Legs followed at most; a service that dials on after that is not followed further. */
  maxLegs?: number;
  /** Hears each step as it completes (the flow command prints them). */
  onStep?: (step: PlayedStep) => void;
}

/** Simulated delays (ms) between the parts of a call; nothing actually waits for them. */
const SETUP_MS = 200;
const NEXT_VERB_MS = 300;

/** A spoken message takes about as long as it is to read: 2 s plus 60 ms a character, at most 30 s. */
const sayMs = (text: string): number => Math.min(30_000, 2000 + 60 * text.length);

const toMs = (seconds: number): number => Math.round(seconds * 1000);

function answerKind(s: CxmlSummary): AnswerKind {
  if (s.dial) return 'dial';
  if (s.connect) return 'connect';
  if (s.say !== null) return 'say';
  if (s.reject) return 'reject';
  return s.hangup ? 'hangup' : 'nothing';
}

class Unreachable extends Error {}

/**
 * Plays one call the way Cloudonix would, following the service's CXML: the voice
 * request; for each Dial/Connect the leg's session updates (processing, ringing,
 * connected when answered) and its action callback with the scripted outcome; then
 * the final session update (callEndTime) and the CDR. Times are simulated epoch ms
 * from `call.startedAt`. Non-2xx answers are counted and the call goes on as Cloudonix
 * would (a failed voice or callback request ends the call); an unreachable service stops it.
 */
export async function playCall(o: PlayCallOptions): Promise<CallReport> {
  const { call, script } = o;
  const report: CallReport = { steps: [], legs: [], answers: [], outcome: null, answeredAt: null, endedAt: null, failures: 0 };
  const maxLegs = o.maxLegs ?? 10;

  async function request(label: string, r: WebhookRequest, expectCxml: boolean): Promise<PlayedStep> {
    const step: PlayedStep = { request: r, label, answer: null, cxml: null, error: null };
    try {
      step.answer = await o.send(r);
    } catch (err) {
      if (!(err instanceof RequestFailed)) throw err;
      step.error = err.message;
    }
    if (step.answer && !ok(step.answer)) step.error = `${step.answer.status} ${step.answer.body.slice(0, 500)}`;
    else if (step.answer && expectCxml) {
      try {
        step.cxml = readCxml(step.answer.body);
      } catch (err) {
        step.error = `${err instanceof Error ? err.message : String(err)}: ${step.answer.body.slice(0, 300)}`;
      }
    }
    if (step.answer === null || !ok(step.answer)) report.failures += 1;
    report.steps.push(step);
    o.onStep?.(step);
    if (step.answer === null) throw new Unreachable(step.error ?? 'unreachable');
    return step;
  }

  function noteAnswer(after: ServiceAnswer['after'], step: PlayedStep, followed: boolean): void {
    const s = step.cxml;
    const kind: AnswerKind = s ? answerKind(s) : step.answer && ok(step.answer) ? 'not-cxml' : 'failed';
    const label = s ? (legOf(s)?.label ?? kind) : kind;
    report.answers.push({ after, kind, label, followed });
  }

  const times: CallTimes = { answeredAt: null, endedAt: null };
  const update = (status: SessionStatus, at: number) =>
    request(`session ${status}`, { kind: 'session', body: sessionUpdate(call, status, at, times) }, false);

  try {
    const first = await request('voice-app', { kind: 'voice', body: voiceRequest(call) }, true);
    noteAnswer('voice', first, !o.voiceOnly);
    if (o.voiceOnly) return report;

    let now = call.startedAt;
    let answer = first.cxml;
    let lastLeg: Outcome | null = null;
    for (;;) {
      const leg = answer ? legOf(answer) : null;
      if (!leg || report.legs.length >= maxLegs) {
        if (leg) report.answers[report.answers.length - 1]!.followed = false;
        // The answer ends the call; a message is spoken first, which answers the call as in TwiML.
        if (!leg && answer && answer.say !== null) {
          if (times.answeredAt === null) {
            times.answeredAt = now;
            await update('connected', now);
          }
          now += sayMs(answer.say);
        }
        const rejected: Outcome = answer?.rejectReason === 'busy' ? 'busy' : 'failed';
        report.outcome = times.answeredAt !== null ? 'completed' : (lastLeg ?? rejected);
        break;
      }

      const attempt = report.legs.length + 1;
      const planned = script.legs[Math.min(attempt, script.legs.length) - 1] ?? { outcome: 'failed', ringSeconds: 1 };
      const outcome = planned.outcome;
      report.legs.push({ attempt, verb: leg.verb, label: leg.label, outcome });
      await update('processing', now);
      now += SETUP_MS;
      await update('ringing', now);
      const ringLimit = leg.timeoutSeconds ?? NO_ANSWER_RING_SECONDS;
      now += toMs(Math.min(planned.ringSeconds, ringLimit));
      if (outcome === 'completed') {
        times.answeredAt = now;
        await update('connected', now);
        now += toMs(script.talkSeconds);
      }
      lastLeg = outcome;
      // Past a leg that was answered, or that the caller hung up on, there is no one left to route.
      const callOver = outcome === 'completed' || outcome === 'canceled';
      if (!leg.action) {
        // Without an action Cloudonix goes on with the document's next verb: the service writes <Hangup/> there.
        report.outcome = times.answeredAt !== null ? 'completed' : outcome;
        break;
      }
      const callback = await request(`callback ${outcome}`, { kind: 'action', url: leg.action, method: leg.method, body: dialCallback(call, outcome) }, true);
      noteAnswer('callback', callback, !callOver);
      if (callOver) {
        report.outcome = outcome;
        break;
      }
      answer = callback.cxml;
      now += NEXT_VERB_MS;
    }

    times.endedAt = now;
    report.answeredAt = times.answeredAt;
    report.endedAt = now;
    const outcome = report.outcome ?? 'failed';
    await request(`session ${FINAL_STATUS[outcome]} (ended)`, { kind: 'session', body: sessionUpdate(call, FINAL_STATUS[outcome], now, times) }, false);
    await request('cdr', { kind: 'cdr', body: cdr(call, outcome, { answeredAt: times.answeredAt, endedAt: now }) }, false);
    return report;
  } catch (err) {
    if (!(err instanceof Unreachable)) throw err;
    report.outcome = null;
    return report;
  }
}
