import type { FastifyReply, FastifyRequest } from 'fastify';
import { maskSecretsShared, maskUrlSecrets } from '../core/mask.js';
import type { SecretMatch } from '../core/webhook-secret-match.js';
import { stringifyWellFormed } from '../core/well-formed-json.js';
import type { TenantEntry } from '../services/routing/tenant-directory.js';
import { bearerToken } from './plugins/authenticate.js';
import { secretUrlBase } from './public-url.js';

export type WebhookType = 'voice_application' | 'dial_callback' | 'session_update' | 'cdr';

/** What a webhook request found out, for its audit row. */
export interface WebhookState {
  type: WebhookType;
  tenant: TenantEntry | null;
  sessionToken: string | null;
  outcome: string;
  error: string | null;
  /** For a refused request: whether its row is stored (else only counted); undefined until judged. */
  sampled?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    webhook: WebhookState | null;
  }
}

/**
 * The secrets a Cloudonix request presents: `Authorization: Bearer …` (the domain's
 * authorization key), `X-CX-APIKey` (which real integrations send and check), or `?token=…`.
 */
export function presentedSecrets(request: FastifyRequest): string[] {
  const query = request.query as Record<string, unknown> | undefined;
  const apiKey = request.headers['x-cx-apikey'];
  return [bearerToken(request), typeof apiKey === 'string' ? apiKey.trim() : undefined, typeof query?.token === 'string' ? query.token : undefined].filter((s): s is string => s !== undefined && s !== '');
}

/**
 * Any one of the presented secrets being the tenant's current one, or the one a rotation
 * replaced while its grace period lasts (`match`: the directory's check), admits the request.
 */
export function secretMatches(request: FastifyRequest, tenant: TenantEntry, match: (tenant: TenantEntry, presented: readonly string[]) => SecretMatch): boolean {
  if (!tenant.settings.webhook_security.require_secret) return true;
  return match(tenant, presentedSecrets(request)) !== null;
}

/** The tenant's domain: the path, else Domain / AccountSid / domain in the payload, else X-CX-Domain. */
export function domainOf(request: FastifyRequest, params: Record<string, unknown>): string | null {
  const fromPath = (request.params as { domain?: string }).domain;
  if (fromPath) return fromPath;
  for (const key of ['Domain', 'AccountSid', 'domain']) {
    const v = params[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  const header = request.headers['x-cx-domain'];
  return typeof header === 'string' && header.trim() !== '' ? header.trim() : null;
}

/** Query, X-CX-* headers (prefix stripped) and body merged; the body wins, headers count least. */
export function mergedParams(request: FastifyRequest): Record<string, unknown> {
  // No prototype: a sender's `__proto__` parameter is kept as a parameter, as a spread would keep it.
  const params = Object.create(null) as Record<string, unknown>;
  const headers = request.headers;
  for (const name in headers) {
    const value = headers[name];
    if (name.startsWith('x-cx-') && typeof value === 'string') params[name] = value;
  }
  const body = request.body !== null && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : {};
  return Object.assign(params, request.query as Record<string, unknown>, body);
}

/**
 * Our Dial action URL for this tenant and attempt, secret included so the callback authenticates.
 * Never based on an untrusted Host header (see secretUrlBase); and without the secret when the
 * tenant does not require one, since then anyone may send the voice request this answers.
 */
export function actionUrlFor(request: FastifyRequest, tenant: TenantEntry): (attempt: number) => string {
  const base = `${secretUrlBase(request)}/api/voice/callback/${encodeURIComponent(tenant.domain)}`;
  const token = tenant.settings.webhook_security.require_secret ? `&token=${encodeURIComponent(tenant.webhookSecret)}` : '';
  return (attempt) => `${base}?attempt=${attempt}${token}`;
}

const MAX_AUDIT_PAYLOAD = 16_384;
/** A refused request's payload: enough to see what it was, too little to grow the database. */
export const MAX_REJECTED_AUDIT_PAYLOAD = 1024;

/** Masked in one walk that copies only what it masks, then serialised once (the audit row's hot path). */
function requestAsReceived(request: FastifyRequest): string {
  const value: Record<string, unknown> = { query: maskSecretsShared(request.query ?? {}), body: maskSecretsShared(request.body ?? null) };
  if (request.ignoredBody) value.body_ignored = request.ignoredBody;
  return stringifyWellFormed(value);
}

/** The audit row's payload: what was sent, secrets masked, bounded in size. */
export function auditPayload(request: FastifyRequest): string | null {
  const text = requestAsReceived(request);
  return text.length > MAX_AUDIT_PAYLOAD ? JSON.stringify({ truncated: true, size: text.length }) : text;
}

/** A refused request's payload: at most MAX_REJECTED_AUDIT_PAYLOAD bytes, its beginning kept as text when longer. */
export function rejectedAuditPayload(request: FastifyRequest): string {
  const text = requestAsReceived(request);
  const size = Buffer.byteLength(text);
  if (size <= MAX_REJECTED_AUDIT_PAYLOAD) return text;
  let head = text.slice(0, MAX_REJECTED_AUDIT_PAYLOAD);
  for (;;) {
    // Escaping can lengthen the head (quotes, control characters): shorten until it fits.
    const out = stringifyWellFormed({ truncated: true, size, head });
    if (Buffer.byteLength(out) <= MAX_REJECTED_AUDIT_PAYLOAD) return out;
    head = head.slice(0, Math.floor(head.length * 0.8));
  }
}

export function auditPath(request: FastifyRequest): string {
  return maskUrlSecrets(request.url).slice(0, 500);
}

export function sendXml(reply: FastifyReply, cxml: string): FastifyReply {
  return reply.status(200).type('application/xml; charset=utf-8').send(cxml);
}
