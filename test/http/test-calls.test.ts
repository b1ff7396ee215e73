import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecordDetail, CallRecordView, CallStatsView } from '../../src/core/schemas/call-records.js';
import type { TestCallResult } from '../../src/core/schemas/test-call.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL, type TestDialect } from '../support/backends.js';
import { dialedService, newSession, parseCxml, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { startFakeCloudonix, type FakeCloudonix } from '../support/fake-cloudonix-api.js';
import { createAgent, createInboundRule } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Every database, and SQLite with Redis (slots and health in the shared plane). */
const BACKENDS: { name: string; dialect: TestDialect; env: Record<string, string> }[] = [
  ...DIALECTS.map((dialect) => ({ name: dialect.name, dialect, env: {} })),
  ...(TEST_REDIS_URL ? [{ name: 'sqlite+redis', dialect: DIALECTS[0]!, env: { REDIS_URL: TEST_REDIS_URL } }] : []),
];

const MY_PHONE = '+14155550100';

for (const backend of BACKENDS) {
  describe(`${backend.name}: test calls to an agent through Cloudonix`, () => {
    let t: TestApp;
    let fake: FakeCloudonix;
    /** Where the fake Cloudonix sends session updates and CDRs: this app, listening on 127.0.0.1. */
    let base: string;
    let stopExports: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      fake = await startFakeCloudonix();
      fake.setRateLimit(1000, 10_000);
      t = await createTestApp(backend.dialect, { ...backend.env, CLOUDONIX_API_URL: fake.url });
      // Exports run in this process's worker (a BullMQ worker with Redis), as a serving process runs them.
      stopExports = t.runtime.services.exports.startBackground();
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await stopExports?.();
      await t?.close();
      await fake?.close();
    });

    /** A tenant connected to its domain at the fake, whose profile sends session updates and CDRs to us. */
    async function connected(label: string): Promise<TenantActors & { key: string; secret: string }> {
      const a = await registerTenant(t, label);
      const secret = await webhookSecret(t, a.admin.token);
      const q = `token=${encodeURIComponent(secret)}`;
      fake.domains.add(a.domain, {
        profile: {
          'session-update-endpoint': `${base}/api/voice/session/update/${a.domain}?${q}`,
          'cdr-endpoint': `${base}/api/voice/session/cdr/${a.domain}?${q}`,
        },
      });
      const key = fake.keyOf(a.domain);
      const put = await t.request({ method: 'PUT', url: '/api/cloudonix/connection', token: a.admin.token, payload: { api_key: key } });
      expect(put.statusCode, put.body).toBe(200);
      return { ...a, key, secret };
    }
    const testCall = (token: string, agentId: number, payload: Record<string, unknown> = { destination: MY_PHONE }) =>
      t.request({ method: 'POST', url: `/api/voice-agents/${agentId}/test-call`, token, payload });
    const record = async (token: string, id: number) => (await t.request({ method: 'GET', url: `/api/call-records/${id}`, token })).json<CallRecordDetail>();
    /** The CXML the call was placed with, as the fake Cloudonix stored it. */
    const placedCxml = (session: string) => fake.sessions.get(session)!.applications[0]!.cxml!;
    /** Cloudonix's Dial callback for the agent's leg: POSTed to the action URL of the placed CXML. */
    async function dialCallback(session: string, domain: string, status: string): Promise<string> {
      const action = new URL(dialedService(placedCxml(session))!.action);
      const res = await t.request({ method: 'POST', url: `${action.pathname}${action.search}`, payload: { Session: session, Domain: domain, DialCallStatus: status, CallStatus: 'in-progress' } });
      expect(res.statusCode, res.body).toBe(200);
      return res.body;
    }

    it('answered: Cloudonix rings my phone with CXML that dials the agent; the record is a test call that ends completed with its duration', async () => {
      const a = await connected('answered');
      const agentId = await createAgent(t, a.admin.token, { service_value: '+12125550111' });
      const res = await testCall(a.admin.token, agentId, { destination: '+1 (415) 555-0100', caller_id: '+12125550199' });
      expect(res.statusCode, res.body).toBe(201);
      const placed = res.json<TestCallResult>();
      expect(placed).toMatchObject({ agent_id: agentId, destination: MY_PHONE });
      expect(res.body).not.toContain(a.key);
      expect(res.body).not.toContain(a.secret);

      // What Cloudonix was asked: ring my phone, then dial the agent with our Dial callback as action.
      const request = fake.requests.find((r) => r.method === 'POST' && r.path === `/calls/${a.domain}/application`)!;
      expect(request.authorization).toBe(`Bearer ${a.key}`);
      expect(request.body).toMatchObject({ destination: MY_PHONE, 'caller-id': '+12125550199' });
      const dialed = dialedService(placedCxml(placed.session_token))!;
      expect(dialed).toMatchObject({ provider: 'vapi', number: '+12125550111' });
      expect(dialed.action).toBe(`http://localhost:80/api/voice/callback/${a.domain}?attempt=1&token=${encodeURIComponent(a.secret)}`);

      const live = await record(a.admin.token, placed.call_record_id!);
      expect(live).toMatchObject({ session_token: placed.session_token, is_test: true, agent_id: agentId, to: MY_PHONE, from: '+12125550199', status: 'connecting' });
      expect(live.events.map((e) => e.event_type)).toEqual(['call.received', 'call.test_placed']);

      const answeredAt = Date.now() + 3000;
      const answer = await fake.emit(placed.session_token, 'answer', { at: answeredAt });
      expect(answer.sessionUpdate?.status).toBe(200);
      expect((await record(a.admin.token, placed.call_record_id!)).status).toBe('connected');
      // The agent's leg ends: routing answers a hangup (one agent, no failover).
      expect(parseCxml(await dialCallback(placed.session_token, a.domain, 'completed'))).toHaveProperty('Hangup');
      const end = await fake.emit(placed.session_token, 'end', { at: answeredAt + 42_000 });
      expect(end.cdr?.status).toBe(200);

      const done = await record(a.admin.token, placed.call_record_id!);
      expect(done).toMatchObject({ is_test: true, status: 'completed', outcome_reason: 'answered', agent_id: agentId, billsec: 42 });
      expect(done.answered_at).not.toBeNull();
      expect(done.cdrs).toHaveLength(1);
      // The agent's slot is free again.
      const active = await t.request({ method: 'GET', url: '/api/calls/active', token: a.admin.token });
      expect(active.json<{ data: unknown[] }>().data).toEqual([]);
      // The audit log says who placed it, without the number rung.
      const audit = await t.request({ method: 'GET', url: '/api/audit-log?action=voice_agent.test_call', token: a.admin.token });
      expect(audit.statusCode).toBe(200);
      expect(audit.json<{ data: { after: unknown }[] }>().data.map((e) => e.after)).toEqual([{ session_token: '********', call_record_id: placed.call_record_id }]);
      expect(audit.body).not.toContain('4155550100');
    });

    it('is_test in the list filter and export column; analytics leave test calls out', async () => {
      const a = await connected('filters');
      const agentId = await createAgent(t, a.admin.token);
      await createInboundRule(t, a.admin.token, { pattern: '*', target_type: 'agent', target_id: agentId });
      const placed = (await testCall(a.admin.token, agentId)).json<TestCallResult>();
      await fake.emit(placed.session_token, 'answer');
      await fake.emit(placed.session_token, 'end', { at: Date.now() + 10_000 });
      // A real call, routed by the voice webhook and ended by its CDR.
      const real = newSession();
      const voice = await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${encodeURIComponent(a.secret)}`, payload: voiceBody(a.domain, real) });
      expect(voice.statusCode).toBe(200);

      const list = async (q: string) => (await t.request({ method: 'GET', url: `/api/call-records${q}`, token: a.analyst.token })).json<{ data: CallRecordView[] }>().data;
      expect((await list('')).map((r) => [r.session_token, r.is_test]).sort()).toEqual([[placed.session_token, true], [real, false]].sort());
      expect((await list('?is_test=true')).map((r) => r.session_token)).toEqual([placed.session_token]);
      expect((await list('?is_test=false')).map((r) => r.session_token)).toEqual([real]);
      const bad = await t.request({ method: 'GET', url: '/api/call-records?is_test=maybe', token: a.analyst.token });
      expect(bad.statusCode).toBe(422);

      // Exports: the column, and the filter as a JSON boolean.
      const exp = await t.request({ method: 'POST', url: '/api/exports', token: a.admin.token, payload: { format: 'csv', fields: ['session_token', 'is_test'], filters: { is_test: true } } });
      expect(exp.statusCode, exp.body).toBe(202);
      const id = exp.json<{ id: number }>().id;
      for (let i = 0; i < 1200; i++) {
        const view = (await t.request({ method: 'GET', url: `/api/exports/${id}`, token: a.admin.token })).json<{ status: string }>();
        if (view.status === 'completed') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const csv = (await t.request({ method: 'GET', url: `/api/exports/${id}/download`, token: a.admin.token })).body;
      expect(csv.trim().split(/\r?\n/)).toEqual(['session_token,is_test', `${placed.session_token},true`]);

      // Today's numbers count the real call only (roll-ups follow writes within half a second).
      let stats: CallStatsView | undefined;
      for (let i = 0; i < 60; i++) {
        stats = (await t.request({ method: 'GET', url: '/api/calls/stats', token: a.analyst.token })).json<CallStatsView>();
        if (stats.total_today >= 1) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 700));
      stats = (await t.request({ method: 'GET', url: '/api/calls/stats', token: a.analyst.token })).json<CallStatsView>();
      expect(stats.total_today).toBe(1);
      expect(stats.completed_today).toBe(0);
    });

    it('my phone does not answer: the record ends no_answer, the agent was never dialled and its slot is free', async () => {
      const a = await connected('noanswer');
      const agentId = await createAgent(t, a.admin.token, { max_concurrent_calls: 1 });
      const placed = (await testCall(a.admin.token, agentId)).json<TestCallResult>();
      // While it rings, the agent's one slot is held: a second test call is refused and not left ringing.
      const second = await testCall(a.admin.token, agentId);
      expect(second.statusCode, second.body).toBe(409);
      expect(second.json().error.message).toMatch(/at its limit/);
      const extra = fake.sessions.list().filter((s) => s.domain === a.domain && s.token !== placed.session_token);
      expect(extra.map((s) => s.hungUp !== null)).toEqual([true]);

      await fake.emit(placed.session_token, 'noanswer');
      const done = await record(a.admin.token, placed.call_record_id!);
      expect(done).toMatchObject({ is_test: true, status: 'no_answer', outcome_reason: 'no_answer', answered_at: null, billsec: 0 });
      expect(done.events.some((e) => e.event_type === 'call.dial_result')).toBe(false);
      expect((await testCall(a.admin.token, agentId)).statusCode).toBe(201);
    });

    it('my phone answers but the agent does not: the call ends no_answer after the Dial result, with no failover', async () => {
      const a = await connected('agentdown');
      const agentId = await createAgent(t, a.admin.token);
      const other = await createAgent(t, a.admin.token);
      await createInboundRule(t, a.admin.token, { pattern: '*', target_type: 'agent', target_id: other });
      const placed = (await testCall(a.admin.token, agentId)).json<TestCallResult>();
      await fake.emit(placed.session_token, 'answer');
      const next = parseCxml(await dialCallback(placed.session_token, a.domain, 'no-answer'));
      expect(next).not.toHaveProperty('Dial');
      await fake.emit(placed.session_token, 'end', { at: Date.now() + 35_000 });
      const done = await record(a.admin.token, placed.call_record_id!);
      expect(done).toMatchObject({ is_test: true, status: 'no_answer', outcome_reason: 'no_answer', agent_id: agentId });
      const result = done.events.find((e) => e.event_type === 'call.dial_result');
      expect(result?.payload).toMatchObject({ outcome: 'no_answer', attempt: 1 });
    });

    it('refusals: analysts 403, not connected 409, another tenant\'s agent 404, a destination that is no phone number 422, Cloudonix refusing 424', async () => {
      const a = await connected('refusals');
      const agentId = await createAgent(t, a.admin.token);
      expect((await testCall(a.analyst.token, agentId)).statusCode).toBe(403);

      const bare = await registerTenant(t, 'bare');
      const bareAgent = await createAgent(t, bare.admin.token);
      const notConnected = await testCall(bare.admin.token, bareAgent);
      expect(notConnected.statusCode).toBe(409);
      expect(notConnected.json().error.code).toBe('cloudonix_not_connected');

      const foreign = await testCall(bare.admin.token, agentId);
      expect(foreign.statusCode).toBe(404);
      expect((await testCall(a.admin.token, 999_999)).statusCode).toBe(404);

      for (const destination of ['hello', '123', '', 'sip:me@example.com']) {
        const res = await testCall(a.admin.token, agentId, { destination });
        expect(res.statusCode, destination).toBe(422);
        expect(res.json().error.details.fields.destination, destination).toBeDefined();
      }
      expect((await testCall(a.admin.token, agentId, { destination: MY_PHONE, caller_id: 'me' })).statusCode).toBe(422);
      expect((await testCall(a.admin.token, agentId, { destination: MY_PHONE, extra: 1 })).statusCode).toBe(422);

      const before = fake.sessions.list().length;
      fake.failNext(400, { status: 400, message: 'Invalid destination number' });
      const refused = await testCall(a.admin.token, agentId);
      expect(refused.statusCode, refused.body).toBe(424);
      expect(refused.json().error.code).toBe('cloudonix_failed');
      expect(refused.body).not.toContain(a.key);
      expect(fake.sessions.list().length).toBe(before);
      const list = await t.request({ method: 'GET', url: '/api/call-records', token: a.admin.token });
      expect(list.json<{ data: unknown[] }>().data).toEqual([]);
    });
  });
}
