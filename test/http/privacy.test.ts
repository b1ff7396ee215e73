import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditLogListResponse } from '../../src/http/audit-log.js';
import type { ErasureResponse } from '../../src/http/privacy.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { runTenantIsolationTests, type IsolationContext } from '../support/isolation-matrix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const CALLER = '+14155550123';
const DIGITS = '14155550123';

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: privacy erasure`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    const sessions: string[] = [];
    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'private');
      b = await registerTenant(t, 'bystander');
      for (const actors of [a, b]) {
        const secret = await webhookSecret(t, actors.admin.token);
        const agent = await createAgent(t, actors.admin.token);
        const group = await createGroup(t, actors.admin.token, 'round_robin', [{ agent_id: agent }]);
        await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: actors.admin.token, payload: { pattern: '*', target_type: 'group', target_id: group } });
        // Real calls from the caller (a JSON POST and a GET, whose query lands in the audited path), and one from someone else.
        for (const [from, method] of [[CALLER, 'POST'], [CALLER, 'GET'], ['+14155550199', 'POST']] as const) {
          const s = newSession();
          if (actors === a) sessions.push(s);
          const body = voiceBody(actors.domain, s, { From: from, CallerName: from });
          const res =
            method === 'POST'
              ? await t.request({ method, url: `/api/voice/application/${actors.domain}?token=${secret}`, payload: body })
              : await t.request({ method, url: `/api/voice/application/${actors.domain}`, query: { From: from, To: '+12125550187', Session: s, Domain: actors.domain, token: secret } });
          expect(res.statusCode).toBe(200);
          const cdr = { domain: actors.domain, from, to: '+12125550187', disposition: 'ANSWER', duration: 5, billsec: 4, session: { token: s, callerId: `sip:${from}@carrier.example`, note: `caller ${from} rang` } };
          expect((await t.request({ method: 'POST', url: `/api/voice/session/cdr/${actors.domain}?token=${secret}`, payload: cdr })).statusCode).toBe(200);
        }
      }
      // Formatted spellings of the same number, written as a carrier might have sent them.
      const db = t.runtime.store.db;
      const base = { tenant_id: a.tenantId, direction: 'inbound', status: 'completed', agent_id: null, group_id: null, rule_id: null, attempt: 1, decision_trace: null, disposition: null, started_at: 1, answered_at: null, ended_at: null, duration_seconds: null, billsec: null, created_at: 1, updated_at: 1 };
      await db
        .insertInto('call_records')
        .values([
          { ...base, session_token: 'fmt-1', from_number: '+1 (415) 555-0123', to_number: '+12125550187' },
          { ...base, session_token: 'fmt-2', from_number: 'sip:+14155550123@carrier.example', to_number: '0014155550123' },
          // Longer and shorter numbers that contain the digits are different people.
          { ...base, session_token: 'fmt-3', from_number: '+141555501234', to_number: '+4155550123' },
        ])
        .execute();
      await t.runtime.services.routing.audit.flush();
    });
    afterAll(async () => t?.close());

    const erase = (number: unknown, token = a.admin.token) => t.request({ method: 'POST', url: '/api/privacy/erase-number', token, payload: { number } });
    const tableCount = async (table: 'call_records' | 'cdrs' | 'webhook_audit', tenantId: number) =>
      Number((await t.runtime.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow()).n);
    const dump = async (tenantId: number) => {
      const db = t.runtime.store.db;
      return JSON.stringify([
        await db.selectFrom('call_records').select(['from_number', 'to_number', 'decision_trace']).where('tenant_id', '=', tenantId).orderBy('id').execute(),
        await db.selectFrom('cdrs').select(['from_number', 'to_number', 'payload']).where('tenant_id', '=', tenantId).orderBy('id').execute(),
        await db.selectFrom('webhook_audit').select(['path', 'payload']).where('tenant_id', '=', tenantId).orderBy('id').execute(),
      ]);
    };

    it('replaces the number everywhere in the tenant with one token, keeping every row', async () => {
      const before = { records: await tableCount('call_records', a.tenantId), cdrs: await tableCount('cdrs', a.tenantId), audit: await tableCount('webhook_audit', a.tenantId) };
      const bBefore = await dump(b.tenantId);
      expect(await dump(a.tenantId)).toContain(DIGITS);

      const res = await erase('+1 415-555-0123');
      expect(res.statusCode, res.body).toBe(200);
      const result = res.json<ErasureResponse>();
      expect(result.replaced_with).toMatch(/^erased:[0-9a-f]{8}$/);
      expect(result).toMatchObject({ call_records: 4, cdrs: 2 });
      // Two voice requests (one with the number in its URL) and two CDR posts.
      expect(result.webhook_audit).toBe(4);

      const after = await dump(a.tenantId);
      expect(after.replaceAll('141555501234', '')).not.toContain(DIGITS);
      expect(after).not.toContain('415-555-0123');
      expect(after).toContain('+141555501234');
      expect(after).toContain('+4155550123');
      expect(after).toContain('+14155550199');
      expect({ records: await tableCount('call_records', a.tenantId), cdrs: await tableCount('cdrs', a.tenantId), audit: await tableCount('webhook_audit', a.tenantId) }).toEqual(before);

      // Grouping by caller still works: the erased calls share one token.
      const db = t.runtime.store.db;
      const froms = await db.selectFrom('call_records').select('from_number').where('tenant_id', '=', a.tenantId).where('session_token', 'in', [...sessions.slice(0, 2), 'fmt-1', 'fmt-2']).execute();
      expect(new Set(froms.map((r) => r.from_number))).toEqual(new Set([result.replaced_with]));
      const fmt2 = await db.selectFrom('call_records').select(['from_number', 'to_number']).where('tenant_id', '=', a.tenantId).where('session_token', '=', 'fmt-2').executeTakeFirstOrThrow();
      expect(fmt2).toEqual({ from_number: result.replaced_with, to_number: result.replaced_with });
      const cdr = await db.selectFrom('cdrs').select(['from_number', 'payload']).where('tenant_id', '=', a.tenantId).where('session_token', '=', sessions[0]!).executeTakeFirstOrThrow();
      expect(cdr.from_number).toBe(result.replaced_with);
      const payload = typeof cdr.payload === 'string' ? JSON.parse(cdr.payload) : cdr.payload;
      expect(payload).toMatchObject({ from: result.replaced_with, to: '+12125550187', session: { callerId: result.replaced_with, note: `caller ${result.replaced_with} rang` } });

      // The other tenant's calls from the same number are untouched.
      expect(await dump(b.tenantId)).toBe(bBefore);
      expect(bBefore).toContain(DIGITS);
    });

    it('is audited with all but the last two digits masked, and a repeat finds nothing left', async () => {
      const log = await t.request({ method: 'GET', url: '/api/audit-log?action=privacy.number_erased', token: a.analyst.token });
      const entries = log.json<AuditLogListResponse>().data;
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ user_id: a.admin.id, entity_type: 'privacy', entity_id: null, after: { number: '*********23', call_records: 4, cdrs: 2 } });
      expect(JSON.stringify(entries)).not.toContain(DIGITS);
      const again = await erase(`00${DIGITS}`);
      const first = entries[0]!.after as { replaced_with: string };
      expect(again.json()).toEqual({ call_records: 0, cdrs: 0, webhook_audit: 0, replaced_with: first.replaced_with });
    });

    it('refuses analysts with 403 and bad numbers with 422', async () => {
      const analyst = await erase('+14155550199', a.analyst.token);
      expect(analyst.statusCode).toBe(403);
      expect(await tableCount('call_records', a.tenantId)).toBeGreaterThan(0);
      expect(await dump(a.tenantId)).toContain('14155550199');
      for (const bad of ['', 'abc', '12', '+1'.padEnd(30, '5'), 'call me maybe', 41555, null, ['+14155550123']]) {
        const res = await erase(bad);
        expect(res.statusCode, JSON.stringify(bad)).toBe(422);
        expect(res.json().error.details.fields).toHaveProperty('number');
      }
      const extra = await t.request({ method: 'POST', url: '/api/privacy/erase-number', token: a.admin.token, payload: { number: CALLER, also: 1 } });
      expect(extra.statusCode).toBe(422);
    });

    describe('isolation matrix', () => {
      const ctx = (): IsolationContext => ({ t, a, b, ids: {} });
      runTenantIsolationTests(ctx, [{ method: 'POST', url: () => '/api/privacy/erase-number', payload: () => ({ number: '+19995550000' }), scope: 'own', access: 'write' }]);
    });
  });
}
