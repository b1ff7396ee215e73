import { randomBytes } from 'node:crypto';
import type { FakeApplication, FakeDomain, FakeState } from './fake-cloudonix-api.js';
import { sessionView, type FakeSession } from './fake-cloudonix-events.js';

/** An answer of the fake: a JSON body for 2xx, or the message of a `{ status, message }` error. */
export interface FakeAnswer {
  status: number;
  body?: unknown;
}

const bad = (message: string): FakeAnswer => ({ status: 400, body: message });
const missing = (message: string): FakeAnswer => ({ status: 404, body: message });
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isHttpUrl = (v: unknown): v is string => typeof v === 'string' && /^https?:\/\/\S+$/i.test(v);
const isMethod = (v: unknown): v is 'GET' | 'POST' => v === 'GET' || v === 'POST';

function domainView(d: FakeDomain): Record<string, unknown> {
  return { id: d.id, uuid: d.uuid, customerId: 17, domain: d.domain, active: d.active, defaultApplication: d.defaultApplication, profile: d.profile, createdAt: '2026-01-01T10:00:00Z', modifiedAt: '2026-01-01T10:00:00Z' };
}

/** The paths listed in src/services/cloudonix/cloudonix-api.ts, once the key and the rate have been checked. */
export function routeFakeRequest(state: FakeState, domain: FakeDomain, method: string, parts: string[], body: unknown, query: Record<string, string>): FakeAnswer {
  const apps = state.applications.get(domain.domain) ?? [];
  if (parts[0] === 'customers') {
    const rest = parts.slice(4);
    if (rest.length === 0 && method === 'GET') return { status: 200, body: domainView(domain) };
    if (rest.length === 0 && method === 'PUT') return updateDomain(domain, apps, body);
    if (rest[0] === 'applications' && rest.length === 1 && method === 'GET') return { status: 200, body: apps };
    if (rest[0] === 'applications' && rest.length === 1 && method === 'POST') return createApplication(state, domain, apps, body);
    if (rest[0] === 'applications' && rest.length === 2) {
      const app = apps.find((a) => String(a.id) === rest[1] || a.name === rest[1]);
      if (!app) return missing(`Application ${rest[1]} not found`);
      if (method === 'GET') return { status: 200, body: app };
      if (method === 'PUT') return updateApplication(app, body);
    }
    if (rest[0] === 'sessions' && rest.length === 2 && method === 'GET') return readSession(state, domain, rest[1]!);
    return { status: 405, body: 'Method not allowed' };
  }
  // /calls/{domain}/...
  const rest = parts.slice(2);
  if (rest.length === 1 && rest[0] === 'application' && method === 'POST') return placeCall(state, domain, body);
  if (rest[0] === 'sessions' && rest.length === 2 && method === 'GET') return readSession(state, domain, rest[1]!);
  if (rest[0] === 'sessions' && rest.length === 2 && method === 'DELETE') return hangUp(state, domain, rest[1]!, query.reason);
  if (rest[0] === 'sessions' && rest.length === 3 && rest[2] === 'application' && method === 'POST') return switchSession(state, domain, rest[1]!, body);
  return { status: 405, body: 'Method not allowed' };
}

function updateDomain(domain: FakeDomain, apps: FakeApplication[], body: unknown): FakeAnswer {
  if (!isRecord(body)) return bad('Expected a JSON object');
  if ('profile' in body) {
    if (!isRecord(body.profile)) return bad('profile must be an object');
    // The profile is replaced as sent: a client that wants to keep other keys sends them back.
    domain.profile = { ...body.profile };
  }
  if ('defaultApplication' in body) {
    const wanted = body.defaultApplication;
    const app = apps.find((a) => a.id === wanted || a.name === wanted || String(a.id) === wanted);
    if (!app) return bad(`defaultApplication ${String(wanted)} is not an application of ${domain.domain}`);
    domain.defaultApplication = app.id;
  }
  return { status: 200, body: domainView(domain) };
}

function createApplication(state: FakeState, domain: FakeDomain, apps: FakeApplication[], body: unknown): FakeAnswer {
  if (!isRecord(body)) return bad('Expected a JSON object');
  const { name, url } = body;
  const type = body.type ?? 'cxml';
  const appMethod = body.method ?? 'POST';
  if (typeof name !== 'string' || !/^[\w.@-]{1,128}$/.test(name)) return bad('name is required (letters, digits, . _ - @)');
  if (type !== 'cxml') return bad('type must be cxml');
  if (!isHttpUrl(url)) return bad('url must be an http(s) URL');
  if (!isMethod(appMethod)) return bad('method must be GET or POST');
  if (apps.some((a) => a.name === name)) return { status: 409, body: `Application ${name} already exists` };
  const created: FakeApplication = { id: state.nextId(), name, type: 'cxml', url, method: appMethod, active: true };
  state.applications.set(domain.domain, [...apps, created]);
  return { status: 201, body: created };
}

function updateApplication(app: FakeApplication, body: unknown): FakeAnswer {
  if (!isRecord(body)) return bad('Expected a JSON object');
  if ('url' in body && !isHttpUrl(body.url)) return bad('url must be an http(s) URL');
  if ('method' in body && !isMethod(body.method)) return bad('method must be GET or POST');
  if (isHttpUrl(body.url)) app.url = body.url;
  if (isMethod(body.method)) app.method = body.method;
  return { status: 200, body: app };
}

function liveSession(state: FakeState, domain: FakeDomain, token: string): FakeSession | null {
  const s = state.sessions.get(token);
  return s && s.domain === domain.domain ? s : null;
}

function readSession(state: FakeState, domain: FakeDomain, token: string): FakeAnswer {
  const s = liveSession(state, domain, token);
  return s ? { status: 200, body: sessionView(s) } : missing(`Session ${token} not found`);
}

function placeCall(state: FakeState, domain: FakeDomain, body: unknown): FakeAnswer {
  if (!isRecord(body)) return bad('Expected a JSON object');
  const { destination, cxml, url } = body;
  if (typeof destination !== 'string' || !/^\+?[\w.@*#-]{2,64}$/.test(destination)) return bad('destination is required');
  if ((typeof cxml === 'string') === isHttpUrl(url)) return bad('Give exactly one of cxml or url');
  if (body.callback !== undefined && !isHttpUrl(body.callback)) return bad('callback must be an http(s) URL');
  const callerId = body['caller-id'] ?? body.callerId;
  const t = state.now();
  const s: FakeSession = {
    id: state.nextId(),
    token: randomBytes(16).toString('hex'),
    domain: domain.domain,
    domainId: domain.id,
    direction: 'application',
    status: 'new',
    destination: destination.replace(/^\+/, ''),
    callerId: typeof callerId === 'string' ? callerId.replace(/^\+/, '') : null,
    callback: isHttpUrl(body.callback) ? body.callback : null,
    timeLimit: null,
    callStartTime: t,
    callAnswerTime: null,
    callEndTime: null,
    createdAt: t,
    modifiedAt: t,
    applications: [typeof cxml === 'string' ? { cxml, at: t } : { url: url as string, method: isMethod(body.method) ? body.method : 'POST', at: t }],
    hungUp: null,
  };
  state.sessions.set(s.token, s);
  return { status: 200, body: sessionView(s) };
}

function switchSession(state: FakeState, domain: FakeDomain, token: string, body: unknown): FakeAnswer {
  const s = liveSession(state, domain, token);
  if (!s || s.callEndTime !== null) return missing(`Session ${token} not found or already ended`);
  if (!isRecord(body)) return bad('Expected a JSON object');
  const t = state.now();
  if (typeof body.cxml === 'string' && body.cxml.trim() !== '') s.applications.push({ cxml: body.cxml, at: t });
  else if (isHttpUrl(body.url)) s.applications.push({ url: body.url, method: isMethod(body.method) ? body.method : 'POST', at: t });
  else return bad('Give cxml, or url with method');
  s.modifiedAt = t;
  return { status: 200, body: sessionView(s) };
}

function hangUp(state: FakeState, domain: FakeDomain, token: string, reason: string | undefined): FakeAnswer {
  const s = liveSession(state, domain, token);
  if (!s || s.callEndTime !== null) return missing(`Session ${token} not found or already ended`);
  const t = state.now();
  s.callEndTime = t;
  s.modifiedAt = t;
  s.hungUp = reason ?? 'api';
  return { status: 204 };
}
