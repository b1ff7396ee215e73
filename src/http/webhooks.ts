import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { cdrKey } from '../services/routing/call-events-ingest.js';
import { MAX_UPDATES_PER_REQUEST, readCdr, readSessionUpdates, readVoiceRequest, type SessionUpdate } from '../core/routing/cloudonix-payloads.js';
import { HANGUP_CXML } from '../core/routing/cxml.js';
import {
  actionUrlFor,
  auditPath,
  auditPayload,
  domainOf,
  mergedParams,
  secretMatches,
  sendXml,
  type WebhookType,
} from './webhook-context.js';
import { acceptSniffedBodies } from './plugins/sniffed-body.js';
import type { TenantEntry } from '../services/routing/tenant-directory.js';
import { emergencyCxml } from '../services/routing/voice-flow.js';
import { randomUUID } from 'node:crypto';

const attemptQuery = z.coerce.number().int().min(1).max(50);
const tags = ['cloudonix webhooks'];

/**
 * The Cloudonix webhooks, in a context of their own: no user token, the tenant
 * found by domain and verified by its webhook secret; JSON, form bodies and query
 * strings accepted whatever the declared type; never rate limited. Every request
 * leaves an audit row.
 */
export default async function webhooks(app: FastifyInstance): Promise<void> {
  // The voice routes answer CXML whatever the body: Cloudonix is waiting with a caller on the line.
  acceptSniffedBodies(app, (request) => /^\/api\/voice\/(application|callback)/.test(request.url));
  const routing = app.services.routing;
  app.decorateRequest('webhook', null);

  app.addHook('onResponse', async (request, reply) => {
    const w = request.webhook;
    if (!w) return;
    routing.audit.record({
      tenant_id: w.tenant?.tenantId ?? null,
      event_type: w.type,
      method: request.method,
      path: auditPath(request),
      session_token: w.sessionToken?.slice(0, 128) ?? null,
      outcome: w.outcome,
      status_code: reply.statusCode,
      error: w.error?.slice(0, 1000) ?? null,
      payload: auditPayload(request),
      duration_ms: Math.round(reply.elapsedTime),
    });
  });

  app.addHook('onError', async (request, _reply, err) => {
    if (request.webhook && request.webhook.outcome === 'ok') request.webhook.outcome = 'error';
    if (request.webhook) request.webhook.error = err.message;
  });

  /** Finds and verifies the tenant; answers 404/401 itself and returns null when it cannot. */
  async function admit(request: FastifyRequest, type: WebhookType, params: Record<string, unknown>, sessionToken: string | null): Promise<TenantEntry | null> {
    request.webhook = { type, tenant: null, sessionToken, outcome: 'ok', error: null };
    const domain = domainOf(request, params);
    const tenant = domain ? await routing.directory.byDomain(domain) : null;
    if (!tenant) {
      request.webhook.outcome = 'unknown_tenant';
      throw new AppError('not_found', domain ? `No tenant has the domain ${domain}.` : 'Say which domain: in the path, the Domain parameter or X-CX-Domain.');
    }
    request.webhook.tenant = tenant;
    if (!secretMatches(request, tenant)) {
      request.webhook.outcome = 'unauthorized';
      throw new AppError('unauthenticated', 'Wrong or missing webhook secret: send it as Authorization: Bearer, X-CX-APIKey or the token query parameter.');
    }
    return tenant;
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
    if (!tenant) return reply;
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
      schema: { tags, summary: 'Cloudonix voice application request → CXML', security: [] },
      handler: (request, reply) => voice(request, reply, 'voice_application'),
    });
    app.route({
      method: ['GET', 'POST'],
      url: `/api/voice/callback${suffix}`,
      schema: { tags, summary: 'Dial action callback → CXML (failover or hangup)', security: [] },
      handler: (request, reply) => voice(request, reply, 'dial_callback'),
    });

    app.post(`/api/voice/session/update${suffix}`, { schema: { tags, summary: 'Cloudonix session update (an object, or an array of them)', security: [] } }, async (request, reply) => {
      const updates = readSessionUpdates(request.body);
      const first = updates[0] ?? null;
      const tenant = await admit(request, 'session_update', { domain: first?.domain }, first?.sessionToken ?? null);
      if (!tenant) return reply;
      const ready: (SessionUpdate & { sessionToken: string })[] = [];
      for (const u of updates) if (u?.sessionToken) ready.push({ ...u, sessionToken: u.sessionToken });
      // Refused whole, before any is applied: the sender can fix and resend without doubles.
      if (ready.length === 0 || ready.length < updates.length || updates.length > MAX_UPDATES_PER_REQUEST) {
        request.webhook!.outcome = 'invalid';
        if (updates.length > MAX_UPDATES_PER_REQUEST) {
          throw new AppError('validation_failed', `At most ${MAX_UPDATES_PER_REQUEST} session updates per request.`, { fields: { body: [`has ${updates.length} updates`] } });
        }
        throw new AppError('validation_failed', 'Each session update needs a JSON object with a token.', { fields: { token: ['is required'] } });
      }
      let duplicates = 0;
      const t = { tenantId: tenant.tenantId, health: tenant.settings.health };
      for (const update of ready) if ((await routing.ingest.sessionUpdate(t, update)).kind === 'duplicate') duplicates += 1;
      const duplicate = duplicates === ready.length;
      if (duplicate) request.webhook!.outcome = 'duplicate';
      return reply.status(200).send({ received: true, duplicate });
    });

    app.post(`/api/voice/session/cdr${suffix}`, { schema: { tags, summary: 'Cloudonix call detail record', security: [] } }, async (request, reply) => {
      const cdr = readCdr(request.body);
      const tenant = await admit(request, 'cdr', { domain: cdr?.domain }, cdr?.sessionToken ?? null);
      if (!tenant) return reply;
      if (!cdr) {
        request.webhook!.outcome = 'invalid';
        throw new AppError('validation_failed', 'A CDR must be a JSON object.', { fields: { body: ['must be an object'] } });
      }
      // Without a session token or Call-ID it can neither join a call nor be stored once: junk.
      if (!cdrKey(cdr)) {
        request.webhook!.outcome = 'invalid';
        throw new AppError('validation_failed', 'A CDR needs session.token (or token) or call_id.', { fields: { 'session.token': ['is required (or call_id)'] } });
      }
      const result = await routing.ingest.cdr({ tenantId: tenant.tenantId, health: tenant.settings.health }, cdr, request.body);
      if (result.kind === 'duplicate') {
        request.webhook!.outcome = 'duplicate';
        return reply.status(200).send({ received: true, duplicate: true });
      }
      return reply.status(200).send({ received: true, duplicate: false, cdr_id: result.cdrId, call_id: result.callId });
    });
  }
}
