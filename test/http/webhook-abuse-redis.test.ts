import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTenant } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL } from '../support/backends.js';
import { newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const sqlite = DIALECTS[0]!;
const LIMITS = { WEBHOOK_REJECTIONS_PER_SOURCE: '6', WEBHOOK_REJECTIONS_PER_TENANT: '1000' };

async function routedTenant(t: TestApp, label: string) {
  const a = await registerTenant(t, label);
  const secret = await webhookSecret(t, a.admin.token);
  const agent = await createAgent(t, a.admin.token);
  const group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: agent }]);
  await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: a.admin.token, payload: { pattern: '*', target_type: 'group', target_id: group } });
  return { domain: a.domain, secret };
}

const refused = (t: TestApp, domain: string, remoteAddress: string) =>
  t.request({ method: 'POST', url: `/api/voice/application/${domain}?token=wrong`, payload: voiceBody(domain, newSession()), remoteAddress });

describe.runIf(TEST_REDIS_URL)('redis: refused webhooks are counted across instances', () => {
  let one: TestApp;
  let two: TestApp;
  beforeAll(async () => {
    const env = { DATABASE_URL: `sqlite:/tmp/vlb-abuse-${process.pid}-${Date.now()}.sqlite`, APP_KEY: 'c'.repeat(64), REDIS_URL: TEST_REDIS_URL!, ...LIMITS };
    const cluster = { redisKeyPrefix: `vlbt:abuse-${process.pid}-${Date.now()}:` };
    one = await createTestApp(sqlite, env, cluster);
    two = await createTestApp(sqlite, env, cluster);
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  it('one address refused on either instance reaches the limit once, not once per instance', async () => {
    const { domain, secret } = await routedTenant(one, 'shared-count');
    const from = '198.51.100.21';
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) codes.push((await refused(i % 2 === 0 ? one : two, domain, from)).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    const ok = await two.request({ method: 'POST', url: `/api/voice/application/${domain}?token=${secret}`, payload: voiceBody(domain, newSession()), remoteAddress: from });
    expect(ok.statusCode).toBe(200);
  });
});

describe.runIf(TEST_REDIS_URL)('redis: refused webhooks with Redis stopped', () => {
  let server: PrivateRedis;
  let t: TestApp;
  beforeAll(async () => {
    server = await startPrivateRedis();
    t = await createTestApp(sqlite, { REDIS_URL: server.url, ...LIMITS });
  });
  afterAll(async () => {
    await t?.close();
    await server?.stop();
  });

  it('are still limited, on this instance alone, and valid calls still get CXML', async () => {
    const { domain, secret } = await routedTenant(t, 'outage-limit');
    await server.stop();
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) codes.push((await refused(t, domain, '198.51.100.22')).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    const ok = await t.request({ method: 'POST', url: `/api/voice/application/${domain}?token=${secret}`, payload: voiceBody(domain, newSession()), remoteAddress: '198.51.100.22' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toContain('application/xml');
  });
});
