import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudonixConnectionResponse } from '../../src/http/cloudonix.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL, type TestDialect } from '../support/backends.js';
import { startFakeCloudonix, type FakeCloudonix } from '../support/fake-cloudonix-api.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface ErrorResponse {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
interface AuditRow {
  action: string;
  before_state: unknown;
  after_state: unknown;
}

const BACKENDS: Array<{ name: string; dialect: TestDialect; env: Record<string, string> }> = [
  ...DIALECTS.map((dialect) => ({ name: dialect.name, dialect, env: {} })),
  ...(TEST_REDIS_URL ? [{ name: 'sqlite+redis', dialect: DIALECTS[0]!, env: { REDIS_URL: TEST_REDIS_URL } }] : []),
];

/** The per-tenant Cloudonix connection over HTTP, against the local fake Cloudonix, on every backend. */
for (const backend of BACKENDS) {
  describe(`${backend.name}: Cloudonix connection`, () => {
    let t: TestApp;
    let fake: FakeCloudonix;
    let a: TenantActors;
    let b: TenantActors;
    let keyA: string;

    const get = (token: string) => t.request({ method: 'GET', url: '/api/cloudonix/connection', token });
    const put = (token: string, payload: unknown) => t.request({ method: 'PUT', url: '/api/cloudonix/connection', token, payload: payload as Record<string, unknown> });
    const del = (token: string) => t.request({ method: 'DELETE', url: '/api/cloudonix/connection', token });
    const auditOf = async (actors: TenantActors): Promise<AuditRow[]> => {
      const rows = await t.runtime.store.db.selectFrom('audit_log').select(['action', 'before_state', 'after_state']).where('tenant_id', '=', actors.tenantId).where('entity_type', '=', 'cloudonix_connection').orderBy('id').execute();
      return rows as AuditRow[];
    };

    beforeAll(async () => {
      fake = await startFakeCloudonix();
      t = await createTestApp(backend.dialect, { ...backend.env, CLOUDONIX_API_URL: fake.url });
      [a, b] = await Promise.all([registerTenant(t, 'conn-a'), registerTenant(t, 'conn-b')]);
      keyA = fake.domains.add(a.domain).apiKey;
      fake.domains.add(b.domain);
    });
    afterAll(async () => {
      await t?.close();
      await fake?.close();
    });

    it('starts not connected, naming the domain the key must belong to and the API it will call', async () => {
      const res = await get(a.analyst.token);
      expect(res.statusCode).toBe(200);
      expect(res.json<CloudonixConnectionResponse>()).toEqual({
        connected: false, domain: a.domain, api_url: fake.url, key_hint: null, verify_unknown_sessions: false, connected_at: null, last_setup_at: null,
      });
    });

    it('refuses a key Cloudonix refuses, in words, and saves nothing', async () => {
      const wrong = await put(a.admin.token, { api_key: 'XI0000000000000000000000000000wrong' });
      expect(wrong.statusCode).toBe(422);
      const body = wrong.json<ErrorResponse>();
      expect(body.error.code).toBe('cloudonix_key_refused');
      expect(body.error.message).toContain(`API key for domain ${a.domain}`);
      expect(body.error.message).toContain('starts with XI');
      expect(wrong.body).not.toContain('XI0000000000000000000000000000wrong');

      // A key of another domain is refused for this one.
      const foreign = await put(a.admin.token, { api_key: fake.keyOf(b.domain) });
      expect(foreign.statusCode).toBe(422);
      expect(foreign.json<ErrorResponse>().error.code).toBe('cloudonix_key_refused');
      expect((await get(a.admin.token)).json<CloudonixConnectionResponse>().connected).toBe(false);
    });

    it('says 424 when Cloudonix cannot be reached, and 422 for a key that is not one', async () => {
      fake.failNext(503, { status: 503, message: 'Service Unavailable' });
      const down = await put(a.admin.token, { api_key: keyA });
      expect(down.statusCode).toBe(424);
      expect(down.json<ErrorResponse>().error).toMatchObject({ code: 'cloudonix_failed', details: { kind: 'unreachable', status: 503 } });

      for (const payload of [{}, { api_key: 'Bearer XIabc123456789' }, { api_key: 'short' }, { verify_unknown_sessions: 'yes' }, { api_key: keyA, extra: 1 }]) {
        const res = await put(a.admin.token, payload);
        expect([400, 422], JSON.stringify(payload)).toContain(res.statusCode);
      }
      expect((await get(a.admin.token)).json<CloudonixConnectionResponse>().connected).toBe(false);
    });

    it('changing only the option needs a key first', async () => {
      const res = await put(a.admin.token, { verify_unknown_sessions: true });
      expect(res.statusCode).toBe(409);
      expect(res.json<ErrorResponse>().error.code).toBe('cloudonix_not_connected');
    });

    it('saves a key Cloudonix accepts, sealed, shown only by its last 4 characters, and audited without it', async () => {
      fake.clearRequests();
      const res = await put(a.admin.token, { api_key: keyA, verify_unknown_sessions: true });
      expect(res.statusCode, res.body).toBe(200);
      const view = res.json<CloudonixConnectionResponse>();
      expect(view).toMatchObject({ connected: true, domain: a.domain, key_hint: `…${keyA.slice(-4)}`, verify_unknown_sessions: true, last_setup_at: null });
      expect(Date.parse(view.connected_at ?? '')).toBeGreaterThan(0);
      expect(res.body).not.toContain(keyA);
      // The key was tried with Cloudonix on the tenant's own domain.
      expect(fake.requests).toEqual([expect.objectContaining({ method: 'GET', path: `/customers/self/domains/${a.domain}`, authorization: `Bearer ${keyA}` })]);

      const stored = await t.runtime.store.db.selectFrom('cloudonix_connections').selectAll().where('tenant_id', '=', a.tenantId).executeTakeFirstOrThrow();
      expect(stored.api_key_sealed).not.toContain(keyA);
      expect(await t.runtime.services.cloudonix.connection.accessFor(a.tenantId)).toEqual({ domain: a.domain, apiKey: keyA });

      const audit = await auditOf(a);
      expect(audit.map((r) => r.action)).toEqual(['cloudonix_connection.updated']);
      expect(JSON.stringify(audit)).not.toContain(keyA);

      const read = await get(a.analyst.token);
      expect(read.json<CloudonixConnectionResponse>()).toEqual(view);
      expect(read.body).not.toContain(keyA);
    });

    it('turns the option off without touching the key', async () => {
      const res = await put(a.admin.token, { verify_unknown_sessions: false });
      expect(res.statusCode).toBe(200);
      expect(res.json<CloudonixConnectionResponse>()).toMatchObject({ connected: true, verify_unknown_sessions: false, key_hint: `…${keyA.slice(-4)}` });
      expect(await t.runtime.services.cloudonix.connection.verifiesUnknownSessions(a.tenantId)).toBe(false);
      expect(await t.runtime.services.cloudonix.connection.accessFor(a.tenantId)).toEqual({ domain: a.domain, apiKey: keyA });
    });

    it('lets analysts read but not change or remove the connection', async () => {
      expect((await put(a.analyst.token, { verify_unknown_sessions: true })).statusCode).toBe(403);
      expect((await del(a.analyst.token)).statusCode).toBe(403);
      expect((await t.request({ method: 'GET', url: '/api/cloudonix/connection' })).statusCode).toBe(401);
    });

    it("keeps each tenant to its own connection: B neither sees nor changes A's", async () => {
      const seen = await get(b.admin.token);
      expect(seen.json<CloudonixConnectionResponse>()).toMatchObject({ connected: false, domain: b.domain, key_hint: null });
      expect((await put(b.admin.token, { verify_unknown_sessions: true })).statusCode).toBe(409);
      expect((await del(b.admin.token)).statusCode).toBe(204);
      expect(await t.runtime.services.cloudonix.connection.accessFor(b.tenantId)).toBeNull();
      expect((await get(a.admin.token)).json<CloudonixConnectionResponse>().connected).toBe(true);
      // B's own key works for B only.
      const own = await put(b.admin.token, { api_key: fake.keyOf(b.domain) });
      expect(own.statusCode).toBe(200);
      expect((await t.runtime.services.cloudonix.connection.accessFor(a.tenantId))?.apiKey).toBe(keyA);
    });

    it('forgets the key on DELETE (audited), and a second DELETE is harmless', async () => {
      expect((await del(a.admin.token)).statusCode).toBe(204);
      expect((await get(a.admin.token)).json<CloudonixConnectionResponse>()).toMatchObject({ connected: false, key_hint: null, verify_unknown_sessions: false });
      expect(await t.runtime.services.cloudonix.connection.accessFor(a.tenantId)).toBeNull();
      expect((await del(a.admin.token)).statusCode).toBe(204);
      expect((await auditOf(a)).map((r) => r.action)).toEqual(['cloudonix_connection.updated', 'cloudonix_connection.updated', 'cloudonix_connection.removed']);
    });

    it('never wrote a key into a log line', () => {
      const logs = t.logs.join('\n');
      expect(logs).not.toContain(keyA);
      expect(logs).not.toContain(fake.keyOf(b.domain));
    });
  });
}
