import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/backends.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { runTenantIsolationTests, type IsolationContext } from '../support/isolation-matrix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: agent groups`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    const ids: Record<string, number> = {};
    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'groups');
      b = await registerTenant(t, 'other');
      ids.agent = await createAgent(t, a.admin.token);
      ids.group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: ids.agent }]);
      const detail = (await t.request({ method: 'GET', url: `/api/agent-groups/${ids.group}`, token: a.admin.token })).json();
      ids.member = detail.members[0].id;
    });
    afterAll(async () => t?.close());

    const post = (payload: unknown) => t.request({ method: 'POST', url: '/api/agent-groups', token: a.admin.token, payload: payload as object });

    it('creates a group with defaults filled in per strategy', async () => {
      const rr = await post({ name: 'Sales', strategy: 'round_robin' });
      expect(rr.statusCode).toBe(201);
      expect(rr.json()).toMatchObject({ name: 'Sales', strategy: 'round_robin', enabled: true, member_count: 0, members: [], settings: { max_attempts: 3, fallback_enabled: true, failover_on_busy: false } });
      expect(rr.json().settings).not.toHaveProperty('window_hours');
      const lb = await post({ name: 'Support', strategy: 'load_balanced', settings: { window_hours: 6, max_attempts: 2 } });
      expect(lb.json().settings).toEqual({ max_attempts: 2, fallback_enabled: true, failover_on_busy: false, window_hours: 6 });
    });

    it('validates settings for the chosen strategy, naming the field', async () => {
      const cases: [unknown, string][] = [
        [{ name: 'x', strategy: 'load_balanced', settings: { window_hours: 0 } }, 'settings.window_hours'],
        [{ name: 'x', strategy: 'load_balanced', settings: { window_hours: 169 } }, 'settings.window_hours'],
        [{ name: 'x', strategy: 'round_robin', settings: { window_hours: 5 } }, 'settings'],
        [{ name: 'x', strategy: 'priority', settings: { max_attempts: 0 } }, 'settings.max_attempts'],
        [{ name: 'x', strategy: 'fastest' }, 'strategy'],
        [{ strategy: 'priority' }, 'name'],
      ];
      for (const [payload, field] of cases) {
        const res = await post(payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(422);
        expect(Object.keys(res.json().error.details.fields), JSON.stringify(payload)).toContain(field);
      }
    });

    it('updates part of a group and re-validates the whole for a new strategy', async () => {
      const id = (await post({ name: 'Switch', strategy: 'load_balanced', settings: { window_hours: 12, max_attempts: 4 } })).json().id;
      const renamed = await t.request({ method: 'PUT', url: `/api/agent-groups/${id}`, token: a.admin.token, payload: { name: 'Renamed' } });
      expect(renamed.json()).toMatchObject({ name: 'Renamed', strategy: 'load_balanced', settings: { window_hours: 12, max_attempts: 4 } });
      const switched = await t.request({ method: 'PUT', url: `/api/agent-groups/${id}`, token: a.admin.token, payload: { strategy: 'priority' } });
      expect(switched.statusCode).toBe(200);
      expect(switched.json().settings).toEqual({ max_attempts: 4, fallback_enabled: true, failover_on_busy: false });
      const bad = await t.request({ method: 'PUT', url: `/api/agent-groups/${id}`, token: a.admin.token, payload: { settings: { window_hours: 3 } } });
      expect(bad.statusCode).toBe(422);
      const off = await t.request({ method: 'PUT', url: `/api/agent-groups/${id}`, token: a.admin.token, payload: { enabled: false } });
      expect(off.json().enabled).toBe(false);
    });

    it('adds, changes and removes members, refusing duplicates and foreign agents', async () => {
      const agent1 = await createAgent(t, a.admin.token);
      const agent2 = await createAgent(t, a.admin.token, { max_concurrent_calls: 4 });
      const foreign = await createAgent(t, b.admin.token);
      const id = (await post({ name: 'Members', strategy: 'priority' })).json().id;
      const url = `/api/agent-groups/${id}/members`;
      const added = await t.request({ method: 'POST', url, token: a.admin.token, payload: { agent_id: agent1, priority: 2, capacity: 3 } });
      expect(added.statusCode).toBe(201);
      await t.request({ method: 'POST', url, token: a.admin.token, payload: { agent_id: agent2 } });
      const detail = (await t.request({ method: 'GET', url: `/api/agent-groups/${id}`, token: a.analyst.token })).json();
      expect(detail.member_count).toBe(2);
      expect(detail.members.map((m: { agent_id: number }) => m.agent_id)).toEqual([agent2, agent1]); // priority order
      expect(detail.members[0]).toMatchObject({ priority: 1, capacity: 1, max_concurrent_calls: 4, agent_enabled: true, health_status: 'never_tried', provider_name: 'VAPI', provider: 'vapi' });
      const dup = await t.request({ method: 'POST', url, token: a.admin.token, payload: { agent_id: agent1 } });
      expect(dup.statusCode).toBe(409);
      const stranger = await t.request({ method: 'POST', url, token: a.admin.token, payload: { agent_id: foreign } });
      expect(stranger.statusCode).toBe(422);
      expect(stranger.json().error.details.fields).toHaveProperty('agent_id');
      for (const payload of [{ agent_id: agent1, capacity: 0 }, { agent_id: agent1, priority: -1 }, { agent_id: 'one' }]) {
        expect((await t.request({ method: 'POST', url, token: a.admin.token, payload })).statusCode).toBe(422);
      }
      const memberId = detail.members[1].id;
      const changed = await t.request({ method: 'PUT', url: `${url}/${memberId}`, token: a.admin.token, payload: { capacity: 5 } });
      expect(changed.json().members.find((m: { id: number }) => m.id === memberId).capacity).toBe(5);
      expect((await t.request({ method: 'PUT', url: `${url}/${memberId}`, token: a.admin.token, payload: {} })).statusCode).toBe(422);
      expect((await t.request({ method: 'DELETE', url: `${url}/${memberId}`, token: a.admin.token })).statusCode).toBe(204);
      expect((await t.request({ method: 'DELETE', url: `${url}/${memberId}`, token: a.admin.token })).statusCode).toBe(404);
      const list = (await t.request({ method: 'GET', url: '/api/agent-groups?strategy=priority&search=members', token: a.admin.token })).json();
      expect(list.data.find((g: { id: number }) => g.id === id).member_count).toBe(1);
    });

    it('deleting an agent removes its memberships', async () => {
      const agent = await createAgent(t, a.admin.token);
      const id = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: agent }]);
      expect((await t.request({ method: 'DELETE', url: `/api/voice-agents/${agent}`, token: a.admin.token })).statusCode).toBe(204);
      expect((await t.request({ method: 'GET', url: `/api/agent-groups/${id}`, token: a.admin.token })).json().members).toEqual([]);
    });

    it('refuses to delete a group that a rule or the fallback targets', async () => {
      const id = (await post({ name: 'Targeted', strategy: 'round_robin' })).json().id;
      const now = Date.now();
      await t.runtime.store.db
        .insertInto('inbound_routing_rules')
        .values({ tenant_id: a.tenantId, name: 'Main line', pattern: '+1212*', target_type: 'group', target_id: id, priority: 1, position: 0, enabled: 1, created_at: now, updated_at: now })
        .execute();
      const res = await t.request({ method: 'DELETE', url: `/api/agent-groups/${id}`, token: a.admin.token });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toContain('Main line');
      expect(res.json().error.details.rules[0]).toMatchObject({ name: 'Main line', pattern: '+1212*' });
      const fallbackId = (await post({ name: 'Fallback', strategy: 'round_robin' })).json().id;
      await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { fallback: { type: 'group', group_id: fallbackId } } } });
      expect((await t.request({ method: 'DELETE', url: `/api/agent-groups/${fallbackId}`, token: a.admin.token })).statusCode).toBe(409);
      await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { fallback: { type: 'hangup' } } } });
      expect((await t.request({ method: 'DELETE', url: `/api/agent-groups/${fallbackId}`, token: a.admin.token })).statusCode).toBe(204);
      expect((await t.request({ method: 'GET', url: `/api/agent-groups/${fallbackId}`, token: a.admin.token })).statusCode).toBe(404);
    });

    it('audits group changes', async () => {
      const id = (await post({ name: 'Audited', strategy: 'round_robin' })).json().id;
      await t.request({ method: 'PUT', url: `/api/agent-groups/${id}`, token: a.admin.token, payload: { name: 'Audited 2' } });
      const rows = await t.runtime.services.repos.auditLog.listForEntity(a.tenantId, 'agent_group', id);
      expect(rows.map((r) => r.action)).toEqual(['agent_group.created', 'agent_group.updated']);
    });

    it('random bodies never get a 5xx', async () => {
      const value = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue(), fc.constantFrom('round_robin', 'priority', 'load_balanced', ids.agent));
      const body = fc.record({ name: value, strategy: value, settings: fc.oneof(value, fc.dictionary(fc.constantFrom('window_hours', 'max_attempts', 'fallback_enabled', 'x'), value)), enabled: value, agent_id: value, priority: value, capacity: value }, { requiredKeys: [] });
      const targets = [
        { method: 'POST' as const, url: '/api/agent-groups' },
        { method: 'PUT' as const, url: `/api/agent-groups/${ids.group}` },
        { method: 'POST' as const, url: `/api/agent-groups/${ids.group}/members` },
        { method: 'PUT' as const, url: `/api/agent-groups/${ids.group}/members/${ids.member}` },
      ];
      for (const target of targets) {
        for (const payload of fc.sample(body, { numRuns: 300, seed: 42 })) {
          const res = await t.request({ ...target, token: a.admin.token, payload: payload as object });
          if (res.statusCode >= 500) throw new Error(`${target.method} ${target.url} → ${res.statusCode} for ${JSON.stringify(payload)}: ${res.body}`);
        }
      }
    });

    describe('isolation matrix', () => {
      const ctx = (): IsolationContext => ({ t, a, b, ids });
      runTenantIsolationTests(ctx, [
        { method: 'GET', url: () => '/api/agent-groups', scope: 'own', access: 'read' },
        { method: 'POST', url: () => '/api/agent-groups', payload: () => ({ name: 'N', strategy: 'round_robin' }), scope: 'own', access: 'write' },
        { method: 'GET', url: (i) => `/api/agent-groups/${i.group}`, scope: 'row', access: 'read' },
        { method: 'PUT', url: (i) => `/api/agent-groups/${i.group}`, payload: () => ({ name: 'Stolen' }), scope: 'row', access: 'write', readBack: (i) => `/api/agent-groups/${i.group}` },
        { method: 'DELETE', url: (i) => `/api/agent-groups/${i.group}`, scope: 'row', access: 'write', readBack: (i) => `/api/agent-groups/${i.group}` },
        { method: 'POST', url: (i) => `/api/agent-groups/${i.group}/members`, payload: (i) => ({ agent_id: i.agent }), scope: 'row', access: 'write', readBack: (i) => `/api/agent-groups/${i.group}` },
        { method: 'PUT', url: (i) => `/api/agent-groups/${i.group}/members/${i.member}`, payload: () => ({ capacity: 9 }), scope: 'row', access: 'write', readBack: (i) => `/api/agent-groups/${i.group}` },
        { method: 'DELETE', url: (i) => `/api/agent-groups/${i.group}/members/${i.member}`, scope: 'row', access: 'write', readBack: (i) => `/api/agent-groups/${i.group}` },
      ]);
    });
  });
}
