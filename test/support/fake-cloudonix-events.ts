import { randomUUID } from 'node:crypto';

/**
 * What the fake Cloudonix keeps about one session, and the webhook bodies it sends for it:
 * session updates shaped like shared/cloudonix.md §7.3 and the CDR like §7.4.
 */
export interface FakeSession {
  id: number;
  token: string;
  domain: string;
  domainId: number;
  direction: 'incoming' | 'application';
  status: string;
  destination: string | null;
  callerId: string | null;
  callback: string | null;
  timeLimit: number | null;
  callStartTime: number;
  callAnswerTime: number | null;
  callEndTime: number | null;
  createdAt: number;
  modifiedAt: number;
  /** What the call runs: the CXML or URL it was placed with, then each switch, oldest first. */
  applications: Array<{ cxml?: string; url?: string; method?: string; at: number }>;
  /** Set by DELETE /calls/{domain}/sessions/{token}: the reason given (or 'api'). */
  hungUp: string | null;
}

const iso = (ms: number, withMs: boolean): string => (withMs ? new Date(ms).toISOString() : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));
const callId = (s: FakeSession): string => `${s.token.slice(0, 16)}@198.51.100.20:5060`;

/** The session as GET /customers/self/domains/{domain}/sessions/{token} answers it. */
export function sessionView(s: FakeSession): Record<string, unknown> {
  return {
    id: s.id,
    domainId: s.domainId,
    domain: s.domain,
    subscriberId: null,
    destination: s.destination,
    callerId: s.callerId,
    direction: s.direction,
    token: s.token,
    createdAt: iso(s.createdAt, false),
    modifiedAt: iso(s.modifiedAt, false),
    timeLimit: s.timeLimit,
    status: s.status,
    vappServer: '10.20.30.40',
    callback: s.callback,
    callStartTime: s.callStartTime,
    startTime: iso(s.callStartTime, true),
    callAnswerTime: s.callAnswerTime,
    ...(s.callAnswerTime !== null ? { answerTime: iso(s.callAnswerTime, true) } : {}),
    callEndTime: s.callEndTime,
    ...(s.callEndTime !== null ? { endTime: iso(s.callEndTime, true) } : {}),
    profile: { 'inbound-trunk-id': 311, 'inbound-trunk-name': 'pstn-carrier', callId: [callId(s)], application: [] },
  };
}

/** One session-update webhook body (§7.3): the session plus event metadata. */
export function sessionUpdateBody(s: FakeSession): Record<string, unknown> {
  return { ...sessionView(s), eventId: randomUUID(), action: 'updated', reason: 'vapp' };
}

/** CDR dispositions Cloudonix sends (§5.2). */
export type FakeDisposition = 'ANSWER' | 'BUSY' | 'CANCEL' | 'FAILED' | 'CONGESTION' | 'NOANSWER';

/** The one CDR of a session (§7.4); seconds are whole, as Cloudonix sends them. */
export function cdrBody(s: FakeSession, disposition: FakeDisposition, domainUuid: string): Record<string, unknown> {
  const end = s.callEndTime ?? s.modifiedAt;
  const duration = Math.max(0, Math.round((end - s.callStartTime) / 1000));
  const billsec = s.callAnswerTime !== null && disposition === 'ANSWER' ? Math.max(0, Math.round((end - s.callAnswerTime) / 1000)) : 0;
  return {
    timestamp: Math.floor(end / 1000),
    call_id: callId(s),
    domain: s.domain,
    owner: { domain: { uuid: domainUuid } },
    from: s.callerId === null ? null : `+${s.callerId.replace(/^\+/, '')}`,
    to: s.destination === null ? null : `+${s.destination.replace(/^\+/, '')}`,
    disposition,
    duration,
    billsec,
    subscriber: null,
    cx_trunk_id: 311,
    application: 'voice-agent-lb',
    vapp_server: '10.20.30.40',
    session: {
      id: s.id,
      token: s.token,
      status: s.status,
      callStartTime: s.callStartTime,
      callAnswerTime: s.callAnswerTime,
      callEndTime: s.callEndTime,
      vappServer: '10.20.30.40',
      profile: {},
    },
  };
}

/** Session statuses that end a call without an answer, and the CDR disposition each gives. */
export const unansweredEnds: Record<string, FakeDisposition> = {
  noanswer: 'NOANSWER',
  busy: 'BUSY',
  cancel: 'CANCEL',
  failed: 'FAILED',
  congestion: 'CONGESTION',
};
