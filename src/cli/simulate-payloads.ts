import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/**
 * Cloudonix-shaped webhook bodies for the simulator and the benchmark, shaped as
 * the samples in shared/cloudonix.md §7 with the caller's values filled in.
 */
export interface CallIdentity {
  domain: string;
  session: string;
  from: string;
  to: string;
  /** Numeric Cloudonix session id (SessionData.id, session update `id`). */
  sessionId: number;
  /** Epoch ms of the call's start (SIP INVITE). */
  startedAt: number;
}

/** A leg's result as the Dial/Connect action callback words it (§2.2); `canceled`: the caller hung up first. */
export type Outcome = 'completed' | 'no-answer' | 'busy' | 'failed' | 'canceled';
export const OUTCOMES: readonly Outcome[] = ['completed', 'no-answer', 'busy', 'failed', 'canceled'];

const DOMAIN_ID = 1042;
const VAPP_SERVER = '10.20.30.40';

export function randomSession(): string {
  return randomBytes(16).toString('hex');
}

export function newCall(domain: string, from: string, to: string, session = randomSession(), startedAt = Date.now()): CallIdentity {
  return { domain, session, from, to, sessionId: randomInt(10_000_000, 99_999_999), startedAt };
}

const digits = (n: string) => n.replace(/^\+/, '');
const sipCallId = (c: CallIdentity) => `${c.session.slice(0, 16)}@198.51.100.20:5060`;
const iso = (ms: number) => new Date(ms).toISOString();
/** Cloudonix's createdAt/modifiedAt have second precision. */
const isoSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** §7.1: the voice-application request. */
export function voiceRequest(c: CallIdentity): Record<string, unknown> {
  return {
    ApiVersion: '1',
    CallSid: c.session,
    Session: c.session,
    AccountSid: c.domain,
    Domain: c.domain,
    From: c.from,
    To: c.to,
    CallerName: c.from,
    Direction: 'inbound',
    CallStatus: 'in-progress',
    SessionData: {
      id: c.sessionId,
      domainId: DOMAIN_ID,
      destination: digits(c.to),
      callerId: digits(c.from),
      token: c.session,
      status: 'processing',
      ringing: false,
      callStartTime: c.startedAt,
      vappServer: VAPP_SERVER,
      domainNameOrId: c.domain,
      profile: {
        'inbound-trunk-id': 311,
        'inbound-trunk-name': 'pstn-carrier',
        'trunk-sip-headers': {},
        callId: [sipCallId(c)],
      },
    },
  };
}

/** §7.2: the Dial (or Connect) action callback, carrying the leg's outcome under both names. */
export function dialCallback(c: CallIdentity, outcome: Outcome): Record<string, unknown> {
  return {
    ApiVersion: '1',
    CallSid: c.session,
    Session: c.session,
    Domain: c.domain,
    AccountSid: c.domain,
    From: c.from,
    To: c.to,
    Direction: 'inbound',
    CallStatus: outcome,
    DialCallStatus: outcome,
  };
}

/** The call's timeline: answered `ringMs` after the start (unless not answered), ended `duration` s after the start. */
export interface Timeline {
  answeredAt: number | null;
  endedAt: number;
}

export function timelineOf(c: CallIdentity, outcome: Outcome, durationSeconds: number): Timeline {
  const ringMs = Math.min(3000, Math.floor((durationSeconds * 1000) / 4));
  return { answeredAt: outcome === 'completed' ? c.startedAt + ringMs : null, endedAt: c.startedAt + durationSeconds * 1000 };
}

/** Session status words Cloudonix uses (§4.3): the live ones, then the word a call ends with. */
export type SessionStatus = 'processing' | 'ringing' | 'connected' | 'noanswer' | 'busy' | 'failed' | 'cancel';

/** The status of the last session update, by how the call ended (an answered call ends `connected`, with callEndTime). */
export const FINAL_STATUS: Readonly<Record<Outcome, SessionStatus>> = { completed: 'connected', 'no-answer': 'noanswer', busy: 'busy', failed: 'failed', canceled: 'cancel' };

/** When the call was answered and ended, as far as it has got (epoch ms). */
export interface CallTimes {
  answeredAt: number | null;
  endedAt: number | null;
}

/** §7.3: one session update at `at` (epoch ms); each has its own eventId. */
export function sessionUpdate(c: CallIdentity, status: SessionStatus, at: number, t: CallTimes): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: c.sessionId,
    eventId: randomUUID(),
    action: 'updated',
    reason: 'vapp',
    domainId: DOMAIN_ID,
    domain: c.domain,
    subscriberId: null,
    destination: digits(c.to),
    callerId: digits(c.from),
    direction: 'incoming',
    token: c.session,
    createdAt: isoSeconds(c.startedAt),
    modifiedAt: isoSeconds(at),
    timeLimit: null,
    status,
    vappServer: VAPP_SERVER,
    callStartTime: c.startedAt,
    startTime: iso(c.startedAt),
    profile: { 'inbound-trunk-id': 311, 'inbound-trunk-name': 'pstn-carrier', callId: [sipCallId(c)], application: [] },
  };
  if (t.answeredAt !== null) Object.assign(body, { callAnswerTime: t.answeredAt, answerTime: iso(t.answeredAt) });
  if (t.endedAt !== null) Object.assign(body, { callEndTime: t.endedAt, endTime: iso(t.endedAt) });
  return body;
}

export const DISPOSITION: Readonly<Record<Outcome, string>> = { completed: 'ANSWER', 'no-answer': 'NOANSWER', busy: 'BUSY', failed: 'FAILED', canceled: 'CANCEL' };

/** §7.4: the call detail record, duration and billsec matching the call's times. */
export function cdr(c: CallIdentity, outcome: Outcome, t: Timeline): Record<string, unknown> {
  const duration = Math.round((t.endedAt - c.startedAt) / 1000);
  const billsec = t.answeredAt === null ? 0 : Math.round((t.endedAt - t.answeredAt) / 1000);
  return {
    timestamp: Math.floor(t.endedAt / 1000),
    call_id: sipCallId(c),
    domain: c.domain,
    owner: { domain: { uuid: '2d7c6b1a-8e9f-4a0b-b1c2-d3e4f5a6b7c8' } },
    from: c.from,
    to: c.to,
    disposition: DISPOSITION[outcome],
    duration,
    billsec,
    subscriber: null,
    cx_trunk_id: 311,
    application: 'voice-agent-lb',
    vapp_server: VAPP_SERVER,
    session: {
      id: c.sessionId,
      token: c.session,
      status: FINAL_STATUS[outcome],
      callStartTime: c.startedAt,
      callAnswerTime: t.answeredAt,
      callEndTime: t.endedAt,
      vappServer: VAPP_SERVER,
      profile: {},
    },
  };
}
