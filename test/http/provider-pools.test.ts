import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderPoolListResponse, ProviderPoolResponse } from '../../src/http/provider-pools.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { createAgent } from '../support/fixtures.js';
import { runTenantIsolationTests } from '../support/isolation-matrix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: provider pools`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    const ids: Record<string, number> = {};

    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'pools');
      b = await registerTenant(t, 'pools-other');
      ids.pool = (await t.request({ method: 'POST', url: '/api/provider-pools', token: a.admin.token, payload: { name: 'Isolated org', max_concurrent_calls: 4 } })).json<ProviderPoolResponse>().id;
      ids.otherPool = (await t.request({ method: 'POST', url: '/api/provider-pools', token: b.admin.token, payload: { name: 'B org', max_concurrent_calls: 2 } })).json<ProviderPoolResponse>().id;
    });
    afterAll(async () => t?.close());

    const post = (payload: unknown, token = a.admin.token) => t.request({ method: 'POST', url: '/api/provider-pools', token, payload: payload as Record<string, unknown> });
    const fieldsOf = (body: string) => JSON.parse(body).error.details.fields as Record<string, string[]>;

    it('creates, lists, reads, changes and deletes a pool', async () => {
      const created = await post({ name: '  VAPI org  ', provider: 'vapi', max_concurrent_calls: 10 });
      expect(created.statusCode).toBe(201);
      const pool = created.json<ProviderPoolResponse>();
      expect(pool).toMatchObject({ name: 'VAPI org', provider: 'vapi', provider_name: 'VAPI', max_concurrent_calls: 10, agents: [] });
      const list = (await t.request({ method: 'GET', url: '/api/provider-pools', token: a.analyst.token })).json<ProviderPoolListResponse>();
      expect(list.data.map((p) => p.name)).toEqual(['Isolated org', 'VAPI org']);
      const changed = await t.request({ method: 'PUT', url: `/api/provider-pools/${pool.id}`, token: a.admin.token, payload: { max_concurrent_calls: 3 } });
      expect(changed.statusCode).toBe(200);
      expect(changed.json<ProviderPoolResponse>()).toMatchObject({ name: 'VAPI org', provider: 'vapi', max_concurrent_calls: 3 });
      expect((await t.request({ method: 'GET', url: `/api/provider-pools/${pool.id}`, token: a.analyst.token })).json<ProviderPoolResponse>().max_concurrent_calls).toBe(3);
      expect((await t.request({ method: 'DELETE', url: `/api/provider-pools/${pool.id}`, token: a.admin.token })).statusCode).toBe(204);
      expect((await t.request({ method: 'GET', url: `/api/provider-pools/${pool.id}`, token: a.admin.token })).statusCode).toBe(404);
      const audit = (await t.request({ method: 'GET', url: '/api/audit-log?entity_type=provider_pool', token: a.admin.token })).json<{ data: { action: string }[] }>();
      expect(audit.data.map((e) => e.action).sort()).toEqual(['provider_pool.created', 'provider_pool.created', 'provider_pool.deleted', 'provider_pool.updated']);
    });

    it('refuses bad input with a 422 naming the field', async () => {
      const cases: [unknown, string][] = [
        [{ max_concurrent_calls: 3 }, 'name'],
        [{ name: 'x', max_concurrent_calls: 0 }, 'max_concurrent_calls'],
        [{ name: 'x', max_concurrent_calls: 2.5 }, 'max_concurrent_calls'],
        [{ name: 'x', max_concurrent_calls: '3' }, 'max_concurrent_calls'],
        [{ name: 'x' }, 'max_concurrent_calls'],
        [{ name: 'x', provider: 'nope', max_concurrent_calls: 3 }, 'provider'],
        [{ name: 'x', max_concurrent_calls: 3, extra: 1 }, ''],
      ];
      for (const [payload, field] of cases) {
        const res = await post(payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(422);
        if (field) expect(Object.keys(fieldsOf(res.body))).toContain(field);
      }
      const empty = await t.request({ method: 'PUT', url: `/api/provider-pools/${ids.pool}`, token: a.admin.token, payload: {} });
      expect(empty.statusCode).toBe(422);
      // Names are unique per tenant (another tenant may use the same one).
      expect((await post({ name: 'isolated ORG', max_concurrent_calls: 3 })).statusCode).toBe(409);
      expect((await post({ name: 'Isolated org', max_concurrent_calls: 3 }, b.admin.token)).statusCode).toBe(201);
    });

    it('agents join a pool of their tenant and provider; another tenant’s or an unknown pool is a 422 on pool_id', async () => {
      const agent = await createAgent(t, a.admin.token, { name: 'Pooled bot', pool_id: ids.pool });
      const got = (await t.request({ method: 'GET', url: `/api/voice-agents/${agent}`, token: a.admin.token })).json<{ pool_id: number | null }>();
      expect(got.pool_id).toBe(ids.pool);
      for (const pool_id of [ids.otherPool, 999_999]) {
        const res = await t.request({ method: 'PUT', url: `/api/voice-agents/${agent}`, token: a.admin.token, payload: { pool_id } });
        expect(res.statusCode).toBe(422);
        expect(fieldsOf(res.body).pool_id).toBeDefined();
        const create = await t.request({ method: 'POST', url: '/api/voice-agents', token: a.admin.token, payload: { name: `x${pool_id}`, provider: 'vapi', service_value: '+12125550111', pool_id } });
        expect(create.statusCode).toBe(422);
      }
      expect((await t.request({ method: 'PUT', url: `/api/voice-agents/${agent}`, token: a.admin.token, payload: { pool_id: 'one' } })).statusCode).toBe(422);
      // A pool for one provider takes only its agents.
      const vapiOnly = (await post({ name: 'Retell org', provider: 'retell', max_concurrent_calls: 2 })).json<ProviderPoolResponse>();
      const wrong = await t.request({ method: 'PUT', url: `/api/voice-agents/${agent}`, token: a.admin.token, payload: { pool_id: vapiOnly.id } });
      expect(wrong.statusCode).toBe(422);
      expect(fieldsOf(wrong.body).pool_id![0]).toContain('Retell');
      // Nor can the pool's provider change under agents of another.
      const narrowed = await t.request({ method: 'PUT', url: `/api/provider-pools/${ids.pool}`, token: a.admin.token, payload: { provider: 'retell' } });
      expect(narrowed.statusCode).toBe(422);
      expect(fieldsOf(narrowed.body).provider![0]).toContain('Pooled bot');
      const pool = (await t.request({ method: 'GET', url: `/api/provider-pools/${ids.pool}`, token: a.admin.token })).json<ProviderPoolResponse>();
      expect(pool.agents).toEqual([{ id: agent, name: 'Pooled bot' }]);
    });

    it('a pool in use is not deleted: 409 naming its agents; once they leave it, it is', async () => {
      const pool = (await post({ name: 'Busy org', max_concurrent_calls: 2 })).json<ProviderPoolResponse>();
      const agent = await createAgent(t, a.admin.token, { name: 'Busy bot', pool_id: pool.id });
      const refused = await t.request({ method: 'DELETE', url: `/api/provider-pools/${pool.id}`, token: a.admin.token });
      expect(refused.statusCode).toBe(409);
      expect(JSON.parse(refused.body).error.message).toContain('"Busy bot"');
      expect((await t.request({ method: 'PUT', url: `/api/voice-agents/${agent}`, token: a.admin.token, payload: { pool_id: null } })).statusCode).toBe(200);
      expect((await t.request({ method: 'DELETE', url: `/api/provider-pools/${pool.id}`, token: a.admin.token })).statusCode).toBe(204);
    });

    it('is typed in the OpenAPI document', async () => {
      const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json();
      const body = doc.paths['/api/provider-pools'].post.requestBody.content['application/json'].schema;
      expect(Object.keys(body.properties)).toEqual(['name', 'provider', 'max_concurrent_calls']);
      expect(doc.paths['/api/provider-pools/{id}'].put.requestBody).toBeDefined();
      const agentBody = doc.paths['/api/voice-agents'].post.requestBody.content['application/json'].schema;
      expect(Object.keys(agentBody.properties)).toContain('pool_id');
    });

    describe('isolation matrix', () => {
      runTenantIsolationTests(
        () => ({ t, a, b, ids }),
        [
          { method: 'GET', url: () => '/api/provider-pools', scope: 'own', access: 'read' },
          { method: 'GET', url: (i) => `/api/provider-pools/${i.pool}`, scope: 'row', access: 'read' },
          { method: 'POST', url: () => '/api/provider-pools', payload: () => ({ name: `New ${Date.now()}`, max_concurrent_calls: 1 }), scope: 'own', access: 'write' },
          { method: 'PUT', url: (i) => `/api/provider-pools/${i.pool}`, payload: () => ({ max_concurrent_calls: 9 }), scope: 'row', access: 'write', readBack: (i) => `/api/provider-pools/${i.pool}` },
          { method: 'DELETE', url: (i) => `/api/provider-pools/${i.pool}`, scope: 'row', access: 'write', readBack: (i) => `/api/provider-pools/${i.pool}` },
        ],
      );
    });
  });
}
