import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL } from '../support/backends.js';
import { newSession, webhookSecret } from '../support/cloudonix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const sqlite = DIALECTS[0]!;
const LIMITS = { API_RATE_LIMIT_PER_TOKEN: '5', API_RATE_LIMIT_PER_ADDRESS: '8', API_RATE_LIMIT_WINDOW_SECONDS: '60' };

function expectLimited(res: LightMyRequestResponse): void {
  expect(res.statusCode).toBe(429);
  const wait = Number(res.headers['retry-after']);
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(60);
  const body = res.json();
  expect(body.error.code).toBe('rate_limited');
  expect(body.error.message).toMatch(/Try again in \d+ s/);
  expect(body.error.requestId).toBe(res.headers['x-request-id']);
}

/** A fresh client address per test, so tests do not share counters. */
const address = () => `198.51.100.${1 + (randomBytes(1)[0]! % 250)}`;

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: admin API rate limits`, () => {
    let t: TestApp;
    let a: TenantActors;
    beforeAll(async () => {
      t = await createTestApp(dialect, LIMITS);
      a = await registerTenant(t, 'limits');
    });
    afterAll(async () => t?.close());

    const get = (token: string, remoteAddress: string, url = '/api/voice-agents') => t.request({ method: 'GET', url, token, remoteAddress });

    it('per token: 429 with Retry-After in the one error shape past the limit; another token is not affected', async () => {
      const { token } = (await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: a.analyst.email, password: a.analyst.password } })).json();
      const codes: number[] = [];
      // From several addresses, so only the token's own limit is reached.
      for (let i = 0; i < 5; i++) codes.push((await get(token, `192.0.2.${10 + i}`)).statusCode);
      expect(codes).toEqual([200, 200, 200, 200, 200]);
      expectLimited(await get(token, '192.0.2.20', '/api/tenant'));
      expect((await get(a.admin.token, '192.0.2.21')).statusCode).toBe(200);
    });

    it('per address: every request counts, bad tokens too (before any is looked up); other addresses are not affected', async () => {
      const from = '203.0.113.40';
      const { token } = (await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: a.admin.email, password: a.admin.password } })).json();
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await get(token, from)).statusCode);
      for (let i = 0; i < 4; i++) codes.push((await get('not-a-token', from)).statusCode);
      expect(codes).toEqual([200, 200, 200, 200, 401, 401, 401, 401]);
      expectLimited(await get('not-a-token', from));
      const fresh = (await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: a.admin.email, password: a.admin.password } })).json().token;
      expectLimited(await get(fresh, from));
      expect((await get(fresh, '203.0.113.41')).statusCode).toBe(200);
    });

    it('never limits the Cloudonix webhooks: session updates and CDRs from a limited address are all taken', async () => {
      const from = address();
      const secret = await webhookSecret(t, a.admin.token);
      for (let i = 0; i < 9; i++) await get('not-a-token', from);
      expectLimited(await get(a.admin.token, from));
      for (let i = 0; i < 20; i++) {
        const session = newSession();
        const update = await t.request({ method: 'POST', url: `/api/voice/session/update/${a.domain}?token=${secret}`, payload: { token: session, status: 'ringing', domain: a.domain }, remoteAddress: from });
        expect(update.statusCode).toBe(200);
        const cdr = await t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { domain: a.domain, session: { token: session } }, remoteAddress: from });
        expect(cdr.statusCode).toBe(200);
      }
    });
  });
}

describe.runIf(TEST_REDIS_URL)('redis: admin API limits are shared across instances', () => {
  let one: TestApp;
  let two: TestApp;
  beforeAll(async () => {
    const env = { ...LIMITS, DATABASE_URL: `sqlite:/tmp/vlb-api-limits-${process.pid}-${Date.now()}.sqlite`, APP_KEY: 'c'.repeat(64), REDIS_URL: TEST_REDIS_URL! };
    const cluster = { redisKeyPrefix: `vlbt:api-limits-${process.pid}-${Date.now()}:` };
    one = await createTestApp(sqlite, env, cluster);
    two = await createTestApp(sqlite, env, cluster);
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  it('requests with one token through two instances count together', async () => {
    const a = await registerTenant(one, 'shared-limits');
    const { token } = (await one.request({ method: 'POST', url: '/api/auth/login', payload: { email: a.analyst.email, password: a.analyst.password } })).json();
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await (i % 2 === 0 ? one : two).request({ method: 'GET', url: '/api/tenant', token, remoteAddress: `192.0.2.${30 + i}` })).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 200]);
    expectLimited(await two.request({ method: 'GET', url: '/api/tenant', token, remoteAddress: '192.0.2.40' }));
    expectLimited(await one.request({ method: 'GET', url: '/api/tenant', token, remoteAddress: '192.0.2.41' }));
  });
});
