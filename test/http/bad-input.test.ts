import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/backends.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { issueTokenDirectly } from '../support/direct-token.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const FUZZ_RUNS = 500;

/** Values a careless or hostile client might put in any field. */
const anyValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ minLength: 250, maxLength: 2000 }),
  fc.emailAddress(),
  fc.constantFrom('', ' ', '\u0000', 'admin', 'analyst', 'owner', 'UTC', '+14155550123', '../../etc/passwd', "' OR 1=1 --", '<script>'),
  fc.integer(),
  fc.double(),
  fc.bigInt().map(String),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
);

function shapedBody(keys: string[]): fc.Arbitrary<unknown> {
  return fc.record(Object.fromEntries(keys.map((k) => [k, anyValue])), { requiredKeys: [] });
}

/** A payload as raw text: mostly JSON of some shape, sometimes not JSON at all. */
function payloads(keys: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: shapedBody(keys).map((b) => JSON.stringify(b)) },
    { weight: 2, arbitrary: fc.jsonValue().map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
  );
}

interface Endpoint {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET';
  url: () => string;
  keys: string[];
  token: () => Promise<string | undefined>;
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: bad input`, () => {
    let t: TestApp;
    let a: TenantActors;
    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'fuzz');
    });
    afterAll(async () => t?.close());

    const jsonEndpoints = () => [
      { method: 'POST' as const, url: '/api/auth/register' },
      { method: 'POST' as const, url: '/api/auth/login' },
      { method: 'POST' as const, url: '/api/users', token: a.admin.token },
      { method: 'PATCH' as const, url: `/api/users/${a.analyst.id}`, token: a.admin.token },
      { method: 'PUT' as const, url: '/api/tenant', token: a.admin.token },
    ];

    it('malformed JSON → 400 malformed_json', async () => {
      for (const e of jsonEndpoints()) {
        for (const body of ['{"name":', '{name: 1}', "{'a':1}", '[1,2', 'nul']) {
          const res = await t.request({ ...e, payload: body, headers: { 'content-type': 'application/json' } });
          expect(res.statusCode, `${e.url} ${body}`).toBe(400);
          expect(res.json().error.code).toBe('malformed_json');
        }
      }
    });

    it('wrong content type → 415', async () => {
      for (const e of jsonEndpoints()) {
        for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded']) {
          const res = await t.request({ ...e, payload: 'a=1', headers: { 'content-type': type } });
          expect(res.statusCode, `${e.url} ${type}`).toBe(415);
          expect(res.json().error.code).toBe('unsupported_media_type');
        }
      }
    });

    it('oversized body → 413', async () => {
      const huge = JSON.stringify({ name: 'x'.repeat(1_100_000) });
      for (const e of jsonEndpoints()) {
        const res = await t.request({ ...e, payload: huge, headers: { 'content-type': 'application/json' } });
        expect(res.statusCode, e.url).toBe(413);
        expect(res.json().error.code).toBe('payload_too_large');
      }
    });

    it('a URL that does not decode → 400 in the one error format', async () => {
      for (const url of ['/api/voice/application/%E2%98', '/api/voice-agents/%C0', '/api/users/%E0%A4%A']) {
        const res = await t.request({ method: 'GET', url, token: a.admin.token });
        expect(res.statusCode, url).toBe(400);
        expect(res.json().error, url).toMatchObject({ code: 'bad_request', requestId: expect.any(String) });
      }
    });

    it('missing or wrong fields → 422 naming each one', async () => {
      const res = await t.request({ method: 'POST', url: '/api/users', token: a.admin.token, payload: { email: 42, role: 'owner' } });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.details.fields).toMatchObject({
        name: ['is required'],
        email: [expect.any(String)],
        password: ['is required'],
        role: [expect.stringContaining('admin')],
      });
      const empty = await t.request({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' } });
      expect(empty.statusCode).toBeGreaterThanOrEqual(400);
      expect(empty.statusCode).toBeLessThan(500);
      const nul = await t.request({ method: 'POST', url: '/api/users', token: a.admin.token, payload: { name: 'a\u0000b', email: 'n@x.test', password: 'password1' } });
      expect(nul.statusCode).toBe(422);
      expect(nul.json().error.details.fields).toHaveProperty('name');
    });

    it(`${FUZZ_RUNS} random bodies to each auth and user endpoint never get a 5xx`, async () => {
      // Logout and refresh consume their token, so each request gets a fresh one.
      const fresh = () => issueTokenDirectly(t, a.tenantId, a.analyst.id);
      const endpoints: Endpoint[] = [
        { method: 'POST', url: () => '/api/auth/register', keys: ['name', 'email', 'password', 'password_confirmation', 'tenant_name', 'domain'], token: async () => undefined },
        { method: 'POST', url: () => '/api/auth/login', keys: ['email', 'password'], token: async () => undefined },
        { method: 'POST', url: () => '/api/auth/logout', keys: ['token'], token: fresh },
        { method: 'POST', url: () => '/api/auth/refresh', keys: ['token'], token: fresh },
        { method: 'POST', url: () => '/api/users', keys: ['name', 'email', 'password', 'role'], token: async () => a.admin.token },
        { method: 'PATCH', url: () => `/api/users/${a.analyst.id}`, keys: ['name', 'role', 'active'], token: async () => a.admin.token },
        { method: 'DELETE', url: () => `/api/users/${a.analyst.id}`, keys: ['id'], token: async () => a.admin.token },
        { method: 'PUT', url: () => '/api/tenant', keys: ['name', 'domain', 'settings'], token: async () => a.admin.token },
        { method: 'POST', url: () => '/api/tenant/webhook-credentials/rotate', keys: ['secret'], token: async () => a.admin.token },
      ];
      const statuses = new Map<number, number>();
      for (const e of endpoints) {
        const bodies = fc.sample(payloads(e.keys), { numRuns: FUZZ_RUNS, seed: 20261124 });
        for (const body of bodies) {
          const token = await e.token();
          const res = await t.request({ method: e.method, url: e.url(), payload: body, headers: { 'content-type': 'application/json' }, ...(token ? { token } : {}) });
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode >= 500) throw new Error(`${e.method} ${e.url()} answered ${res.statusCode} to ${JSON.stringify(body)}: ${res.body}`);
          expect(res.headers['content-type'] ?? 'none').toMatch(res.statusCode === 204 ? /.*/ : /application\/json/);
        }
      }
      // The run exercised both refusals and acceptances, not one path only.
      expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
      expect(statuses.get(422) ?? 0).toBeGreaterThan(FUZZ_RUNS);
      // Random query strings on the list endpoint too.
      for (const q of fc.sample(fc.dictionary(fc.constantFrom('page', 'per_page', 'search', 'role', 'active', 'x'), fc.string()), { numRuns: FUZZ_RUNS, seed: 7 })) {
        const res = await t.request({ method: 'GET', url: '/api/users', query: q, token: a.admin.token });
        expect(res.statusCode, JSON.stringify(q)).toBeLessThan(500);
      }
    });
  });
}
