import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/backends.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: tenant settings`, () => {
    let t: TestApp;
    let a: TenantActors;
    beforeAll(async () => {
      t = await createTestApp(dialect, { PUBLIC_URL: 'https://lb.example.org/' });
      a = await registerTenant(t, 'gamma');
    });
    afterAll(async () => t?.close());

    it('shows admins the webhook secret and the exact Cloudonix URLs, analysts neither', async () => {
      const admin = (await t.request({ method: 'GET', url: '/api/tenant', token: a.admin.token })).json();
      expect(admin.domain).toBe(a.domain);
      expect(admin.settings).toEqual({ timezone: 'UTC', retention_days: 30, max_call_minutes: 120, fallback: { type: 'hangup' }, health: { failure_threshold: 3, cooldown_seconds: 60, short_calls_enabled: false, short_call_seconds: 5, short_call_min_calls: 5, short_call_window_minutes: 10, short_call_share: 0.6 }, webhook_security: { require_secret: true, rotation_grace_hours: 24, allowed_sources: [] } });
      expect(admin.webhook_secret).toMatch(/^cxlb_/);
      const q = `token=${admin.webhook_secret}`;
      expect(admin.webhook_urls).toEqual({
        voice_application: `https://lb.example.org/api/voice/application/${a.domain}?${q}`,
        session_update: `https://lb.example.org/api/voice/session/update/${a.domain}?${q}`,
        cdr: `https://lb.example.org/api/voice/session/cdr/${a.domain}?${q}`,
      });
      const analyst = await t.request({ method: 'GET', url: '/api/tenant', token: a.analyst.token });
      expect(analyst.statusCode).toBe(200);
      expect(analyst.json()).not.toHaveProperty('webhook_secret');
      expect(analyst.json()).not.toHaveProperty('webhook_urls');
      expect(analyst.body).not.toContain(admin.webhook_secret);
    });

    it('keeps the webhook secret encrypted at rest', async () => {
      const { webhook_secret } = (await t.request({ method: 'GET', url: '/api/tenant', token: a.admin.token })).json();
      const row = await t.runtime.store.db.selectFrom('tenants').selectAll().where('id', '=', a.tenantId).executeTakeFirstOrThrow();
      expect(row.webhook_secret_sealed).not.toContain(webhook_secret);
      expect(row.webhook_secret_sealed).toMatch(/^v1:/);
    });

    it('updates name and settings, merging partial settings', async () => {
      const res = await t.request({
        method: 'PUT',
        url: '/api/tenant',
        token: a.admin.token,
        payload: { name: 'Gamma Corp', settings: { timezone: 'Europe/London', retention_days: 0 } },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().name).toBe('Gamma Corp');
      expect(res.json().settings).toMatchObject({ timezone: 'Europe/London', retention_days: 0, fallback: { type: 'hangup' } });
      const fallback = await t.request({
        method: 'PUT',
        url: '/api/tenant',
        token: a.admin.token,
        payload: { settings: { fallback: { type: 'message', message: 'All agents are busy <please> call back' } } },
      });
      expect(fallback.json().settings.fallback).toEqual({ type: 'message', message: 'All agents are busy <please> call back' });
      expect(fallback.json().settings.timezone).toBe('Europe/London');
    });

    it('refuses bad settings with 422 naming the field', async () => {
      const cases: [unknown, string][] = [
        [{ settings: { timezone: 'Mars/Olympus' } }, 'settings.timezone'],
        [{ settings: { retention_days: -1 } }, 'settings.retention_days'],
        [{ settings: { max_call_minutes: 2 } }, 'settings.max_call_minutes'],
        [{ settings: { max_call_minutes: 1441 } }, 'settings.max_call_minutes'],
        [{ settings: { max_call_minutes: '90' } }, 'settings.max_call_minutes'],
        [{ settings: { max_call_minutes: 90.5 } }, 'settings.max_call_minutes'],
        [{ settings: { fallback: { type: 'reject', reason: 'later' } } }, 'settings.fallback.reason'],
        [{ settings: { fallback: { type: 'number', number: 'call me' } } }, 'settings.fallback.number'],
        [{ domain: 'not a domain' }, 'domain'],
        [{ name: '' }, 'name'],
      ];
      for (const [payload, field] of cases) {
        const res = await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: payload as object });
        expect(res.statusCode, JSON.stringify(payload)).toBe(422);
        expect(Object.keys(res.json().error.details.fields), JSON.stringify(payload)).toContain(field);
      }
      const unknown = await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { plan: 'enterprise' } });
      expect(unknown.statusCode).toBe(422);
    });

    it('refuses a fallback agent or group that is not in the tenant', async () => {
      for (const [fallback, field] of [[{ type: 'agent', agent_id: 999999 }, 'settings.fallback.agent_id'], [{ type: 'group', group_id: 999999 }, 'settings.fallback.group_id']] as const) {
        const res = await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { fallback } } });
        expect(res.statusCode).toBe(422);
        expect(res.json().error.details.fields).toHaveProperty([field]);
      }
    });

    it('refuses a domain that another tenant has with 409', async () => {
      const other = await registerTenant(t, 'delta');
      const res = await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { domain: other.domain } });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.details.fields).toHaveProperty('domain');
    });

    it('rotates the webhook secret: new value shown once more, old one replaced, change audited', async () => {
      const before = (await t.request({ method: 'GET', url: '/api/tenant', token: a.admin.token })).json();
      const res = await t.request({ method: 'POST', url: '/api/tenant/webhook-credentials/rotate', token: a.admin.token });
      expect(res.statusCode).toBe(200);
      const { webhook_secret, webhook_urls } = res.json();
      expect(webhook_secret).not.toBe(before.webhook_secret);
      expect(webhook_urls.voice_application).toContain(`token=${webhook_secret}`);
      const after = (await t.request({ method: 'GET', url: '/api/tenant', token: a.admin.token })).json();
      expect(after.webhook_secret).toBe(webhook_secret);
      const audit = await t.runtime.services.repos.auditLog.listForEntity(a.tenantId, 'tenant', a.tenantId);
      expect(audit.map((r) => r.action)).toContain('tenant.webhook_secret_rotated');
      expect(JSON.stringify(audit)).not.toContain(webhook_secret);
    });
  });
}
