/**
 * Reading what Cloudonix sends, liberally (shared/cloudonix.md): parameter names
 * in any case, values as strings or numbers, SessionData as an object or a JSON
 * string, a session update as an object or an array of them. Pure functions
 * that never throw: missing things come back as null.
 */
type Params = Readonly<Record<string, unknown>>;

function lowerKeys(params: Params): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const k in params) {
    const lower = k.toLowerCase();
    if (Object.hasOwn(params, k) && !out.has(lower)) out.set(lower, params[k]);
  }
  return out;
}

/**
 * The longest identifiers kept (the store's columns are as wide): a longer one is
 * no Cloudonix identifier, and cut here it still matches across the webhooks.
 */
export const IDENTIFIER_WIDTHS = { sessionToken: 128, eventId: 100, callId: 255 } as const;

function str(v: unknown, max = 500): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim().slice(0, max);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v).slice(0, max);
  if (Array.isArray(v) && v.length > 0) return str(v[0], max);
  return null;
}
const token = (v: unknown) => str(v, IDENTIFIER_WIDTHS.sessionToken);

/** A domain as a name, or as an object naming it (the REST model's Domain: `domain` or `name`). */
function domainName(v: unknown): string | null {
  const o = typeof v === 'object' ? obj(v) : null;
  return o ? (str(o.domain) ?? str(o.name)) : str(v);
}

function obj(v: unknown): Params | null {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Params;
  if (typeof v === 'string' && v.trim().startsWith('{')) {
    try {
      return obj(JSON.parse(v));
    } catch {
      return null;
    }
  }
  return null;
}

// A Cloudonix call happens in this century; any other time is garbage and is read as absent
// (1e20 ms overflows BIGINT, and a year past 9999 breaks every date shown or rolled up).
const EARLIEST_CALL_TIME = Date.UTC(2000, 0, 1);
const LATEST_CALL_TIME = Date.UTC(2100, 0, 1);
/** The longest duration we store, in seconds; it fits a 32-bit INTEGER column. */
export const MAX_DURATION_SECONDS = 999_999_999;

const callTime = (ms: number): number | null => (ms >= EARLIEST_CALL_TIME && ms < LATEST_CALL_TIME ? Math.round(ms) : null);

/** Epoch milliseconds from ms/seconds numbers or ISO strings; null for anything outside 2000–2099. */
export function readTime(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return callTime(v < 1e11 ? v * 1000 : v);
  if (typeof v === 'string' && v.trim() !== '') {
    if (/^\d+(\.\d+)?$/.test(v.trim())) return readTime(Number(v));
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : callTime(t);
  }
  return null;
}

function int(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= MAX_DURATION_SECONDS ? Math.round(n) : null;
}

export interface VoiceRequest {
  readonly sessionToken: string | null;
  readonly from: string | null;
  readonly to: string | null;
  /** Lower-cased Cloudonix Direction: inbound, subscriber, outbound-api, application, or null. */
  readonly direction: string | null;
  readonly callStatus: string | null;
  readonly dialCallStatus: string | null;
  readonly domain: string | null;
  readonly callerName: string | null;
  readonly inboundTrunk: string | null;
}

/** A voice-application request or Dial action callback (query, JSON or form; X-CX-* headers as a last resort). */
export function readVoiceRequest(params: Params): VoiceRequest {
  const p = lowerKeys(params);
  const sessionData = obj(p.get('sessiondata'));
  const profile = sessionData ? obj(sessionData.profile) : null;
  return {
    sessionToken: token(p.get('session')) ?? token(p.get('callsid')) ?? token(sessionData?.token) ?? token(p.get('x-cx-session')),
    from: str(p.get('from')) ?? str(sessionData?.callerId),
    to: str(p.get('to')) ?? str(sessionData?.destination),
    direction: str(p.get('direction'))?.toLowerCase() ?? null,
    callStatus: str(p.get('callstatus')),
    dialCallStatus: str(p.get('dialcallstatus')),
    domain: str(p.get('domain')) ?? str(p.get('accountsid')) ?? str(p.get('x-cx-domain')) ?? str(sessionData?.domainNameOrId),
    callerName: str(p.get('callername')),
    inboundTrunk: str(profile?.['inbound-trunk-name']) ?? str(profile?.['inbound-trunk-id']),
  };
}

export interface SessionUpdate {
  readonly eventId: string | null;
  readonly sessionToken: string | null;
  readonly status: string | null;
  readonly domain: string | null;
  readonly direction: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly startedAt: number | null;
  readonly answeredAt: number | null;
  readonly endedAt: number | null;
}

/** The most updates one session-update request may carry (Cloudonix sends one, sometimes wrapped in an array). */
export const MAX_UPDATES_PER_REQUEST = 100;

/**
 * A session-update body: the object, or each element of an array (Cloudonix wraps
 * one; should it send several, none is dropped). An element that is not an object
 * is null, so the caller can refuse the request whole.
 */
export function readSessionUpdates(body: unknown): (SessionUpdate | null)[] {
  return Array.isArray(body) ? body.map(readSessionUpdate) : [readSessionUpdate(body)];
}

function readSessionUpdate(body: unknown): SessionUpdate | null {
  const o = obj(body);
  if (!o) return null;
  return {
    eventId: str(o.eventId, IDENTIFIER_WIDTHS.eventId),
    sessionToken: token(o.token),
    status: str(o.status)?.toLowerCase() ?? null,
    domain: domainName(o.domain),
    direction: str(o.direction)?.toLowerCase() ?? null,
    from: str(o.callerId),
    to: str(o.destination),
    startedAt: readTime(o.callStartTime) ?? readTime(o.startTime),
    answeredAt: readTime(o.callAnswerTime) ?? readTime(o.answerTime),
    endedAt: readTime(o.callEndTime) ?? readTime(o.endTime),
  };
}

export interface CdrPayload {
  readonly sessionToken: string | null;
  readonly domain: string | null;
  readonly callId: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly disposition: string | null;
  readonly durationSeconds: number | null;
  readonly billsec: number | null;
  readonly startedAt: number | null;
  readonly answeredAt: number | null;
  readonly endedAt: number | null;
}

export function readCdr(body: unknown): CdrPayload | null {
  const o = obj(Array.isArray(body) ? body[0] : body);
  if (!o) return null;
  const session = obj(o.session);
  return {
    sessionToken: token(session?.token) ?? token(o.token) ?? token(o.session),
    domain: domainName(o.domain),
    callId: str(o.call_id, IDENTIFIER_WIDTHS.callId),
    from: str(o.from),
    to: str(o.to),
    disposition: str(o.disposition),
    durationSeconds: int(o.duration),
    billsec: int(o.billsec),
    startedAt: readTime(session?.callStartTime),
    answeredAt: readTime(session?.callAnswerTime),
    endedAt: readTime(session?.callEndTime) ?? readTime(o.timestamp),
  };
}
