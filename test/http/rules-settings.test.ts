import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditLogListResponse } from '../../src/http/audit-log.js';
import type { InboundRuleListResponse } from '../../src/http/inbound-routing-rules.js';
import type { TenantResponse } from '../../src/http/tenant.js';
import { registerTenant, uniqueSuffix, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup, createInboundRule } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Issue 20's forms that tell the truth, checked through the API the forms use. */
for (const dialect of DIALECTS) {
  describe(`${dialect.name}: rules, settings, registration and audit views`, () => {
    let t: TestApp;
    let a: TenantActors;
    let agent: number;
    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'truth');
      agent = await createAgent(t, a.admin.token, { name: 'Sales bot' });
    });
    afterAll(async () => t?.close());

    const post = (url: string, payload: unknown, token = a.admin.token) => t.request({ method: 'POST', url, token, payload: payload as object });
    const tenant = async (token = a.admin.token) => (await t.request({ method: 'GET', url: '/api/tenant', token })).json<TenantResponse>();

    it('refuses patterns that could never match a whole number, saying why', async () => {
      const cases: [string, RegExp][] = [
        ['sales*', /letter “s”/],
        ['^\\+1212.*$', /regular expression/],
        ['+1212%', /% or _/],
        ['+12345678901234567', /17 digits.*at most 15/],
        ['+12*34', /only come last/],
      ];
      for (const [pattern, reason] of cases) {
        const inbound = await post('/api/inbound-routing-rules', { pattern, target_type: 'agent', target_id: agent });
        expect(inbound.statusCode, pattern).toBe(422);
        expect(inbound.json().error.details.fields.pattern[0], pattern).toMatch(reason);
        const outbound = await post('/api/outbound-routing-rules', { name: 'Out', caller_id: pattern, trunk_config: { trunks: ['pstn'] } });
        expect(outbound.statusCode, pattern).toBe(422);
        expect(outbound.json().error.details.fields.caller_id[0], pattern).toMatch(reason);
      }
      expect((await post('/api/inbound-routing-rules', { pattern: '+123456789012345', target_type: 'agent', target_id: agent })).statusCode).toBe(201);
    });

    it('the rule tester refuses what is not a number (422 naming the field) and takes numbers as Cloudonix sends them', async () => {
      for (const [body, field] of [
        [{ from: 'anonymous', to: '+12125550187' }, 'from'],
        [{ from: '+14155550123', to: '+1212*' }, 'to'],
        [{ from: '+14155550123', to: 'sales' }, 'to'],
        [{ from: '+14155550123', to: '+123456789012345678' }, 'to'],
      ] as const) {
        const res = await post('/api/routing/simulate', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(422);
        expect(res.json().error.details.fields[field][0]).toMatch(/phone number/);
      }
      for (const to of ['+12125550187', '12125550187', 'sip:+12125550187@acme.cloudonix.net', '+1 (212) 555-0187']) {
        expect((await post('/api/routing/simulate', { from: '+14155550123', to }, a.analyst.token)).statusCode, to).toBe(200);
      }
    });

    it('reorder takes a bare array as an alias of {ids}, documented as oneOf', async () => {
      const c = await registerTenant(t, 'alias');
      const target = await createAgent(t, c.admin.token);
      const r1 = await createInboundRule(t, c.admin.token, { pattern: '+1*', target_type: 'agent', target_id: target });
      const r2 = await createInboundRule(t, c.admin.token, { pattern: '+2*', target_type: 'agent', target_id: target });
      const bare = await post('/api/inbound-routing-rules/reorder', [r2, r1], c.admin.token);
      expect(bare.statusCode).toBe(200);
      expect(bare.json<InboundRuleListResponse>().data.map((r) => r.id)).toEqual([r2, r1]);
      const wrapped = await post('/api/inbound-routing-rules/reorder', { ids: [r1, r2] }, c.admin.token);
      expect(wrapped.json<InboundRuleListResponse>().data.map((r) => r.id)).toEqual([r1, r2]);
      const bad = await post('/api/inbound-routing-rules/reorder', [r1, 1.5], c.admin.token);
      expect(bad.statusCode).toBe(422);
      expect(Object.keys(bad.json().error.details.fields)).toEqual(['ids.1']);
      expect((await post('/api/inbound-routing-rules/reorder', [r1], c.admin.token)).json().error.details.fields.ids[0]).toMatch(/every rule/);
      const o1 = (await post('/api/outbound-routing-rules', { name: 'A', caller_id: '+1555*', trunk_config: { trunks: ['a'] } }, c.admin.token)).json<{ id: number }>().id;
      const o2 = (await post('/api/outbound-routing-rules', { name: 'B', caller_id: '+1666*', trunk_config: { trunks: ['b'] } }, c.admin.token)).json<{ id: number }>().id;
      expect((await post('/api/outbound-routing-rules/reorder', [o2, o1], c.admin.token)).statusCode).toBe(200);

      const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { oneOf?: { type: string }[] } }> } } }> }>();
      for (const path of ['/api/inbound-routing-rules/reorder', '/api/outbound-routing-rules/reorder']) {
        const schema = doc.paths[path]!.post.requestBody.content['application/json']!.schema;
        expect(schema.oneOf?.map((s) => s.type)).toEqual(['object', 'array']);
      }
    });

    it('trims a domain pasted as a URL, at registration and in settings', async () => {
      const s = uniqueSuffix();
      const password = `pass-${s}-long-enough`;
      const reg = await t.request({
        method: 'POST',
        url: '/api/auth/register',
        payload: { name: 'Url Paster', email: `url-${s}@paste.test`, password, password_confirmation: password, tenant_name: 'Paste', domain: `https://Paste-${s}.cloudonix.net/` },
      });
      expect(reg.statusCode, reg.body).toBe(201);
      const token = reg.json<{ token: string }>().token;
      expect((await tenant(token)).domain).toBe(`paste-${s}.cloudonix.net`);
      const put = await t.request({ method: 'PUT', url: '/api/tenant', token, payload: { domain: `http://moved-${s}.cloudonix.net:443/voice?x=1` } });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json<TenantResponse>().domain).toBe(`moved-${s}.cloudonix.net`);
      const junk = await t.request({ method: 'PUT', url: '/api/tenant', token, payload: { domain: 'https://not a domain/' } });
      expect(junk.statusCode).toBe(422);
      expect(junk.json().error.details.fields).toHaveProperty('domain');
    });

    it('keeps the time zone the browser sent at registration, refuses an unknown one, and defaults to UTC', async () => {
      const register = (timezone?: string) => {
        const s = uniqueSuffix();
        const password = `pass-${s}-long-enough`;
        return t.request({
          method: 'POST',
          url: '/api/auth/register',
          payload: { name: 'Tz', email: `tz-${s}@tz.test`, password, password_confirmation: password, tenant_name: 'Tz', domain: `tz-${s}.cloudonix.net`, ...(timezone ? { timezone } : {}) },
        });
      };
      const paris = await register('Europe/Paris');
      expect(paris.statusCode).toBe(201);
      expect((await tenant(paris.json<{ token: string }>().token)).settings.timezone).toBe('Europe/Paris');
      const mars = await register('Mars/Olympus_Mons');
      expect(mars.statusCode).toBe(422);
      expect(mars.json().error.details.fields.timezone[0]).toMatch(/IANA time zone/);
      expect((await tenant((await register()).json<{ token: string }>().token)).settings.timezone).toBe('UTC');
    });

    it('the getting-started checklist ticks each webhook only once Cloudonix has really sent it', async () => {
      const c = await registerTenant(t, 'checklist');
      const secret = await webhookSecret(t, c.admin.token);
      const received = async () => (await tenant(c.admin.token)).webhook_wiring.received_ever;
      expect(await received()).toEqual({ voice_application: false, session_update: false, cdr: false });
      const s = newSession();
      expect((await t.request({ method: 'POST', url: `/api/voice/application/${c.domain}?token=${secret}`, payload: voiceBody(c.domain, s) })).statusCode).toBe(200);
      // The webhook audit is written just after the answer: wait for it.
      await expect.poll(received).toEqual({ voice_application: true, session_update: false, cdr: false });
      expect((await t.request({ method: 'POST', url: `/api/voice/session/update/${c.domain}?token=${secret}`, payload: { eventId: `${s}-1`, token: s, status: 'ringing', domain: c.domain } })).statusCode).toBe(200);
      await expect.poll(received).toEqual({ voice_application: true, session_update: true, cdr: false });
      const cdr = await t.request({
        method: 'POST',
        url: `/api/voice/session/cdr/${c.domain}?token=${secret}`,
        payload: { domain: c.domain, from: '+14155550123', to: '+12125550187', disposition: 'NOANSWER', duration: 3, billsec: 0, session: { token: s } },
      });
      expect(cdr.statusCode).toBe(200);
      await expect.poll(received).toEqual({ voice_application: true, session_update: true, cdr: true });
      // A refused webhook (wrong secret) ticks nothing.
      const d = await registerTenant(t, 'refused');
      expect((await t.request({ method: 'POST', url: `/api/voice/application/${d.domain}?token=wrong`, payload: voiceBody(d.domain, newSession()) })).statusCode).toBe(401);
      await new Promise((r) => setTimeout(r, 300));
      expect((await tenant(d.admin.token)).webhook_wiring.received_ever.voice_application).toBe(false);
    });

    it('flags webhook URLs Cloudonix cannot reach (here: built from localhost)', async () => {
      const view = await tenant();
      expect(view.webhook_urls?.voice_application).toMatch(/^http:\/\/localhost/);
      expect(view.webhook_urls_problem).toMatch(/localhost.*cannot reach it.*PUBLIC_URL/);
      expect((await tenant(a.analyst.token)).webhook_urls_problem).toBeUndefined();
    });

    it('audit rows name the user and the item, and say when the item was deleted', async () => {
      const c = await registerTenant(t, 'names');
      const kept = await createAgent(t, c.admin.token, { name: 'Kept bot' });
      const gone = await createAgent(t, c.admin.token, { name: 'Gone bot' });
      const group = await createGroup(t, c.admin.token, 'round_robin', []);
      await createInboundRule(t, c.admin.token, { pattern: '+1999*', target_type: 'agent', target_id: kept });
      expect((await t.request({ method: 'DELETE', url: `/api/voice-agents/${gone}`, token: c.admin.token })).statusCode).toBe(204);
      const page = (await t.request({ method: 'GET', url: '/api/audit-log?per_page=100', token: c.analyst.token })).json<AuditLogListResponse>();
      const row = (type: string, id: number) => page.data.filter((r) => r.entity_type === type && r.entity_id === id);
      expect(row('voice_agent', kept)[0]).toMatchObject({ user_name: 'names admin', user_deleted: false, entity_name: 'Kept bot', entity_deleted: false });
      expect(row('voice_agent', gone).length).toBeGreaterThanOrEqual(2);
      for (const r of row('voice_agent', gone)) expect(r).toMatchObject({ entity_name: null, entity_deleted: true });
      expect(row('agent_group', group)[0]?.entity_name).toMatch(/^Group /);
      const rule = page.data.find((r) => r.entity_type === 'inbound_rule');
      expect(rule).toMatchObject({ entity_name: '+1999*', entity_deleted: false });
      const user = page.data.find((r) => r.entity_type === 'user' && r.action === 'user.created');
      expect(user).toMatchObject({ entity_name: 'names analyst', entity_deleted: false });
    });
  });
}
