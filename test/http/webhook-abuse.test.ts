import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookAuditListResponse } from '../../src/http/webhook-audit.js';
import { readJson } from '../../src/store/json-column.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, type TestDialect } from '../support/backends.js';
import { dialedService, newSession, parseCxml, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { auditFootprint, junkWebhooks } from '../support/junk-webhooks.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** A minute boundary plus 15 s: Retry-After is then 45. */
const T0 = Date.UTC(2026, 10, 24, 9, 0, 15);
const JUNK = 5000;

interface Tenant {
  a: TenantActors;
  secret: string;
}

async function routedTenant(t: TestApp, label: string): Promise<Tenant> {
  const a = await registerTenant(t, label);
  const secret = await webhookSecret(t, a.admin.token);
  const agent = await createAgent(t, a.admin.token);
  const group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: agent }]);
  await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: a.admin.token, payload: { pattern: '*', target_type: 'group', target_id: group } });
  return { a, secret };
}

/** Opens an app whose clock the test moves. */
async function clockedApp(dialect: TestDialect, env: Record<string, string> = {}) {
  const clock = { now: T0 };
  const t = await createTestApp(dialect, env, { clock: () => clock.now });
  return { t, clock };
}

const voiceFrom = (t: TestApp, x: Tenant, remoteAddress: string, secret = x.secret) =>
  t.request({ method: 'POST', url: `/api/voice/application/${x.a.domain}?token=${encodeURIComponent(secret)}`, payload: voiceBody(x.a.domain, newSession()), remoteAddress });

/** A stored payload: text on SQLite and MariaDB, parsed already on PostgreSQL (jsonb). */
const payloadOf = (value: unknown): unknown => readJson<unknown>(value, null);

async function flushAudit(t: TestApp): Promise<void> {
  // A refusal judged after its answer (onResponse) may still be counting.
  await new Promise((resolve) => setTimeout(resolve, 30));
  t.runtime.services.routing.rejections.flushSummaries();
  await t.runtime.services.routing.audit.flush();
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: refused webhooks are limited`, () => {
    let t: TestApp;
    let clock: { now: number };
    let x: Tenant;
    let y: Tenant;
    beforeAll(async () => {
      ({ t, clock } = await clockedApp(dialect, { WEBHOOK_REJECTIONS_PER_SOURCE: '5', WEBHOOK_REJECTIONS_PER_TENANT: '8' }));
      x = await routedTenant(t, 'limited');
      y = await routedTenant(t, 'bystander');
    });
    afterAll(async () => t?.close());

    it('per source address: 429 with Retry-After after the limit, for wrong secrets and unknown domains alike; valid traffic from it still routed', async () => {
      clock.now = T0;
      const from = '203.0.113.7';
      for (let i = 0; i < 4; i++) expect((await voiceFrom(t, x, from, 'wrong')).statusCode).toBe(401);
      expect((await t.request({ method: 'POST', url: '/api/voice/session/cdr/nobody.example.net', payload: {}, remoteAddress: from })).statusCode).toBe(404);
      const limited = await voiceFrom(t, x, from, 'wrong');
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBe('45');
      expect(limited.json().error.code).toBe('rate_limited');
      expect((await t.request({ method: 'GET', url: '/api/voice/callback/nobody.example.net', remoteAddress: from })).statusCode).toBe(429);
      // The right secret from the same address is never limited, on any webhook.
      const ok = await voiceFrom(t, x, from);
      expect(ok.statusCode).toBe(200);
      expect(dialedService(ok.body)).not.toBeNull();
      const update = await t.request({ method: 'POST', url: `/api/voice/session/update/${x.a.domain}?token=${x.secret}`, payload: { token: newSession(), status: 'ringing' }, remoteAddress: from });
      expect(update.statusCode).toBe(200);
      // Another address is not limited by this one; IPv6 counts by /64, IPv4-mapped as IPv4.
      expect((await voiceFrom(t, y, '203.0.113.8', 'wrong')).statusCode).toBe(401);
      expect((await voiceFrom(t, y, '::ffff:203.0.113.7', 'wrong')).statusCode).toBe(429);
      clock.now += 60_000;
      expect((await voiceFrom(t, y, from, 'wrong')).statusCode).toBe(401);
    });

    it('per tenant: wrong secrets from many addresses are limited together, the tenant itself is not, nor its neighbour', async () => {
      clock.now = T0 + 10 * 60_000;
      const codes: number[] = [];
      for (let i = 0; i < 10; i++) codes.push((await voiceFrom(t, x, `198.51.100.${i + 1}`, `wrong-${i}`)).statusCode);
      expect(codes).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429, 429]);
      expect((await voiceFrom(t, x, '198.51.100.99')).statusCode).toBe(200);
      expect((await voiceFrom(t, y, '198.51.100.99', 'wrong')).statusCode).toBe(401);
      // Unknown domains count together, whoever sends them.
      const unknown: number[] = [];
      for (let i = 0; i < 10; i++) unknown.push((await t.request({ method: 'POST', url: `/api/voice/session/update/junk-${i}.example.net`, payload: {}, remoteAddress: `192.0.2.${i + 1}` })).statusCode);
      expect(unknown).toEqual([404, 404, 404, 404, 404, 404, 404, 404, 429, 429]);
    });

    it('a body it cannot use with the right secret is refused 422 and sampled, never limited', async () => {
      clock.now = T0 + 20 * 60_000;
      for (let i = 0; i < 30; i++) {
        const res = await t.request({ method: 'POST', url: `/api/voice/session/cdr/${y.a.domain}?token=${y.secret}`, payload: { junk: i }, remoteAddress: '203.0.113.50' });
        expect(res.statusCode).toBe(422);
      }
      await flushAudit(t);
      const rows = (await t.runtime.services.repos.webhookAudit.list(y.a.tenantId, 200)).filter((r) => r.event_type === 'cdr');
      expect(rows.filter((r) => r.outcome === 'invalid').length).toBe(5);
      const summary = rows.find((r) => r.outcome === 'suppressed');
      expect(payloadOf(summary?.payload)).toMatchObject({ suppressed: 25, outcomes: { invalid: 25 }, sources: { '203.0.113.50': 25 } });
    });
  });

  describe(`${dialect.name}: refused webhooks are sampled in the audit`, () => {
    let t: TestApp;
    let clock: { now: number };
    let x: Tenant;
    beforeAll(async () => {
      ({ t, clock } = await clockedApp(dialect, { WEBHOOK_REJECTIONS_PER_SOURCE: '1000', WEBHOOK_REJECTIONS_PER_TENANT: '1000' }));
      x = await routedTenant(t, 'sampled');
    });
    afterAll(async () => t?.close());

    const view = async (query = '') => {
      const res = await t.request({ method: 'GET', url: `/api/webhook-audit?per_page=100${query}`, token: x.a.analyst.token });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<WebhookAuditListResponse>();
    };

    it('the first few per source and minute are stored with a truncated payload; the rest are one summary row; the tenant view hides them until asked', async () => {
      const real = await voiceFrom(t, x, '203.0.113.1');
      expect(real.statusCode).toBe(200);
      const big = JSON.stringify({ From: '+14155550123', pad: 'x'.repeat(50_000) });
      for (let i = 0; i < 40; i++) {
        const res = await t.request({ method: 'POST', url: `/api/voice/application/${x.a.domain}?token=wrong`, headers: { 'content-type': 'application/json' }, payload: big, remoteAddress: '203.0.113.66' });
        expect(res.statusCode).toBe(401);
      }
      await flushAudit(t);
      const stored = await t.runtime.services.repos.webhookAudit.list(x.a.tenantId, 200);
      const unauthorized = stored.filter((r) => r.outcome === 'unauthorized');
      expect(unauthorized.length).toBe(5);
      for (const r of unauthorized) {
        expect(Buffer.byteLength(JSON.stringify(payloadOf(r.payload)))).toBeLessThanOrEqual(1024);
        expect(payloadOf(r.payload)).toMatchObject({ truncated: true, size: expect.any(Number), head: expect.stringContaining('+14155550123') });
      }
      const [summary] = stored.filter((r) => r.outcome === 'suppressed');
      expect(summary).toMatchObject({ event_type: 'voice_application', method: 'POST', status_code: 401, received_at: T0 });
      expect(summary!.error).toContain('35 refused requests');
      expect(payloadOf(summary!.payload)).toMatchObject({ suppressed: 35, outcomes: { unauthorized: 35 }, sources: { '203.0.113.66': 35 }, other_sources: 0 });
      expect(String(summary!.path)).not.toContain('wrong');

      const plain = await view();
      expect(plain.data.map((r) => r.outcome)).toEqual(['ok']);
      const all = await view('&include_rejected=true');
      expect(all.data.map((r) => r.outcome).sort()).toEqual(['ok', 'suppressed', 'unauthorized', 'unauthorized', 'unauthorized', 'unauthorized', 'unauthorized']);
      expect((await view('&outcome=unauthorized')).meta.total).toBe(5);
      expect((await view('&outcome=suppressed')).data[0]!.payload).toMatchObject({ suppressed: 35 });
    });

    it('a flood lasting an hour stores a few rows an hour, not a few a minute', async () => {
      clock.now = T0 + 2 * 3_600_000;
      const count = async () => (await t.runtime.services.repos.webhookAudit.list(x.a.tenantId, 1000)).reduce((m, r) => m.set(r.outcome, (m.get(r.outcome) ?? 0) + 1), new Map<string, number>());
      const before = await count();
      for (let minute = 0; minute < 10; minute++) {
        // 25 a minute, each from an address of its own: the tenant's own cap is what holds.
        for (let i = 0; i < 25; i++) expect((await voiceFrom(t, x, `203.0.113.${minute * 25 + i + 1}`, 'wrong')).statusCode).toBe(401);
        clock.now += 60_000;
      }
      await flushAudit(t);
      const after = await count();
      const added = (outcome: string) => (after.get(outcome) ?? 0) - (before.get(outcome) ?? 0);
      // 20 a minute until the hour's 60 are stored; then only each minute's summary.
      expect(added('unauthorized')).toBe(60);
      expect(added('suppressed')).toBe(10);
    });
  });

  describe(`${dialect.name}: request limits`, () => {
    let t: TestApp;
    let x: Tenant;
    beforeAll(async () => {
      t = await createTestApp(dialect, { BODY_LIMIT_BYTES: String(64 * 1024) });
      x = await routedTenant(t, 'bodies');
    });
    afterAll(async () => t?.close());

    const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    const post = (route: string, payload: string, contentType = 'application/json') =>
      t.request({ method: 'POST', url: `/api/voice/${route}/${x.a.domain}?token=${x.secret}&From=%2B14155550123&To=%2B12125550187&Session=${newSession()}`, headers: { 'content-type': contentType }, payload });

    it('a voice request whose body is too deep, too large, not JSON or holds NUL still gets CXML, routed on the path and query', async () => {
      for (const [why, body] of [
        ['too_deep', deep(8000)],
        ['too_deep', `[${'['.repeat(40)}${']'.repeat(40)}]`],
        ['too_large', JSON.stringify({ pad: 'x'.repeat(70_000) })],
        ['malformed_json', '{"From": '],
        ['nul_characters', JSON.stringify({ From: 'a\u0000b' })],
      ] as const) {
        for (const route of ['application', 'callback']) {
          const res = await post(route, body);
          expect(res.statusCode, `${route} ${why}`).toBe(200);
          expect(res.headers['content-type']).toContain('application/xml');
          const doc = parseCxml(res.body);
          if (route === 'application') expect(doc.Dial, why).toBeDefined();
          if (why === 'too_large') expect(res.headers.connection).toBe('close');
        }
      }
      await t.runtime.services.routing.audit.flush();
      const rows = await t.runtime.services.repos.webhookAudit.list(x.a.tenantId, 50);
      expect(rows.map((r) => (payloadOf(r.payload) as { body_ignored?: string }).body_ignored).filter(Boolean)).toEqual(
        expect.arrayContaining(['too_deep', 'too_large', 'malformed_json', 'nul_characters']),
      );
    });

    it('session updates and CDRs: too deep → 400, too large → 413, NUL → 422', async () => {
      for (const route of ['session/update', 'session/cdr']) {
        const tooDeep = await post(route, deep(8000));
        expect(tooDeep.statusCode).toBe(400);
        expect(tooDeep.json().error).toMatchObject({ code: 'bad_request', message: expect.stringContaining('32 levels') });
        expect((await post(route, deep(33))).statusCode).toBe(400);
        const tooLarge = await post(route, JSON.stringify({ pad: 'x'.repeat(70_000) }));
        expect(tooLarge.statusCode).toBe(413);
        expect(tooLarge.json().error.code).toBe('payload_too_large');
        expect((await post(route, JSON.stringify({ token: 'a\u0000b' }))).statusCode).toBe(422);
      }
    });

    it('lone surrogates in a body are stored as U+FFFD: neither the CDR nor the batch of audit rows fails (jsonb refuses them)', async () => {
      const session = newSession();
      const cdr = `{"domain":"${x.a.domain}","session":{"token":"${session}"},"disposition":"ANSWER","billsec":1,"note":"\\ud800","\\udfff":1}`;
      const res = await t.request({ method: 'POST', url: `/api/voice/session/cdr/${x.a.domain}?token=${x.secret}`, headers: { 'content-type': 'application/json' }, payload: cdr });
      expect(res.statusCode, res.body).toBe(200);
      const refused = await t.request({ method: 'POST', url: `/api/voice/session/cdr/${x.a.domain}?token=wrong`, headers: { 'content-type': 'application/json' }, payload: cdr });
      expect(refused.statusCode).toBe(401);
      await t.runtime.services.routing.audit.flush();
      const rows = (await t.runtime.services.repos.webhookAudit.list(x.a.tenantId, 50)).filter((r) => r.session_token === session);
      expect(rows.map((r) => r.outcome).sort()).toEqual(['ok', 'unauthorized']);
      expect(payloadOf(rows.find((r) => r.outcome === 'ok')!.payload)).toMatchObject({ body: { note: '\ufffd', '\ufffd': 1 } });
    });

    it('the admin API refuses JSON nested too deep with 400, and NUL anywhere in a path with 400', async () => {
      const res = await t.request({ method: 'PUT', url: '/api/tenant', token: x.a.admin.token, headers: { 'content-type': 'application/json' }, payload: `{"settings":${deep(5000)}}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('bad_request');
      for (const url of [`/api/voice/application/${x.a.domain}%00`, '/api/voice/session/cdr/a%00b', '/api/voice-agents/%00', '/api/users/1%00', '/%00', '/api/voice%00/application']) {
        const got = await t.request({ method: 'POST', url, token: x.a.admin.token, payload: {} });
        expect(got.statusCode, url).toBe(400);
        expect(got.json().error.code).toBe('bad_request');
      }
    });
  });

  describe(`${dialect.name}: ${JUNK} junk webhooks`, () => {
    let t: TestApp;
    let clock: { now: number };
    let x: Tenant;
    beforeAll(async () => {
      ({ t, clock } = await clockedApp(dialect));
      x = await routedTenant(t, 'victim');
    });
    afterAll(async () => t?.close());

    it('grow the database by less than 1 MB and leave the tenant audit view showing its real webhooks', async () => {
      const real = async (i: number) => {
        const res = await voiceFrom(t, x, '203.0.113.200');
        expect(res.statusCode, `real call ${i}`).toBe(200);
        expect(dialedService(res.body)).not.toBeNull();
      };
      for (let i = 0; i < 10; i++) await real(i);
      await flushAudit(t);
      const before = await auditFootprint(t, dialect.name);
      const started = performance.now();
      const statuses = new Map<number, number>();
      const junk = junkWebhooks(x.a.domain, JUNK);
      for (let i = 0; i < junk.length; i++) {
        const res = await t.request(junk[i]!);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        expect(res.statusCode, `${junk[i]!.method} ${junk[i]!.url}`).toBeLessThan(500);
        if (i % 50 === 49) clock.now += 1000; // 5,000 requests over about 100 s
        if (i % 500 === 250) await real(i);
      }
      const seconds = (performance.now() - started) / 1000;
      await flushAudit(t);
      const after = await auditFootprint(t, dialect.name, before.maxId);
      const grown = after.storedBytes !== null && before.storedBytes !== null ? after.storedBytes - before.storedBytes : null;
      console.log(JSON.stringify({ figures: 'junk-webhooks', dialect: dialect.name, requests: JUNK, seconds: Number(seconds.toFixed(1)), statuses: Object.fromEntries(statuses), rows: after.rows, bytes: after.bytes, storedGrowth: grown }));

      expect(statuses.get(429) ?? 0).toBeGreaterThan(JUNK / 2);
      expect(after.bytes).toBeLessThan(1_000_000);
      expect(after.rows).toBeLessThan(400);
      if (grown !== null) expect(grown).toBeLessThan(1_000_000);

      const page = await t.request({ method: 'GET', url: '/api/webhook-audit', token: x.a.admin.token });
      const first = page.json<WebhookAuditListResponse>();
      expect(first.data.length).toBe(20);
      expect(first.data.every((r) => r.outcome === 'ok' && r.event_type === 'voice_application')).toBe(true);
      expect(first.meta.total).toBe(20);
      const withRejected = await t.request({ method: 'GET', url: '/api/webhook-audit?include_rejected=true&outcome=suppressed&per_page=100', token: x.a.admin.token });
      const counted = withRejected.json<WebhookAuditListResponse>().data.reduce((n, r) => n + (r.payload as { suppressed: number }).suppressed, 0);
      expect(counted).toBeGreaterThan(0);
    });
  });
}
