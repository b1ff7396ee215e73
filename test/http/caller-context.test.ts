import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/services/logger.js';
import { createRoutingConfig } from '../../src/services/routing-config.js';
import { registerTenant, uniqueSuffix, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const FUZZ_RUNS = 200;

const sipOptions = {
  headers: [{ name: 'X-Caller-Name', value: '{caller_name}' }, { name: 'X-Tenant', value: 'acme {domain}' }],
  forward_headers: true,
  time_limit_seconds: 1800,
  caller_id: '{to}',
  caller_name: 'Acme: {caller_name}',
};
const wsUrl = 'wss://bot.deepdub.dev/ws/bot-1/tok-1?session={session}&from={from}&to={to}';
const wsOptions = { stream_parameters: [{ name: 'caller', value: '{from}' }, { name: 'lang', value: 'en' }] };

/** Values a careless or hostile client might put in any dial option. */
const anyValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom('', '{from}', '{to}', '{nope}', 'X-Ok', 'Via', '+12125550123', 'a\r\nb', '\u0000'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.record({ name: fc.oneof(fc.string(), fc.constantFrom('X-A', 'x-a', 'p')), value: fc.oneof(fc.string(), fc.constantFrom('{session}', '{bad}')) }), { maxLength: 12 }),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
);
const optionKeys = ['headers', 'forward_headers', 'time_limit_seconds', 'caller_id', 'caller_name', 'stream_parameters'];
const fuzzOptions = fc.oneof(
  fc.record(Object.fromEntries(optionKeys.map((k) => [k, anyValue])), { requiredKeys: [] }),
  anyValue,
);

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: caller context (dial options, WebSocket agents, reject fallback)`, () => {
    let t: TestApp;
    let a: TenantActors;
    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'context');
    });
    afterAll(async () => t?.close());
    /** What routing reads: a fresh configuration cache over the same database and plane. */
    const routingOf = (tenantId: number) => createRoutingConfig(t.runtime.services.repos, t.runtime.services.secretBox, t.runtime.plane, createLogger('silent')).get(tenantId);

    const post = (payload: Record<string, unknown>) =>
      t.request({ method: 'POST', url: '/api/voice-agents', token: a.admin.token, payload: { name: `Agent ${uniqueSuffix()}`, provider: 'vapi', service_value: '+12125550999', ...payload } });
    const put = (id: number, payload: Record<string, unknown>) => t.request({ method: 'PUT', url: `/api/voice-agents/${id}`, token: a.admin.token, payload });
    const get = (id: number) => t.request({ method: 'GET', url: `/api/voice-agents/${id}`, token: a.analyst.token });

    it('round-trips an agent’s dial options through create, read, list, update and clear', async () => {
      const created = await post({ dial_options: { ...sipOptions, caller_id: '+1 (212) 555-0100' } });
      expect(created.statusCode, created.body).toBe(201);
      const expected = { ...sipOptions, caller_id: '+12125550100' };
      expect(created.json().dial_options).toEqual(expected);
      const id = created.json().id as number;
      expect((await get(id)).json().dial_options).toEqual(expected);
      const list = (await t.request({ method: 'GET', url: '/api/voice-agents?per_page=100', token: a.analyst.token })).json<{ data: { id: number; dial_options: unknown }[] }>();
      expect(list.data.find((x) => x.id === id)?.dial_options).toEqual(expected);
      // Other changes keep the options; new options replace them whole; null clears them.
      expect((await put(id, { name: 'Renamed' })).json().dial_options).toEqual(expected);
      expect((await put(id, { dial_options: { time_limit_seconds: 60 } })).json().dial_options).toEqual({ time_limit_seconds: 60 });
      expect((await put(id, { dial_options: null })).json().dial_options).toEqual({});
      const row = await t.runtime.store.db.selectFrom('voice_agents').select('dial_options').where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.dial_options).toBeNull();
      // An agent created without options shows none.
      expect((await post({})).json().dial_options).toEqual({});
    });

    it('stores a WebSocket agent with a URL template and stream parameters', async () => {
      const created = await post({ provider: 'deepdub', service_value: wsUrl, dial_options: wsOptions });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({ transport: 'websocket', service_value: wsUrl, dial_options: wsOptions });
      const routing = await routingOf(a.tenantId);
      expect(routing.agents.get(created.json().id)).toMatchObject({ transport: 'websocket', serviceValue: wsUrl, dialOptions: wsOptions });
    });

    it('refuses bad options with 422 naming the exact field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ dial_options: { headers: [{ name: 'Via', value: 'x' }] } }, 'dial_options.headers.0.name'],
        [{ dial_options: { headers: [{ name: 'X-Ok', value: 'x' }, { name: 'X-A', value: 'a\r\nX-B: b' }] } }, 'dial_options.headers.1.value'],
        [{ dial_options: { headers: [{ name: 'X-Ok', value: '{bot_id}' }] } }, 'dial_options.headers.0.value'],
        [{ dial_options: { headers: [{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }] } }, 'dial_options.headers.1.name'],
        [{ dial_options: { headers: Array.from({ length: 11 }, (_, i) => ({ name: `X-H${i}`, value: 'v' })) } }, 'dial_options.headers'],
        [{ dial_options: { forward_headers: 'true' } }, 'dial_options.forward_headers'],
        [{ dial_options: { time_limit_seconds: 0 } }, 'dial_options.time_limit_seconds'],
        [{ dial_options: { time_limit_seconds: 86_401 } }, 'dial_options.time_limit_seconds'],
        [{ dial_options: { caller_id: 'anonymous' } }, 'dial_options.caller_id'],
        [{ dial_options: { caller_name: '{nickname}' } }, 'dial_options.caller_name'],
        [{ dial_options: { stream_parameters: [{ name: 'a', value: '1' }] } }, 'dial_options.stream_parameters'],
        [{ dial_options: { unknown: 1 } }, 'dial_options'],
        [{ dial_options: [] }, 'dial_options'],
        [{ provider: 'deepdub', service_value: wsUrl, dial_options: { time_limit_seconds: 60 } }, 'dial_options.time_limit_seconds'],
        [{ provider: 'deepdub', service_value: wsUrl, dial_options: { stream_parameters: [{ name: '1bad', value: 'x' }] } }, 'dial_options.stream_parameters.0.name'],
        [{ provider: 'deepdub', service_value: 'wss://bot.deepdub.dev/ws/{bot_id}/{auth_token}?s={session}' }, 'service_value'],
        [{ provider: 'deepdub', service_value: 'wss://{domain}/ws' }, 'service_value'],
      ];
      const agent = (await post({})).json().id as number;
      for (const [body, field] of cases) {
        for (const res of [await post(body), await put(agent, body)]) {
          expect(res.statusCode, JSON.stringify(body).slice(0, 100)).toBe(422);
          expect(Object.keys(res.json().error.details.fields), JSON.stringify(body).slice(0, 100)).toEqual([field]);
        }
      }
      const named = await post({ provider: 'deepdub', service_value: 'wss://bot.deepdub.dev/ws/{bot_id}/{auth_token}' });
      expect(named.json().error.details.fields.service_value[0]).toContain('{bot_id}, {auth_token}');
      // A provider change that leaves options the new transport cannot carry is refused, naming them.
      const sip = (await post({ dial_options: { headers: [{ name: 'X-A', value: '1' }] } })).json().id as number;
      const moved = await put(sip, { provider: 'deepdub', service_value: wsUrl });
      expect(moved.statusCode).toBe(422);
      expect(Object.keys(moved.json().error.details.fields)).toEqual(['dial_options.headers']);
      expect((await put(sip, { provider: 'deepdub', service_value: wsUrl, dial_options: wsOptions })).statusCode).toBe(200);
    });

    it('keeps group options in settings, validated the same way, and hands them to routing', async () => {
      const agentId = await createAgent(t, a.admin.token);
      const groupId = await createGroup(t, a.admin.token, 'priority', [{ agent_id: agentId }], { dial_options: { ...sipOptions, ...wsOptions } });
      const url = `/api/agent-groups/${groupId}`;
      const read = (await t.request({ method: 'GET', url, token: a.analyst.token })).json();
      expect(read.settings).toEqual({ max_attempts: 3, fallback_enabled: true, failover_on_busy: false, dial_options: { ...sipOptions, ...wsOptions } });
      const routing = await routingOf(a.tenantId);
      expect(routing.groups.get(groupId)?.settings.dial_options).toEqual({ ...sipOptions, ...wsOptions });
      // A strategy change keeps them; a settings change replaces them whole.
      const switched = await t.request({ method: 'PUT', url, token: a.admin.token, payload: { strategy: 'load_balanced' } });
      expect(switched.json().settings.dial_options).toEqual({ ...sipOptions, ...wsOptions });
      const replaced = await t.request({ method: 'PUT', url, token: a.admin.token, payload: { settings: { dial_options: { caller_id: '{from}' } } } });
      expect(replaced.json().settings.dial_options).toEqual({ caller_id: '{from}' });
      for (const [dialOptions, field] of [
        [{ headers: [{ name: 'Contact', value: 'x' }] }, 'settings.dial_options.headers.0.name'],
        [{ time_limit_seconds: -5 }, 'settings.dial_options.time_limit_seconds'],
        [{ stream_parameters: [{ name: 'p', value: '{x}' }] }, 'settings.dial_options.stream_parameters.0.value'],
        ['all', 'settings.dial_options'],
      ] as const) {
        for (const res of [
          await t.request({ method: 'PUT', url, token: a.admin.token, payload: { settings: { dial_options: dialOptions } } }),
          await t.request({ method: 'POST', url: '/api/agent-groups', token: a.admin.token, payload: { name: 'Bad', strategy: 'round_robin', settings: { dial_options: dialOptions } } }),
        ]) {
          expect(res.statusCode, JSON.stringify(dialOptions)).toBe(422);
          expect(Object.keys(res.json().error.details.fields), JSON.stringify(dialOptions)).toEqual([field]);
        }
      }
    });

    it('offers reject as the tenant fallback, defaulting to busy, and refuses other reasons', async () => {
      const setFallback = (fallback: unknown) => t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { fallback } } });
      const busy = await setFallback({ type: 'reject' });
      expect(busy.statusCode, busy.body).toBe(200);
      expect(busy.json().settings.fallback).toEqual({ type: 'reject', reason: 'busy' });
      expect((await setFallback({ type: 'reject', reason: 'congestion' })).json().settings.fallback).toEqual({ type: 'reject', reason: 'congestion' });
      const read = (await t.request({ method: 'GET', url: '/api/tenant', token: a.analyst.token })).json();
      expect(read.settings.fallback).toEqual({ type: 'reject', reason: 'congestion' });
      for (const reason of ['failed', 'BUSY', '', 42]) {
        const res = await setFallback({ type: 'reject', reason });
        expect(res.statusCode, String(reason)).toBe(422);
        expect(Object.keys(res.json().error.details.fields)).toEqual(['settings.fallback.reason']);
      }
      await setFallback({ type: 'hangup' });
    });

    it('describes the new fields in the OpenAPI document', async () => {
      const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).body;
      for (const word of ['dial_options', 'forward_headers', 'time_limit_seconds', 'stream_parameters', 'congestion', 'dial_options (the caller context']) expect(doc, word).toContain(word);
    });

    it(`${FUZZ_RUNS} random dial options never get a 5xx, for agents and groups`, async () => {
      const agentId = (await post({})).json().id as number;
      const groupId = await createGroup(t, a.admin.token, 'round_robin', []);
      const statuses = new Map<number, number>();
      const samples = fc.sample(fc.tuple(fuzzOptions, fc.constantFrom('vapi', 'deepdub')), { numRuns: FUZZ_RUNS, seed: 20261201 });
      for (const [options, provider] of samples) {
        const agentBody = { provider, service_value: provider === 'vapi' ? '+12125550999' : wsUrl, dial_options: options };
        for (const res of [
          await post(agentBody),
          await put(agentId, agentBody),
          await t.request({ method: 'PUT', url: `/api/agent-groups/${groupId}`, token: a.admin.token, payload: { settings: { dial_options: options } } }),
        ]) {
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode >= 500) throw new Error(`answered ${res.statusCode} to ${JSON.stringify(agentBody)}: ${res.body}`);
        }
      }
      expect(statuses.get(422) ?? 0).toBeGreaterThan(0);
      expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
      expect((await get(agentId)).statusCode).toBe(200);
    });
  });
}
