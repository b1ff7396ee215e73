import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternProblem } from '../../src/core/routing/pattern-problem.js';
import type { InboundRuleListResponse, InboundRuleResponse } from '../../src/http/inbound-routing-rules.js';
import { DIALECTS } from '../support/backends.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { createAgent, createGroup, createInboundRule } from '../support/fixtures.js';
import { runTenantIsolationTests, type IsolationContext } from '../support/isolation-matrix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const URL = '/api/inbound-routing-rules';

function reasonOf(pattern: string): string {
  const problem = patternProblem(pattern);
  if (problem === undefined) throw new Error(`${pattern} is accepted`);
  return problem;
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: inbound routing rules`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    const ids: Record<string, number> = {};
    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'rules');
      b = await registerTenant(t, 'other');
      ids.agent = await createAgent(t, a.admin.token, { name: 'Main agent' });
      ids.group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: ids.agent }]);
      ids.rule = await createInboundRule(t, a.admin.token, { pattern: '+1999*', target_type: 'agent', target_id: ids.agent });
      ids.foreignAgent = await createAgent(t, b.admin.token);
      ids.foreignGroup = await createGroup(t, b.admin.token, 'priority', []);
    });
    afterAll(async () => t?.close());

    const post = (payload: unknown, token = a.admin.token) => t.request({ method: 'POST', url: URL, token, payload: payload as object });
    const put = (id: number, payload: unknown) => t.request({ method: 'PUT', url: `${URL}/${id}`, token: a.admin.token, payload: payload as object });
    const reorder = (token: string, payload: unknown) => t.request({ method: 'POST', url: `${URL}/reorder`, token, payload: payload as object });
    const list = async (token: string) => (await t.request({ method: 'GET', url: URL, token })).json<InboundRuleListResponse>();

    it('creates, reads, updates and deletes a rule', async () => {
      const created = await post({ pattern: '+1212*', target_type: 'agent', target_id: ids.agent });
      expect(created.statusCode).toBe(201);
      const rule = created.json<InboundRuleResponse>();
      expect(rule).toMatchObject({ name: null, pattern: '+1212*', pattern_kind: 'prefix', target_type: 'agent', target_id: ids.agent, target_name: 'Main agent', priority: 100, enabled: true });
      expect(rule.position).toBeGreaterThan(0); // appended after the rule made in beforeAll
      expect((await t.request({ method: 'GET', url: `${URL}/${rule.id}`, token: a.analyst.token })).json()).toEqual(rule);

      const named = await put(rule.id, { name: 'Main line', priority: 5, pattern: '+1212555????' });
      expect(named.statusCode).toBe(200);
      expect(named.json()).toMatchObject({ name: 'Main line', priority: 5, pattern: '+1212555????', pattern_kind: 'wildcard', target_id: ids.agent, enabled: true });
      const retargeted = await put(rule.id, { target_type: 'group', target_id: ids.group, enabled: false });
      expect(retargeted.json()).toMatchObject({ name: 'Main line', target_type: 'group', target_id: ids.group, enabled: false });
      expect(retargeted.json().target_name).toMatch(/^Group /);
      expect((await put(rule.id, { name: null })).json().name).toBeNull();

      expect((await t.request({ method: 'DELETE', url: `${URL}/${rule.id}`, token: a.admin.token })).statusCode).toBe(204);
      expect((await t.request({ method: 'GET', url: `${URL}/${rule.id}`, token: a.admin.token })).statusCode).toBe(404);
      expect((await t.request({ method: 'DELETE', url: `${URL}/${rule.id}`, token: a.admin.token })).statusCode).toBe(404);
      expect((await put(rule.id, { priority: 1 })).statusCode).toBe(404);
    });

    it('refuses invalid patterns and fields at write time, naming the field', async () => {
      const base = { target_type: 'agent', target_id: ids.agent };
      for (const bad of ['abc', '+12*34', '', '0044*', '+', '**', '+1212#']) {
        const res = await post({ ...base, pattern: bad });
        expect(res.statusCode, bad).toBe(422);
        expect(res.json().error.details.fields, bad).toHaveProperty('pattern');
      }
      expect((await post({ ...base, pattern: '+12*34' })).json().error.details.fields.pattern).toEqual([reasonOf('+12*34')]);
      const cases: [unknown, string][] = [
        [{ ...base }, 'pattern'],
        [{ ...base, pattern: `+1${'2'.repeat(70)}` }, 'pattern'],
        [{ ...base, pattern: '+1*', target_type: 'queue' }, 'target_type'],
        [{ pattern: '+1*', target_type: 'agent' }, 'target_id'],
        [{ ...base, pattern: '+1*', target_id: 'one' }, 'target_id'],
        [{ ...base, pattern: '+1*', priority: 0 }, 'priority'],
        [{ ...base, pattern: '+1*', priority: 10_001 }, 'priority'],
        [{ ...base, pattern: '+1*', priority: 1.5 }, 'priority'],
        [{ ...base, pattern: '+1*', enabled: 'yes' }, 'enabled'],
        [{ ...base, pattern: '+1*', name: 'n'.repeat(121) }, 'name'],
        [{ ...base, pattern: '+1*', extra: 1 }, 'body'],
      ];
      for (const [payload, field] of cases) {
        const res = await post(payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(422);
        expect(Object.keys(res.json().error.details.fields), JSON.stringify(payload)).toContain(field);
      }
      const badPut = await put(ids.rule!, { pattern: '+1#' });
      expect(badPut.statusCode).toBe(422);
      expect(badPut.json().error.details.fields).toHaveProperty('pattern');
      expect((await put(ids.rule!, { bogus: true })).statusCode).toBe(422);
    });

    it("refuses a target that is missing or another tenant's (422 naming target_id)", async () => {
      const targets = [
        { target_type: 'agent', target_id: ids.foreignAgent },
        { target_type: 'group', target_id: ids.foreignGroup },
        { target_type: 'agent', target_id: 2_000_000_000 },
        { target_type: 'group', target_id: 2_000_000_000 },
      ];
      for (const target of targets) {
        const res = await post({ pattern: '+1*', ...target });
        expect(res.statusCode, JSON.stringify(target)).toBe(422);
        expect(res.json().error.details.fields).toHaveProperty('target_id');
        const changed = await put(ids.rule!, target);
        expect(changed.statusCode).toBe(422);
        expect(changed.json().error.details.fields).toHaveProperty('target_id');
      }
      expect((await t.request({ method: 'GET', url: `${URL}/${ids.rule}`, token: a.admin.token })).json().target_id).toBe(ids.agent);
    });

    it('lists rules in evaluation order: priority, then specificity, then position; reorder breaks ties', async () => {
      const c = await registerTenant(t, 'order');
      const agent = await createAgent(t, c.admin.token);
      const rule = (pattern: string, priority?: number) => createInboundRule(t, c.admin.token, { pattern, target_type: 'agent', target_id: agent, ...(priority ? { priority } : {}) });
      const broad = await rule('+1212*');
      const block = await rule('+1212555????');
      const exact = await rule('+12125550187');
      const catchAll = await rule('*', 50);
      const other = await rule('+1313*');
      const before = await list(c.analyst.token);
      expect(before.data.map((r) => r.id)).toEqual([catchAll, exact, block, broad, other]);
      expect(before.data.map((r) => r.pattern_kind)).toEqual(['prefix', 'exact', 'wildcard', 'prefix', 'prefix']);
      expect(before.meta).toEqual({ current_page: 1, per_page: 5, total: 5, last_page: 1 });
      const paged = (await t.request({ method: 'GET', url: `${URL}?page=2&per_page=2`, token: c.admin.token })).json<InboundRuleListResponse>();
      expect(paged.data.map((r) => r.id)).toEqual([block, broad]);
      expect(paged.meta).toEqual({ current_page: 2, per_page: 2, total: 5, last_page: 3 });

      // Reversed positions: only the two equally specific prefixes of equal priority swap.
      const res = await reorder(c.admin.token, { ids: [...before.data.map((r) => r.id)].reverse() });
      expect(res.statusCode).toBe(200);
      expect(res.json<InboundRuleListResponse>().data.map((r) => r.id)).toEqual([catchAll, exact, block, other, broad]);
      expect((await list(c.admin.token)).data.map((r) => r.id)).toEqual([catchAll, exact, block, other, broad]);
      expect((await list(c.admin.token)).data.find((r) => r.id === catchAll)?.priority).toBe(50); // priorities kept

      const compiled = await t.runtime.services.inboundRules.listCompiled(c.tenantId);
      expect(compiled.map((r) => r.id)).toEqual([catchAll, exact, block, other, broad]);
      expect(compiled[1]).toMatchObject({ targetType: 'agent', targetId: agent, compiled: { kind: 'exact' } });
    });

    it('refuses reorder bodies that are not exactly the tenant rule ids (422 naming ids)', async () => {
      const c = await registerTenant(t, 'reorder');
      const agent = await createAgent(t, c.admin.token);
      const r1 = await createInboundRule(t, c.admin.token, { pattern: '+1*', target_type: 'agent', target_id: agent });
      const r2 = await createInboundRule(t, c.admin.token, { pattern: '+2*', target_type: 'agent', target_id: agent });
      const bodies: [unknown, string][] = [
        [{ ids: [r1] }, 'ids'],
        [{ ids: [r1, r2, r2] }, 'ids'],
        [{ ids: [r1, r2, ids.rule] }, 'ids'],
        [{ ids: [r1, r2, 2_000_000_000] }, 'ids'],
        [{ ids: [] }, 'ids'],
        [{ ids: 'all' }, 'ids'],
        [{ ids: [r1, 'two'] }, 'ids.1'],
        [{}, 'ids'],
        [{ ids: [r1, r2], extra: true }, 'body'],
      ];
      for (const [body, field] of bodies) {
        const res = await reorder(c.admin.token, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(422);
        expect(Object.keys(res.json().error.details.fields), JSON.stringify(body)).toContain(field);
      }
      const foreign = await reorder(c.admin.token, { ids: [r1, r2, ids.rule] });
      expect(foreign.json().error.details.fields.ids[0]).toContain(String(ids.rule));
      expect((await reorder(c.admin.token, { ids: [r2, r1] })).statusCode).toBe(200);
    });

    it('refuses (409) to delete an agent a rule targets, until the rule is gone', async () => {
      const agent = await createAgent(t, a.admin.token);
      const rule = await createInboundRule(t, a.admin.token, { name: 'Night line', pattern: '+1646*', target_type: 'agent', target_id: agent });
      const refused = await t.request({ method: 'DELETE', url: `/api/voice-agents/${agent}`, token: a.admin.token });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.message).toContain('Night line');
      expect((await t.request({ method: 'DELETE', url: `${URL}/${rule}`, token: a.admin.token })).statusCode).toBe(204);
      expect((await t.request({ method: 'DELETE', url: `/api/voice-agents/${agent}`, token: a.admin.token })).statusCode).toBe(204);
    });

    it('audits creates, updates, deletes and reorders', async () => {
      const id = await createInboundRule(t, a.admin.token, { pattern: '+1717*', target_type: 'agent', target_id: ids.agent! });
      await put(id, { priority: 7 });
      await t.request({ method: 'DELETE', url: `${URL}/${id}`, token: a.admin.token });
      const rows = await t.runtime.services.repos.auditLog.listForEntity(a.tenantId, 'inbound_rule', id);
      expect(rows.map((r) => r.action)).toEqual(['inbound_rule.created', 'inbound_rule.updated', 'inbound_rule.deleted']);
      expect(rows.every((r) => Number(r.user_id) === a.admin.id)).toBe(true);
      await reorder(a.admin.token, { ids: (await list(a.admin.token)).data.map((r) => r.id) });
      const reordered = await t.runtime.store.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', a.tenantId).where('action', '=', 'inbound_rule.reordered').execute();
      expect(reordered).toHaveLength(1);
      expect(reordered[0]?.entity_type).toBe('inbound_rule');
    });

    it('announces every committed change on the plane; a failed announcement does not fail the write', async () => {
      const messages: string[] = [];
      const unsubscribe = await t.runtime.plane.subscribe('rules.changed', (m) => messages.push(m));
      try {
        const id = await createInboundRule(t, a.admin.token, { pattern: '+1818*', target_type: 'agent', target_id: ids.agent! });
        await expect.poll(() => messages.length).toBeGreaterThanOrEqual(1);
        expect(JSON.parse(messages[0]!)).toEqual({ tenantId: a.tenantId });
        await put(id, { priority: 3 });
        await t.request({ method: 'DELETE', url: `${URL}/${id}`, token: a.admin.token });
        await expect.poll(() => messages.length).toBeGreaterThanOrEqual(3);
        const refused = messages.length;
        expect((await post({ pattern: 'bad', target_type: 'agent', target_id: ids.agent })).statusCode).toBe(422);
        expect(messages.length).toBe(refused); // nothing committed, nothing announced
      } finally {
        await unsubscribe();
      }
      const plane = t.runtime.plane;
      const publish = plane.publish.bind(plane);
      plane.publish = () => Promise.reject(new Error('plane down'));
      try {
        const res = await post({ pattern: '+1919*', target_type: 'agent', target_id: ids.agent });
        expect(res.statusCode).toBe(201);
        expect(t.logs.some((l) => l.includes('could not announce a routing rule change'))).toBe(true);
      } finally {
        plane.publish = publish;
      }
    });

    it('random bodies never get a 5xx', async () => {
      const value = fc.oneof(
        fc.string(),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.jsonValue(),
        fc.constantFrom('agent', 'group', '+1212*', '+1212555????', '*', '', '0044*', ids.agent, ids.group, ids.rule, ids.foreignAgent),
      );
      const body = fc.record(
        { name: value, pattern: value, target_type: value, target_id: value, priority: value, enabled: value, ids: fc.oneof(value, fc.array(value, { maxLength: 4 })) },
        { requiredKeys: [] },
      );
      const targets = [
        { method: 'POST' as const, url: URL },
        { method: 'PUT' as const, url: `${URL}/${ids.rule}` },
        { method: 'POST' as const, url: `${URL}/reorder` },
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
        { method: 'GET', url: () => URL, scope: 'own', access: 'read' },
        { method: 'POST', url: () => URL, payload: (i) => ({ pattern: '+1777*', target_type: 'agent', target_id: i.agent }), scope: 'own', access: 'write' },
        { method: 'GET', url: (i) => `${URL}/${i.rule}`, scope: 'row', access: 'read' },
        { method: 'PUT', url: (i) => `${URL}/${i.rule}`, payload: () => ({ priority: 1 }), scope: 'row', access: 'write', readBack: (i) => `${URL}/${i.rule}` },
        { method: 'DELETE', url: (i) => `${URL}/${i.rule}`, scope: 'row', access: 'write', readBack: (i) => `${URL}/${i.rule}` },
        { method: 'POST', url: () => `${URL}/reorder`, payload: (i) => ({ ids: [i.rule] }), scope: 'own', access: 'write', readBack: () => URL },
      ]);
    });
  });
}
