import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SetupApplyResult, SetupCheckView } from '../../src/core/schemas/cloudonix-setup.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL, type TestDialect } from '../support/backends.js';
import { voiceBody, webhookSecret } from '../support/cloudonix.js';
import { startFakeCloudonix, type FakeCloudonix } from '../support/fake-cloudonix-api.js';
import { createAgent, createInboundRule } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Every database, and SQLite with Redis (the plane shared by instances). */
const BACKENDS: { name: string; dialect: TestDialect; env: Record<string, string> }[] = [
  ...DIALECTS.map((dialect) => ({ name: dialect.name, dialect, env: {} })),
  ...(TEST_REDIS_URL ? [{ name: 'sqlite+redis', dialect: DIALECTS[0]!, env: { REDIS_URL: TEST_REDIS_URL } }] : []),
];

const ALL_CREATE = ['create', 'create', 'create', 'create', 'create'];
const ALL_NONE = ['none', 'none', 'none', 'none', 'none'];
// Requests through inject are addressed to localhost: Cloudonix could never call those URLs, so tests say so.
const ANYWAY = { allow_unreachable_urls: true };

for (const backend of BACKENDS) {
  describe(`${backend.name}: one-click Cloudonix domain setup and check wiring`, () => {
    let t: TestApp;
    let fake: FakeCloudonix;
    beforeAll(async () => {
      fake = await startFakeCloudonix();
      // Setup and its checks make many requests per test: the limit has its own test below.
      fake.setRateLimit(1000, 10_000);
      t = await createTestApp(backend.dialect, { ...backend.env, CLOUDONIX_API_URL: fake.url });
    });
    afterAll(async () => {
      await t?.close();
      await fake?.close();
    });

    /** A tenant whose domain exists at Cloudonix and whose key is stored. */
    async function connected(label: string): Promise<TenantActors & { key: string; secret: string }> {
      const a = await registerTenant(t, label);
      fake.domains.add(a.domain);
      const key = fake.keyOf(a.domain);
      const put = await t.request({ method: 'PUT', url: '/api/cloudonix/connection', token: a.admin.token, payload: { api_key: key } });
      expect(put.statusCode, put.body).toBe(200);
      return { ...a, key, secret: await webhookSecret(t, a.admin.token) };
    }
    const check = (token: string) => t.request({ method: 'GET', url: '/api/cloudonix/setup', token });
    const apply = (token: string, payload: Record<string, unknown> = ANYWAY) => t.request({ method: 'POST', url: '/api/cloudonix/setup', token, payload });
    const actions = (v: SetupCheckView | SetupApplyResult['after']) => v.steps.map((s) => s.action);
    const ourUrl = (a: TenantActors, path: string, secret: string) => `http://localhost:80/api/voice/${path}/${a.domain}?token=${secret}`;
    const writesTo = (a: TenantActors) => fake.writes().filter((r) => r.path.includes(a.domain));

    it('not connected: check and setup say so (409), for analysts too; analysts may check but not set up', async () => {
      const a = await registerTenant(t, 'bare');
      for (const res of [await check(a.admin.token), await check(a.analyst.token), await apply(a.admin.token)]) {
        expect(res.statusCode).toBe(409);
        expect(res.json().error.code).toBe('cloudonix_not_connected');
      }
      const c = await connected('roles');
      expect((await check(c.analyst.token)).statusCode).toBe(200);
      expect((await apply(c.analyst.token)).statusCode).toBe(403);
      expect(writesTo(c)).toEqual([]);
    });

    it('from an empty domain: shows every change first, applies them, verifies by reading back; the secret and key appear nowhere', async () => {
      const a = await connected('empty');
      const before = await check(a.admin.token);
      expect(before.statusCode).toBe(200);
      const view = before.json<SetupCheckView>();
      expect(view).toMatchObject({ domain: a.domain, domain_found: true, in_sync: false });
      expect(actions(view)).toEqual(ALL_CREATE);
      expect(view.missing.length).toBeGreaterThanOrEqual(5);
      expect(view.received).toEqual({ voice_application: { last_at: null, ever: false }, session_update: { last_at: null, ever: false }, cdr: { last_at: null, ever: false } });
      expect(view.steps.find((s) => s.item === 'cdr_endpoint')!.desired).toBe(`http://localhost:80/api/voice/session/cdr/${a.domain}?token=********`);
      expect(writesTo(a)).toEqual([]);

      const res = await apply(a.admin.token);
      expect(res.statusCode, res.body).toBe(200);
      const result = res.json<SetupApplyResult>();
      expect(result.verified).toBe(true);
      expect(result.applied.map((s) => s.item)).toEqual(['voice_application', 'default_application', 'authorization_key', 'session_update_endpoint', 'cdr_endpoint']);
      expect(actions(result.after)).toEqual(ALL_NONE);
      expect(result.after.in_sync).toBe(true);

      // What Cloudonix now has, as the fake reports it.
      const [app, ...others] = fake.applications.list(a.domain);
      expect(others).toEqual([]);
      expect(app).toMatchObject({ name: `voice-lb-${a.domain}`, url: ourUrl(a, 'application', a.secret), method: 'POST' });
      expect(fake.domains.get(a.domain)).toMatchObject({
        defaultApplication: app!.id,
        profile: { 'authorization-api-key': a.secret, 'session-update-endpoint': ourUrl(a, 'session/update', a.secret), 'cdr-endpoint': ourUrl(a, 'session/cdr', a.secret) },
      });

      const audit = await t.request({ method: 'GET', url: '/api/audit-log?action=cloudonix.domain_setup', token: a.admin.token });
      expect(audit.json().data).toHaveLength(1);
      expect(audit.json().data[0].after).toMatchObject({ domain: a.domain, application_id: app!.id, verified: true });
      for (const text of [before.body, res.body, audit.body, t.logs.join('\n')]) {
        expect(text).not.toContain(a.secret);
        expect(text).not.toContain(a.key);
      }
    });

    it('setup again changes nothing: no write reaches Cloudonix and no audit row is added', async () => {
      const a = await connected('twice');
      expect((await apply(a.admin.token)).json().verified).toBe(true);
      const writes = writesTo(a).length;
      const again = await apply(a.admin.token);
      expect(again.statusCode).toBe(200);
      expect(again.json<SetupApplyResult>()).toMatchObject({ applied: [], verified: true, after: { in_sync: true } });
      // Only that these localhost URLs could not be reached from Cloudonix is still said.
      expect(again.json<SetupApplyResult>().after.missing).toEqual([expect.stringMatching(/^Our voice URL .* points at localhost/)]);
      expect(writesTo(a)).toHaveLength(writes);
      expect(fake.applications.list(a.domain)).toHaveLength(1);
      const audit = await t.request({ method: 'GET', url: '/api/audit-log?action=cloudonix.domain_setup', token: a.admin.token });
      expect(audit.json().data).toHaveLength(1);
    });

    it('a half-done setup by hand (only the voice URL, a wrong CDR endpoint) is detected and repaired; profile keys we do not own are kept', async () => {
      const a = await connected('partial');
      const byHand = fake.applications.add(a.domain, { name: 'my-app', url: ourUrl(a, 'application', a.secret), method: 'POST' });
      const domain = fake.domains.get(a.domain)!;
      domain.defaultApplication = byHand.id;
      domain.profile = { 'cdr-endpoint': 'https://billing.example/cdr', 'recording-enabled': true, 'their-webhook': 'https://crm.example/hook' };

      const view = (await check(a.admin.token)).json<SetupCheckView>();
      expect(Object.fromEntries(view.steps.map((s) => [s.item, s.action]))).toEqual({
        voice_application: 'none',
        default_application: 'none',
        authorization_key: 'create',
        session_update_endpoint: 'create',
        cdr_endpoint: 'update',
      });
      expect(view.missing.join(' ')).toContain('https://billing.example/cdr');

      const result = (await apply(a.admin.token)).json<SetupApplyResult>();
      expect(result.verified).toBe(true);
      expect(result.applied.map((s) => s.item)).toEqual(['authorization_key', 'session_update_endpoint', 'cdr_endpoint']);
      // The application made by hand is adopted, not duplicated.
      expect(fake.applications.list(a.domain).map((x) => x.name)).toEqual(['my-app']);
      expect(fake.domains.get(a.domain)!.profile).toEqual({
        'recording-enabled': true,
        'their-webhook': 'https://crm.example/hook',
        'authorization-api-key': a.secret,
        'session-update-endpoint': ourUrl(a, 'session/update', a.secret),
        'cdr-endpoint': ourUrl(a, 'session/cdr', a.secret),
      });
    });

    it('after a secret rotation, check shows the stale settings (without either secret) and setup brings them up to date', async () => {
      const a = await connected('rotated');
      // Set up with the secret of then (seeded, to stay within Cloudonix's 10 requests per 10 s for this domain).
      const app = fake.applications.add(a.domain, { name: `voice-lb-${a.domain}`, url: ourUrl(a, 'application', a.secret), method: 'POST' });
      Object.assign(fake.domains.get(a.domain)!, {
        defaultApplication: app.id,
        profile: { 'authorization-api-key': a.secret, 'session-update-endpoint': ourUrl(a, 'session/update', a.secret), 'cdr-endpoint': ourUrl(a, 'session/cdr', a.secret) },
      });
      const rotated = await t.request({ method: 'POST', url: '/api/tenant/webhook-credentials/rotate', token: a.admin.token });
      const fresh: string = rotated.json().webhook_secret;
      const res = await check(a.admin.token);
      const view = res.json<SetupCheckView>();
      expect(Object.fromEntries(view.steps.map((s) => [s.item, s.action]))).toMatchObject({ voice_application: 'update', authorization_key: 'update', cdr_endpoint: 'update' });
      expect(view.missing.join(' ')).toContain('old webhook secret');
      expect(res.body).not.toContain(a.secret);
      expect(res.body).not.toContain(fresh);
      expect((await apply(a.admin.token)).json().verified).toBe(true);
      expect(fake.domains.get(a.domain)!.profile['authorization-api-key']).toBe(fresh);
      expect(fake.applications.list(a.domain)[0]!.url).toBe(ourUrl(a, 'application', fresh));
    });

    it('URLs Cloudonix could not reach: setup refuses (422) in words unless told to go ahead; check reports why', async () => {
      const a = await connected('local');
      const view = (await check(a.admin.token)).json<SetupCheckView>();
      expect(view.urls_problem).toMatch(/localhost/);
      expect(view.missing[0]).toMatch(/^Our voice URL http:\/\/localhost:80\/.*token=\*{8} points at localhost/);
      const res = await apply(a.admin.token, {});
      expect(res.statusCode).toBe(422);
      expect(res.json().error.message).toMatch(/points at localhost.*Set PUBLIC_URL/);
      expect(res.body).not.toContain(a.secret);
      expect(writesTo(a)).toEqual([]);
      expect((await apply(a.admin.token, { allow_unreachable_urls: 'yes' })).statusCode).toBe(422);
    });

    it('a key Cloudonix no longer accepts is explained (422 cloudonix_key_refused), without the key', async () => {
      const a = await connected('revoked');
      fake.domains.get(a.domain)!.apiKey = `XI${'0'.repeat(32)}`;
      for (const res of [await check(a.admin.token), await apply(a.admin.token)]) {
        expect(res.statusCode).toBe(422);
        expect(res.json().error.code).toBe('cloudonix_key_refused');
        expect(res.json().error.message).toMatch(/key/i);
        expect(res.body).not.toContain(a.key);
      }
      expect(writesTo(a)).toEqual([]);
    });

    it("Cloudonix's rate limit (429 with Retry-After) is waited out and setup completes", async () => {
      const a = await connected('limited');
      fake.failNext(429, { status: 429, message: 'Too Many Requests' }, { retryAfter: 1 });
      const res = await apply(a.admin.token);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().verified).toBe(true);
    });

    it('a limit Cloudonix keeps past our retries fails setup half-way in words (424); the audit says what was done, and setup again finishes it', async () => {
      const a = await connected('exhausted');
      // Three more requests in the next minute: reads and the new application pass, the domain update meets 429 Retry-After ~60 s.
      fake.setRateLimit(3, 60_000);
      try {
        const res = await apply(a.admin.token);
        expect(res.statusCode).toBe(424);
        expect(res.json().error).toMatchObject({ code: 'cloudonix_failed', details: { kind: 'rate_limited', status: 429 } });
        expect(res.json().error.message).toMatch(/10|rate|many/i);
      } finally {
        fake.setRateLimit(1000, 10_000);
      }
      const made = fake.applications.list(a.domain);
      expect(made).toHaveLength(1);
      const audit = await t.request({ method: 'GET', url: '/api/audit-log?action=cloudonix.domain_setup', token: a.admin.token });
      expect(audit.json().data[0].after).toMatchObject({ application_id: made[0]!.id, changed: [{ item: 'voice_application', action: 'create' }] });
      expect(audit.json().data[0].after.failed).toEqual(expect.any(String));

      const again = (await apply(a.admin.token)).json<SetupApplyResult>();
      expect(again.verified).toBe(true);
      expect(again.applied.map((s) => s.item)).toEqual(['default_application', 'authorization_key', 'session_update_endpoint', 'cdr_endpoint']);
      expect(fake.applications.list(a.domain)).toHaveLength(1);
    });

    it("another tenant's connection is not used: its domain is never read or written", async () => {
      const a = await connected('owner');
      const b = await registerTenant(t, 'other');
      fake.clearRequests();
      expect((await check(b.admin.token)).statusCode).toBe(409);
      expect((await apply(b.admin.token)).statusCode).toBe(409);
      expect(fake.requests.filter((r) => r.path.includes(a.domain))).toEqual([]);
    });

    it('end to end: after setup, a call whose session updates and CDR Cloudonix sends to the configured endpoints is followed, and check wiring sees them', async () => {
      const a = await connected('wired');
      const agent = await createAgent(t, a.admin.token);
      await createInboundRule(t, a.admin.token, { pattern: '*', target_type: 'agent', target_id: agent });
      // Served on a real port, so Cloudonix (the fake) can call the URLs setup configures.
      const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (t.app.server.address() as AddressInfo).port;
      expect(address).toContain(String(port));
      const post = await fetch(`${address}/api/cloudonix/setup`, {
        method: 'POST',
        headers: { authorization: `Bearer ${a.admin.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(ANYWAY),
      });
      expect(post.status).toBe(200);
      const voiceUrl = fake.applications.list(a.domain)[0]!.url;
      expect(voiceUrl.startsWith(`http://127.0.0.1:${port}/`)).toBe(true);

      const session = fake.sessions.add(a.domain);
      const routed = await fetch(voiceUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(voiceBody(a.domain, session.token)) });
      expect(routed.status).toBe(200);
      expect((await fake.emit(session.token, 'answer')).sessionUpdate?.status).toBe(200);
      const ended = await fake.emit(session.token, 'end');
      expect(ended.sessionUpdate?.status).toBe(200);
      expect(ended.cdr?.status).toBe(200);

      // The webhook audit is written just after each answer: wait for it (reading the tenant costs no Cloudonix request).
      const wiring = async () => (await t.request({ method: 'GET', url: '/api/tenant', token: a.admin.token })).json().webhook_wiring.received_ever;
      await expect.poll(wiring).toEqual({ voice_application: true, session_update: true, cdr: true });
      // Checked at the address setup used: the URLs it compares with are built from it, as /api/tenant's are.
      const view = (await (await fetch(`${address}/api/cloudonix/setup`, { headers: { authorization: `Bearer ${a.admin.token}` } })).json()) as SetupCheckView;
      expect(view.in_sync).toBe(true);
      expect(view.received.voice_application.ever && view.received.session_update.ever && view.received.cdr.ever).toBe(true);
      const records = await t.request({ method: 'GET', url: '/api/call-records', token: a.admin.token });
      expect(records.json().data[0]).toMatchObject({ session_token: session.token, status: 'completed' });
    });
  });
}
