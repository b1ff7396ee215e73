import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const ATTACKER = 'evil.example';
const REMOTE = '203.0.113.50';

/** A tenant whose calls go to a priority group of two agents, so a failed first dial has a second. */
async function routedTenant(t: TestApp, label: string): Promise<{ a: TenantActors; secret: string }> {
  const a = await registerTenant(t, label);
  const agents = [await createAgent(t, a.admin.token), await createAgent(t, a.admin.token)];
  const group = await createGroup(t, a.admin.token, 'priority', agents.map((agent_id, i) => ({ agent_id, priority: i + 1 })));
  await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: a.admin.token, payload: { pattern: '*', target_type: 'group', target_id: group } });
  return { a, secret: await webhookSecret(t, a.admin.token) };
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: URLs that carry the webhook secret, without PUBLIC_URL`, () => {
    let t: TestApp;
    let a: TenantActors;
    let secret: string;
    beforeAll(async () => {
      // TRUST_PROXY on: the riskier setting, where X-Forwarded-* headers are believed.
      t = await createTestApp(dialect, { TRUST_PROXY: 'true' });
      ({ a, secret } = await routedTenant(t, 'hosted'));
    });
    afterAll(async () => t?.close());

    const voice = (headers: Record<string, string>, remoteAddress: string, session = newSession()) =>
      t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, remoteAddress, headers: { authorization: `Bearer ${secret}`, ...headers }, payload: voiceBody(a.domain, session) });

    it('a voice request with a forged Host from a non-loopback address never gets a Dial action URL on that host', async () => {
      const forgeries: [Record<string, string>, string][] = [
        [{ host: ATTACKER }, REMOTE],
        [{ host: ATTACKER, 'x-forwarded-host': ATTACKER, 'x-forwarded-proto': 'https' }, REMOTE],
        [{ host: ATTACKER, 'x-forwarded-for': '127.0.0.1' }, REMOTE],
        // A proxy or tunnel on this machine forwarding someone else's request.
        [{ host: ATTACKER, 'x-forwarded-for': REMOTE }, '127.0.0.1'],
        [{ host: ATTACKER, forwarded: `for=${REMOTE}` }, '::1'],
      ];
      for (const [headers, from] of forgeries) {
        const res = await voice(headers, from);
        expect(res.statusCode).toBe(200);
        const dial = dialedService(res.body);
        expect(dial, JSON.stringify(headers)).not.toBeNull();
        expect(dial!.action).toMatch(/^\/api\/voice\/callback\//);
        expect(res.body).not.toContain(ATTACKER);
      }
    });

    it('the relative action URL, resolved as Cloudonix resolves it against the URL it called, authenticates the callback and fails over', async () => {
      const session = newSession();
      const first = dialedService((await voice({ host: ATTACKER }, REMOTE, session)).body)!;
      const resolved = new URL(first.action, `https://lb-tunnel.example/api/voice/application/${a.domain}`);
      expect(resolved.host).toBe('lb-tunnel.example');
      expect(resolved.searchParams.get('token')).toBe(secret);
      const callback = await t.request({ method: 'POST', url: `${resolved.pathname}${resolved.search}`, remoteAddress: REMOTE, headers: { host: ATTACKER }, payload: voiceBody(a.domain, session, { DialCallStatus: 'no-answer' }) });
      expect(callback.statusCode).toBe(200);
      const second = dialedService(callback.body)!;
      expect(second.number).not.toBe(first.number);
      expect(second.action).toMatch(/^\/api\/voice\/callback\/.*attempt=2/);
    });

    it('a request straight from this machine gets an absolute action URL on its own address (local development)', async () => {
      for (const from of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
        const dial = dialedService((await voice({ host: 'localhost:3000' }, from)).body)!;
        expect(dial.action, from).toMatch(new RegExp(`^http://localhost:3000/api/voice/callback/${a.domain}\\?attempt=1&token=`));
      }
    });

    it('logs one warning that PUBLIC_URL is unset, however many calls get a relative action URL', async () => {
      for (let i = 0; i < 5; i++) await voice({ host: ATTACKER }, REMOTE);
      const warnings = t.logs.filter((l) => l.includes('PUBLIC_URL is unset'));
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0]!).level).toBe(40);
      expect(warnings[0]).not.toContain(secret);
    });

    it('a tenant that does not require the secret never gets it back in an action URL', async () => {
      const { a: open, secret: openSecret } = await routedTenant(t, 'nosecret');
      const put = await t.request({ method: 'PUT', url: '/api/tenant', token: open.admin.token, payload: { settings: { webhook_security: { require_secret: false } } } });
      expect(put.statusCode).toBe(200);
      for (const from of [REMOTE, '127.0.0.1']) {
        const session = newSession();
        const res = await t.request({ method: 'POST', url: `/api/voice/application/${open.domain}`, remoteAddress: from, payload: voiceBody(open.domain, session) });
        expect(res.statusCode).toBe(200);
        const dial = dialedService(res.body)!;
        expect(dial.action).not.toContain('token=');
        expect(res.body).not.toContain(openSecret);
        const callback = await t.request({ method: 'POST', url: dial.action.replace(/^https?:\/\/[^/]+/, ''), remoteAddress: from, payload: voiceBody(open.domain, session, { DialCallStatus: 'busy' }) });
        // Admitted without a token (a refusal would be a JSON 401): the tenant does not ask for one.
        expect(callback.statusCode).toBe(200);
        expect(callback.headers['content-type']).toContain('application/xml');
      }
    });

    it('GET /api/tenant warns admins that the webhook URLs shown are a guess while PUBLIC_URL is unset', async () => {
      const admin = (await t.request({ method: 'GET', url: '/api/tenant', token: a.admin.token, headers: { host: 'localhost:3000' } })).json();
      expect(admin.webhook_urls.voice_application).toMatch(/^http:\/\/localhost:3000\//);
      expect(admin.webhook_urls_warning).toContain('PUBLIC_URL is not set');
      expect(admin.webhook_urls_warning).toContain('http://localhost:3000');
      // localhost is also the problem, whose sentence says what to set: the two together say it once.
      expect(admin.webhook_urls_problem).toContain('Set PUBLIC_URL');
      expect(`${admin.webhook_urls_warning} ${admin.webhook_urls_problem}`.match(/Set PUBLIC_URL/g)).toHaveLength(1);
      const analyst = (await t.request({ method: 'GET', url: '/api/tenant', token: a.analyst.token })).json();
      expect(analyst).not.toHaveProperty('webhook_urls');
      expect(analyst).not.toHaveProperty('webhook_urls_warning');
    });
  });

  describe(`${dialect.name}: URLs that carry the webhook secret, with PUBLIC_URL`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect, { PUBLIC_URL: 'https://lb.example.org/', TRUST_PROXY: 'true' });
    });
    afterAll(async () => t?.close());

    it('with PUBLIC_URL every action and webhook URL starts with it, whatever Host or address the request has', async () => {
      const { a, secret } = await routedTenant(t, 'public');
      for (const [headers, from] of [
        [{ host: ATTACKER }, REMOTE],
        [{ host: ATTACKER, 'x-forwarded-host': ATTACKER }, '127.0.0.1'],
        [{ host: 'localhost:3000' }, '127.0.0.1'],
      ] as [Record<string, string>, string][]) {
        const res = await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, remoteAddress: from, headers: { authorization: `Bearer ${secret}`, ...headers }, payload: voiceBody(a.domain, newSession()) });
        expect(dialedService(res.body)!.action).toMatch(new RegExp(`^https://lb\\.example\\.org/api/voice/callback/${a.domain}\\?attempt=1&token=`));
      }
      const view = (await t.request({ method: 'GET', url: '/api/tenant', token: a.admin.token, headers: { host: ATTACKER } })).json();
      expect(view.webhook_urls.voice_application).toMatch(/^https:\/\/lb\.example\.org\/api\/voice\/application\//);
      expect(view.webhook_urls_warning).toBeNull();
      expect(t.logs.some((l) => l.includes('PUBLIC_URL is unset'))).toBe(false);
    });
  });
}
