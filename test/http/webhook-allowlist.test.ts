import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const sqlite = DIALECTS[0]!;
const ALLOWED = ['203.0.113.0/24', '198.51.100.7', '2001:db8:cafe::/48'];

async function routedTenant(t: TestApp, label: string): Promise<{ a: TenantActors; secret: string }> {
  const a = await registerTenant(t, label);
  const agent = await createAgent(t, a.admin.token);
  const group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: agent }]);
  await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: a.admin.token, payload: { pattern: '*', target_type: 'group', target_id: group } });
  return { a, secret: await webhookSecret(t, a.admin.token) };
}

const allow = (t: TestApp, a: TenantActors, allowed_sources: string[]) =>
  t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { webhook_security: { allowed_sources } } } });

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: webhook source allowlist`, () => {
    let t: TestApp;
    let x: { a: TenantActors; secret: string };
    beforeAll(async () => {
      t = await createTestApp(dialect, { SIGNUP: 'open', WEBHOOK_REJECTIONS_PER_SOURCE: '6' });
      x = await routedTenant(t, 'allowlist');
      const res = await allow(t, x.a, ALLOWED);
      expect(res.statusCode).toBe(200);
      expect(res.json().settings.webhook_security.allowed_sources).toEqual(ALLOWED);
    });
    afterAll(async () => t?.close());

    const voiceFrom = (remoteAddress: string) =>
      t.request({ method: 'POST', url: `/api/voice/application/${x.a.domain}?token=${x.secret}`, payload: voiceBody(x.a.domain, newSession()), remoteAddress });
    const cdrFrom = (remoteAddress: string) =>
      t.request({ method: 'POST', url: `/api/voice/session/cdr/${x.a.domain}?token=${x.secret}`, payload: { domain: x.a.domain, session: { token: newSession() } }, remoteAddress });

    it('answers 200 from inside the listed networks, IPv4 and IPv6 (IPv4-mapped too), and 403 from outside even with the right secret', async () => {
      for (const inside of ['203.0.113.9', '198.51.100.7', '::ffff:203.0.113.200', '2001:db8:cafe:1::5']) {
        expect((await voiceFrom(inside)).statusCode, inside).toBe(200);
      }
      expect((await cdrFrom('203.0.113.10')).statusCode).toBe(200);
      for (const outside of ['198.51.100.8', '192.0.2.1', '2001:db8:beef::1']) {
        const res = await voiceFrom(outside);
        expect(res.statusCode, outside).toBe(403);
        expect(res.json().error.code).toBe('forbidden');
      }
    });

    it('refusals from outside are limited per address (429 + Retry-After) and only sampled into the audit', async () => {
      const from = '192.0.2.50';
      const codes: number[] = [];
      for (let i = 0; i < 10; i++) codes.push((await cdrFrom(from)).statusCode);
      expect(codes.slice(0, 6)).toEqual([403, 403, 403, 403, 403, 403]);
      expect(codes.slice(6)).toEqual([429, 429, 429, 429]);
      const limited = await voiceFrom(from);
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // An allowed address is not limited by another's refusals.
      expect((await voiceFrom('203.0.113.11')).statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 30));
      t.runtime.services.routing.rejections.flushSummaries();
      await t.runtime.services.routing.audit.flush();
      const rows = await t.runtime.store.db.selectFrom('webhook_audit').select(['outcome', 'status_code']).where('tenant_id', '=', x.a.tenantId).execute();
      const stored = rows.filter((r) => r.outcome === 'forbidden_source');
      // The first few per source and minute one by one, the rest counted in a summary row.
      expect(stored.length).toBeGreaterThan(0);
      expect(stored.length).toBeLessThanOrEqual(8);
      expect(rows.some((r) => r.outcome === 'suppressed')).toBe(true);
    });

    it('refuses entries that are not addresses or networks with 422 naming the field; an empty list allows everyone again', async () => {
      for (const bad of ['10.0.0.0/33', 'example.com', '10.1', '0x0a.0.0.1', 'fe80::1%eth0', '2001:db8::/129', '']) {
        const res = await allow(t, x.a, ['203.0.113.0/24', bad]);
        expect(res.statusCode, bad).toBe(422);
        expect(Object.keys(res.json().error.details.fields).join(' '), bad).toContain('settings.webhook_security.allowed_sources');
      }
      expect((await allow(t, x.a, Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`))).statusCode).toBe(422);
      expect((await allow(t, x.a, [])).statusCode).toBe(200);
      expect((await voiceFrom('192.0.2.77')).statusCode).toBe(200);
      expect((await allow(t, x.a, ALLOWED)).statusCode).toBe(200);
    });
  });
}

describe('sqlite: the allowlist reads the client address as the rest of the app does (TRUST_PROXY)', () => {
  let direct: TestApp;
  let proxied: TestApp;
  beforeAll(async () => {
    direct = await createTestApp(sqlite, { SIGNUP: 'open' });
    proxied = await createTestApp(sqlite, { SIGNUP: 'open', TRUST_PROXY: 'true' });
  });
  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
  });

  it('behind a trusted proxy X-Forwarded-For names the client; without TRUST_PROXY the header is ignored', async () => {
    for (const [t, expected] of [[proxied, [200, 403]], [direct, [403, 200]]] as const) {
      const x = await routedTenant(t, 'proxy');
      expect((await allow(t, x.a, ['203.0.113.0/24'])).statusCode).toBe(200);
      const send = (forwardedFor: string, remoteAddress: string) =>
        t.request({ method: 'POST', url: `/api/voice/application/${x.a.domain}?token=${x.secret}`, payload: voiceBody(x.a.domain, newSession()), remoteAddress, headers: { 'x-forwarded-for': forwardedFor } });
      expect((await send('203.0.113.5', '10.0.0.2')).statusCode).toBe(expected[0]);
      expect((await send('192.0.2.1', '203.0.113.6')).statusCode).toBe(expected[1]);
    }
  });
});
