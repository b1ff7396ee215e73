import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { cdrKey } from '../services/routing/call-events-ingest.js';
import { MAX_UPDATES_PER_REQUEST, readCdr, readSessionUpdates, readVoiceRequest, type SessionUpdate } from '../core/routing/cloudonix-payloads.js';
import { HANGUP_CXML } from '../core/routing/cxml.js';
import { domainField } from '../core/schemas/fields.js';
import { isRejectedOutcome, sourceOf, type RejectedOutcome } from '../core/webhook-rejection.js';
import type { WebhookKind, WebhookResult } from '../services/call-metrics.js';
import type { Rejection } from '../services/routing/webhook-rejections.js';
import {
  actionUrlFor,
  auditPath,
  auditPayload,
  domainOf,
  mergedParams,
  rejectedAuditPayload,
  secretMatches,
  sendXml,
  type WebhookState,
  type WebhookType,
} from './webhook-context.js';
import { acceptSniffedBodies } from './plugins/sniffed-body.js';
import type { TenantEntry } from '../services/routing/tenant-directory.js';
import { emergencyCxml } from '../services/routing/voice-flow.js';
import { randomUUID } from 'node:crypto';

const attemptQuery = z.coerce.number().int().min(1).max(50);
const tags = ['cloudonix webhooks'];

function rejectionOf(request: FastifyRequest, w: WebhookState & { outcome: RejectedOutcome }, statusCode: number): Rejection {
  return { source: sourceOf(request.ip), tenantId: w.tenant?.tenantId ?? null, outcome: w.outcome, eventType: w.type, method: request.method, path: auditPath(request), statusCode };
}

const METRIC_KIND: Readonly<Record<WebhookType, WebhookKind>> = { voice_application: 'voice', dial_callback: 'callback', session_update: 'session_update', cdr: 'cdr' };

/** A webhook's answer as the metrics count it: a 503 asks Cloudonix to send it again. */
function metricResult(outcome: string, statusCode: number): WebhookResult {
  if (statusCode === 503) return 'retry';
  if (isRejectedOutcome(outcome)) return 'rejected';
  if (outcome === 'duplicate') return 'duplicate';
  return outcome === 'ok' ? 'accepted' : 'error';
}

const judgedDomains = new Map<string, boolean>();
/** A domain no tenant can have (tenants' domains are validated when set) is not looked up at all. */
const couldBeTenantDomain = (domain: string): boolean => {
  let could = judgedDomains.get(domain);
  if (could === undefined) {
    could = domainField.safeParse(domain).success;
    // Bounded, as anyone can send domains: one not kept is judged again. Tenants' domains repeat.
    if (judgedDomains.size < 10_000 && domain.length <= 253) judgedDomains.set(domain, could);
  }
  return could;
};

/**
 * The Cloudonix webhooks, in a context of their own: no user token, the tenant
 * found by domain and verified by its webhook secret; JSON, form bodies and query
 * strings accepted whatever the declared type. Accepted requests are never limited
 * and each leaves an audit row; refused ones (unknown domain, source outside the
 * tenant's allowlist, wrong secret) are
 * limited per source address and per tenant, and only a sample of them is stored
 * (routing/webhook-rejections.ts).
 */
export default async function webhooks(app: FastifyInstance): Promise<void> {
  acceptSniffedBodies(app);
  const routing = app.services.routing;
  const metrics = app.services.metrics.calls;
  app.decorateRequest('webhook', null);

  // Callback hooks, not async ones: no promise per webhook for what is nearly always synchronous.
  app.addHook('onSend', (request, reply, payload, done) => {
    // The oversized body was left unread: close the connection rather than read the rest.
    if (request.ignoredBody === 'too_large') reply.header('connection', 'close');
    done(null, payload);
  });

  /** The audit row of a webhook answered, unless it was refused and not sampled. */
  function recordAudit(request: FastifyRequest, reply: FastifyReply, w: WebhookState, rejected: boolean): void {
    if (rejected && !w.sampled) return;
    routing.audit.record({
      tenant_id: w.tenant?.tenantId ?? null,
      event_type: w.type,
      method: request.method,
      path: auditPath(request),
      session_token: w.sessionToken?.slice(0, 128) ?? null,
      outcome: w.outcome,
      status_code: reply.statusCode,
      error: w.error?.slice(0, 1000) ?? null,
      payload: rejected ? rejectedAuditPayload(request) : auditPayload(request),
      duration_ms: Math.round(reply.elapsedTime),
    });
  }

  app.addHook('onResponse', (request, reply, done) => {
    const w = request.webhook;
    if (!w) return done();
    const outcome = w.outcome;
    const rejected = isRejectedOutcome(outcome);
    const result = metricResult(outcome, reply.statusCode);
    metrics.webhook(METRIC_KIND[w.type], result);
    // A refused voice request is a call routed nowhere; a domain no tenant has is not a label value.
    if (w.type === 'voice_application' && result === 'rejected') metrics.decided(w.tenant?.domain ?? 'unknown', null, 'rejected');
    if (rejected && w.sampled === undefined) {
      // Refused after admission (an unusable body with the right secret): sampled, never limited.
      routing.rejections.note(rejectionOf(request, Object.assign({}, w, { outcome }), reply.statusCode)).then(
        (verdict) => {
          w.sampled = verdict.audit;
          recordAudit(request, reply, w, rejected);
          done();
        },
        (err: Error) => done(err),
      );
      return;
    }
    recordAudit(request, reply, w, rejected);
    done();
  });

  app.addHook('onError', async (request, _reply, err) => {
    if (request.webhook && request.webhook.outcome === 'ok') request.webhook.outcome = 'error';
    if (request.webhook) request.webhook.error = err.message;
  });

  /** Counts a refusal and throws it, or a 429 once its source address or tenant is over the limit. */
  async function refuse(request: FastifyRequest, outcome: Exclude<RejectedOutcome, 'invalid'>, refusal: AppError): Promise<never> {
    const w = request.webhook!;
    w.outcome = outcome;
    const verdict = await routing.rejections.note(rejectionOf(request, Object.assign({}, w, { outcome }), refusal.status));
    w.sampled = verdict.audit;
    if (verdict.limited) {
      const wait = String(verdict.retryAfterSeconds);
      throw new AppError('rate_limited', `Too many refused webhooks from this address or for this domain. Try again in ${wait} seconds.`, undefined, { 'retry-after': wait });
    }
    throw refusal;
  }

  /** Finds and verifies the tenant; refuses with 404/403/401 (or 429, see refuse) when it cannot. */
  async function admit(request: FastifyRequest, type: WebhookType, params: Record<string, unknown>, sessionToken: string | null): Promise<TenantEntry> {
    request.webhook = { type, tenant: null, sessionToken, outcome: 'ok', error: null };
    const domain = domainOf(request, params);
    const tenant = domain && couldBeTenantDomain(domain) ? await routing.directory.byDomain(domain) : null;
    if (!tenant) {
      return refuse(request, 'unknown_tenant', new AppError('not_found', domain ? `No tenant has the domain ${domain.slice(0, 253)}.` : 'Say which domain: in the path, the Domain parameter or X-CX-Domain.'));
    }
    request.webhook.tenant = tenant;
    // request.ip honours TRUST_PROXY, as everywhere else in the app.
    if (!tenant.allowsSource(request.ip)) {
      return refuse(request, 'forbidden_source', new AppError('forbidden', 'This address may not send webhooks for this domain: see the tenant\'s allowed source networks.'));
    }
    if (!secretMatches(request, tenant, (t, presented) => routing.directory.matchSecret(t, presented))) {
      return refuse(request, 'unauthorized', new AppError('unauthenticated', 'Wrong or missing webhook secret: send it as Authorization: Bearer, X-CX-APIKey or the token query parameter.'));
    }
    return tenant;
  }

  /**
   * Refuses events of sessions Cloudonix says it never had (the tenant verifies unknown
   * sessions): sampled into the audit as `unverified_session` by the onResponse hook.
   */
  function refuseUnverified(request: FastifyRequest, tenant: TenantEntry, tokens: readonly string[]): never {
    request.webhook!.outcome = 'unverified_session';
    const named = tokens.slice(0, 3).map((token) => token.slice(0, 64)).join(', ');
    throw new AppError('not_found', `Cloudonix has no session ${named} on ${tenant.domain}: events of sessions it does not know are refused (verify unknown sessions is on).`);
  }

  /** A routing answer is never an error page: anything but a client error still gets valid CXML. */
  async function voice(request: FastifyRequest, reply: FastifyReply, type: 'voice_application' | 'dial_callback'): Promise<FastifyReply> {
    try {
      return await routeVoice(request, reply, type);
    } catch (err) {
      if (err instanceof AppError) throw err;
      request.log.error({ err }, 'voice webhook failed; answering the fallback');
      if (request.webhook) {
        request.webhook.outcome = 'error';
        request.webhook.error = err instanceof Error ? err.message : String(err);
      }
      const tenant = request.webhook?.tenant;
      return sendXml(reply, tenant ? emergencyCxml(tenant.settings) : HANGUP_CXML);
    }
  }

  async function routeVoice(request: FastifyRequest, reply: FastifyReply, type: 'voice_application' | 'dial_callback'): Promise<FastifyReply> {
    const params = mergedParams(request);
    const call = readVoiceRequest(params);
    const tenant = await admit(request, type, params, call.sessionToken);
    // A request without any session id is still routed; it just cannot be correlated later.
    const sessionToken = call.sessionToken ?? `unidentified-${randomUUID()}`;
    const ctx = { tenant, request: call, sessionToken, actionUrl: actionUrlFor(request, tenant) };
    if (type === 'voice_application') return sendXml(reply, await routing.voice.applicationRequest(ctx));
    const attempt = attemptQuery.safeParse((request.query as Record<string, unknown>).attempt);
    return sendXml(reply, await routing.voice.dialCallback(ctx, attempt.success ? attempt.data : null));
  }

  for (const suffix of ['/:domain', '']) {
    app.route({
      method: ['GET', 'POST'],
      url: `/api/voice/application${suffix}`,
      // Cloudonix is waiting with a caller on the line: CXML whatever the body.
      config: { answersAnyBody: true },
      schema: { tags, summary: 'Cloudonix voice application request → CXML', security: [] },
      handler: (request, reply) => voice(request, reply, 'voice_application'),
    });
    app.route({
      method: ['GET', 'POST'],
      url: `/api/voice/callback${suffix}`,
      config: { answersAnyBody: true },
      schema: { tags, summary: 'Dial action callback → CXML (failover or hangup)', security: [] },
      handler: (request, reply) => voice(request, reply, 'dial_callback'),
    });

    app.post(`/api/voice/session/update${suffix}`, { schema: { tags, summary: 'Cloudonix session update (an object, or an array of them)', security: [] } }, async (request, reply) => {
      const updates = readSessionUpdates(request.body);
      const first = updates[0] ?? null;
      const tenant = await admit(request, 'session_update', { domain: first?.domain }, first?.sessionToken ?? null);
      const ready: (SessionUpdate & { sessionToken: string })[] = [];
      for (const u of updates) if (u?.sessionToken) ready.push(Object.assign({}, u, { sessionToken: u.sessionToken }));
      // Refused whole, before any is applied: the sender can fix and resend without doubles.
      if (ready.length === 0 || ready.length < updates.length || updates.length > MAX_UPDATES_PER_REQUEST) {
        request.webhook!.outcome = 'invalid';
        if (updates.length > MAX_UPDATES_PER_REQUEST) {
          throw new AppError('validation_failed', `At most ${MAX_UPDATES_PER_REQUEST} session updates per request.`, { fields: { body: [`has ${updates.length} updates`] } });
        }
        throw new AppError('validation_failed', 'Each session update needs a JSON object with a token.', { fields: { token: ['is required'] } });
      }
      let duplicates = 0;
      const unverified = new Set<string>();
      const t = { tenantId: tenant.tenantId, domain: tenant.domain, health: tenant.settings.health };
      const options = { verify: tenant.verifyUnknownSessions };
      for (const update of ready) {
        const result = await routing.ingest.sessionUpdate(t, update, options);
        if (result.kind === 'duplicate') duplicates += 1;
        if (result.kind === 'unverified_session') unverified.add(update.sessionToken);
      }
      // The updates of sessions Cloudonix has were stored; a resend stores them once (eventId).
      if (unverified.size > 0) refuseUnverified(request, tenant, [...unverified]);
      const duplicate = duplicates === ready.length;
      if (duplicate) request.webhook!.outcome = 'duplicate';
      return reply.status(200).send({ received: true, duplicate });
    });

    app.post(`/api/voice/session/cdr${suffix}`, { schema: { tags, summary: 'Cloudonix call detail record', security: [] } }, async (request, reply) => {
      const cdr = readCdr(request.body);
      const tenant = await admit(request, 'cdr', { domain: cdr?.domain }, cdr?.sessionToken ?? null);
      if (!cdr) {
        request.webhook!.outcome = 'invalid';
        throw new AppError('validation_failed', 'A CDR must be a JSON object.', { fields: { body: ['must be an object'] } });
      }
      // Without a session token or Call-ID it can neither join a call nor be stored once: junk.
      if (!cdrKey(cdr)) {
        request.webhook!.outcome = 'invalid';
        throw new AppError('validation_failed', 'A CDR needs session.token (or token) or call_id.', { fields: { 'session.token': ['is required (or call_id)'] } });
      }
      const result = await routing.ingest.cdr({ tenantId: tenant.tenantId, domain: tenant.domain, health: tenant.settings.health }, cdr, request.body, { verify: tenant.verifyUnknownSessions });
      if (result.kind === 'unverified_session') refuseUnverified(request, tenant, [cdr.sessionToken ?? '']);
      if (result.kind === 'duplicate') {
        request.webhook!.outcome = 'duplicate';
        return reply.status(200).send({ received: true, duplicate: true });
      }
      return reply.status(200).send({ received: true, duplicate: false, cdr_id: result.cdrId, call_id: result.callId });
    });
  }
}
