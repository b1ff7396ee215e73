import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/backends.js';
import { registerTenant, uniqueSuffix, type TenantActors } from '../support/actors.js';
import { runTenantIsolationTests, type IsolationContext } from '../support/isolation-matrix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const FUZZ_RUNS = 500;
const SECRET_PASSWORD = 'Agent-Pa55word-Never-Shown';
const SECRET_USERNAME = 'agent-user-never-shown';

/** Values a careless or hostile client might put in any agent field. */
const anyValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ minLength: 400, maxLength: 2000 }),
  fc.constantFrom('', ' ', 'vapi', 'deepdub', 'VAPI', '+12125550999', '+1 (212) 555-0999', 'wss://agents.assemblyai.com/v1/ws', "' OR 1=1 --"),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 }),
);
const agentKeys = ['name', 'provider', 'service_value', 'username', 'password', 'enabled', 'max_concurrent_calls', 'description', 'metadata'];
const validAgent = { name: 'Fuzzed', provider: 'vapi', service_value: '+12125550999' };
const fuzzBodies = fc.oneof(
  // A valid agent with one field replaced, so random-but-acceptable values reach the database too.
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...agentKeys), anyValue).map(([k, v]) => JSON.stringify({ ...validAgent, [k]: v })) },
  { weight: 4, arbitrary: fc.record(Object.fromEntries(agentKeys.map((k) => [k, anyValue])), { requiredKeys: [] }).map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: fc.jsonValue().map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
);

type AgentBody = { id: number } & Record<string, unknown>;

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: voice agents`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    const ids: Record<string, number> = {};
    const db = () => t.runtime.store.db;

    const createAgent = (token: string, over: Record<string, unknown> = {}) =>
      t.request({
        method: 'POST',
        url: '/api/voice-agents',
        token,
        payload: { name: `Agent ${uniqueSuffix()}`, provider: 'vapi', service_value: '+12125550999', ...over },
      });
    const newAgent = async (token: string, over: Record<string, unknown> = {}): Promise<AgentBody> => {
      const res = await createAgent(token, over);
      expect(res.statusCode, res.body).toBe(201);
      return res.json<AgentBody>();
    };
    const storedRow = (id: number) => db().selectFrom('voice_agents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const insertRule = (tenantId: number, agentId: number, name: string | null, pattern: string) =>
      t.runtime.store.dialect.insertId(db(), 'inbound_routing_rules', {
        tenant_id: tenantId, name, pattern, target_type: 'agent', target_id: agentId, priority: 100, position: 0, enabled: 1, created_at: Date.now(), updated_at: Date.now(),
      });

    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'alpha');
      b = await registerTenant(t, 'beta');
      ids.agent = (await newAgent(a.admin.token, { name: 'Alpha main agent', password: SECRET_PASSWORD })).id;
    });
    afterAll(async () => t?.close());

    it('creates an agent with defaults and reads it back', async () => {
      const created = await newAgent(a.admin.token, { provider: 'retell-tls', service_value: '+1 (646) 555-0101', max_concurrent_calls: 5, metadata: { team: 'sales' } });
      expect(created).toMatchObject({
        provider: 'retell-tls', provider_name: 'Retell (TLS)', transport: 'sip', service_value: '+16465550101', enabled: true,
        has_username: false, has_password: false, max_concurrent_calls: 5, description: null, metadata: { team: 'sales' }, health_status: 'never_tried',
        warnings: [],
      });
      expect(Date.parse(created.created_at as string)).not.toBeNaN();
      const ws = await newAgent(a.admin.token, { provider: 'Dograh-Cloud', service_value: 'wss://api.dograh.com/api/v1/agent-stream/cloudonix/abc-123', enabled: false });
      expect(ws).toMatchObject({ provider: 'dograh-cloud', transport: 'websocket', enabled: false });
      const read = await t.request({ method: 'GET', url: `/api/voice-agents/${created.id}`, token: a.analyst.token });
      // Reads answer the agent without the save's warnings.
      const { warnings: _warnings, ...view } = created;
      expect(read.json()).toEqual(view);
    });

    it('lists with filters, literal search and pagination', async () => {
      const c = await registerTenant(t, 'lister');
      await newAgent(c.admin.token, { name: 'Sales 100% line', service_value: '+442071234567' });
      await newAgent(c.admin.token, { name: 'Support', enabled: false });
      await newAgent(c.admin.token, { name: 'Billing', provider: 'telnyx-udp' });
      await newAgent(c.admin.token, { name: 'Stream', provider: 'assembly.ai', service_value: 'wss://agents.assemblyai.com/v1/ws' });
      await newAgent(c.admin.token, { name: 'Overflow' });
      const list = (query: string) => t.request({ method: 'GET', url: `/api/voice-agents?${query}`, token: c.analyst.token });
      const names = async (query: string) => (await list(query)).json<{ data: { name: string }[] }>().data.map((x) => x.name);
      const page = (await list('per_page=2&page=3')).json();
      expect(page.meta).toEqual({ current_page: 3, per_page: 2, total: 5, last_page: 3 });
      expect(page.data.map((x: { name: string }) => x.name)).toEqual(['Overflow']);
      expect(await names('enabled=false')).toEqual(['Support']);
      expect(await names('provider=telnyx-udp')).toEqual(['Billing']);
      expect(await names('search=100%25')).toEqual(['Sales 100% line']);
      expect(await names('search=2071234')).toEqual(['Sales 100% line']);
      expect(await names('search=ASSEMBLYAI')).toEqual(['Stream']);
      expect(await names('search=_')).toEqual([]);
      for (const bad of ['per_page=0', 'per_page=101', 'page=0', 'enabled=maybe', 'provider=nope']) {
        const res = await list(bad);
        expect(res.statusCode, bad).toBe(422);
      }
      expect((await list('provider=nope')).json().error.details.fields).toHaveProperty('provider');
    });

    it('updates only what is given and re-validates the merged agent', async () => {
      const agent = await newAgent(a.admin.token, { description: 'first', max_concurrent_calls: 3, username: SECRET_USERNAME });
      const put = (payload: Record<string, unknown>) => t.request({ method: 'PUT', url: `/api/voice-agents/${agent.id}`, token: a.admin.token, payload });
      const renamed = await put({ name: '  Renamed  ' });
      expect(renamed.json()).toMatchObject({ name: 'Renamed', description: 'first', max_concurrent_calls: 3, has_username: true, service_value: '+12125550999' });
      const cleared = await put({ description: null, max_concurrent_calls: null, metadata: null });
      expect(cleared.json()).toMatchObject({ description: null, max_concurrent_calls: null, metadata: null });
      // A SIP number does not fit a WebSocket provider: the merged agent is refused, naming the field.
      const mismatch = await put({ provider: 'deepdub' });
      expect(mismatch.statusCode).toBe(422);
      expect(mismatch.json().error.details.fields).toHaveProperty('service_value');
      const moved = await put({ provider: 'deepdub', service_value: 'wss://bot.deepdub.dev/ws/bot1/tok?session=s' });
      expect(moved.json()).toMatchObject({ provider: 'deepdub', transport: 'websocket', has_username: true });
      for (const [body, field] of [[{ provider: 'nope' }, 'provider'], [{ max_concurrent_calls: 0 }, 'max_concurrent_calls'], [{ name: '' }, 'name'], [{ unknown: 1 }, 'body']] as const) {
        const res = await put(body);
        expect(res.statusCode, JSON.stringify(body)).toBe(422);
        expect(res.json().error.details.fields, JSON.stringify(body)).toHaveProperty(field);
      }
      expect((await put({})).statusCode).toBe(422);
    });

    it('toggle flips enabled each time', async () => {
      const agent = await newAgent(a.admin.token);
      const toggle = () => t.request({ method: 'PATCH', url: `/api/voice-agents/${agent.id}/toggle`, token: a.admin.token });
      expect((await toggle()).json().enabled).toBe(false);
      expect((await toggle()).json().enabled).toBe(true);
    });

    it('validates the service value by provider', async () => {
      const cases: [Record<string, unknown>, number][] = [
        [{ provider: 'vapi', service_value: '+12125550999' }, 201],
        [{ provider: 'millis-eu', service_value: '442071234567' }, 201],
        [{ provider: 'vapi', service_value: 'wss://agents.assemblyai.com/v1/ws' }, 422],
        [{ provider: 'vapi', service_value: '12345' }, 422],
        [{ provider: 'vapi', service_value: 'assistant-uuid-1234' }, 422],
        [{ provider: 'cloudonix', service_value: 'wss://agents.cloudonix.cloud/api/v1/agent-stream/cloudonix' }, 201],
        [{ provider: 'cloudonix', service_value: '+12125550999' }, 422],
        [{ provider: 'deepdub', service_value: 'https://bot.deepdub.dev/ws/a/b' }, 422],
        [{ provider: 'deepdub', service_value: 'wss://bot.deepdub.dev/ws/{bot_id}/{auth_token}' }, 422],
      ];
      for (const [body, status] of cases) {
        const res = await createAgent(a.admin.token, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(status);
        if (status === 422) expect(res.json().error.details.fields, JSON.stringify(body)).toHaveProperty('service_value');
      }
    });

    it('refuses bad fields with 422 naming each one', async () => {
      const unknown = await createAgent(a.admin.token, { provider: '11labs' });
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json().error.details.fields.provider[0]).toContain('/api/providers');
      const cases: Record<string, unknown>[] = [
        { max_concurrent_calls: 0 }, { max_concurrent_calls: 10_001 }, { max_concurrent_calls: 2.5 }, { max_concurrent_calls: '5' },
        { metadata: { blob: 'x'.repeat(9000) } }, { metadata: [1, 2] }, { metadata: 'text' },
        { description: 'd'.repeat(1001) }, { name: 'n'.repeat(121) }, { password: 'p'.repeat(256) }, { username: 42 }, { enabled: 'yes' },
      ];
      for (const body of cases) {
        const res = await createAgent(a.admin.token, body);
        const field = Object.keys(body)[0]!;
        expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(422);
        expect(res.json().error.details.fields, field).toHaveProperty(field);
      }
      // One answer names every bad field, the provider-dependent one included.
      const many = await createAgent(a.admin.token, { name: '', service_value: 'not a number', max_concurrent_calls: -1 });
      expect(Object.keys(many.json().error.details.fields).sort()).toEqual(['max_concurrent_calls', 'name', 'service_value']);
      const nothing = await t.request({ method: 'POST', url: '/api/voice-agents', token: a.admin.token, payload: {} });
      expect(Object.keys(nothing.json().error.details.fields).sort()).toEqual(['name', 'provider', 'service_value']);
    });

    it('stores credentials sealed, freshly per value, and never returns them', async () => {
      const bodies: string[] = [];
      const first = await createAgent(a.admin.token, { username: SECRET_USERNAME, password: SECRET_PASSWORD });
      const second = await createAgent(a.admin.token, { username: SECRET_USERNAME, password: SECRET_PASSWORD });
      bodies.push(first.body, second.body);
      expect(first.json()).toMatchObject({ has_username: true, has_password: true });
      const [rowA, rowB] = [await storedRow(first.json().id), await storedRow(second.json().id)];
      for (const row of [rowA, rowB]) {
        expect(row.password_sealed).toMatch(/^v1:/);
        expect(row.username_sealed).toMatch(/^v1:/);
        expect(JSON.stringify(row)).not.toContain(SECRET_PASSWORD);
        expect(JSON.stringify(row)).not.toContain(SECRET_USERNAME);
      }
      expect(rowA.password_sealed).not.toBe(rowB.password_sealed);
      expect(await t.runtime.services.voiceAgents.credentialsFor(a.tenantId, first.json().id)).toEqual({ username: SECRET_USERNAME, password: SECRET_PASSWORD });
      bodies.push((await t.request({ method: 'GET', url: '/api/voice-agents?per_page=100', token: a.admin.token })).body);
      bodies.push((await t.request({ method: 'GET', url: `/api/voice-agents/${first.json().id}`, token: a.admin.token })).body);
      const kept = await t.request({ method: 'PUT', url: `/api/voice-agents/${first.json().id}`, token: a.admin.token, payload: { name: 'Kept credentials' } });
      bodies.push(kept.body);
      expect(kept.json()).toMatchObject({ has_username: true, has_password: true });
      for (const body of bodies) {
        expect(body).not.toContain(SECRET_PASSWORD);
        expect(body).not.toContain(SECRET_USERNAME);
        expect(body).not.toMatch(/"(password|username)(_sealed)?"/);
      }
      const removed = await t.request({ method: 'PUT', url: `/api/voice-agents/${first.json().id}`, token: a.admin.token, payload: { password: null, username: '' } });
      expect(removed.json()).toMatchObject({ has_username: false, has_password: false });
      expect(await storedRow(first.json().id)).toMatchObject({ username_sealed: null, password_sealed: null });
      expect(await t.runtime.services.voiceAgents.credentialsFor(a.tenantId, first.json().id)).toEqual({ username: null, password: null });
    });

    it('deletes an agent with its group memberships', async () => {
      const agent = await newAgent(a.admin.token);
      const now = Date.now();
      const groupId = await t.runtime.store.dialect.insertId(db(), 'agent_groups', {
        tenant_id: a.tenantId, name: 'Group with member', strategy: 'round_robin', settings: '{}', enabled: 1, created_at: now, updated_at: now,
      });
      await t.runtime.store.dialect.insertId(db(), 'agent_group_memberships', {
        tenant_id: a.tenantId, group_id: groupId, agent_id: agent.id, priority: 1, capacity: 1, created_at: now, updated_at: now,
      });
      const del = await t.request({ method: 'DELETE', url: `/api/voice-agents/${agent.id}`, token: a.admin.token });
      expect(del.statusCode).toBe(204);
      expect(del.body).toBe('');
      expect((await t.request({ method: 'GET', url: `/api/voice-agents/${agent.id}`, token: a.admin.token })).statusCode).toBe(404);
      expect((await t.request({ method: 'DELETE', url: `/api/voice-agents/${agent.id}`, token: a.admin.token })).statusCode).toBe(404);
      const left = await db().selectFrom('agent_group_memberships').selectAll().where('agent_id', '=', agent.id).execute();
      expect(left).toEqual([]);
      expect(await db().selectFrom('agent_groups').select('id').where('id', '=', groupId).executeTakeFirst()).toBeDefined();
    });

    it('refuses to delete an agent an inbound rule targets, naming the rule', async () => {
      const agent = await newAgent(a.admin.token);
      const ruleId = await insertRule(a.tenantId, agent.id, 'Main line', '+1212*');
      // Another tenant's rule with the same target id names a different agent and must not block.
      await insertRule(b.tenantId, agent.id, 'Other tenant rule', '+1*');
      const del = () => t.request({ method: 'DELETE', url: `/api/voice-agents/${agent.id}`, token: a.admin.token });
      const refused = await del();
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error).toMatchObject({ code: 'conflict', details: { rules: [{ id: ruleId, name: 'Main line', pattern: '+1212*' }] } });
      expect(refused.json().error.message).toContain('Main line');
      await db().deleteFrom('inbound_routing_rules').where('id', '=', ruleId).execute();
      expect((await del()).statusCode).toBe(204);
    });

    it("refuses to delete the tenant's fallback agent", async () => {
      const agent = await newAgent(a.admin.token);
      const setFallback = (fallback: unknown) => t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { fallback } } });
      expect((await setFallback({ type: 'agent', agent_id: agent.id })).statusCode).toBe(200);
      const refused = await t.request({ method: 'DELETE', url: `/api/voice-agents/${agent.id}`, token: a.admin.token });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.message).toContain('fallback');
      await setFallback({ type: 'hangup' });
      expect((await t.request({ method: 'DELETE', url: `/api/voice-agents/${agent.id}`, token: a.admin.token })).statusCode).toBe(204);
    });

    it('records every change in the audit log without secrets', async () => {
      const agent = await newAgent(a.admin.token, { password: SECRET_PASSWORD, username: SECRET_USERNAME, metadata: { api_key: 'meta-secret-value' } });
      await t.request({ method: 'PUT', url: `/api/voice-agents/${agent.id}`, token: a.admin.token, payload: { password: `${SECRET_PASSWORD}-2` } });
      await t.request({ method: 'PATCH', url: `/api/voice-agents/${agent.id}/toggle`, token: a.admin.token });
      const sealed = (await storedRow(agent.id)).password_sealed;
      await t.request({ method: 'DELETE', url: `/api/voice-agents/${agent.id}`, token: a.admin.token });
      const rows = await t.runtime.services.repos.auditLog.listForEntity(a.tenantId, 'voice_agent', agent.id);
      expect(rows.map((r) => r.action)).toEqual(['voice_agent.created', 'voice_agent.updated', 'voice_agent.disabled', 'voice_agent.deleted']);
      expect(rows.every((r) => r.user_id === a.admin.id)).toBe(true);
      const text = JSON.stringify(rows);
      for (const secret of [SECRET_PASSWORD, SECRET_USERNAME, 'meta-secret-value', sealed ?? 'v1:']) expect(text).not.toContain(secret);
      expect(text).toContain('has_password');
    });

    it('answers 404 for ids that do not exist or are malformed', async () => {
      for (const id of ['999999', 'abc', '-1', '1.5', '99999999999999']) {
        for (const method of ['GET', 'PUT', 'DELETE'] as const) {
          const res = await t.request({ method, url: `/api/voice-agents/${id}`, token: a.admin.token, ...(method === 'PUT' ? { payload: { name: 'x' } } : {}) });
          expect(res.statusCode, `${method} ${id}`).toBe(404);
        }
        expect((await t.request({ method: 'PATCH', url: `/api/voice-agents/${id}/toggle`, token: a.admin.token })).statusCode, id).toBe(404);
      }
    });

    it('lists the provider catalog for any signed-in user', async () => {
      const res = await t.request({ method: 'GET', url: '/api/providers', token: a.analyst.token });
      expect(res.statusCode).toBe(200);
      const data = res.json<{ data: { id: string; transport: string }[] }>().data;
      expect(data).toHaveLength(47);
      expect(data.find((p) => p.id === 'assembly.ai')).toMatchObject({ transport: 'websocket', service_value: { kind: 'wss_url' } });
      const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
      for (const path of ['/api/providers', '/api/voice-agents', '/api/voice-agents/{id}', '/api/voice-agents/{id}/toggle']) expect(doc.paths, path).toHaveProperty([path]);
    });

    it(`${FUZZ_RUNS} random bodies to create and update never get a 5xx`, async () => {
      const target = await newAgent(a.admin.token, { name: 'Fuzz target' });
      const statuses = new Map<number, number>();
      for (const [method, url] of [['POST', '/api/voice-agents'], ['PUT', `/api/voice-agents/${target.id}`]] as const) {
        for (const body of fc.sample(fuzzBodies, { numRuns: FUZZ_RUNS, seed: 20261125 })) {
          const res = await t.request({ method, url, token: a.admin.token, payload: body, headers: { 'content-type': 'application/json' } });
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode >= 500) throw new Error(`${method} ${url} answered ${res.statusCode} to ${body}: ${res.body}`);
        }
      }
      // The run exercised both refusals and acceptances, not one path only.
      expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
      expect(statuses.get(422) ?? 0).toBeGreaterThan(FUZZ_RUNS);
      const after = await t.request({ method: 'GET', url: `/api/voice-agents/${target.id}`, token: a.admin.token });
      expect(after.statusCode).toBe(200);
    });

    describe('isolation matrix', () => {
      const ctx = (): IsolationContext => ({ t, a, b, ids });
      const agentUrl = (i: Record<string, number>) => `/api/voice-agents/${i.agent}`;
      runTenantIsolationTests(ctx, [
        { method: 'GET', url: () => '/api/voice-agents', scope: 'own', access: 'read' },
        { method: 'GET', url: agentUrl, scope: 'row', access: 'read' },
        { method: 'PUT', url: agentUrl, payload: () => ({ name: 'Renamed by a stranger' }), scope: 'row', access: 'write', readBack: agentUrl },
        { method: 'PATCH', url: (i) => `${agentUrl(i)}/toggle`, scope: 'row', access: 'write', readBack: agentUrl },
        { method: 'DELETE', url: agentUrl, scope: 'row', access: 'write', readBack: agentUrl },
        { method: 'POST', url: () => '/api/voice-agents', payload: () => ({ name: 'x', provider: 'vapi', service_value: '+12125550999' }), scope: 'own', access: 'write' },
        { method: 'GET', url: () => '/api/providers', scope: 'own', access: 'read' },
      ]);
    });
  });
}
