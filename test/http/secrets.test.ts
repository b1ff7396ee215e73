import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/backends.js';
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
