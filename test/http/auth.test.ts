import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/backends.js';
import { registerTenant, uniqueSuffix } from '../support/actors.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: auth`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect);
    });
    afterAll(async () => t?.close());

    const register = (over: Record<string, unknown> = {}) => {
      const s = uniqueSuffix();
      return t.request({
        method: 'POST',
        url: '/api/auth/register',
        payload: {
          name: 'Ann Admin',
          email: `ann-${s}@acme.test`,
          password: 'correct horse battery',
          password_confirmation: 'correct horse battery',
          tenant_name: 'Acme',
          domain: `acme-${s}.cloudonix.net`,
          ...over,
        },
      });
    };

    it('registers a tenant and its first admin, signed in', async () => {
      const res = await register();
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body.user.role).toBe('admin');
      expect(body.user.active).toBe(true);
      expect(body.token).toMatch(/^vlb_/);
      expect(Date.parse(body.expires_at) - Date.now()).toBeGreaterThan(29 * 86_400_000);
      expect(body.user).not.toHaveProperty('password_hash');
      const me = await t.request({ method: 'GET', url: '/api/auth/me', token: body.token });
      expect(me.statusCode).toBe(200);
      expect(me.json().tenant.domain).toMatch(/^acme-.*\.cloudonix\.net$/);
    });

    it('refuses a second tenant with the same domain or email in one answer that does not say which', async () => {
      const first = await register();
      const { user } = first.json();
      const sameEmail = await register({ email: user.email.toUpperCase() });
      expect(sameEmail.statusCode).toBe(409);
      const domain = (await t.request({ method: 'GET', url: '/api/auth/me', token: first.json().token })).json().tenant.domain;
      const sameDomain = await register({ domain: domain.toUpperCase() });
      expect(sameDomain.statusCode).toBe(409);
      // Whether an email has an account is not told: the same message, and no field named.
      expect(sameEmail.json().error.message).toBe(sameDomain.json().error.message);
      expect(sameEmail.json().error.details).toBeUndefined();
    });

    it('names every bad registration field in a 422', async () => {
      const res = await register({ email: 'not-an-email', password: 'short', password_confirmation: 'other', domain: 'bad domain!' });
      expect(res.statusCode).toBe(422);
      const fields = res.json().error.details.fields;
      expect(Object.keys(fields).sort()).toEqual(['domain', 'email', 'password', 'password_confirmation']);
      const mismatch = await register({ password_confirmation: 'something else entirely' });
      expect(mismatch.statusCode).toBe(422);
      expect(mismatch.json().error.details.fields).toHaveProperty('password_confirmation');
    });

    it('logs in case-insensitively by email and refuses a wrong password with 401', async () => {
      const a = await registerTenant(t);
      const ok = await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: a.admin.email.toUpperCase(), password: a.admin.password } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().user.last_login_at).not.toBeNull();
      const bad = await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: a.admin.email, password: 'wrong password' } });
      expect(bad.statusCode).toBe(401);
      expect(bad.json().error.code).toBe('invalid_credentials');
      const nobody = await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@nowhere.test', password: 'whatever1' } });
      expect(nobody.statusCode).toBe(401);
      expect(nobody.json().error.message).toBe(bad.json().error.message);
    });

    it('logout revokes the token: the old token gets 401', async () => {
      const a = await registerTenant(t);
      expect((await t.request({ method: 'GET', url: '/api/user', token: a.admin.token })).statusCode).toBe(200);
      const out = await t.request({ method: 'POST', url: '/api/auth/logout', token: a.admin.token });
      expect(out.statusCode).toBe(204);
      const after = await t.request({ method: 'GET', url: '/api/auth/me', token: a.admin.token });
      expect(after.statusCode).toBe(401);
      expect(after.json().error.code).toBe('unauthenticated');
    });

    it('refresh issues a new token and revokes the old one', async () => {
      const a = await registerTenant(t);
      const res = await t.request({ method: 'POST', url: '/api/auth/refresh', token: a.analyst.token });
      expect(res.statusCode).toBe(200);
      const fresh = res.json().token;
      expect(fresh).not.toBe(a.analyst.token);
      expect((await t.request({ method: 'GET', url: '/api/auth/me', token: a.analyst.token })).statusCode).toBe(401);
      expect((await t.request({ method: 'GET', url: '/api/auth/me', token: fresh })).json().role).toBe('analyst');
    });

    it('stores tokens only as SHA-256 hashes, with expiry and last-used time', async () => {
      const a = await registerTenant(t);
      await t.request({ method: 'GET', url: '/api/auth/me', token: a.admin.token });
      await new Promise((r) => setTimeout(r, 50)); // last_used_at is written after the answer
      const rows = await t.runtime.store.db.selectFrom('api_tokens').selectAll().where('tenant_id', '=', a.tenantId).execute();
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
        expect(row.token_hash).not.toContain(a.admin.token);
        expect(Number(row.expires_at)).toBeGreaterThan(Date.now());
      }
      expect(rows.some((r) => r.last_used_at !== null)).toBe(true);
    });

    it('rejects an expired token', async () => {
      const a = await registerTenant(t);
      await t.runtime.store.db.updateTable('api_tokens').set({ expires_at: Date.now() - 1 }).where('tenant_id', '=', a.tenantId).execute();
      expect((await t.request({ method: 'GET', url: '/api/auth/me', token: a.admin.token })).statusCode).toBe(401);
    });

    it('rejects garbage bearer tokens and missing headers with 401', async () => {
      for (const authorization of ['Bearer', 'Bearer nope', 'Basic abc', `Bearer ${'x'.repeat(5000)}`, 'Bearer vlb_']) {
        const res = await t.request({ method: 'GET', url: '/api/auth/me', headers: { authorization } });
        expect(res.statusCode).toBe(401);
      }
    });
  });
}

describe('login throttling', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(DIALECTS[0]!, { LOGIN_MAX_ATTEMPTS: '3', LOGIN_WINDOW_SECONDS: '60' });
  });
  afterAll(async () => t?.close());

  it('answers 429 with Retry-After per email and address, leaving other emails alone', async () => {
    const a = await registerTenant(t);
    const attempt = (email: string, password = 'wrong password') =>
      t.request({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    for (let i = 0; i < 3; i++) expect((await attempt(a.admin.email)).statusCode).toBe(401);
    const limited = await attempt(a.admin.email, a.admin.password);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another account from the same address is not locked out by this one.
    expect((await attempt(a.analyst.email, a.analyst.password)).statusCode).toBe(200);
  });
});
