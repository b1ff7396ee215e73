import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTenant } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { newSession, voiceBody } from '../support/cloudonix.js';
import { startFakeCloudonix, type FakeCloudonix } from '../support/fake-cloudonix-api.js';
import { createAgent, createInboundRule } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('secrets never leave in a response or a log line', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(DIALECTS[0]!, { LOG_LEVEL: 'trace' });
  });
  afterAll(async () => t?.close());

  it('passwords, hashes, tokens and webhook secrets stay out of logs; analysts never see the webhook secret', async () => {
    const secrets: string[] = [];
    const responses: string[] = [];
    const call = async (opts: Parameters<TestApp['request']>[0]) => {
      const res = await t.request(opts);
      responses.push(res.body);
      return res;
    };

    const adminPassword = 'Adm1n-Very-Secret-Password';
    secrets.push(adminPassword);
    const reg = await call({
      method: 'POST',
      url: '/api/auth/register',
      payload: { name: 'Sec', email: 'sec@secret.test', password: adminPassword, password_confirmation: adminPassword, tenant_name: 'Sec', domain: 'sec.cloudonix.net' },
    });
    const adminToken: string = reg.json().token;
    secrets.push(adminToken);

    const login = await call({ method: 'POST', url: '/api/auth/login', payload: { email: 'sec@secret.test', password: adminPassword } });
    secrets.push(login.json().token);
    await call({ method: 'POST', url: '/api/auth/login', payload: { email: 'sec@secret.test', password: 'Wrong-But-Secret-Guess' } });
    secrets.push('Wrong-But-Secret-Guess');

    const analystPassword = 'Analyst-Hidden-Password-9';
    secrets.push(analystPassword);
    await call({ method: 'POST', url: '/api/users', token: adminToken, payload: { name: 'An', email: 'an@secret.test', password: analystPassword, role: 'analyst' } });
    const analystToken: string = (await call({ method: 'POST', url: '/api/auth/login', payload: { email: 'an@secret.test', password: analystPassword } })).json().token;
    secrets.push(analystToken);

    const tenant = await call({ method: 'GET', url: '/api/tenant', token: adminToken });
    const firstSecret: string = tenant.json().webhook_secret;
    const rotated = await call({ method: 'POST', url: '/api/tenant/webhook-credentials/rotate', token: adminToken });
    const webhookSecret: string = rotated.json().webhook_secret;

    // Secrets in places a client might put them: query strings and odd headers.
    await call({ method: 'GET', url: `/api/voice/application/sec.cloudonix.net?token=${webhookSecret}&From=1` });
    await call({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${analystToken}`, 'x-cx-apikey': webhookSecret } });
    await call({ method: 'PUT', url: '/api/tenant', token: adminToken, payload: { settings: { retention_days: 7 } } });
    await call({ method: 'POST', url: '/api/auth/refresh', token: analystToken });
    // The alert webhook's signing secret: written once, sealed, never answered or logged.
    const alertSecret = 'Alert-Signing-Secret-Never-Shown-42';
    secrets.push(alertSecret);
    await call({ method: 'PUT', url: '/api/alerts/settings', token: adminToken, payload: { signing_secret: alertSecret, webhook_url: 'http://127.0.0.1:9/alerts' } });
    await call({ method: 'PUT', url: '/api/alerts/settings', token: adminToken, payload: { signing_secret: alertSecret, webhook_url: 'ftp://bad' } });
    await call({ method: 'GET', url: '/api/alerts/settings', token: analystToken });
    await call({ method: 'POST', url: '/api/alerts/settings/test', token: adminToken });
    const sealed = (await t.runtime.store.db.selectFrom('alert_settings').select('signing_secret_sealed').executeTakeFirstOrThrow()).signing_secret_sealed;
    expect(sealed).not.toContain(alertSecret);

    const hashes = (await t.runtime.store.db.selectFrom('users').select('password_hash').execute()).map((r) => r.password_hash);
    const tokenHashes = (await t.runtime.store.db.selectFrom('api_tokens').select('token_hash').execute()).map((r) => r.token_hash);

    const logText = t.logs.join('\n');
    expect(t.logs.length).toBeGreaterThan(20);
    for (const secret of [...secrets, firstSecret, webhookSecret, ...hashes, ...tokenHashes]) {
      expect(logText.includes(secret), `log contains ${secret.slice(0, 8)}…`).toBe(false);
    }
    expect(logText).toContain('********'); // the masked token query parameter is still visible as masked

    const responseText = responses.join('\n');
    for (const secret of [adminPassword, analystPassword, alertSecret, ...hashes, ...tokenHashes]) {
      expect(responseText.includes(secret)).toBe(false);
    }
    expect(responseText).not.toContain('password_hash');

    const analystView = await t.request({ method: 'GET', url: '/api/tenant', token: (await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: 'an@secret.test', password: analystPassword } })).json().token });
    expect(analystView.body).not.toContain(webhookSecret);
  });

  it('an internal failure answers a generic 500 without internals', async () => {
    const failing = t.app; // closing the database makes every store call fail
    const reg = await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: 'sec@secret.test', password: 'Adm1n-Very-Secret-Password' } });
    const token = reg.json().token as string;
    await t.runtime.store.close();
    const res = await failing.inject({ method: 'GET', url: '/api/tenant', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(500);
    expect(res.json().error).toMatchObject({ code: 'internal_error', message: 'Something went wrong on our side.' });
    expect(res.body).not.toMatch(/sqlite|kysely|stack|at /i);
  });
});

describe('the Cloudonix domain API key, and the webhook secret setup sends to Cloudonix, never leave', () => {
  let fake: FakeCloudonix;
  let t: TestApp;
  beforeAll(async () => {
    fake = await startFakeCloudonix();
    fake.setRateLimit(1000, 10_000);
    t = await createTestApp(DIALECTS[0]!, { LOG_LEVEL: 'trace', CLOUDONIX_API_URL: fake.url });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('through the connection, setup, test call, hand-off, hang-up and verification: in no response, log line or audit row', async () => {
    const responses: string[] = [];
    const call = async (opts: Parameters<TestApp['request']>[0]) => {
      const res = await t.request(opts);
      responses.push(res.body);
      return res;
    };
    const a = await registerTenant(t, 'keys');
    const apiKey = fake.domains.add(a.domain).apiKey;
    const wrongKey = `XI${'7'.repeat(32)}`;
    const webhookSecret = (await t.request({ method: 'GET', url: '/api/tenant', token: a.admin.token })).json<{ webhook_secret: string }>().webhook_secret;
    const admin = a.admin.token;

    // The connection: a wrong key explained, the right one stored, shown only as its last four characters.
    const refused = await call({ method: 'PUT', url: '/api/cloudonix/connection', token: admin, payload: { api_key: wrongKey } });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().error.code).toBe('cloudonix_key_refused');
    const saved = await call({ method: 'PUT', url: '/api/cloudonix/connection', token: admin, payload: { api_key: apiKey, verify_unknown_sessions: true } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().key_hint).toBe(`…${apiKey.slice(-4)}`);
    for (const token of [admin, a.analyst.token]) expect((await call({ method: 'GET', url: '/api/cloudonix/connection', token })).statusCode).toBe(200);

    // Setup: the webhook secret goes to Cloudonix as the profile's authorization key, and nowhere else.
    expect((await call({ method: 'GET', url: '/api/cloudonix/setup', token: admin })).statusCode).toBe(200);
    const setup = await call({ method: 'POST', url: '/api/cloudonix/setup', token: admin, payload: { allow_unreachable_urls: true } });
    expect(setup.statusCode, setup.body).toBe(200);
    expect(fake.domains.get(a.domain)!.profile['authorization-api-key']).toBe(webhookSecret);
    expect((await call({ method: 'GET', url: '/api/cloudonix/setup', token: a.analyst.token })).statusCode).toBe(200);

    // A test call, and a routed live call handed off and hung up.
    const first = await createAgent(t, admin, { name: 'First' });
    const second = await createAgent(t, admin, { name: 'Second' });
    await createInboundRule(t, admin, { pattern: '*', target_type: 'agent', target_id: first });
    const testCall = await call({ method: 'POST', url: `/api/voice-agents/${first}/test-call`, token: admin, payload: { destination: '+14155550123' } });
    expect(testCall.statusCode, testCall.body).toBe(201);
    const tested: string = testCall.json().session_token;
    const live = fake.sessions.add(a.domain).token;
    // Its CXML carries the secret in the Dial action URL by design (Cloudonix's callback): not collected.
    expect((await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: `Bearer ${webhookSecret}` }, payload: voiceBody(a.domain, live) })).statusCode).toBe(200);
    const { id } = await t.runtime.store.db.selectFrom('call_records').select('id').where('session_token', '=', live).executeTakeFirstOrThrow();
    const handOff = await call({ method: 'POST', url: `/api/calls/active/${id}/hand-off`, token: admin, payload: { target_type: 'agent', target_id: second } });
    expect(handOff.statusCode, handOff.body).toBe(200);
    const hangUp = await call({ method: 'POST', url: `/api/calls/active/${id}/hang-up`, token: admin });
    expect(hangUp.statusCode, hangUp.body).toBe(200);

    // Verification: a session Cloudonix never had is refused, one it has is stored, and a refused key is explained.
    const update = (token: string) =>
      call({ method: 'POST', url: `/api/voice/session/update/${a.domain}`, headers: { authorization: `Bearer ${webhookSecret}` }, payload: { token, status: 'ringing', domain: a.domain } });
    expect((await update(tested)).statusCode).toBe(200);
    expect((await update(newSession())).statusCode).toBe(404);
    expect((await update(fake.sessions.add(a.domain).token)).statusCode).toBe(200);
    fake.failNext(401, { status: 401, message: `Unauthorized: invalid API key ${apiKey}` });
    expect((await call({ method: 'GET', url: '/api/cloudonix/setup', token: admin })).json().error.code).toBe('cloudonix_key_refused');
    fake.failNext(500, { status: 500, message: `internal error for key ${apiKey}` });
    expect((await update(newSession())).statusCode).toBe(200);

    await t.runtime.services.routing.audit.flush();
    const auditText = JSON.stringify(await t.runtime.store.db.selectFrom('audit_log').selectAll().execute());
    const sealed = (await t.runtime.store.db.selectFrom('cloudonix_connections').select('api_key_sealed').executeTakeFirstOrThrow()).api_key_sealed;
    expect(sealed).not.toContain(apiKey);
    // The key did reach Cloudonix, in the Authorization header only.
    expect(fake.requests.some((r) => r.authorization === `Bearer ${apiKey}`)).toBe(true);

    const logText = t.logs.join('\n');
    const responseText = responses.join('\n');
    expect(t.logs.length).toBeGreaterThan(20);
    for (const [name, secret] of Object.entries({ apiKey, wrongKey, webhookSecret })) {
      expect(logText.includes(secret), `a log line holds the ${name}`).toBe(false);
      expect(responseText.includes(secret), `a response holds the ${name}`).toBe(false);
      expect(auditText.includes(secret), `an audit row holds the ${name}`).toBe(false);
    }
  });
});
