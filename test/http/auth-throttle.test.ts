import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTenant } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL } from '../support/backends.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const sqlite = DIALECTS[0]!;
const login = (t: TestApp, email: string, password = 'wrong password', remoteAddress = '127.0.0.1') =>
  t.request({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress });

function expectThrottled(res: Awaited<ReturnType<typeof login>>, what: string): void {
  expect(res.statusCode).toBe(429);
  expect(res.json().error.code).toBe('rate_limited');
  expect(res.json().error.message).toContain(what);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: sign-in throttled per address across emails`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect, { LOGIN_MAX_ATTEMPTS: '3', LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '5', LOGIN_WINDOW_SECONDS: '60' });
    });
    afterAll(async () => t?.close());

    it('answers 429 with Retry-After once one address has tried too many accounts, and spares other addresses', async () => {
      const a = await registerTenant(t); // its analyst's sign-in is the address's first attempt
      const spray = '10.1.0.7';
      for (let i = 0; i < 5; i += 1) expect((await login(t, `nobody-${i}@spray.test`, 'wrong password', spray)).statusCode).toBe(401);
      // A right password does not get through either: no hash is computed for a throttled attempt.
      expectThrottled(await login(t, a.admin.email, a.admin.password, spray), 'from this address');
      expect((await login(t, a.admin.email, a.admin.password, '10.1.0.8')).statusCode).toBe(200);
    });

    it('still limits one account per address below the address limit', async () => {
      const a = await registerTenant(t);
      const from = '10.2.0.9';
      for (let i = 0; i < 3; i += 1) expect((await login(t, a.admin.email, 'wrong password', from)).statusCode).toBe(401);
      expectThrottled(await login(t, a.admin.email, a.admin.password, from), 'for this account');
      expect((await login(t, a.analyst.email, a.analyst.password, from)).statusCode).toBe(200);
    });
  });
}

describe('sqlite + a private Redis: sign-in throttling when Redis goes away', () => {
  let server: PrivateRedis;
  let t: TestApp;
  beforeAll(async () => {
    server = await startPrivateRedis();
    t = await createTestApp(sqlite, { REDIS_URL: server.url, LOGIN_MAX_ATTEMPTS: '3', LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '100' });
  });
  afterAll(async () => {
    await t?.close();
    await server?.stop();
  });

  it('counts in Redis while it is up, then keeps limiting on this instance once it is stopped', async () => {
    const a = await registerTenant(t);
    expect((await login(t, a.admin.email, 'wrong password', '10.3.0.1')).statusCode).toBe(401);
    const probe = new Redis(server.url);
    try {
      expect((await probe.keys('*ratelimit:login*10.3.0.1*')).length).toBeGreaterThan(0);
    } finally {
      probe.disconnect();
    }

    await server.stop();
    const from = '10.3.0.2';
    for (let i = 0; i < 3; i += 1) expect((await login(t, a.admin.email, 'wrong password', from)).statusCode).toBe(401);
    expectThrottled(await login(t, a.admin.email, a.admin.password, from), 'for this account');
    // Other accounts still sign in: the fallback limits, it does not lock everyone out.
    expect((await login(t, a.analyst.email, a.analyst.password, from)).statusCode).toBe(200);
    expect(t.logs.filter((l) => l.includes('rate limits are counted on this instance only'))).toHaveLength(1);
  });
});

describe.runIf(TEST_REDIS_URL)('redis: the per-address count is shared by every instance', () => {
  let one: TestApp;
  let two: TestApp;
  const file = join(tmpdir(), `vlb-throttle-${process.pid}-${Date.now()}.sqlite`);
  beforeAll(async () => {
    // Two instances over one database and one Redis key space, as when scaled.
    const prefix = `vlbt:${randomBytes(4).toString('hex')}:`;
    const env = { DATABASE_URL: `sqlite:${file}`, APP_KEY: 'c'.repeat(64), REDIS_URL: TEST_REDIS_URL!, LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '4' };
    one = await createTestApp(sqlite, env, { redisKeyPrefix: prefix });
    two = await createTestApp(sqlite, env, { redisKeyPrefix: prefix });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  });

  it('answers 429 on the second instance for attempts made on the first', async () => {
    const from = `10.4.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
    for (let i = 0; i < 2; i += 1) expect((await login(one, `nobody-${i}@shared.test`, 'wrong password', from)).statusCode).toBe(401);
    for (let i = 2; i < 4; i += 1) expect((await login(two, `nobody-${i}@shared.test`, 'wrong password', from)).statusCode).toBe(401);
    expectThrottled(await login(one, 'nobody-4@shared.test', 'wrong password', from), 'from this address');
    expectThrottled(await login(two, 'nobody-5@shared.test', 'wrong password', from), 'from this address');
  });
});
