import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cdrBody, sessionUpdateBody, unansweredEnds, type FakeDisposition, type FakeSession } from './fake-cloudonix-events.js';
import { routeFakeRequest } from './fake-cloudonix-routes.js';

export type { FakeSession, FakeDisposition } from './fake-cloudonix-events.js';

/**
 * A local stand-in for the Cloudonix REST API (shared/cloudonix.md §6, §9.9) on 127.0.0.1, for tests:
 * domains with their profile and domain API key, voice applications, and sessions that are placed,
 * switched and hung up. Like Cloudonix it wants `Authorization: Bearer <domain key>`, answers errors as
 * `{ status, message }` JSON and allows 10 requests per 10 s per domain (429 with Retry-After beyond).
 * Hanging up does not send webhooks by itself: a test says when with `emit`, as the real call would.
 */
export interface FakeDomain {
  id: number;
  uuid: string;
  domain: string;
  active: boolean;
  defaultApplication: number | null;
  profile: Record<string, unknown>;
  apiKey: string;
}

export interface FakeApplication {
  id: number;
  name: string;
  type: 'cxml';
  url: string;
  method: 'GET' | 'POST';
  active: boolean;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** The Authorization header as sent (tests may check which key was used). */
  authorization: string | undefined;
  status: number;
}

export type FakeEvent = 'ringing' | 'answer' | 'end' | 'noanswer' | 'busy' | 'cancel' | 'failed';

export interface EmitOptions {
  /** When the event happened (epoch ms; default now). */
  at?: number;
  /** Ending events send the CDR after the session update unless false. */
  cdr?: boolean;
  /** The CDR's disposition; by default ANSWER when the call was answered, else from the event. */
  disposition?: FakeDisposition;
}

export interface Delivery {
  url: string;
  status: number;
  body: Record<string, unknown>;
}

export interface EmitResult {
  /** null when the domain has no session-update endpoint (and the session no callback). */
  sessionUpdate: Delivery | null;
  /** null for events that do not end the call, or when no CDR endpoint is set. */
  cdr: Delivery | null;
}

export interface FakeCloudonixOptions {
  /** Requests allowed per domain per window (Cloudonix: 10 per 10 s). */
  rateLimit?: { limit: number; windowMs: number };
  now?: () => number;
}

export interface FakeState {
  domains: Map<string, FakeDomain>;
  applications: Map<string, FakeApplication[]>;
  sessions: Map<string, FakeSession>;
  nextId: () => number;
  now: () => number;
}

const MAX_REQUESTS_KEPT = 2000;
const MAX_SESSIONS = 10_000;
const MAX_BODY_BYTES = 64 * 1024;

export type FakeCloudonix = Awaited<ReturnType<typeof startFakeCloudonix>>;

export async function startFakeCloudonix(options: FakeCloudonixOptions = {}) {
  const now = options.now ?? Date.now;
  let id = 1000;
  const state: FakeState = { domains: new Map(), applications: new Map(), sessions: new Map(), nextId: () => ++id, now };
  const requests: FakeRequest[] = [];
  let rate = options.rateLimit ?? { limit: 10, windowMs: 10_000 };
  const seen = new Map<string, number[]>();
  const failures: Array<{ status: number; body: unknown; retryAfter: number | undefined }> = [];
  const delays: number[] = [];
  const beforeAnswer: Array<(request: FakeRequest) => void> = [];

  /** Counts the request against its domain's window; the seconds to wait when over the limit. */
  function overLimit(domain: string): number | null {
    const t = now();
    const recent = (seen.get(domain) ?? []).filter((at) => at > t - rate.windowMs);
    if (recent.length >= rate.limit) {
      seen.set(domain, recent);
      return Math.max(1, Math.ceil((recent[0]! + rate.windowMs - t) / 1000));
    }
    recent.push(t);
    seen.set(domain, recent);
    return null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const entry: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body: null, authorization: req.headers.authorization, status: 0 };
    requests.push(entry);
    if (requests.length > MAX_REQUESTS_KEPT) requests.shift();
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}): void => {
      entry.status = status;
      if (body === undefined) res.writeHead(status, headers).end();
      else res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    const fail = (status: number, message: string, headers?: Record<string, string>): void => send(status, { status, message }, headers);
    const delay = delays.shift();
    if (delay) await new Promise((r) => setTimeout(r, delay));
    beforeAnswer.shift()?.(entry);
    if (raw === null) return fail(413, 'Request entity too large');
    if (raw.length > 0) {
      try {
        entry.body = JSON.parse(raw) as unknown;
      } catch {
        return fail(400, 'Invalid JSON body');
      }
    }
    const forced = failures.shift();
    if (forced) return send(forced.status, forced.body, forced.retryAfter === undefined ? {} : { 'retry-after': String(forced.retryAfter) });
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const domainName = parts[0] === 'calls' ? parts[1] : parts[0] === 'customers' && parts[2] === 'domains' ? parts[3] : undefined;
    if (domainName === undefined) return fail(404, 'Not found');
    const wait = overLimit(domainName);
    if (wait !== null) return fail(429, 'Too Many Requests: 10 requests per 10 seconds per domain', { 'retry-after': String(wait) });
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer) return fail(401, 'Unauthorized: missing API key');
    const domain = state.domains.get(domainName);
    if (!domain) return fail(404, `Domain ${domainName} not found`);
    if (bearer !== domain.apiKey) return fail(401, 'Unauthorized: invalid API key');
    const answer = routeFakeRequest(state, domain, entry.method, parts, entry.body, entry.query);
    if (state.sessions.size > MAX_SESSIONS) state.sessions.delete(state.sessions.keys().next().value!);
    if (answer.status >= 400) return fail(answer.status, String(answer.body));
    send(answer.status, answer.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 500, message: String(err) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function deliver(url: string | null, body: Record<string, unknown>, domain: FakeDomain): Promise<Delivery | null> {
    if (typeof url !== 'string' || url === '') return null;
    const key = domain.profile['authorization-api-key'];
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(typeof key === 'string' && key !== '' ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    await response.arrayBuffer();
    return { url, status: response.status, body };
  }

  const sessionOf = (token: string): FakeSession => {
    const s = state.sessions.get(token);
    if (!s) throw new Error(`the fake Cloudonix has no session ${token}`);
    return s;
  };

  return {
    url: baseUrl,
    requests,
    /** Requests that changed something (not GET), e.g. to show a second setup wrote nothing. */
    writes: () => requests.filter((r) => r.method !== 'GET'),
    clearRequests: () => void requests.splice(0),
    domains: {
      /** A domain with its own API key (34 characters starting XI, as Cloudonix's). */
      add(name: string, over: Partial<Omit<FakeDomain, 'domain'>> = {}): FakeDomain {
        const d: FakeDomain = { id: state.nextId(), uuid: randomUUID(), domain: name, active: true, defaultApplication: null, profile: {}, apiKey: `XI${randomBytes(16).toString('hex')}`, ...over };
        state.domains.set(name, d);
        state.applications.set(name, state.applications.get(name) ?? []);
        return d;
      },
      get: (name: string): FakeDomain | undefined => state.domains.get(name),
    },
    /** The API key of a domain added with `domains.add`. */
    keyOf: (name: string): string => {
      const d = state.domains.get(name);
      if (!d) throw new Error(`the fake Cloudonix has no domain ${name}`);
      return d.apiKey;
    },
    applications: {
      list: (domain: string): FakeApplication[] => state.applications.get(domain) ?? [],
      /** Seeds an application, e.g. a half-done setup made by hand. */
      add(domain: string, app: Omit<FakeApplication, 'id' | 'type' | 'active'> & Partial<Pick<FakeApplication, 'active'>>): FakeApplication {
        const created: FakeApplication = { id: state.nextId(), type: 'cxml', active: true, ...app };
        state.applications.set(domain, [...(state.applications.get(domain) ?? []), created]);
        return created;
      },
    },
    sessions: {
      get: (token: string): FakeSession | undefined => state.sessions.get(token),
      list: (): FakeSession[] => [...state.sessions.values()],
      /** A session Cloudonix knows of, as for an inbound call whose voice request reached us. */
      add(domain: string, over: Partial<Pick<FakeSession, 'token' | 'destination' | 'callerId' | 'status' | 'callAnswerTime' | 'callback'>> = {}): FakeSession {
        const d = state.domains.get(domain);
        if (!d) throw new Error(`the fake Cloudonix has no domain ${domain}`);
        const t = now();
        const s: FakeSession = {
          id: state.nextId(), token: over.token ?? randomBytes(16).toString('hex'), domain, domainId: d.id, direction: 'incoming', status: over.status ?? 'processing',
          destination: over.destination ?? '12125550187', callerId: over.callerId ?? '14155550123', callback: over.callback ?? null, timeLimit: null,
          callStartTime: t, callAnswerTime: over.callAnswerTime ?? null, callEndTime: null, createdAt: t, modifiedAt: t, applications: [], hungUp: null,
        };
        state.sessions.set(s.token, s);
        return s;
      },
    },
    /** Cloudonix's per-domain limit; tests that make many calls raise it, rate tests lower it. */
    setRateLimit(limit: number, windowMs: number): void {
      rate = { limit, windowMs };
      seen.clear();
    },
    /** The next `times` requests get this answer, whatever they ask (e.g. 503, or 429 with Retry-After). */
    failNext(status: number, body: unknown = { status, message: 'Injected failure' }, opts: { times?: number; retryAfter?: number } = {}): void {
      for (let i = 0; i < (opts.times ?? 1); i++) failures.push({ status, body, retryAfter: opts.retryAfter });
    },
    /** Forgets failures and delays not yet used up (a test that expects fewer requests than it queued). */
    resetFaults(): void {
      failures.splice(0);
      delays.splice(0);
      beforeAnswer.splice(0);
    },
    /** Runs `hook` when the next request has arrived, before it is answered (a test cuts the database at that instant). */
    onNextRequest(hook: (request: FakeRequest) => void): void {
      beforeAnswer.push(hook);
    },
    /** The next `times` requests are answered only after `ms` (for timeouts). */
    delayNext(ms: number, times = 1): void {
      for (let i = 0; i < times; i++) delays.push(ms);
    },
    /**
     * What Cloudonix sends while a call goes on: a session update (§7.3) to the session's callback or
     * the domain profile's `session-update-endpoint`, and for ending events the CDR (§7.4) to its
     * `cdr-endpoint`, each with `Authorization: Bearer <authorization-api-key>` when the profile has one.
     */
    async emit(token: string, event: FakeEvent, opts: EmitOptions = {}): Promise<EmitResult> {
      const s = sessionOf(token);
      const domain = state.domains.get(s.domain)!;
      const at = opts.at ?? now();
      s.modifiedAt = at;
      let disposition: FakeDisposition | null = null;
      if (event === 'ringing') s.status = 'ringing';
      else if (event === 'answer') {
        s.status = 'connected';
        s.callAnswerTime = at;
      } else {
        s.callEndTime = s.callEndTime ?? at;
        if (event !== 'end') s.status = event;
        disposition = opts.disposition ?? (s.callAnswerTime !== null ? 'ANSWER' : (unansweredEnds[event] ?? 'NOANSWER'));
      }
      const updateUrl = s.callback ?? (domain.profile['session-update-endpoint'] as string | undefined) ?? null;
      const sessionUpdate = await deliver(updateUrl, sessionUpdateBody(s), domain);
      const cdrUrl = disposition !== null && opts.cdr !== false ? ((domain.profile['cdr-endpoint'] as string | undefined) ?? null) : null;
      const cdr = disposition !== null ? await deliver(cdrUrl, cdrBody(s, disposition, domain.uuid), domain) : null;
      return { sessionUpdate, cdr };
    },
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
