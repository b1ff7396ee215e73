import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../../src/store/json-column.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { dialedService, newSession, parseCxml, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const HOUR = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: webhook secret rotation with a grace period`, () => {
    let t: TestApp;
    const clock = { now: T0 };
    beforeAll(async () => {
      t = await createTestApp(dialect, { SIGNUP: 'open' }, { clock: () => clock.now });
    });
    afterAll(async () => t?.close());

    /** A tenant whose calls go to a priority group of two agents, so a failed first dial has a second. */
    async function routedTenant(label: string): Promise<{ a: TenantActors; secret: string }> {
      const a = await registerTenant(t, label);
      const agents = [await createAgent(t, a.admin.token), await createAgent(t, a.admin.token)];
      const group = await createGroup(t, a.admin.token, 'priority', agents.map((agent_id, i) => ({ agent_id, priority: i + 1 })));
      await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: a.admin.token, payload: { pattern: '*', target_type: 'group', target_id: group } });
      return { a, secret: await webhookSecret(t, a.admin.token) };
    }
    const rotate = (a: TenantActors) => t.request({ method: 'POST', url: '/api/tenant/webhook-credentials/rotate', token: a.admin.token });
    const voice = (a: TenantActors, secret: string, session = newSession()) =>
      t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: `Bearer ${secret}` }, payload: voiceBody(a.domain, session) });
    const cdrOf = (a: TenantActors, session: string) => ({ domain: a.domain, disposition: 'ANSWER', duration: 30, billsec: 28, session: { token: session, callStartTime: clock.now - 30_000, callEndTime: clock.now } });

    it('a call in progress during a rotation completes with the old secret: Dial callback (CXML), session updates and CDR', async () => {
      clock.now = T0;
      const { a, secret: old } = await routedTenant('inflight');
      const session = newSession();
      const first = await voice(a, old, session);
      expect(first.statusCode).toBe(200);
      const dial = dialedService(first.body)!;
      expect(dial.action).toContain(`token=${old}`);

      const rotated = await rotate(a);
      expect(rotated.statusCode).toBe(200);
      const fresh: string = rotated.json().webhook_secret;
      expect(fresh).not.toBe(old);
      expect(rotated.json().previous_webhook_secret_expires_at).toBe(new Date(T0 + 24 * HOUR).toISOString());
      clock.now += 60_000;

      // The Dial action URL Cloudonix got before the rotation still carries the old secret.
      const callback = await t.request({ method: 'POST', url: dial.action.replace(/^https?:\/\/[^/]+/, ''), payload: voiceBody(a.domain, session, { DialCallStatus: 'no-answer' }) });
      expect(callback.statusCode).toBe(200);
      expect(callback.headers['content-type']).toContain('application/xml');
      const second = dialedService(callback.body)!;
      expect(second).not.toBeNull();
      expect(second.number).not.toBe(dial.number);
      // The next Dial action URL carries the current secret.
      expect(second.action).toContain(`token=${fresh}`);
      const update = await t.request({ method: 'POST', url: `/api/voice/session/update/${a.domain}?token=${old}`, payload: { eventId: `${session}-1`, token: session, status: 'connected', domain: a.domain } });
      expect(update.statusCode).toBe(200);
      const done = await t.request({ method: 'POST', url: second.action.replace(/^https?:\/\/[^/]+/, ''), payload: voiceBody(a.domain, session, { DialCallStatus: 'completed' }) });
      expect(parseCxml(done.body)).toHaveProperty('Hangup');
      const cdr = await t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}`, headers: { 'x-cx-apikey': old }, payload: cdrOf(a, session) });
      expect(cdr.statusCode).toBe(200);
      const record = await t.runtime.store.db.selectFrom('call_records').select(['status', 'attempt']).where('session_token', '=', session).executeTakeFirstOrThrow();
      expect(record).toMatchObject({ status: 'completed', attempt: 2 });

      // The new secret works meanwhile, and the old one until the grace period ends, not after.
      expect((await voice(a, fresh)).statusCode).toBe(200);
      clock.now = T0 + 24 * HOUR - 1;
      expect((await voice(a, old)).statusCode).toBe(200);
      clock.now = T0 + 24 * HOUR;
      const late = await voice(a, old);
      expect(late.statusCode).toBe(401);
      expect(late.json().error.code).toBe('unauthenticated');
      expect((await t.request({ method: 'POST', url: dial.action.replace(/^https?:\/\/[^/]+/, ''), payload: voiceBody(a.domain, newSession(), { DialCallStatus: 'failed' }) })).statusCode).toBe(401);
      expect((await t.request({ method: 'POST', url: `/api/voice/session/update/${a.domain}?token=${old}`, payload: { token: session, status: 'connected' } })).statusCode).toBe(401);
      expect((await t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${old}`, payload: cdrOf(a, newSession()) })).statusCode).toBe(401);
      expect((await voice(a, fresh)).statusCode).toBe(200);
      const view = (await t.request({ method: 'GET', url: '/api/tenant', token: a.admin.token })).json();
      expect(view.previous_webhook_secret_expires_at).toBeNull();
    });

    it('shows admins until when the old secret works; audits the rotation with the grace period, never a secret', async () => {
      clock.now = T0;
      const { a, secret: old } = await routedTenant('shown');
      const fresh: string = (await rotate(a)).json().webhook_secret;
      const admin = (await t.request({ method: 'GET', url: '/api/tenant', token: a.admin.token })).json();
      expect(admin.previous_webhook_secret_expires_at).toBe(new Date(T0 + 24 * HOUR).toISOString());
      expect(JSON.stringify(admin)).not.toContain(old);
      expect(admin.previous_webhook_secret_last_used_at).toBeNull();
      // Whether Cloudonix still sends the old secret: admins see when a webhook last carried it.
      clock.now = T0 + 5_000;
      expect((await voice(a, fresh)).statusCode).toBe(200);
      const lastUsed = async () => (await t.request({ method: 'GET', url: '/api/tenant', token: a.admin.token })).json().previous_webhook_secret_last_used_at;
      expect(await lastUsed()).toBeNull();
      expect((await voice(a, old)).statusCode).toBe(200);
      await expect.poll(lastUsed).toBe(new Date(T0 + 5_000).toISOString());
      const analyst = await t.request({ method: 'GET', url: '/api/tenant', token: a.analyst.token });
      expect(analyst.json()).not.toHaveProperty('previous_webhook_secret_expires_at');
      expect(analyst.json()).not.toHaveProperty('previous_webhook_secret_last_used_at');
      const audit = await t.runtime.services.repos.auditLog.listForEntity(a.tenantId, 'tenant', a.tenantId);
      const row = audit.find((r) => r.action === 'tenant.webhook_secret_rotated')!;
      expect(readJson(row.after_state, null)).toEqual({ grace_hours: 24, previous_secret_expires_at: new Date(T0 + 24 * HOUR).toISOString() });
      expect(JSON.stringify(audit)).not.toContain(old);
      expect(JSON.stringify(audit)).not.toContain(fresh);
      const stored = await t.runtime.store.db.selectFrom('tenants').selectAll().where('id', '=', a.tenantId).executeTakeFirstOrThrow();
      expect(stored.previous_webhook_secret_sealed).toMatch(/^v1:/);
      expect(stored.previous_webhook_secret_sealed).not.toContain(old);
    });

    it('rotating again during a grace period keeps only the newest previous secret, with a fresh period', async () => {
      clock.now = T0;
      const { a, secret: s0 } = await routedTenant('twice');
      const s1: string = (await rotate(a)).json().webhook_secret;
      clock.now = T0 + HOUR;
      const again = await rotate(a);
      const s2: string = again.json().webhook_secret;
      expect(again.json().previous_webhook_secret_expires_at).toBe(new Date(T0 + 25 * HOUR).toISOString());
      expect((await voice(a, s0)).statusCode).toBe(401);
      expect((await voice(a, s1)).statusCode).toBe(200);
      expect((await voice(a, s2)).statusCode).toBe(200);
    });

    it('rotations at once each leave a working secret: the last one current, one other as the previous', async () => {
      clock.now = T0;
      const { a } = await routedTenant('concurrent');
      const answers = await Promise.all([rotate(a), rotate(a), rotate(a)]);
      expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200]);
      const statuses = await Promise.all(answers.map(async (r) => (await voice(a, r.json().webhook_secret)).statusCode));
      // Serialised: the last rotation's secret is current, the one before it previous, the first one replaced twice.
      expect(statuses.filter((s) => s === 200)).toHaveLength(2);
      expect(statuses.filter((s) => s === 401)).toHaveLength(1);
    });

    it('a grace period of 0 drops the old secret at once; ending the grace period after a leak does too, and is audited', async () => {
      clock.now = T0;
      const { a, secret: old } = await routedTenant('nograce');
      const put = await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { webhook_security: { rotation_grace_hours: 0 } } } });
      expect(put.statusCode).toBe(200);
      expect(put.json().settings.webhook_security).toEqual({ require_secret: true, rotation_grace_hours: 0, allowed_sources: [] });
      const rotated = await rotate(a);
      expect(rotated.json().previous_webhook_secret_expires_at).toBeNull();
      expect((await voice(a, old)).statusCode).toBe(401);
      expect((await voice(a, rotated.json().webhook_secret)).statusCode).toBe(200);

      const { a: b, secret: leaked } = await routedTenant('leak');
      const fresh: string = (await rotate(b)).json().webhook_secret;
      expect((await voice(b, leaked)).statusCode).toBe(200);
      expect((await t.request({ method: 'DELETE', url: '/api/tenant/webhook-credentials/previous', token: b.analyst.token })).statusCode).toBe(403);
      const ended = await t.request({ method: 'DELETE', url: '/api/tenant/webhook-credentials/previous', token: b.admin.token });
      expect(ended.statusCode).toBe(204);
      expect((await voice(b, leaked)).statusCode).toBe(401);
      expect((await voice(b, fresh)).statusCode).toBe(200);
      expect((await t.request({ method: 'GET', url: '/api/tenant', token: b.admin.token })).json().previous_webhook_secret_expires_at).toBeNull();
      const actions = (await t.runtime.services.repos.auditLog.listForEntity(b.tenantId, 'tenant', b.tenantId)).map((r) => r.action);
      expect(actions).toContain('tenant.webhook_secret_grace_ended');
    });

    it('the OpenAPI document describes the rotation, the grace period and the allowlist', async () => {
      const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json();
      const rotate = doc.paths['/api/tenant/webhook-credentials/rotate'].post;
      expect(JSON.stringify(rotate.responses['200'])).toContain('previous_webhook_secret_expires_at');
      expect(rotate.responses['429']).toBeDefined();
      expect(doc.paths['/api/tenant/webhook-credentials/previous'].delete.responses['204']).toBeDefined();
      const put = JSON.stringify(doc.paths['/api/tenant'].put.requestBody);
      expect(put).toContain('rotation_grace_hours');
      expect(put).toContain('allowed_sources');
      expect(JSON.stringify(doc.paths['/api/tenant'].get.responses['200'])).toContain('previous_webhook_secret_expires_at');
    });

    it('refuses a grace period outside 0 to 168 hours with 422 naming the field', async () => {
      const { a } = await routedTenant('badgrace');
      for (const value of [-1, 169, 1.5, '24']) {
        const res = await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { webhook_security: { rotation_grace_hours: value } } } });
        expect(res.statusCode, String(value)).toBe(422);
        expect(Object.keys(res.json().error.details.fields)).toContain('settings.webhook_security.rotation_grace_hours');
      }
    });
  });
}
