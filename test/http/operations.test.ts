import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/backends.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

describe('operations endpoints and HTTP basics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(DIALECTS[0]!, { METRICS_TOKEN });
  });
  afterAll(async () => t?.close());

  it('/up answers without touching dependencies', async () => {
    const res = await t.request({ method: 'GET', url: '/up' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('/health reports the database with its latency', async () => {
    const res = await t.request({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ok');
    expect(body.checks.database.status).toBe('ok');
    expect(body.checks.database.latency_ms).toBeGreaterThanOrEqual(0);
    expect(body.checks).not.toHaveProperty('redis');
  });

  it('/metrics exposes request counts and latency histograms by route pattern', async () => {
    await t.request({ method: 'GET', url: '/api/users/12345' });
    const res = await t.request({ method: 'GET', url: '/metrics', token: METRICS_TOKEN });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/http_requests_total\{method="GET",route="\/up",status_code="200"\} \d+/);
    expect(res.body).toContain('http_request_duration_seconds_bucket');
    expect(res.body).toContain('route="/api/users/:id"');
    expect(res.body).not.toContain('/api/users/12345');
  });

  it('/openapi.json is generated from the route schemas and /docs browses it', async () => {
    const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/auth/register', '/api/auth/login', '/api/auth/me', '/api/users', '/api/users/{id}', '/api/tenant', '/api/tenant/webhook-credentials/rotate', '/health']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    const register = doc.paths['/api/auth/register'].post;
    expect(register.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['name', 'email', 'password', 'password_confirmation', 'tenant_name', 'domain']),
    );
    expect(Object.keys(register.responses)).toEqual(expect.arrayContaining(['201', '409', '422']));
    const docs = await t.request({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('unknown routes answer a JSON 404 in the one error format', async () => {
    for (const url of ['/nope', '/api/nope', '/api/users/1/whatever']) {
      const res = await t.request({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ code: 'not_found', requestId: expect.any(String) });
    }
    const wrongMethod = await t.request({ method: 'DELETE', url: '/api/tenant', headers: { authorization: 'Bearer x' } });
    expect(wrongMethod.statusCode).toBe(404);
  });

  it('sends security headers and a request id, and no CORS headers by default', async () => {
    const res = await t.request({ method: 'GET', url: '/up', headers: { origin: 'https://evil.example' } });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers).not.toHaveProperty('access-control-allow-origin');
    const preflight = await t.request({ method: 'OPTIONS', url: '/api/auth/login', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers).not.toHaveProperty('access-control-allow-origin');
  });

  it('an error body carries the same request id as the header', async () => {
    const res = await t.request({ method: 'GET', url: '/api/auth/me' });
    expect(res.json().error.requestId).toBe(res.headers['x-request-id']);
  });
});

describe('CORS when configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(DIALECTS[0]!, { CORS_ORIGINS: 'https://admin.example.org' });
  });
  afterAll(async () => t?.close());

  it('allows only the listed origins', async () => {
    const ok = await t.request({ method: 'GET', url: '/up', headers: { origin: 'https://admin.example.org' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://admin.example.org');
    const other = await t.request({ method: 'GET', url: '/up', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
