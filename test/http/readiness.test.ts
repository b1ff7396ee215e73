import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config.js';
import { DIALECTS } from '../support/backends.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** `/ready` is what a load balancer asks before sending traffic; `/up` only whether to restart the process. */
describe('sqlite: /ready and draining', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(DIALECTS[0]!);
  });
  afterAll(async () => t?.close());

  it('answers 200 ready with the database and migrations checked, without signing in, and is in the OpenAPI document', async () => {
    const res = await t.request({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: 'ready', checks: { database: { status: 'ok' }, migrations: { status: 'ok' } } });
    expect(body.checks).not.toHaveProperty('redis');
    expect(res.headers.connection).not.toBe('close');
    const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths['/ready'].get.responses)).toEqual(expect.arrayContaining(['200', '503']));
  });

  it('once draining: /ready 503 at once, /up still 200, every other request still served with Connection: close', async () => {
    expect(t.runtime.services.drain.begin()).toBe(true);
    expect(t.runtime.services.drain.begin()).toBe(false);
    const ready = await t.request({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'draining', checks: {} });
    const up = await t.request({ method: 'GET', url: '/up' });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toEqual({ status: 'ok' });
    expect(up.headers.connection).toBe('close');
    const health = await t.request({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.headers.connection).toBe('close');
  });
});

describe('shutdown settings', () => {
  it('SHUTDOWN_DRAIN_MS and SHUTDOWN_TIMEOUT_MS: defaults 5 s and 25 s; the drain must fit inside the bound', () => {
    expect(parseConfig({}).shutdown).toEqual({ drainMs: 5000, timeoutMs: 25_000 });
    expect(parseConfig({ SHUTDOWN_DRAIN_MS: '0', SHUTDOWN_TIMEOUT_MS: '2000' }).shutdown).toEqual({ drainMs: 0, timeoutMs: 2000 });
    expect(() => parseConfig({ SHUTDOWN_DRAIN_MS: '30000' })).toThrow(/SHUTDOWN_DRAIN_MS: must be less than SHUTDOWN_TIMEOUT_MS/);
    expect(() => parseConfig({ SHUTDOWN_DRAIN_MS: '-1' })).toThrow(/SHUTDOWN_DRAIN_MS/);
    expect(() => parseConfig({ SHUTDOWN_TIMEOUT_MS: 'soon' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
  });
});

/** The database away fails readiness; Redis away does not (every instance shares it, each routes from memory). */
for (const dialect of DIALECTS.filter((d) => d.name !== 'sqlite')) {
  describe(`${dialect.name}: /ready follows the database, not Redis`, () => {
    let proxy: TcpProxy;
    let redis: PrivateRedis;
    let t: TestApp;
    beforeAll(async () => {
      proxy = await startTcpProxy(dialect.name === 'postgres' ? 5432 : 3306);
      redis = await startPrivateRedis();
      t = await createTestApp(
        dialect,
        { REDIS_URL: redis.url, LOG_LEVEL: 'silent' },
        {
          databaseUrl: (url) => {
            const u = new URL(url);
            u.host = `127.0.0.1:${proxy.port}`;
            return u.toString();
          },
        },
      );
    });
    afterAll(async () => {
      proxy?.restore();
      await t?.close();
      await proxy?.close();
      await redis?.stop();
    });

    it('503 down while the database is unreachable, 200 again once it is back; 200 with Redis down', async () => {
      expect((await t.request({ method: 'GET', url: '/ready' })).json()).toMatchObject({ status: 'ready', checks: { redis: { status: 'ok' } } });
      proxy.down();
      const down = await t.request({ method: 'GET', url: '/ready' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ status: 'down', checks: { database: { status: 'down' } } });
      // Anyone may ask: the answer names no host, port or driver message.
      for (const url of ['/ready', '/health']) {
        const body = (await t.request({ method: 'GET', url })).body;
        expect(body).not.toContain(String(proxy.port));
        expect(body).not.toContain('127.0.0.1');
        expect(body).toMatch(/"error":"(unreachable|no answer within 2000 ms)"/);
      }
      expect((await t.request({ method: 'GET', url: '/up' })).statusCode).toBe(200);
      proxy.restore();
      for (let i = 0; i < 40 && (await t.request({ method: 'GET', url: '/ready' })).statusCode !== 200; i++) await new Promise((r) => setTimeout(r, 100));
      expect((await t.request({ method: 'GET', url: '/ready' })).statusCode).toBe(200);

      await redis.stop();
      const withoutRedis = await t.request({ method: 'GET', url: '/ready' });
      expect(withoutRedis.statusCode).toBe(200);
      expect(withoutRedis.json()).toMatchObject({ status: 'ready', checks: { database: { status: 'ok' }, redis: { status: 'down' } } });
      expect(withoutRedis.body).not.toContain(new URL(redis.url).port);
      await redis.restart();
    });
  });
}
