import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookAuditListResponse } from '../../src/http/webhook-audit.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL } from '../support/backends.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { startFakeCloudonix, type FakeCloudonix } from '../support/fake-cloudonix-api.js';
import { createAgent, createInboundRule } from '../support/fixtures.js';
import { parsePrometheusText } from '../support/prometheus-text.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const METRICS_TOKEN = 'metrics-token-for-session-verification';
const BURST_LOG = 'accepting session updates and CDRs of unknown sessions without verification';

interface Backend {
  name: string;
  /** The instances Cloudonix's webhooks reach (one, or two sharing one database and Redis). */
  open(env: Record<string, string>, clock: () => number): Promise<TestApp[]>;
}

const backends: Backend[] = [
  ...DIALECTS.map((dialect) => ({ name: dialect.name, open: async (env: Record<string, string>, clock: () => number) => [await createTestApp(dialect, env, { clock })] })),
  ...(TEST_REDIS_URL
    ? [
        {
          name: 'two instances on Redis',
          async open(env: Record<string, string>, clock: () => number) {
            const shared = { ...env, DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'vlb-verify-')), 'shared.sqlite')}`, APP_KEY: randomBytes(32).toString('hex'), REDIS_URL: TEST_REDIS_URL! };
            const cluster = { redisKeyPrefix: `vlbt:verify-${randomBytes(4).toString('hex')}:`, clock };
            const one = await createTestApp(DIALECTS[0]!, shared, cluster);
            return [one, await createTestApp(DIALECTS[0]!, shared, cluster)];
          },
        },
      ]
    : []),
];

for (const backend of backends) {
  describe(`${backend.name}: verification of sessions we never routed`, () => {
    let now = Date.now();
    let fake: FakeCloudonix;
    let apps: TestApp[];
    let a: TenantActors;
    let plain: TenantActors;
    let secret: string;
    /** The first instance answers the console; the last one (the same, alone) the webhooks under test. */
    const first = () => apps[0]!;
    const last = () => apps[apps.length - 1]!;

    const sessionChecks = () => fake.requests.filter((r) => r.method === 'GET' && r.path.includes('/sessions/'));
    const update = (token: string, over: Record<string, unknown> = {}, t = last(), tenant = a, key = secret) =>
      t.request({ method: 'POST', url: `/api/voice/session/update/${tenant.domain}?token=${key}`, payload: { eventId: `${token}-${randomBytes(3).toString('hex')}`, token, status: 'ringing', domain: tenant.domain, ...over } });
    const cdr = (token: string, t = last()) =>
      t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { domain: a.domain, disposition: 'ANSWER', duration: 30, billsec: 25, session: { token } } });
    const recordOf = (token: string) => first().runtime.store.db.selectFrom('call_records').selectAll().where('session_token', '=', token).executeTakeFirst();
    const connect = async (tenant: TenantActors, body: Record<string, unknown>) => {
      const res = await first().request({ method: 'PUT', url: '/api/cloudonix/connection', token: tenant.admin.token, payload: body });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ verify_unknown_sessions: boolean }>();
    };
    const auditRows = async (token: string) => {
      for (const t of apps) await t.runtime.services.routing.audit.flush();
      const res = await first().request({ method: 'GET', url: `/api/webhook-audit?session_token=${token}&include_rejected=true`, token: a.analyst.token });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<WebhookAuditListResponse>().data;
    };
    const verifications = async () => {
      const counts: Record<string, number> = {};
      for (const t of apps) {
        const res = await t.request({ method: 'GET', url: '/metrics', token: METRICS_TOKEN });
        for (const s of parsePrometheusText(res.body)) if (s.name === 'vlb_session_verifications_total') counts[s.labels.result!] = (counts[s.labels.result!] ?? 0) + s.value;
      }
      return counts;
    };
    const burstLogs = () => apps.flatMap((t) => t.logs).filter((line) => line.includes(BURST_LOG));

    beforeAll(async () => {
      fake = await startFakeCloudonix();
      fake.setRateLimit(1000, 10_000);
      // The suite's own pace stays under the client's throttle; the 429 test lowers the fake's limit instead.
      apps = await backend.open({ CLOUDONIX_API_URL: fake.url, CLOUDONIX_API_RATE_LIMIT: '1000', METRICS_TOKEN }, () => now);
      a = await registerTenant(first(), 'verify');
      plain = await registerTenant(first(), 'trusting');
      secret = await webhookSecret(first(), a.admin.token);
      fake.domains.add(a.domain);
      fake.domains.add(plain.domain);
      expect((await connect(a, { api_key: fake.keyOf(a.domain), verify_unknown_sessions: true })).verify_unknown_sessions).toBe(true);
      expect((await connect(plain, { api_key: fake.keyOf(plain.domain) })).verify_unknown_sessions).toBe(false);
      const agent = await createAgent(first(), a.admin.token);
      await createInboundRule(first(), a.admin.token, { pattern: '*', target_type: 'agent', target_id: agent });
    });
    afterAll(async () => {
      for (const t of [...(apps ?? [])].reverse()) await t.close();
      await fake?.close();
    });
    // Each test starts past the last one's share of Cloudonix's rate (5 checks per 10 s) and any pause.
    beforeEach(() => {
      now += 11_000;
    });

    it('a routed session pays nothing: its updates and CDR are stored without asking Cloudonix', async () => {
      const s = newSession();
      const voice = await first().request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, s) });
      expect(dialedService(voice.body), voice.body).not.toBeNull();
      fake.clearRequests();
      expect((await update(s, { status: 'connected', callAnswerTime: now })).statusCode).toBe(200);
      expect((await cdr(s)).statusCode).toBe(200);
      expect((await recordOf(s))?.status).toBe('completed');
      expect(sessionChecks()).toEqual([]);
    });

    it('a tenant without the option stores an unknown session as before, never asking Cloudonix', async () => {
      fake.clearRequests();
      const s = newSession();
      const res = await update(s, { domain: plain.domain }, last(), plain, await webhookSecret(first(), plain.admin.token));
      expect(res.statusCode, res.body).toBe(200);
      expect(await first().runtime.store.db.selectFrom('call_records').select('tenant_id').where('session_token', '=', s).executeTakeFirstOrThrow()).toEqual({ tenant_id: plain.tenantId });
      expect(sessionChecks()).toEqual([]);
    });

    it('a session Cloudonix has is checked once with the domain key, then stored; its later events are not checked again', async () => {
      fake.clearRequests();
      const s = fake.sessions.add(a.domain).token;
      expect((await update(s)).statusCode).toBe(200);
      expect((await recordOf(s))?.status).toBeDefined();
      expect((await update(s, { status: 'connected' })).statusCode).toBe(200);
      expect((await cdr(s)).statusCode).toBe(200);
      expect(sessionChecks()).toHaveLength(1);
      expect(sessionChecks()[0]).toMatchObject({ path: `/customers/self/domains/${a.domain}/sessions/${s}`, authorization: `Bearer ${fake.keyOf(a.domain)}` });
      expect((await recordOf(s))?.status).toBe('completed');
    });

    it('an update or CDR of a session Cloudonix never had is refused with 404, stored nowhere, and audited as unverified_session', async () => {
      fake.clearRequests();
      const s = newSession();
      const refused = await update(s);
      expect(refused.statusCode, refused.body).toBe(404);
      expect(refused.json().error.message).toContain(`Cloudonix has no session ${s}`);
      const refusedCdr = await cdr(s);
      expect(refusedCdr.statusCode).toBe(404);
      expect(await recordOf(s)).toBeUndefined();
      expect(await first().runtime.store.db.selectFrom('cdrs').select('id').where('session_token', '=', s).executeTakeFirst()).toBeUndefined();
      // The negative answer is remembered briefly: the CDR was refused without asking again.
      expect(sessionChecks()).toHaveLength(1);
      const rows = await auditRows(s);
      expect(rows.map((r) => [r.event_type, r.outcome, r.status_code]).sort()).toEqual([
        ['cdr', 'unverified_session', 404],
        ['session_update', 'unverified_session', 404],
      ]);
      const listed = await first().request({ method: 'GET', url: '/api/webhook-audit?outcome=unverified_session', token: a.analyst.token });
      expect(listed.json<WebhookAuditListResponse>().data.length).toBeGreaterThanOrEqual(2);
    });

    it('a session of another domain does not verify for this one: refused', async () => {
      const foreign = fake.sessions.add(plain.domain).token;
      expect((await update(foreign)).statusCode).toBe(404);
      expect(await recordOf(foreign)).toBeUndefined();
    });

    it('a session that starts after a refusal is accepted once the brief negative answer has passed', async () => {
      const s = newSession();
      expect((await update(s)).statusCode).toBe(404);
      fake.sessions.add(a.domain, { token: s });
      expect((await update(s)).statusCode).toBe(404);
      now += 61_000;
      expect((await update(s)).statusCode).toBe(200);
      expect(await recordOf(s)).toBeDefined();
    });

    it('a CDR without a session token has no session to check and is kept as before', async () => {
      const callId = `${randomBytes(8).toString('hex')}@198.51.100.20`;
      const res = await last().request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { domain: a.domain, call_id: callId, disposition: 'NOANSWER', duration: 0, billsec: 0 } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ received: true, duplicate: false, call_id: null });
    });

    /**
     * Sends `next()` to the webhook instance until it answers `status`: the other instance hears of
     * a change by its announcement, so on a loaded host the request sent the same millisecond may
     * come first; the next one after the announcement is the one that must see it (bounded).
     */
    const untilAnswered = async (status: number, next: () => Promise<{ statusCode: number }>) => {
      for (const until = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 50))) {
        const got = (await next()).statusCode;
        if (got === status || Date.now() > until) return got;
      }
    };

    it('switching the option off or on takes effect on every instance once announced', async () => {
      const s = newSession();
      expect((await update(s)).statusCode).toBe(404);
      expect((await connect(a, { verify_unknown_sessions: false })).verify_unknown_sessions).toBe(false);
      expect(await untilAnswered(200, () => update(s))).toBe(200);
      // Off: a session we never routed is stored without asking Cloudonix.
      fake.clearRequests();
      expect((await update(newSession())).statusCode).toBe(200);
      expect(sessionChecks()).toEqual([]);
      expect((await connect(a, { verify_unknown_sessions: true })).verify_unknown_sessions).toBe(true);
      expect(await untilAnswered(404, () => update(newSession()))).toBe(404);
      // On again: the next unknown session is asked of Cloudonix and refused.
      fake.clearRequests();
      expect((await update(newSession())).statusCode).toBe(404);
      expect(sessionChecks()).toHaveLength(1);
    });

    it('Cloudonix slow: the webhook waits at most 3 s for it, then keeps the event', async () => {
      fake.delayNext(4_500);
      const s = newSession();
      const started = Date.now();
      expect((await update(s)).statusCode).toBe(200);
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(await recordOf(s)).toBeDefined();
      // The late answer still arrives (and closes the run) before the next test.
      await new Promise((r) => setTimeout(r, 2_000));
    });

    it('Cloudonix rate limiting (a 429 burst): unknown sessions are accepted unverified, logged once, counted', async () => {
      const before = await verifications();
      const logged = burstLogs().length;
      // The domain's whole budget for a minute goes to one session Cloudonix has; every other request gets 429.
      fake.setRateLimit(1, 60_000);
      expect((await update(fake.sessions.add(a.domain).token)).statusCode).toBe(200);
      const burst = Array.from({ length: 8 }, () => newSession());
      const answers = await Promise.all(burst.map((s) => update(s)));
      fake.setRateLimit(1000, 10_000);
      expect(answers.map((r) => r.statusCode)).toEqual(burst.map(() => 200));
      for (const s of burst) expect(await recordOf(s)).toBeDefined();
      expect(fake.requests.some((r) => r.status === 429)).toBe(true);
      expect(burstLogs()).toHaveLength(logged + 1);
      expect(burstLogs().at(-1)).not.toContain(fake.keyOf(a.domain));
      const after = await verifications();
      expect((after.found ?? 0) - (before.found ?? 0)).toBe(1);
      expect((after.unverified ?? 0) - (before.unverified ?? 0)).toBe(8);
    });

    it('Cloudonix stopped: unknown sessions are accepted unverified, so nothing is lost, and a new run is logged once', async () => {
      const s = fake.sessions.add(a.domain).token;
      expect((await update(s)).statusCode).toBe(200);
      const logged = burstLogs().length;
      await fake.close();
      now += 11_000;
      const lost = newSession();
      expect((await update(lost)).statusCode).toBe(200);
      expect((await cdr(lost)).statusCode).toBe(200);
      expect((await recordOf(lost))?.status).toBe('completed');
      expect(burstLogs()).toHaveLength(logged + 1);
    });
  });
}
