import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAlertSignature } from '../../src/core/alerts/alert-signature.js';
import type { AlertListResponse, AlertSettingsResponse } from '../../src/http/alerts.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { startAlertReceiver, type AlertReceiver } from '../support/alert-receiver.js';
import { DIALECTS } from '../support/backends.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createInboundRule } from '../support/fixtures.js';
import { startMailCatcher, type MailCatcher } from '../support/mail-catcher.js';
import { runTenantIsolationTests } from '../support/isolation-matrix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const SIGNING_SECRET = 'alert-signing-secret-7f3a9c1e5b';
const MINUTE = 60_000;

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: alerts`, () => {
    let t: TestApp;
    let receiver: AlertReceiver;
    let mail: MailCatcher;
    let now = Date.UTC(2026, 10, 2, 12, 0, 0);
    const clock = () => now;
    const appKey = randomBytes(32).toString('hex');

    beforeAll(async () => {
      [receiver, mail] = await Promise.all([startAlertReceiver(), startMailCatcher()]);
      t = await createTestApp(dialect, { SMTP_URL: mail.url, ALERTS_EVALUATE_SECONDS: '0', ALERTS_RETRY_BASE_MS: '5', APP_KEY: appKey }, { clock });
    });
    afterAll(async () => {
      await t?.close();
      await Promise.all([receiver?.close(), mail?.close()]);
    });

    /** A tenant and its admin only: one password hashed instead of three. */
    async function adminOnly(label: string): Promise<TenantActors> {
      const s = randomBytes(4).toString('hex');
      const admin = { email: `admin-${s}@${label}.test`, password: `admin-pass-${s}-Quartz` };
      const domain = `${label}-${s}.cloudonix.net`;
      const reg = await t.request({ method: 'POST', url: '/api/auth/register', payload: { name: 'Admin', ...admin, password_confirmation: admin.password, tenant_name: label, domain } });
      expect(reg.statusCode, reg.body).toBe(201);
      const { user, token } = reg.json<{ user: { id: number; tenant_id: number }; token: string }>();
      // Reads below go with the admin's token; the analyst is the admin here (the ack test has a real one).
      const self = { id: user.id, ...admin, token };
      return { tenantId: user.tenant_id, domain, admin: self, analyst: self };
    }

    /** A tenant of its own per kind, with alerts going to the receiver and an inbox. */
    async function tenant(label: string, settings: Record<string, unknown> = {}, withAnalyst = false) {
      const a = withAnalyst ? await registerTenant(t, label) : await adminOnly(label);
      const res = await t.request({
        method: 'PUT',
        url: '/api/alerts/settings',
        token: a.admin.token,
        payload: { webhook_url: receiver.url, signing_secret: SIGNING_SECRET, email_recipients: [`ops-${label}@example.com`], ...settings },
      });
      expect(res.statusCode, res.statusCode === 500 ? t.logs.filter((l) => l.includes('"level":50')).join('\n') : res.body).toBe(200);
      const secret = await webhookSecret(t, a.admin.token);
      const voice = async (to: string) => {
        const s = newSession();
        const xml = (await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, s, { To: to }) })).body;
        return { s, dialed: dialedService(xml) };
      };
      return { a, secret, voice };
    }
    const evaluate = async (a: TenantActors) => {
      await t.runtime.services.alerts.evaluate(a.tenantId);
      await t.runtime.services.alerts.idle();
    };
    const list = async (a: TenantActors, q = '') => {
      const res = await t.request({ method: 'GET', url: `/api/alerts${q}`, token: a.analyst.token });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<AlertListResponse>().data;
    };
    /** What reached the receiver for this tenant and kind, each checked for a valid signature. */
    const delivered = (a: TenantActors, kind: string) =>
      receiver.received
        .filter((r) => r.json.tenant_id === a.tenantId && r.json.alert.kind === kind)
        .map((r) => {
          expect(verifyAlertSignature(SIGNING_SECRET, r.body, String(r.headers['x-vlb-signature']), Math.floor(now / 1000), 86_400)).toBe(true);
          expect(verifyAlertSignature('another-secret-of-some-length', r.body, String(r.headers['x-vlb-signature']), Math.floor(now / 1000))).toBe(false);
          return `${r.json.type}:${r.json.alert.subject_id ?? '-'}`;
        });

    it('an agent out of rotation fires at once, once; back after its cooldown, it resolves once; signed webhook and email each time', async () => {
      const { a, voice } = await tenant('down');
      const agent = await createAgent(t, a.admin.token, { name: 'Flaky bot' });
      await createInboundRule(t, a.admin.token, { pattern: '+1999*', target_type: 'agent', target_id: agent });
      for (let i = 0; i < 3; i++) {
        const { s, dialed } = await voice('+19995550000');
        expect(dialed).not.toBeNull();
        await t.request({ method: 'POST', url: dialed!.action.replace(/^https?:\/\/[^/]+/, ''), payload: voiceBody(a.domain, s, { DialCallStatus: 'failed' }) });
      }
      await t.runtime.services.alerts.idle();
      expect(delivered(a, 'agent_down')).toEqual([`alert.firing:${agent}`]);
      await evaluate(a);
      await evaluate(a);
      const open = await list(a, '?state=firing&kind=agent_down');
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ kind: 'agent_down', label: 'Agent out of rotation', subject_name: 'Flaky bot', state: 'firing', resolved_at: null });

      now += 61_000; // the default cooldown is 60 s
      await evaluate(a);
      await evaluate(a);
      expect(delivered(a, 'agent_down')).toEqual([`alert.firing:${agent}`, `alert.resolved:${agent}`]);
      expect(await list(a, '?state=firing')).toHaveLength(0);
      expect((await list(a, '?kind=agent_down'))[0]).toMatchObject({ state: 'resolved', message: 'Flaky bot is back in rotation.' });
      const mails = mail.to('ops-down@example.com').map((m) => m.subject);
      expect(mails).toEqual(['[Voice LB] Firing: Agent out of rotation — Flaky bot', '[Voice LB] Resolved: Agent out of rotation — Flaky bot']);
    });

    it('an agent and its provider pool at their limits fire only after the set minutes, and resolve when a slot frees', async () => {
      const { a, voice } = await tenant('atcap', { at_cap_minutes: 5 });
      const pool = (await t.request({ method: 'POST', url: '/api/provider-pools', token: a.admin.token, payload: { name: 'Vapi account', max_concurrent_calls: 1 } })).json<{ id: number }>().id;
      const agent = await createAgent(t, a.admin.token, { name: 'Busy bot', max_concurrent_calls: 1, pool_id: pool });
      await createInboundRule(t, a.admin.token, { pattern: '+1888*', target_type: 'agent', target_id: agent });
      expect((await voice('+18885550000')).dialed).not.toBeNull();
      const atCap = () => [...delivered(a, 'agent_at_cap'), ...delivered(a, 'pool_at_cap')];
      await evaluate(a);
      now += 4 * MINUTE;
      await evaluate(a);
      expect(atCap()).toEqual([]);
      now += MINUTE;
      await evaluate(a);
      await evaluate(a);
      expect(atCap()).toEqual([`alert.firing:${agent}`, `alert.firing:${pool}`]);
      expect((await list(a, '?kind=pool_at_cap'))[0]).toMatchObject({ label: 'Provider pool at its limit', subject_name: 'Vapi account' });
      const live = (await t.request({ method: 'GET', url: '/api/calls/active', token: a.admin.token })).json<{ data: { id: number }[] }>().data;
      expect((await t.request({ method: 'POST', url: `/api/calls/active/${live[0]!.id}/end`, token: a.admin.token })).statusCode).toBe(200);
      await evaluate(a);
      await evaluate(a);
      expect(atCap()).toEqual([`alert.firing:${agent}`, `alert.resolved:${agent}`, `alert.firing:${pool}`, `alert.resolved:${pool}`]);
    });

    it('a fallback share over the threshold fires, and resolves once the window holds fewer', async () => {
      const { a, voice } = await tenant('fallback', { fallback_percent: 50, fallback_min_calls: 2, fallback_window_minutes: 10 });
      await voice('+17775550000'); // no rule: the fallback takes both
      await voice('+17775550001');
      await evaluate(a);
      await evaluate(a);
      expect(delivered(a, 'fallback_share')).toEqual(['alert.firing:-']);
      expect((await list(a, '?kind=fallback_share'))[0]!.message).toBe('The fallback route took 100% of the 2 calls of the last 10 minutes.');
      now += 11 * MINUTE;
      await evaluate(a);
      await evaluate(a);
      expect(delivered(a, 'fallback_share')).toEqual(['alert.firing:-', 'alert.resolved:-']);
    });

    it('calls routed with no session updates or CDRs fire both; a session update and a CDR resolve them', async () => {
      const { a, secret, voice } = await tenant('wiring', { wiring_min_calls: 3, wiring_window_minutes: 30 });
      const agent = await createAgent(t, a.admin.token, { name: 'Wired bot' });
      await createInboundRule(t, a.admin.token, { pattern: '+1666*', target_type: 'agent', target_id: agent });
      const calls = [await voice('+16665550000'), await voice('+16665550001'), await voice('+16665550002')];
      await evaluate(a);
      expect(delivered(a, 'no_session_updates')).toEqual([]); // calls younger than two minutes are not judged
      now += 3 * MINUTE;
      await evaluate(a);
      await evaluate(a);
      expect([...delivered(a, 'no_session_updates'), ...delivered(a, 'no_cdrs')]).toEqual(['alert.firing:-', 'alert.firing:-']);

      const s = calls[0]!.s;
      const update = await t.request({ method: 'POST', url: `/api/voice/session/update/${a.domain}?token=${secret}`, payload: { eventId: `${s}-1`, token: s, status: 'ringing', domain: a.domain } });
      expect(update.statusCode).toBe(200);
      const cdr = await t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { domain: a.domain, disposition: 'ANSWER', duration: 5, billsec: 4, session: { token: s } } });
      expect(cdr.statusCode).toBe(200);
      await t.runtime.services.routing.audit.flush();
      await evaluate(a);
      await evaluate(a);
      expect(delivered(a, 'no_session_updates')).toEqual(['alert.firing:-', 'alert.resolved:-']);
      expect(delivered(a, 'no_cdrs')).toEqual(['alert.firing:-', 'alert.resolved:-']);
    });

    it('webhook errors over the threshold fire, and resolve when the window passes', async () => {
      const { a, secret } = await tenant('hookerr', { webhook_errors_threshold: 3, webhook_errors_window_minutes: 5 });
      for (let i = 0; i < 3; i++) {
        const res = await t.request({ method: 'POST', url: `/api/voice/session/update/${a.domain}?token=${secret}`, payload: { status: 42 } });
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
      }
      await t.runtime.services.routing.audit.flush();
      await evaluate(a);
      await evaluate(a);
      expect(delivered(a, 'webhook_errors')).toEqual(['alert.firing:-']);
      now += 6 * MINUTE;
      await evaluate(a);
      expect(delivered(a, 'webhook_errors')).toEqual(['alert.firing:-', 'alert.resolved:-']);
    });

    it('notifications past the per-tenant limit are dropped, and the next one sent says how many', async () => {
      const { a } = await tenant('limited', { max_notifications_per_10_minutes: 2 });
      const agents = [await createAgent(t, a.admin.token, { name: 'L1' }), await createAgent(t, a.admin.token, { name: 'L2' }), await createAgent(t, a.admin.token, { name: 'L3' })];
      for (const id of agents) {
        t.runtime.services.alerts.healthChanged(a.tenantId, id, false, 'failures');
        await t.runtime.services.alerts.idle();
      }
      expect(delivered(a, 'agent_down')).toHaveLength(2);
      expect(await list(a, '?state=firing')).toHaveLength(3); // every alert is recorded, whatever is sent
      now += 11 * MINUTE;
      t.runtime.services.alerts.healthChanged(a.tenantId, agents[0]!, true);
      await t.runtime.services.alerts.idle();
      const last = receiver.received.filter((r) => r.json.tenant_id === a.tenantId).at(-1)!;
      expect(last.json).toMatchObject({ type: 'alert.resolved', dropped_before: 1 });
    });

    it('a failing receiver is retried a bounded number of times', async () => {
      const { a } = await tenant('retry');
      const agent = await createAgent(t, a.admin.token, { name: 'R1' });
      let answers = [503, 503, 200];
      receiver.status = () => answers.shift() ?? 200;
      const before = receiver.attempts;
      t.runtime.services.alerts.healthChanged(a.tenantId, agent, false);
      await t.runtime.services.alerts.idle();
      expect(receiver.attempts - before).toBe(3);
      expect(delivered(a, 'agent_down')).toEqual([`alert.firing:${agent}`]);
      answers = [];
      receiver.status = () => 500;
      const give = receiver.attempts;
      t.runtime.services.alerts.healthChanged(a.tenantId, agent, true);
      await t.runtime.services.alerts.idle();
      expect(receiver.attempts - give).toBe(4);
      receiver.status = () => 200;
    });

    it('admins acknowledge, analysts read; other tenants see 404; the signing secret is never returned or logged', async () => {
      const { a } = await tenant('ack', {}, true);
      const b = await adminOnly('ackother');
      const agent = await createAgent(t, a.admin.token, { name: 'Ack bot' });
      t.runtime.services.alerts.healthChanged(a.tenantId, agent, false);
      await t.runtime.services.alerts.idle();
      const [alert] = await list(a);
      const ack = (token: string, id = alert!.id) => t.request({ method: 'POST', url: `/api/alerts/${id}/acknowledge`, token });
      expect((await ack(a.analyst.token)).statusCode).toBe(403);
      expect((await ack(b.admin.token)).statusCode).toBe(404);
      const counts = () => t.request({ method: 'GET', url: '/api/alerts/counts', token: a.analyst.token }).then((r) => r.json<{ firing: number; unacknowledged: number }>());
      expect(await counts()).toEqual({ firing: 1, unacknowledged: 1 });
      const done = await ack(a.admin.token);
      expect(done.statusCode).toBe(200);
      expect(done.json()).toMatchObject({ id: alert!.id, acknowledged_by: a.admin.id });
      expect(await counts()).toEqual({ firing: 1, unacknowledged: 0 });
      expect((await ack(a.admin.token)).json()).toMatchObject({ acknowledged_by: a.admin.id }); // again: nothing changes
      const audit = await t.request({ method: 'GET', url: '/api/audit-log?per_page=100', token: a.admin.token });
      const actions = audit.json<{ data: { action: string; after_state: unknown }[] }>().data.map((e) => e.action);
      expect(actions.filter((x) => x === 'alert.acknowledged')).toHaveLength(1);
      expect(actions).toContain('alert_settings.updated');
      expect(audit.body).not.toContain(SIGNING_SECRET);

      const view = await t.request({ method: 'GET', url: '/api/alerts/settings', token: a.analyst.token });
      expect(view.json<AlertSettingsResponse>()).toMatchObject({ signing_secret_set: true, webhook_url: receiver.url });
      expect((await t.request({ method: 'PUT', url: '/api/alerts/settings', token: a.analyst.token, payload: { fallback_percent: 30 } })).statusCode).toBe(403);
      const bad = await t.request({ method: 'PUT', url: '/api/alerts/settings', token: a.admin.token, payload: { webhook_url: 'ftp://x', signing_secret: 'short' } });
      expect(bad.statusCode).toBe(422);
      expect(bad.body).toContain('webhook_url');
      const test = await t.request({ method: 'POST', url: '/api/alerts/settings/test', token: a.admin.token });
      expect(test.json()).toEqual({ webhook: 'sent', email: 'sent' });
      expect(t.logs.join('\n')).not.toContain(SIGNING_SECRET);
      expect(JSON.stringify(receiver.received)).not.toContain(SIGNING_SECRET);
    });

    describe('isolation matrix', () => {
      let a: TenantActors;
      let b: TenantActors;
      const ids: Record<string, number> = {};
      beforeAll(async () => {
        [a, b] = [await registerTenant(t, 'isoa'), await adminOnly('isob')];
        const agent = await createAgent(t, a.admin.token, { name: 'Iso bot' });
        t.runtime.services.alerts.healthChanged(a.tenantId, agent, false);
        await t.runtime.services.alerts.idle();
        ids.alert = (await list(a))[0]!.id;
      });
      runTenantIsolationTests(() => ({ t, a, b, ids }), [
        { method: 'GET', url: () => '/api/alerts', scope: 'own', access: 'read' },
        { method: 'GET', url: () => '/api/alerts/counts', scope: 'own', access: 'read' },
        { method: 'GET', url: () => '/api/alerts/settings', scope: 'own', access: 'read' },
        { method: 'POST', url: (i) => `/api/alerts/${i.alert}/acknowledge`, scope: 'row', access: 'write', readBack: () => '/api/alerts' },
        { method: 'PUT', url: () => '/api/alerts/settings', payload: () => ({ fallback_percent: 77 }), scope: 'own', access: 'write', readBack: () => '/api/alerts/settings' },
        { method: 'POST', url: () => '/api/alerts/settings/test', scope: 'own', access: 'write' },
      ]);
    });

    it('two instances sharing the database open one alert and send one notification', async () => {
      const url = t.runtime.config.databaseUrl!;
      const two = await createTestApp(dialect, { SMTP_URL: mail.url, ALERTS_EVALUATE_SECONDS: '0', APP_KEY: appKey }, { clock, databaseUrl: () => url });
      try {
        const { a, voice } = await tenant('dedup', { fallback_percent: 10, fallback_min_calls: 1 });
        const agent = await createAgent(t, a.admin.token, { name: 'Twice bot' });
        await voice('+15555550000');
        const both = [t.runtime.services.alerts, two.runtime.services.alerts];
        for (let i = 0; i < 3; i++) await Promise.all(both.map((s) => s.evaluate(a.tenantId)));
        // Each instance hears the same health change (both read one shared plane in a scaled setup).
        for (const s of both) s.healthChanged(a.tenantId, agent, false);
        for (const s of both) s.healthChanged(a.tenantId, agent, false);
        await new Promise((r) => setTimeout(r, 100));
        await Promise.all(both.map((s) => s.idle()));
        expect(delivered(a, 'fallback_share')).toEqual(['alert.firing:-']);
        expect(delivered(a, 'agent_down')).toEqual([`alert.firing:${agent}`]);
        expect(await list(a, '?state=firing')).toHaveLength(2);
      } finally {
        await two.close();
      }
    });
  });
}
