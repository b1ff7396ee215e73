import pThrottle from 'p-throttle';
import type { z } from 'zod';
import type { Logger } from '../logger.js';
import {
  CloudonixFailure,
  type CloudonixAccess,
  type CloudonixApi,
  type CloudonixApplication,
  type CloudonixDomain,
  type CloudonixSession,
} from './cloudonix-api.js';
import { applicationAnswer, applicationList, domainAnswer, messageOf, sessionAnswer } from './cloudonix-shapes.js';

export interface CloudonixRestOptions {
  /** CLOUDONIX_API_URL, e.g. https://api.cloudonix.io (no trailing slash needed). */
  baseUrl: string;
  logger: Logger;
  fetch?: typeof fetch;
  /** Requests per domain per 10 s we allow ourselves (Cloudonix allows 10; less if other tools share the key). */
  requestsPer10s?: number;
  /** One request's time limit before Cloudonix counts as unreachable. */
  timeoutMs?: number;
  /** 429 answers retried per call, and the total wait spent on them at most. */
  retries?: number;
  retryBudgetMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Calls waiting for their turn per domain before we refuse more (a request should not wait minutes). */
const MAX_QUEUED_PER_DOMAIN = 20;
/** Our window is a little longer than Cloudonix's 10 s, so network jitter never lands an 11th request in its window. */
const WINDOW_MS = 10_250;
const MAX_DOMAINS_KEPT = 1000;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Gate = ((run: () => Promise<Response>) => Promise<Response>) & { readonly queueSize: number };

/**
 * The Cloudonix REST API over fetch (see cloudonix-api.ts for the paths). Keeps to the
 * per-domain rate, retries a 429 after its Retry-After (bounded), and turns every
 * failure into a CloudonixFailure with words an admin can act on. The domain API key
 * goes only into the Authorization header: it is never logged nor put in a message.
 */
export function createCloudonixRest(options: CloudonixRestOptions): CloudonixApi {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 8000;
  const retries = options.retries ?? 3;
  const retryBudgetMs = options.retryBudgetMs ?? 15_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const limit = options.requestsPer10s ?? 10;
  const gates = new Map<string, Gate>();
  const log = options.logger;

  function gateFor(domain: string): Gate {
    let gate = gates.get(domain);
    if (!gate) {
      if (gates.size >= MAX_DOMAINS_KEPT) {
        for (const [name, g] of gates) if (g.queueSize === 0) gates.delete(name);
      }
      // One throttle per domain: Cloudonix counts each domain's requests apart.
      gate = pThrottle({ limit, interval: WINDOW_MS, strict: true })((run: () => Promise<Response>) => run());
      gates.set(domain, gate);
    }
    return gate;
  }

  async function once(access: CloudonixAccess, method: Method, path: string, body: unknown): Promise<Response> {
    try {
      return await doFetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${access.apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const code = err instanceof Error && err.cause instanceof Error && 'code' in err.cause ? String(err.cause.code) : undefined;
      log.warn({ domain: access.domain, method, path, timedOut, code }, 'Cloudonix REST call failed before an answer');
      throw new CloudonixFailure(
        'unreachable',
        timedOut
          ? `Cloudonix did not answer within ${Math.round(timeoutMs / 1000)} s (${baseUrl}): try again in a minute; if it keeps happening, check CLOUDONIX_API_URL and this server's outbound network.`
          : `Could not reach Cloudonix at ${baseUrl}${code ? ` (${code})` : ''}: check CLOUDONIX_API_URL and this server's outbound network.`,
      );
    }
  }

  /** One REST call with the rate kept and 429 retried; the answer's text, or null for 404 when allowed. */
  async function call(access: CloudonixAccess, method: Method, path: string, what: string, body?: unknown, allow404 = false): Promise<string | null> {
    const gate = gateFor(access.domain);
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      if (gate.queueSize >= MAX_QUEUED_PER_DOMAIN) {
        throw new CloudonixFailure('rate_limited', `Too many Cloudonix requests are waiting for domain ${access.domain} (Cloudonix allows 10 per 10 s): try again in a few seconds.`, 429);
      }
      const response = await gate(() => once(access, method, path, body));
      const text = await response.text().catch(() => {
        // The time limit covers the body too: an answer that stalls midway is no answer.
        throw new CloudonixFailure('unreachable', `Cloudonix stopped answering midway about ${what} (${baseUrl}): try again in a minute.`, response.status);
      });
      if (response.ok) return text;
      if (response.status === 429) {
        const wait = retryWait(response.headers.get('retry-after'), attempt);
        if (attempt < retries && waited + wait <= retryBudgetMs) {
          log.info({ domain: access.domain, method, path, attempt: attempt + 1, waitMs: wait }, 'Cloudonix rate limit reached; retrying');
          waited += wait;
          await sleep(wait);
          continue;
        }
      }
      if (response.status === 404 && allow404) return null;
      const failure = explain(access, response.status, hideKey(messageOf(text), access.apiKey), what);
      log.warn({ domain: access.domain, method, path, status: response.status, kind: failure.kind }, 'Cloudonix REST call refused');
      throw failure;
    }
  }

  async function read<T>(access: CloudonixAccess, method: Method, path: string, what: string, shape: z.ZodType<T>, body?: unknown): Promise<T> {
    const text = (await call(access, method, path, what, body)) ?? '';
    return parse(text, shape, what);
  }

  const domainPath = (access: CloudonixAccess): string => `/customers/self/domains/${encodeURIComponent(access.domain)}`;
  const callsPath = (access: CloudonixAccess): string => `/calls/${encodeURIComponent(access.domain)}`;

  return {
    getDomain: (access) => read<CloudonixDomain>(access, 'GET', domainPath(access), `domain ${access.domain}`, domainAnswer),
    updateDomain: (access, change) => read<CloudonixDomain>(access, 'PUT', domainPath(access), `domain ${access.domain}`, domainAnswer, change),
    listApplications: (access) => read<CloudonixApplication[]>(access, 'GET', `${domainPath(access)}/applications`, `the applications of ${access.domain}`, applicationList),
    createApplication: (access, app) =>
      read<CloudonixApplication>(access, 'POST', `${domainPath(access)}/applications`, `a voice application on ${access.domain}`, applicationAnswer, { name: app.name, type: 'cxml', url: app.url, method: app.method }),
    updateApplication: (access, id, app) =>
      read<CloudonixApplication>(access, 'PUT', `${domainPath(access)}/applications/${id}`, `voice application ${id} on ${access.domain}`, applicationAnswer, { url: app.url, method: app.method }),
    async getSession(access, token) {
      const text = await call(access, 'GET', `${domainPath(access)}/sessions/${encodeURIComponent(token)}`, `session ${token}`, undefined, true);
      return text === null ? null : parse<CloudonixSession>(text, sessionAnswer, `session ${token}`);
    },
    placeCall: (access, c) =>
      read<CloudonixSession>(access, 'POST', `${callsPath(access)}/application`, `a call to ${c.destination}`, sessionAnswer, {
        destination: c.destination,
        ...(c.callerId !== undefined ? { 'caller-id': c.callerId } : {}),
        ...(c.cxml !== undefined ? { cxml: c.cxml } : { url: c.url, method: 'POST' }),
        ...(c.callback !== undefined ? { callback: c.callback } : {}),
        ...(c.timeout !== undefined ? { timeout: c.timeout } : {}),
      }),
    async switchSession(access, token, to) {
      await call(access, 'POST', `${callsPath(access)}/sessions/${encodeURIComponent(token)}/application`, `session ${token}`, to);
    },
    async hangUpSession(access, token, reason) {
      const query = reason ? `?reason=${encodeURIComponent(reason)}` : '';
      const text = await call(access, 'DELETE', `${callsPath(access)}/sessions/${encodeURIComponent(token)}${query}`, `session ${token}`, undefined, true);
      return text !== null;
    },
  };
}

/** Retry-After in seconds (or an HTTP date); without one, 1 s, 2 s, 4 s. */
function retryWait(header: string | null, attempt: number): number {
  const seconds = header === null ? NaN : Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 60) * 1000;
  const date = header === null ? NaN : Date.parse(header);
  if (Number.isFinite(date)) return Math.max(0, Math.min(date - Date.now(), 60_000));
  return 1000 * 2 ** attempt;
}

function parse<T>(text: string, shape: z.ZodType<T>, what: string): T {
  let json: unknown;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = shape.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new CloudonixFailure('unreachable', `Cloudonix answered about ${what} in a form this server does not understand: check that CLOUDONIX_API_URL points at the Cloudonix REST API.`);
}

/** Cloudonix's own message should never echo the key, but a proxy might: it is cut out. */
function hideKey(message: string, apiKey: string): string {
  return apiKey.length >= 4 ? message.split(apiKey).join('[key]') : message;
}

function explain(access: CloudonixAccess, status: number, message: string, what: string): CloudonixFailure {
  const said = message ? ` (Cloudonix said: ${message})` : '';
  if (status === 401 || status === 403) {
    return new CloudonixFailure(
      'key_refused',
      `Cloudonix refused the API key for domain ${access.domain}: use a domain API key (it starts with XI) from the Cloudonix console, made for this domain.`,
      status,
    );
  }
  if (status === 404) return new CloudonixFailure('not_found', `Cloudonix has no ${what}${said}.`, status);
  if (status === 429) {
    return new CloudonixFailure('rate_limited', `Cloudonix is limiting requests for domain ${access.domain} (10 per 10 s) and still refused after retries: try again in a minute.`, status);
  }
  if (status >= 500) return new CloudonixFailure('unreachable', `Cloudonix failed (HTTP ${status}) on ${what}: try again in a minute.`, status);
  return new CloudonixFailure('rejected', `Cloudonix refused the request about ${what} (HTTP ${status})${said}.`, status);
}
