import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundRuleListResponse, OutboundRuleResponse } from '../../src/http/outbound-routing-rules.js';
import { DIALECTS } from '../support/backends.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { runTenantIsolationTests, type IsolationContext } from '../support/isolation-matrix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const URL = '/api/outbound-routing-rules';

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: outbound routing rules`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    const ids: Record<string, number> = {};

    const post = (payload: unknown, token = a.admin.token) => t.request({ method: 'POST', url: URL, token, payload: payload as object });
    const put = (id: number, payload: unknown) => t.request({ method: 'PUT', url: `${URL}/${id}`, token: a.admin.token, payload: payload as object });
    const reorder = (token: string, payload: unknown) => t.request({ method: 'POST', url: `${URL}/reorder`, token, payload: payload as object });
    const list = async (token: string) => (await t.request({ method: 'GET', url: URL, token })).json<OutboundRuleListResponse>();
    async function create(token: string, over: Record<string, unknown> = {}): Promise<number> {
      const res = await post({ name: 'Agents out', caller_id: '+1555000????', trunk_config: { trunks: ['carrier-out'] }, ...over }, token);
      if (res.statusCode !== 201) throw new Error(`create outbound rule failed: ${res.statusCode} ${res.body}`);
      return res.json<{ id: number }>().id;
    }

    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'outbound');
      b = await registerTenant(t, 'other');
      ids.rule = await create(a.admin.token);
    });
    afterAll(async () => t?.close());

    it('creates, reads, updates (merging trunk_config) and deletes a rule', async () => {
      const created = await post({ name: ' UK calls ', caller_id: '+1555000????', destination_pattern: '+44*', trunk_config: { trunks: ['carrier-a', 'carrier.b'] } });
      expect(created.statusCode).toBe(201);
      const rule = created.json<OutboundRuleResponse>();
      expect(rule).toMatchObject({
        name: 'UK calls',
        caller_id: '+1555000????',
        destination_pattern: '+44*',
        trunk_config: { trunks: ['carrier-a', 'carrier.b'], caller_id: null },
        trunks_attribute: 'carrier-a,carrier.b',
        priority: 100,
        enabled: true,
      });
      expect((await t.request({ method: 'GET', url: `${URL}/${rule.id}`, token: a.analyst.token })).json()).toEqual(rule);
      const defaulted = (await post({ name: 'Any', caller_id: '+1555*', trunk_config: { trunks: [12, 34], caller_id: '+12125550187' } })).json<OutboundRuleResponse>();
      expect(defaulted).toMatchObject({ destination_pattern: '*', trunk_config: { trunks: [12, 34], caller_id: '+12125550187' }, trunks_attribute: '[12,34]' });

      const overridden = await put(rule.id, { trunk_config: { caller_id: '+12125550187' }, priority: 9 });
      expect(overridden.statusCode).toBe(200);
      expect(overridden.json()).toMatchObject({ priority: 9, trunk_config: { trunks: ['carrier-a', 'carrier.b'], caller_id: '+12125550187' } });
      const ids12 = await put(rule.id, { trunk_config: { trunks: [12] }, destination_pattern: '+4420*', enabled: false });
      expect(ids12.json()).toMatchObject({ destination_pattern: '+4420*', enabled: false, trunks_attribute: '[12]', trunk_config: { caller_id: '+12125550187' } });
      expect((await put(rule.id, { trunk_config: { caller_id: null } })).json().trunk_config).toEqual({ trunks: [12], caller_id: null });
      expect((await put(rule.id, { caller_id: '+1555111*' })).json().caller_id).toBe('+1555111*');

      expect((await t.request({ method: 'DELETE', url: `${URL}/${rule.id}`, token: a.admin.token })).statusCode).toBe(204);
      expect((await t.request({ method: 'GET', url: `${URL}/${rule.id}`, token: a.admin.token })).statusCode).toBe(404);
      expect((await put(rule.id, { priority: 1 })).statusCode).toBe(404);
    });

    it('refuses invalid patterns, naming caller_id or destination_pattern', async () => {
      const base = { name: 'x', trunk_config: { trunks: ['t'] } };
      const cases: [unknown, string][] = [
        [{ ...base, caller_id: 'abc' }, 'caller_id'],
        [{ ...base, caller_id: '+1*5' }, 'caller_id'],
        [{ ...base }, 'caller_id'],
        [{ ...base, caller_id: '+1555*', destination_pattern: '+1#' }, 'destination_pattern'],
        [{ ...base, caller_id: '+1555*', destination_pattern: '0044*' }, 'destination_pattern'],
        [{ ...base, caller_id: '+1555*', destination_pattern: '' }, 'destination_pattern'],
        [{ trunk_config: base.trunk_config, caller_id: '+1555*' }, 'name'],
        [{ ...base, name: '', caller_id: '+1555*' }, 'name'],
        [{ ...base, caller_id: '+1555*', priority: 0 }, 'priority'],
        [{ ...base, caller_id: '+1555*', enabled: 1 }, 'enabled'],
        [{ ...base, caller_id: '+1555*', pattern: '+1*' }, 'body'],
      ];
      for (const [payload, field] of cases) {
        const res = await post(payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(422);
        expect(Object.keys(res.json().error.details.fields), JSON.stringify(payload)).toContain(field);
      }
      expect((await post({ ...base, caller_id: 'abc' })).json().error.details.fields.caller_id[0]).toContain('digits');
      for (const [patch, field] of [[{ caller_id: 'abc' }, 'caller_id'], [{ destination_pattern: '**' }, 'destination_pattern']] as const) {
        const res = await put(ids.rule!, patch);
        expect(res.statusCode).toBe(422);
        expect(res.json().error.details.fields).toHaveProperty(field);
      }
    });

    it('validates trunk_config, naming the field', async () => {
      const base = { name: 'x', caller_id: '+1555*' };
      const cases: [unknown, string][] = [
        [base, 'trunk_config'],
        [{ ...base, trunk_config: 'carrier' }, 'trunk_config'],
        [{ ...base, trunk_config: {} }, 'trunk_config.trunks'],
        [{ ...base, trunk_config: { trunks: [] } }, 'trunk_config.trunks'],
        [{ ...base, trunk_config: { trunks: Array.from({ length: 11 }, (_, i) => `t${i}`) } }, 'trunk_config.trunks'],
        [{ ...base, trunk_config: { trunks: ['bad name'] } }, 'trunk_config.trunks.0'],
        [{ ...base, trunk_config: { trunks: ['t'.repeat(101)] } }, 'trunk_config.trunks.0'],
        [{ ...base, trunk_config: { trunks: ['ok', 0] } }, 'trunk_config.trunks.1'],
        [{ ...base, trunk_config: { trunks: [1.5] } }, 'trunk_config.trunks.0'],
        [{ ...base, trunk_config: { trunks: [null] } }, 'trunk_config.trunks.0'],
        [{ ...base, trunk_config: { trunks: ['carrier', 12] } }, 'trunk_config.trunks'],
        [{ ...base, trunk_config: { trunks: ['a', 'a'] } }, 'trunk_config.trunks'],
        [{ ...base, trunk_config: { trunks: ['a'], caller_id: 'anonymous' } }, 'trunk_config.caller_id'],
        [{ ...base, trunk_config: { trunks: ['a'], caller_id: '+12' } }, 'trunk_config.caller_id'],
        [{ ...base, trunk_config: { trunks: ['a'], region: 'eu' } }, 'trunk_config'],
      ];
      for (const [payload, field] of cases) {
        const res = await post(payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(422);
        expect(Object.keys(res.json().error.details.fields), JSON.stringify(payload)).toContain(field);
      }
      expect((await put(ids.rule!, { trunk_config: { trunks: [] } })).statusCode).toBe(422);
      expect((await put(ids.rule!, { trunk_config: ['a'] })).statusCode).toBe(422);
      const cleared = await post({ ...base, trunk_config: { trunks: ['a'], caller_id: '' } });
      expect(cleared.json().trunk_config.caller_id).toBeNull();
    });

    it('lists rules in evaluation order (priority, then caller ID + destination specificity, then position); reorder breaks ties', async () => {
      const c = await registerTenant(t, 'outorder');
      const anyDest = await create(c.admin.token, { caller_id: '+1555000????' });
      const ukDest = await create(c.admin.token, { caller_id: '+1555000????', destination_pattern: '+44*' });
      const everyone = await create(c.admin.token, { caller_id: '*' });
      const urgent = await create(c.admin.token, { caller_id: '+1555*', priority: 10 });
      const twin = await create(c.admin.token, { caller_id: '+1555000????' });
      const order = (await list(c.analyst.token)).data.map((r) => r.id);
      expect(order).toEqual([urgent, ukDest, anyDest, twin, everyone]);

      const res = await reorder(c.admin.token, { ids: [everyone, twin, anyDest, ukDest, urgent] });
      expect(res.statusCode).toBe(200);
      expect(res.json<OutboundRuleListResponse>().data.map((r) => r.id)).toEqual([urgent, ukDest, twin, anyDest, everyone]);
      const compiled = await t.runtime.services.outboundRules.listCompiled(c.tenantId);
      expect(compiled.map((r) => r.id)).toEqual([urgent, ukDest, twin, anyDest, everyone]);
      expect(compiled[1]).toMatchObject({ callerIdPattern: '+1555000????', destinationPattern: '+44*', trunksAttribute: 'carrier-out', callerIdOverride: null });

      for (const [body, field] of [[{ ids: [urgent] }, 'ids'], [{ ids: [urgent, urgent, ukDest, twin, anyDest, everyone] }, 'ids'], [{ ids: [...order, ids.rule] }, 'ids'], [{ ids: null }, 'ids'], [{ ids: [-1] }, 'ids.0']] as const) {
        const bad = await reorder(c.admin.token, body);
        expect(bad.statusCode, JSON.stringify(body)).toBe(422);
        expect(Object.keys(bad.json().error.details.fields)).toContain(field);
      }
    });

    it('audits creates, updates, deletes and reorders', async () => {
      const id = await create(a.admin.token, { name: 'Audited' });
      await put(id, { name: 'Audited 2' });
      await t.request({ method: 'DELETE', url: `${URL}/${id}`, token: a.admin.token });
      const rows = await t.runtime.services.repos.auditLog.listForEntity(a.tenantId, 'outbound_rule', id);
      expect(rows.map((r) => r.action)).toEqual(['outbound_rule.created', 'outbound_rule.updated', 'outbound_rule.deleted']);
      await reorder(a.admin.token, { ids: (await list(a.admin.token)).data.map((r) => r.id) });
      const reordered = await t.runtime.store.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', a.tenantId).where('action', '=', 'outbound_rule.reordered').execute();
      expect(reordered.map((r) => r.entity_type)).toEqual(['outbound_rule']);
    });

    it('announces a committed change on the plane', async () => {
      const messages: string[] = [];
      const unsubscribe = await t.runtime.plane.subscribe('rules.changed', (m) => messages.push(m));
      try {
        await create(a.admin.token);
        await expect.poll(() => messages.length).toBeGreaterThanOrEqual(1);
        expect(JSON.parse(messages[0]!)).toEqual({ tenantId: a.tenantId });
      } finally {
        await unsubscribe();
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
        fc.constantFrom('+1555000????', '*', '+44*', '', 'carrier-out', '+12125550187', ids.rule),
      );
      const trunkConfig = fc.oneof(value, fc.record({ trunks: fc.oneof(value, fc.array(value, { maxLength: 12 })), caller_id: value, x: value }, { requiredKeys: [] }));
      const body = fc.record(
        { name: value, caller_id: value, destination_pattern: value, trunk_config: trunkConfig, priority: value, enabled: value, ids: fc.oneof(value, fc.array(value, { maxLength: 4 })) },
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
        { method: 'POST', url: () => URL, payload: () => ({ name: 'N', caller_id: '+1*', trunk_config: { trunks: ['t'] } }), scope: 'own', access: 'write' },
        { method: 'GET', url: (i) => `${URL}/${i.rule}`, scope: 'row', access: 'read' },
        { method: 'PUT', url: (i) => `${URL}/${i.rule}`, payload: () => ({ name: 'Stolen' }), scope: 'row', access: 'write', readBack: (i) => `${URL}/${i.rule}` },
        { method: 'DELETE', url: (i) => `${URL}/${i.rule}`, scope: 'row', access: 'write', readBack: (i) => `${URL}/${i.rule}` },
        { method: 'POST', url: () => `${URL}/reorder`, payload: (i) => ({ ids: [i.rule] }), scope: 'own', access: 'write', readBack: () => URL },
      ]);
    });
  });
}
