import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenForMetrics, type MetricsServer } from '../../src/http/metrics-server.js';
import { DIALECTS } from '../support/backends.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const TOKEN = 'metrics-token-5f3a9c1e7b2d4068';

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('/metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(DIALECTS[0]!, { METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => t?.close());

  it('/metrics answers 401 without the token or with a wrong one, and 200 with it', async () => {
    const none = await t.request({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('unauthenticated');
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect(none.body).not.toContain('http_requests_total');
    for (const wrong of [`${TOKEN}x`, TOKEN.slice(0, -1), 'x', TOKEN.toUpperCase()]) {
      const res = await t.request({ method: 'GET', url: '/metrics', token: wrong });
      expect(res.statusCode, wrong).toBe(401);
    }
    const asQuery = await t.request({ method: 'GET', url: `/metrics?token=${TOKEN}` });
    expect(asQuery.statusCode).toBe(401);
    const ok = await t.request({ method: 'GET', url: '/metrics', token: TOKEN });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('http_requests_total');
  });

  it('METRICS_LISTEN serves /metrics on its own address, with the token when one is set', async () => {
    const server: MetricsServer = await listenForMetrics(t.app.metricsRegistry, { host: '127.0.0.1', port: 0 }, TOKEN);
    try {
      const base = `http://${server.address}`;
      expect((await get(`${base}/metrics`)).status).toBe(401);
      const ok = await get(`${base}/metrics`, { authorization: `Bearer ${TOKEN}` });
      expect(ok.status).toBe(200);
      expect(ok.body).toContain('http_requests_total');
      expect((await get(`${base}/api/tenant`, { authorization: `Bearer ${TOKEN}` })).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(DIALECTS[0]!);
  });
  afterAll(async () => t?.close());

  it('/metrics is not served on the public port without METRICS_TOKEN (404)', async () => {
    for (const headers of [{}, { authorization: 'Bearer anything-at-all-here' }, { 'x-forwarded-for': '127.0.0.1' }]) {
      const res = await t.request({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('http_requests_total');
    }
    const local = await t.request({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(local.statusCode).toBe(404);
  });

  it('METRICS_LISTEN without a token serves /metrics on that address only', async () => {
    const server = await listenForMetrics(t.app.metricsRegistry, { host: '127.0.0.1', port: 0 }, undefined);
    try {
      const res = await get(`http://${server.address}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/plain');
      expect(res.body).toContain('process_cpu_seconds_total');
    } finally {
      await server.close();
    }
  });
});

describe('/docs switch', () => {
  it('DOCS=off serves neither /docs nor /openapi.json', async () => {
    const t = await createTestApp(DIALECTS[0]!, { DOCS: 'off' });
    try {
      for (const url of ['/docs', '/docs/json', '/openapi.json']) {
        expect((await t.request({ method: 'GET', url })).statusCode, url).toBe(404);
      }
      expect((await t.request({ method: 'GET', url: '/up' })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('the OpenAPI document holds no secret, address or tenant data', async () => {
    const t = await createTestApp(DIALECTS[0]!, { METRICS_TOKEN: TOKEN, PUBLIC_URL: 'https://lb.example.org' });
    try {
      const text = (await t.request({ method: 'GET', url: '/openapi.json' })).body;
      expect(text.length).toBeGreaterThan(1000);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('lb.example.org');
      expect(JSON.parse(text).paths).not.toHaveProperty(['/metrics']);
      expect(text).not.toMatch(/"(example|default)":\s*"[A-Za-z0-9_-]{24,}"/);
    } finally {
      await t.close();
    }
  });
});

describe('HSTS', () => {
  const hsts = 'strict-transport-security';
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const t of apps) await t.close();
  });
  const app = async (env: Record<string, string>) => {
    const t = await createTestApp(DIALECTS[0]!, env);
    apps.push(t);
    return t;
  };

  it('sends Strict-Transport-Security when PUBLIC_URL is https://', async () => {
    const t = await app({ PUBLIC_URL: 'https://lb.example.org' });
    const res = await t.request({ method: 'GET', url: '/up' });
    expect(res.headers[hsts]).toBe('max-age=31536000');
  });

  it('sends Strict-Transport-Security with TRUST_PROXY when X-Forwarded-Proto is https, and not for plain http', async () => {
    const t = await app({ TRUST_PROXY: 'true' });
    expect((await t.request({ method: 'GET', url: '/up', headers: { 'x-forwarded-proto': 'https' } })).headers[hsts]).toBe('max-age=31536000');
    expect((await t.request({ method: 'GET', url: '/up', headers: { 'x-forwarded-proto': 'http' } })).headers[hsts]).toBeUndefined();
    expect((await t.request({ method: 'GET', url: '/up' })).headers[hsts]).toBeUndefined();
  });

  it('never sends Strict-Transport-Security over plain http, whatever X-Forwarded-Proto says without TRUST_PROXY', async () => {
    const t = await app({ PUBLIC_URL: 'http://192.168.1.20:3000' });
    expect((await t.request({ method: 'GET', url: '/up' })).headers[hsts]).toBeUndefined();
    expect((await t.request({ method: 'GET', url: '/up', headers: { 'x-forwarded-proto': 'https' } })).headers[hsts]).toBeUndefined();
  });
});
