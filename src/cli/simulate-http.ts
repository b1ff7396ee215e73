import { performance } from 'node:perf_hooks';

/** How a voice request travels: query string (Cloudonix's default), JSON body (recommended) or a form body. */
export type WireMethod = 'get' | 'post-json' | 'post-form';
export const WIRE_METHODS: readonly WireMethod[] = ['get', 'post-json', 'post-form'];

export type WebhookKind = 'voice' | 'callback' | 'session' | 'cdr';
export const WEBHOOK_KINDS: readonly WebhookKind[] = ['voice', 'callback', 'session', 'cdr'];

export interface Target {
  /** Base URL of the running service, e.g. http://127.0.0.1:3000 */
  base: string;
  domain: string;
  secret: string | undefined;
}

export interface Answer {
  status: number;
  contentType: string;
  body: string;
  ms: number;
}

/** Thrown when the service cannot be reached at all (exit code 1, like a failed request). */
export class RequestFailed extends Error {}

const PATHS: Record<WebhookKind, string> = {
  voice: '/api/voice/application/',
  callback: '/api/voice/callback/',
  session: '/api/voice/session/update/',
  cdr: '/api/voice/session/cdr/',
};

/** The URL Cloudonix is configured with; `withToken` adds the secret as `?token=`. */
export function webhookUrl(t: Target, kind: WebhookKind, withToken: boolean, extra: Record<string, string> = {}): URL {
  const url = new URL(`${PATHS[kind]}${encodeURIComponent(t.domain)}`, t.base);
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
  if (withToken && t.secret) url.searchParams.set('token', t.secret);
  return url;
}

/** Query/form values are flat strings: nested objects (SessionData) travel as JSON text. */
function flatten(params: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

/**
 * Sends one Cloudonix-style request and reads the whole answer. Voice requests
 * carry the secret as `Authorization: Bearer` (the domain's authorization-api-key);
 * a URL that already holds `?token=` keeps it.
 */
export async function send(url: URL, params: Record<string, unknown>, method: WireMethod, secret: string | undefined, domain: string): Promise<Answer> {
  const headers: Record<string, string> = { 'user-agent': 'cloudonix-voice-lb-simulator', 'x-cx-domain': domain };
  if (secret) headers.authorization = `Bearer ${secret}`;
  const target = new URL(url);
  const init: RequestInit = { method: method === 'get' ? 'GET' : 'POST', headers };
  if (method === 'get') {
    for (const [k, v] of Object.entries(flatten(params))) target.searchParams.set(k, v);
  } else if (method === 'post-form') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    init.body = new URLSearchParams(flatten(params)).toString();
  } else {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(params);
  }
  const started = performance.now();
  try {
    const res = await fetch(target, init);
    const body = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body, ms: performance.now() - started };
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new RequestFailed(`${init.method} ${target.origin}${target.pathname} failed${cause || (err instanceof Error ? `: ${err.message}` : '')}`);
  }
}

export const ok = (a: Answer): boolean => a.status >= 200 && a.status < 300;

export function formatMs(ms: number): string {
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)}ms`;
}

/** One webhook the simulated Cloudonix sends; the sender knows where each kind goes and how it is authenticated. */
export type WebhookRequest =
  | { kind: 'voice' | 'session' | 'cdr'; body: Record<string, unknown> }
  /** A Dial/Connect action callback to the URL the CXML gave, with the method it asked for. */
  | { kind: 'action'; url: string; method: 'GET' | 'POST'; body: Record<string, unknown> };

export type SendWebhook = (request: WebhookRequest) => Promise<Answer>;

/**
 * Sends webhooks to a running service as Cloudonix would: voice requests and action
 * callbacks as `wire` says with the secret as a Bearer header, session updates and
 * CDRs as JSON with `?token=` in the URL. Action URLs keep their path and query but
 * go to `target.base` (the service may know itself by another origin); `note` hears of that.
 */
export function httpSender(target: Target, wire: WireMethod, note?: (line: string) => void): SendWebhook {
  const notedOrigins = new Set<string>();
  return (r) => {
    switch (r.kind) {
      case 'voice':
        return send(webhookUrl(target, 'voice', false), r.body, wire, target.secret, target.domain);
      case 'action': {
        const given = new URL(r.url, target.base);
        const local = new URL(`${given.pathname}${given.search}`, target.base);
        if (given.origin !== local.origin && !notedOrigins.has(given.origin)) {
          notedOrigins.add(given.origin);
          note?.(`  (action URL ${given.origin} sent to ${local.origin} instead)`);
        }
        const method: WireMethod = r.method === 'GET' ? 'get' : wire === 'get' ? 'post-json' : wire;
        return send(local, r.body, method, target.secret, target.domain);
      }
      case 'session':
      case 'cdr':
        return send(webhookUrl(target, r.kind, true), r.body, 'post-json', undefined, target.domain);
    }
  };
}
