import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditLogListResponse } from '../../src/http/audit-log.js';
import type { ExportResponse } from '../../src/http/exports.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const CALLER = '+14155550123';
const CALLED = '+12125550187';

async function seedCall(t: TestApp, tenantId: number, session: string): Promise<void> {
  const at = Date.UTC(2026, 0, 5, 12);
  await t.runtime.store.db
    .insertInto('call_records')
    .values({ tenant_id: tenantId, session_token: session, direction: 'inbound', from_number: CALLER, to_number: CALLED, status: 'completed', agent_id: null, group_id: null, rule_id: null, attempt: 1, decision_trace: null, disposition: 'ANSWER', started_at: at, answered_at: at + 2000, ended_at: at + 60_000, duration_seconds: 58, billsec: 58, created_at: at, updated_at: at })
    .execute();
}

async function exportAndWait(t: TestApp, token: string, body: object): Promise<ExportResponse> {
  const res = await t.request({ method: 'POST', url: '/api/exports', token, payload: body, remoteAddress: '203.0.113.9' });
  expect(res.statusCode, res.body).toBe(202);
  const id = res.json<ExportResponse>().id;
  for (const until = Date.now() + 60_000; ; ) {
    const view = (await t.request({ method: 'GET', url: `/api/exports/${id}`, token })).json<ExportResponse>();
    if (view.status === 'completed' || view.status === 'failed') return view;
    if (Date.now() > until) throw new Error(`export ${id} still ${view.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const exportEntries = async (t: TestApp, token: string) =>
  (await t.request({ method: 'GET', url: '/api/audit-log?entity_type=export&per_page=100', token })).json<AuditLogListResponse>().data;

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: exports in the audit log`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'exported');
      b = await registerTenant(t, 'other');
      await seedCall(t, a.tenantId, 'session-audited-1');
    });
    afterAll(async () => t?.close());

    it('an export request and each download are audited with who, from where and what filter, never the data', async () => {
      const filters = { from: CALLER, session_token: 'session-audited-1', start_date: '2026-01-01', direction: 'inbound' };
      const done = await exportAndWait(t, a.analyst.token, { format: 'csv', fields: ['id', 'from', 'to', 'status'], filters });
      expect(done.status).toBe('completed');
      const file = await t.request({ method: 'GET', url: `/api/exports/${done.id}/download`, token: a.admin.token, remoteAddress: '198.51.100.7' });
      expect(file.statusCode).toBe(200);
      expect(file.body).toContain(CALLER);

      const entries = await exportEntries(t, a.admin.token);
      const requested = entries.find((e) => e.action === 'export.requested' && e.entity_id === done.id);
      expect(requested).toMatchObject({ user_id: a.analyst.id, entity_type: 'export', ip: '203.0.113.9' });
      expect(requested!.after).toMatchObject({ format: 'csv', fields: ['id', 'from', 'to', 'status'], filters: { from: '*********23', direction: 'inbound', start_date: '2026-01-01', session_token: '********' } });
      const downloaded = entries.find((e) => e.action === 'export.downloaded' && e.entity_id === done.id);
      expect(downloaded).toMatchObject({ user_id: a.admin.id, ip: '198.51.100.7', after: { format: 'csv', row_count: 1, requested_by: a.analyst.id } });

      const text = JSON.stringify(entries);
      for (const data of [CALLER, CALLED, CALLER.slice(1), 'session-audited-1']) expect(text).not.toContain(data);
    });

    it('a download that is refused (not ready, another tenant’s) leaves no download entry; another tenant sees none of it', async () => {
      const done = await exportAndWait(t, a.admin.token, { format: 'json', fields: ['id'] });
      const before = (await exportEntries(t, a.admin.token)).filter((e) => e.action === 'export.downloaded').length;
      expect((await t.request({ method: 'GET', url: `/api/exports/${done.id}/download`, token: b.admin.token })).statusCode).toBe(404);
      expect((await exportEntries(t, a.admin.token)).filter((e) => e.action === 'export.downloaded').length).toBe(before);
      expect(await exportEntries(t, b.admin.token)).toEqual([]);
    });
  });
}
