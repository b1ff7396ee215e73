import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditLogListResponse } from '../../src/http/audit-log.js';
import type { WebhookAuditListResponse } from '../../src/http/webhook-audit.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { newSession, parseCxml, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent } from '../support/fixtures.js';
import { runTenantIsolationTests, type IsolationContext } from '../support/isolation-matrix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const FUZZ_RUNS = 300;
const HOUR = 3_600_000;
/** Seeded rows live on 2025-03-01 (UTC), one an hour, far from anything the real webhooks write. */
const BASE = Date.UTC(2025, 2, 1);
const TYPES = ['voice_application', 'dial_callback', 'session_update', 'cdr'] as const;
const SEEDED = 25;
/** The seeded rows, the refused ones (every third, unauthorized) included. */
const ONLY_SEEDED = 'end_date=2025-03-31&include_rejected=true';

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: audit views`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'audited');
      b = await registerTenant(t, 'neighbour');
      const db = t.runtime.store.db;
      const row = (tenantId: number | null, i: number) => ({
        tenant_id: tenantId,
        event_type: TYPES[i % 4]!,
        method: 'POST',
        path: `/api/voice/application/x?token=leaked-${i}`,
        session_token: `seed-${i % 5}`,
        outcome: i % 3 === 0 ? 'unauthorized' : 'ok',
        status_code: i % 3 === 0 ? 401 : 200,
        error: null,
        // As a row written before masking existed would hold it: read must mask it anyway.
        payload: JSON.stringify({ query: {}, body: { From: '+14155550123', seq: i, password: `plain-${i}`, nested: { api_key: 'k' } } }),
        duration_ms: i,
        received_at: BASE + i * HOUR,
      });
      await db.insertInto('webhook_audit').values(Array.from({ length: SEEDED }, (_, i) => row(a.tenantId, i))).execute();
      await db.insertInto('webhook_audit').values([row(b.tenantId, 1), row(null, 2)]).execute();
      // Two rows in the same millisecond: the later one (higher id) comes first.
      await db.insertInto('webhook_audit').values([{ ...row(a.tenantId, 0), received_at: BASE - HOUR, duration_ms: 1001 }]).execute();
      await db.insertInto('webhook_audit').values([{ ...row(a.tenantId, 0), received_at: BASE - HOUR, duration_ms: 1002 }]).execute();
      await db
        .insertInto('audit_log')
        .values({
          tenant_id: a.tenantId,
          user_id: a.admin.id,
          action: 'voice_agent.updated',
          entity_type: 'voice_agent',
          entity_id: 999,
          before_state: JSON.stringify({ name: 'old', password: 'hunter2' }),
          after_state: JSON.stringify({ name: 'new', settings: { webhook_secret: 'whsec', api_key: 'k' }, has_password: true }),
          ip: '203.0.113.9',
          created_at: BASE,
        })
        .execute();
    });
    afterAll(async () => t?.close());

    const list = async <T>(url: string, token = a.admin.token): Promise<T> => {
      const res = await t.request({ method: 'GET', url, token });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      return res.json<T>();
    };
    const seqs = (body: WebhookAuditListResponse) => body.data.map((r) => (r.payload as { body: { seq: number } }).body.seq);

    it('webhook audit: newest first, paginated, with the total', async () => {
      const page1 = await list<WebhookAuditListResponse>(`/api/webhook-audit?per_page=10&${ONLY_SEEDED}`);
      expect(page1.meta).toEqual({ current_page: 1, per_page: 10, total: SEEDED + 2, last_page: 3 });
      expect(seqs(page1)).toEqual([24, 23, 22, 21, 20, 19, 18, 17, 16, 15]);
      const page3 = await list<WebhookAuditListResponse>(`/api/webhook-audit?per_page=10&page=3&${ONLY_SEEDED}`);
      expect(page3.data.map((r) => r.duration_ms)).toEqual([4, 3, 2, 1, 0, 1002, 1001]);
      expect(page3.data[0]).toMatchObject({ event_type: 'voice_application', method: 'POST', session_token: 'seed-4', outcome: 'ok', status_code: 200, error: null, received_at: new Date(BASE + 4 * HOUR).toISOString() });
      const beyond = await list<WebhookAuditListResponse>(`/api/webhook-audit?per_page=100&page=9&${ONLY_SEEDED}`);
      expect(beyond.data).toEqual([]);
    });

    it('webhook audit: filters by event type, session token, outcome and dates, alone and together', async () => {
      const q = async (filter: string) => seqs(await list<WebhookAuditListResponse>(`/api/webhook-audit?per_page=100&start_date=2025-03-01T00:00:00Z&${ONLY_SEEDED}&${filter}`));
      expect(await q('event_type=cdr')).toEqual([23, 19, 15, 11, 7, 3]);
      expect(await q('session_token=seed-2')).toEqual([22, 17, 12, 7, 2]);
      expect(await q('outcome=unauthorized')).toEqual([24, 21, 18, 15, 12, 9, 6, 3, 0]);
      expect(await q('event_type=voice_application&outcome=ok')).toEqual([20, 16, 8, 4]);
      // Wrong-secret refusals are anyone's to send: left out unless asked for or named by the outcome filter.
      const plain = seqs(await list<WebhookAuditListResponse>('/api/webhook-audit?per_page=100&start_date=2025-03-01T00:00:00Z&end_date=2025-03-31'));
      expect(plain).toEqual([23, 22, 20, 19, 17, 16, 14, 13, 11, 10, 8, 7, 5, 4, 2, 1]);
      expect(seqs(await list<WebhookAuditListResponse>('/api/webhook-audit?per_page=100&start_date=2025-03-01T00:00:00Z&end_date=2025-03-31&include_rejected=false'))).toEqual(plain);
      expect(await q('session_token=nobody')).toEqual([]);
      const range = async (s: string) => seqs(await list<WebhookAuditListResponse>(`/api/webhook-audit?per_page=100&include_rejected=true&${s}`));
      // A date-time end is inclusive; a bare day covers the whole day.
      expect(await range('start_date=2025-03-01T10:00:00Z&end_date=2025-03-01T12:00:00Z')).toEqual([12, 11, 10]);
      expect(await range('start_date=2025-03-01T11:00:00%2B01:00&end_date=2025-03-01T11:59:59.999Z')).toEqual([11, 10]);
      expect(await range('start_date=2025-03-02&end_date=2025-03-02')).toEqual([24]);
      expect((await range('start_date=2025-03-01&end_date=2025-03-01')).length).toBe(24);
    });

    it('webhook audit: a bare day is a day in the tenant time zone', async () => {
      await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { timezone: 'America/New_York' } } });
      try {
        // 2025-02-28 in New York (UTC-5) runs to 05:00 UTC on March 1st.
        expect(seqs(await list<WebhookAuditListResponse>('/api/webhook-audit?per_page=100&include_rejected=true&start_date=2025-02-28&end_date=2025-02-28'))).toEqual([4, 3, 2, 1, 0, 0, 0]);
      } finally {
        await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { timezone: 'UTC' } } });
      }
    });

    it('webhook audit: real webhooks appear with their outcome, and secrets never do', async () => {
      const secret = await webhookSecret(t, a.admin.token);
      const s = newSession();
      const ok = await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, s) });
      expect(parseCxml(ok.body)).toBeTruthy();
      const refused = await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: 'Bearer wrong-secret' }, payload: voiceBody(a.domain, s) });
      expect(refused.statusCode).toBe(401);
      await t.runtime.services.routing.audit.flush();
      const body = await list<WebhookAuditListResponse>(`/api/webhook-audit?session_token=${s}&include_rejected=true`, a.analyst.token);
      expect(body.data.map((r) => [r.event_type, r.outcome, r.status_code])).toEqual([['voice_application', 'unauthorized', 401], ['voice_application', 'ok', 200]]);
      expect(body.data[1]!.payload).toMatchObject({ body: { From: '+14155550123', Session: s } });
      expect(body.data[1]!.path).toContain('token=********');
      const everything = JSON.stringify(await list<WebhookAuditListResponse>(`/api/webhook-audit?per_page=100&include_rejected=true`));
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain('plain-');
      expect(everything).not.toContain('leaked-');
      expect(everything).not.toContain('wrong-secret');
      expect(everything).toContain('"password":"********"');
    });

    it('audit log: configuration changes newest first, with who did them, filterable', async () => {
      const agent = await createAgent(t, a.admin.token, { username: 'agent-user', password: 'agent-pass-123' });
      expect((await t.request({ method: 'PUT', url: `/api/voice-agents/${agent}`, token: a.admin.token, payload: { description: 'changed' } })).statusCode).toBe(200);
      expect((await t.request({ method: 'PATCH', url: `/api/voice-agents/${agent}/toggle`, token: a.admin.token })).statusCode).toBe(200);
      const forAgent = await list<AuditLogListResponse>(`/api/audit-log?entity_type=voice_agent&entity_id=${agent}`, a.analyst.token);
      expect(forAgent.data.map((e) => e.action)).toEqual(['voice_agent.disabled', 'voice_agent.updated', 'voice_agent.created']);
      expect(forAgent.data[0]).toMatchObject({ user_id: a.admin.id, user_name: 'audited admin', entity_type: 'voice_agent', entity_id: agent });
      expect(forAgent.data[0]!.before).toMatchObject({ enabled: true });
      expect(forAgent.data[0]!.after).toMatchObject({ enabled: false });
      expect(forAgent.data[2]!.before).toBeNull();
      expect(JSON.stringify(forAgent)).not.toContain('agent-pass-123');
      expect((await list<AuditLogListResponse>('/api/audit-log?action=voice_agent.updated&entity_type=voice_agent')).data.map((e) => e.entity_id)).toEqual([agent, 999]);
      // The analyst changed nothing: its only rows are its sign-ins.
      expect((await list<AuditLogListResponse>(`/api/audit-log?user_id=${a.analyst.id}`)).data.map((e) => e.action)).toEqual(['auth.signed_in']);
      const byAdmin = await list<AuditLogListResponse>(`/api/audit-log?user_id=${a.admin.id}&per_page=2`);
      expect(byAdmin.data).toHaveLength(2);
      expect(byAdmin.meta.total).toBeGreaterThanOrEqual(5);
      const all = await list<AuditLogListResponse>('/api/audit-log?per_page=100');
      const times = all.data.map((e) => Date.parse(e.created_at));
      expect(times).toEqual([...times].sort((x, y) => y - x));
    });

    it('audit log: dates, and secrets masked on read even when stored in clear', async () => {
      const old = await list<AuditLogListResponse>('/api/audit-log?start_date=2025-03-01&end_date=2025-03-01T00:00:00Z');
      expect(old.data).toHaveLength(1);
      expect(old.data[0]).toMatchObject({
        entity_id: 999,
        ip: '203.0.113.9',
        user_name: 'audited admin',
        before: { name: 'old', password: '********' },
        after: { name: 'new', settings: { webhook_secret: '********', api_key: '********' }, has_password: true },
        created_at: new Date(BASE).toISOString(),
      });
      expect((await list<AuditLogListResponse>('/api/audit-log?start_date=2025-03-01T00:00:00.001Z&end_date=2025-03-31')).data).toEqual([]);
    });

    it('another tenant sees only its own rows', async () => {
      const wb = await list<WebhookAuditListResponse>('/api/webhook-audit?per_page=100&include_rejected=true', b.admin.token);
      expect(seqs(wb)).toEqual([1]);
      const lb = await list<AuditLogListResponse>('/api/audit-log?per_page=100', b.admin.token);
      expect(lb.data.every((e) => e.entity_id !== 999 && e.user_id !== a.admin.id)).toBe(true);
    });

    it('bad filters are a 422 naming the field', async () => {
      const cases: [string, string][] = [
        ['/api/webhook-audit?event_type=email', 'event_type'],
        ['/api/webhook-audit?per_page=101', 'per_page'],
        ['/api/webhook-audit?page=0', 'page'],
        ['/api/webhook-audit?start_date=2025-02-30', 'start_date'],
        ['/api/webhook-audit?start_date=yesterday', 'start_date'],
        ['/api/webhook-audit?end_date=2025-03-01T10:00', 'end_date'],
        ['/api/webhook-audit?start_date=2025-03-02&end_date=2025-03-01', 'end_date'],
        ['/api/webhook-audit?outcome=OK!', 'outcome'],
        [`/api/webhook-audit?session_token=${'x'.repeat(129)}`, 'session_token'],
        ['/api/audit-log?entity_id=abc', 'entity_id'],
        ['/api/audit-log?user_id=-1', 'user_id'],
        ['/api/audit-log?entity_id=99999999999', 'entity_id'],
        ['/api/audit-log?action=DROP%20TABLE', 'action'],
        ['/api/audit-log?end_date=1700000000000', 'end_date'],
      ];
      for (const [url, field] of cases) {
        const res = await t.request({ method: 'GET', url, token: a.admin.token });
        expect(res.statusCode, url).toBe(422);
        expect(res.json().error.details.fields, url).toHaveProperty(field);
      }
    });

    it(`${FUZZ_RUNS} random query strings per list route never get a 5xx`, async () => {
      const value = fc.oneof(
        fc.string(),
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.integer().map(String),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
        fc.constantFrom('', ' ', 'ok', 'cdr', 'voice_agent', 'true', 'false', '0', '-1', '1e3', '2025-13-01', "' OR 1=1 --", '%', '_', '\\'),
      );
      const routes = [
        { url: '/api/webhook-audit', keys: ['page', 'per_page', 'event_type', 'session_token', 'outcome', 'start_date', 'end_date', 'include_rejected', 'x'] },
        { url: '/api/audit-log', keys: ['page', 'per_page', 'entity_type', 'entity_id', 'action', 'user_id', 'start_date', 'end_date', 'x'] },
      ];
      for (const route of routes) {
        const statuses = new Map<number, number>();
        for (const query of fc.sample(fc.dictionary(fc.constantFrom(...route.keys), value, { maxKeys: 4 }), { numRuns: FUZZ_RUNS, seed: 4242 })) {
          const res = await t.request({ method: 'GET', url: route.url, query, token: a.analyst.token });
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode >= 500) throw new Error(`${route.url} answered ${res.statusCode} to ${JSON.stringify(query)}: ${res.body}`);
          expect([200, 422], JSON.stringify(query)).toContain(res.statusCode);
        }
        expect(statuses.get(200) ?? 0, route.url).toBeGreaterThan(0);
        expect(statuses.get(422) ?? 0, route.url).toBeGreaterThan(0);
      }
    });

    describe('isolation matrix', () => {
      const ctx = (): IsolationContext => ({ t, a, b, ids: {} });
      runTenantIsolationTests(ctx, [
        { method: 'GET', url: () => '/api/webhook-audit', scope: 'own', access: 'read' },
        { method: 'GET', url: () => '/api/audit-log', scope: 'own', access: 'read' },
      ]);
    });
  });
}
