import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/backends.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createGroup } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, unknown>;

/** What the agents page and forms rely on: never-tried health, duplicate names refused, shared targets warned, display names. */
for (const dialect of DIALECTS) {
  describe(`${dialect.name}: voice agents tell the truth`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'truth');
      b = await registerTenant(t, 'other');
    });
    afterAll(async () => t?.close());

    const post = (token: string, payload: Json) => t.request({ method: 'POST', url: '/api/voice-agents', token, payload });
    const put = (id: number, payload: Json) => t.request({ method: 'PUT', url: `/api/voice-agents/${id}`, token: a.admin.token, payload });
    const get = async (id: number) => (await t.request({ method: 'GET', url: `/api/voice-agents/${id}`, token: a.analyst.token })).json<Json>();

    it('says never tried until a call is sent to the agent, on the agent and as a group member', async () => {
      const created = await post(a.admin.token, { name: 'Fresh bot', provider: 'vapi', service_value: '+12125557001' });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json<{ id: number }>().id;
      expect(created.json()).toMatchObject({ health_status: 'never_tried' });
      expect(await get(id)).toMatchObject({ health_status: 'never_tried' });
      const group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: id }]);
      const member = async () => (await t.request({ method: 'GET', url: `/api/agent-groups/${group}`, token: a.analyst.token })).json<{ members: Json[] }>().members[0];
      expect(await member()).toMatchObject({ health_status: 'never_tried', provider_name: 'VAPI' });

      // One call routed to it through the real voice webhook.
      await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: a.admin.token, payload: { pattern: '*', target_type: 'group', target_id: group } });
      const secret = await webhookSecret(t, a.admin.token);
      const voice = await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, newSession()) });
      expect(dialedService(voice.body)?.number).toBe('+12125557001');
      expect(await get(id)).toMatchObject({ health_status: 'healthy' });
      expect(await member()).toMatchObject({ health_status: 'healthy' });
      const list = (await t.request({ method: 'GET', url: '/api/voice-agents?search=Fresh', token: a.analyst.token })).json<{ data: Json[] }>().data;
      expect(list.map((v) => v.health_status)).toEqual(['healthy']);
    });

    it('refuses a second agent with the same name (any case) with 409 naming the field, per tenant', async () => {
      expect((await post(a.admin.token, { name: 'Sales bot', provider: 'vapi', service_value: '+12125557101' })).statusCode).toBe(201);
      const dup = await post(a.admin.token, { name: '  sales BOT ', provider: 'retell', service_value: '+12125557102' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json()).toMatchObject({ error: { code: 'conflict', details: { fields: { name: [expect.stringContaining('already used')] } } } });
      expect(dup.json<{ error: { message: string } }>().error.message).toContain('Sales bot');
      // Another tenant may use the name.
      expect((await post(b.admin.token, { name: 'Sales bot', provider: 'vapi', service_value: '+12125557101' })).statusCode).toBe(201);

      const other = (await post(a.admin.token, { name: 'Support bot', provider: 'vapi', service_value: '+12125557103' })).json<{ id: number }>().id;
      const rename = await put(other, { name: 'SALES bot' });
      expect(rename.statusCode).toBe(409);
      expect((await get(other)).name).toBe('Support bot');
      // Its own name in another case, or other fields, are fine.
      expect((await put(other, { name: 'SUPPORT bot' })).statusCode).toBe(200);
      expect((await put(other, { description: 'Answers support' })).statusCode).toBe(200);
    });

    it('saves an agent that dials a number another agent dials, with a warning naming it', async () => {
      const first = await post(a.admin.token, { name: 'Line one', provider: 'vapi', service_value: '+12125557201' });
      expect(first.json()).toMatchObject({ warnings: [] });
      const second = await post(a.admin.token, { name: 'Line one copy', provider: 'vapi-udp', service_value: '+1 212 555 7201' });
      expect(second.statusCode).toBe(201);
      const warnings = second.json<{ warnings: Json[] }>().warnings;
      expect(warnings).toEqual([
        { code: 'duplicate_target', field: 'service_value', message: expect.stringContaining('"Line one"'), agents: [{ id: first.json<{ id: number }>().id, name: 'Line one' }] },
      ]);
      const moved = await put(second.json<{ id: number }>().id, { service_value: '+12125557202' });
      expect(moved.json()).toMatchObject({ warnings: [] });
    });

    it('answers provider display names on agents and group members', async () => {
      const res = await post(a.admin.token, { name: 'Eleven', provider: 'elevenlabs', service_value: '+12125557301' });
      expect(res.json()).toMatchObject({ provider: 'elevenlabs', provider_name: 'ElevenLabs' });
      const list = (await t.request({ method: 'GET', url: '/api/voice-agents?provider=elevenlabs', token: a.analyst.token })).json<{ data: Json[] }>().data;
      expect(list.map((v) => v.provider_name)).toEqual(['ElevenLabs']);
    });

    it('types group settings: unknown keys and wrong types are refused, naming the field', async () => {
      const bad = await t.request({ method: 'POST', url: '/api/agent-groups', token: a.admin.token, payload: { name: 'G', strategy: 'priority', settings: { max_attempts: 'three' } } });
      expect(bad.statusCode).toBe(422);
      expect(JSON.stringify(bad.json())).toContain('settings.max_attempts');
      const extra = await t.request({ method: 'POST', url: '/api/agent-groups', token: a.admin.token, payload: { name: 'G', strategy: 'priority', settings: { surprise: 1 } } });
      expect(extra.statusCode).toBe(422);
      const ok = await t.request({ method: 'POST', url: '/api/agent-groups', token: a.admin.token, payload: { name: 'G', strategy: 'load_balanced', settings: { window_hours: 2 } } });
      expect(ok.json()).toMatchObject({ settings: { max_attempts: 3, fallback_enabled: true, failover_on_busy: false, window_hours: 2 } });
    });
  });
}
