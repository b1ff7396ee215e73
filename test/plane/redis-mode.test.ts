import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TEST_REDIS_URL } from '../support/backends.js';
import { registerTenant } from '../support/actors.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const sqlite = DIALECTS[0]!;

describe.runIf(TEST_REDIS_URL)('redis: scaled mode', () => {
  let one: TestApp;
  let two: TestApp;
  beforeAll(async () => {
    const env = { REDIS_URL: TEST_REDIS_URL!, LOGIN_MAX_ATTEMPTS: '4', LOGIN_WINDOW_SECONDS: '60' };
    const cluster = { redisKeyPrefix: `vlbt:cluster-${process.pid}-${Date.now()}:` };
    one = await createTestApp(sqlite, env, cluster);
    two = await createTestApp(sqlite, env, cluster);
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  it('/health reports Redis with its latency', async () => {
    const body = (await one.request({ method: 'GET', url: '/health' })).json();
    expect(body.status).toBe('ok');
    expect(body.checks.redis.status).toBe('ok');
    expect(body.checks.redis.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('login throttling is shared by every instance', async () => {
    const a = await registerTenant(one, 'throttle');
    const attempt = (t: TestApp) => t.request({ method: 'POST', url: '/api/auth/login', payload: { email: a.admin.email, password: 'not the password' } });
    // Two attempts on each instance: four in all reach the shared limit.
    for (const t of [one, two, one, two]) expect((await attempt(t)).statusCode).toBe(401);
    const fifth = await attempt(two);
    expect(fifth.statusCode).toBe(429);
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe.runIf(TEST_REDIS_URL)('redis: outage', () => {
  let server: PrivateRedis;
  let t: TestApp;
  beforeAll(async () => {
    server = await startPrivateRedis();
    t = await createTestApp(sqlite, { REDIS_URL: server.url });
  });
  afterAll(async () => {
    await t?.close();
    await server?.stop();
  });

  it('/health answers 200 degraded naming Redis as down (every instance keeps routing on its own), and sign-in keeps working', async () => {
    const a = await registerTenant(t, 'outage');
    expect((await t.request({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    await server.stop();
    const res = await t.request({ method: 'GET', url: '/health' });
    // A load balancer must not take every instance out for a Redis they all share: they still route.
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'degraded', checks: { database: { status: 'ok' }, redis: { status: 'down' } } });
    const login = await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: a.admin.email, password: a.admin.password } });
    expect(login.statusCode).toBe(200);
  });
});

const postgres = DIALECTS.find((d) => d.name === 'postgres');
describe.runIf(postgres)('postgres: database outage', () => {
  it('/health answers 503 naming the database as down', async () => {
    const t = await createTestApp(postgres!);
    try {
      expect((await t.request({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      const url = new URL((t.runtime.config.databaseUrl ?? '').toString());
      const { default: pg } = await import('pg');
      const admin = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
      await admin.connect();
      // Cut every connection of this app's database, then keep it from reconnecting.
      await admin.query(`ALTER DATABASE "${url.pathname.slice(1)}" WITH ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [url.pathname.slice(1)]);
      const res = await t.request({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json().checks.database.status).toBe('down');
      await admin.query(`ALTER DATABASE "${url.pathname.slice(1)}" WITH ALLOW_CONNECTIONS true`);
      await admin.end();
    } finally {
      await t.close();
    }
  });
});
