import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecordListResponse } from '../../src/http/call-records.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL, type TestDialect } from '../support/backends.js';
import { dialedService, newSession, parseCxml, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { startFakeCloudonix, type FakeCloudonix } from '../support/fake-cloudonix-api.js';
import { createAgent, createGroup, createInboundRule } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Rec = CallRecordListResponse['data'][number];
interface Timeline {
  events: { event_type: string; payload: Record<string, unknown> | null }[];
}

/** Every database, and SQLite with Redis (slots are held in the plane shared by instances). */
const BACKENDS: { name: string; dialect: TestDialect; env: Record<string, string> }[] = [
  ...DIALECTS.map((dialect) => ({ name: dialect.name, dialect, env: {} })),
  ...(TEST_REDIS_URL ? [{ name: 'sqlite+redis', dialect: DIALECTS[0]!, env: { REDIS_URL: TEST_REDIS_URL } }] : []),
];

/**
 * Live-call control against the fake Cloudonix REST API: a hand-off switches the running
 * session's CXML (to an agent, a group's pick or a number), the record names who took over
 * and the slots follow; a hang-up ends the session there and closes the record; each is
 * audited and on the call's timeline. Tenants without a connection, other tenants' calls
 * and ended calls are refused in words.
 */
for (const backend of BACKENDS) {
  describe(`${backend.name}: hang-up and hand-off of live calls at Cloudonix`, () => {
    let fake: FakeCloudonix;
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    let first: number;
    let second: number;
    let third: number;
    let group: number;
    const voice: Record<string, (session: string) => Promise<string>> = {};

    const recordOf = async (actors: TenantActors, session: string): Promise<Rec> => {
      const res = await t.request({ method: 'GET', url: '/api/call-records?per_page=200', token: actors.analyst.token });
      const found = res.json<CallRecordListResponse>().data.find((r) => r.session_token === session);
      if (!found) throw new Error(`no record for ${session}`);
      return found;
    };
    const timeline = async (id: number) => (await t.request({ method: 'GET', url: `/api/call-records/${id}`, token: a.analyst.token })).json<Timeline>().events;
    const audit = async (action: string) =>
      (await t.request({ method: 'GET', url: `/api/audit-log?action=${action}`, token: a.admin.token })).json<{ data: { entity_id: number; entity_type: string; after: unknown }[] }>().data;
    const handOff = (id: number, payload: Record<string, unknown>, token = a.admin.token) => t.request({ method: 'POST', url: `/api/calls/active/${id}/hand-off`, token, payload });
    const hangUp = (id: number, token = a.admin.token) => t.request({ method: 'POST', url: `/api/calls/active/${id}/hang-up`, token });
    /** A call routed by the tenant's rule, whose session Cloudonix knows of. */
    const liveCall = async (actors: TenantActors, withSession = true): Promise<{ session: string; id: number; cxml: string }> => {
      const session = newSession();
      const cxml = await voice[actors.domain]!(session);
      if (withSession) fake.sessions.add(actors.domain, { token: session, status: 'connected' });
      return { session, id: (await recordOf(actors, session)).id, cxml };
    };
    const switchedTo = (session: string): string => fake.sessions.get(session)?.applications.at(-1)?.cxml ?? '';

    beforeAll(async () => {
      fake = await startFakeCloudonix();
      t = await createTestApp(backend.dialect, { ...backend.env, CLOUDONIX_API_URL: fake.url, CLOUDONIX_API_RATE_LIMIT: '1000' });
      fake.setRateLimit(1000, 10_000);
      a = await registerTenant(t, 'control');
      b = await registerTenant(t, 'elsewhere');
      for (const actors of [a, b]) {
        const secret = await webhookSecret(t, actors.admin.token);
        voice[actors.domain] = async (session) =>
          (await t.request({ method: 'POST', url: `/api/voice/application/${actors.domain}`, headers: { authorization: `Bearer ${secret}` }, payload: voiceBody(actors.domain, session) })).body;
      }
      // Only tenant a connects its Cloudonix domain.
      fake.domains.add(a.domain);
      const connected = await t.request({ method: 'PUT', url: '/api/cloudonix/connection', token: a.admin.token, payload: { api_key: fake.keyOf(a.domain) } });
      expect(connected.statusCode, connected.body).toBe(200);
      first = await createAgent(t, a.admin.token, { name: 'First bot', max_concurrent_calls: 1, service_value: '+12125559001' });
      second = await createAgent(t, a.admin.token, { name: 'Second bot', max_concurrent_calls: 1, service_value: '+12125559002' });
      third = await createAgent(t, a.admin.token, { name: 'Third bot', service_value: '+12125559003' });
      group = await createGroup(t, a.admin.token, 'priority', [{ agent_id: third, priority: 1 }]);
      await createInboundRule(t, a.admin.token, { pattern: '+1212*', target_type: 'agent', target_id: first });
      const other = await createAgent(t, b.admin.token, { name: 'Other bot' });
      await createInboundRule(t, b.admin.token, { pattern: '+1212*', target_type: 'agent', target_id: other });
    });
    afterAll(async () => {
      await t?.close();
      await fake?.close();
    });

    it('hands a live call to another agent: the CXML switched at Cloudonix, the record names who took over, slots follow, audited and on the timeline', async () => {
      const call = await liveCall(a);
      expect(dialedService(call.cxml)?.number).toBe('+12125559001');
      expect((await handOff(call.id, { target_type: 'agent', target_id: second }, a.analyst.token)).statusCode).toBe(403);
      expect((await handOff(call.id, { target_type: 'agent', target_id: second }, b.admin.token)).statusCode).toBe(404);

      const res = await handOff(call.id, { target_type: 'agent', target_id: second });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ handed_to: { type: 'agent', agent_id: second, agent_name: 'Second bot', group_id: null, number: null }, call: { id: call.id, agent_id: second, ended_at: null } });
      // Cloudonix runs the second agent's Dial now, with no action: nothing fails over to the routing before it.
      const cxml = switchedTo(call.session);
      expect(dialedService(cxml)).toMatchObject({ number: '+12125559002', provider: 'vapi' });
      expect(cxml).not.toContain('action=');
      const sw = fake.requests.find((r) => r.method === 'POST' && r.path === `/calls/${a.domain}/sessions/${call.session}/application`);
      expect(sw?.authorization).toBe(`Bearer ${fake.keyOf(a.domain)}`);
      expect(res.body).not.toContain(fake.keyOf(a.domain));
      expect(await recordOf(a, call.session)).toMatchObject({ agent_id: second, agent_name: 'Second bot', status: 'connecting' });
      // The first agent's interrupted Dial may still report: its result is kept, and nothing ends or fails over.
      const action = dialedService(call.cxml)!.action.replace(/^https?:\/\/[^/]+/, '');
      const late = await t.request({ method: 'POST', url: action, payload: voiceBody(a.domain, call.session, { DialCallStatus: 'completed', CallStatus: 'completed' }) });
      expect(parseCxml(late.body)).toHaveProperty('Hangup');
      expect(await recordOf(a, call.session)).toMatchObject({ agent_id: second, ended_at: null });

      // The first agent's only slot is free again: the next call goes to it; the second agent's slot is held by the handed-off call.
      const next = await liveCall(a);
      expect(dialedService(next.cxml)?.number).toBe('+12125559001');
      const full = await handOff(next.id, { target_type: 'agent', target_id: second });
      expect(full.statusCode).toBe(409);
      expect(full.json().error.message).toBe('Second bot cannot take the call now: it is at its limit of live calls.');
      expect((await handOff(call.id, { target_type: 'agent', target_id: second })).json().error.message).toBe('The call is already with Second bot.');

      const events = await timeline(call.id);
      const handed = events.find((e) => e.event_type === 'call.handed_off');
      expect(handed?.payload).toMatchObject({ target_type: 'agent', agent_id: second, from_agent_id: first, user_id: a.admin.id });
      const rows = await audit('call.handed_off');
      expect(rows.find((r) => r.entity_id === call.id)).toMatchObject({ entity_type: 'call_record', after: { target_type: 'agent', agent_id: second } });
      await hangUp(next.id);
      await hangUp(call.id);
    });

    it("hands off to a group's pick or to a person's number (checked), and refuses a missing target in words", async () => {
      const call = await liveCall(a);
      const toGroup = await handOff(call.id, { target_type: 'group', target_id: group });
      expect(toGroup.statusCode, toGroup.body).toBe(200);
      expect(toGroup.json()).toMatchObject({ handed_to: { type: 'group', agent_id: third, group_id: group, agent_name: 'Third bot' }, call: { agent_id: third } });
      expect(dialedService(switchedTo(call.session))?.number).toBe('+12125559003');

      const bad = await handOff(call.id, { target_type: 'number', number: 'anonymous' });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().error.details.fields.number[0]).toContain('must be a phone number');
      expect((await handOff(call.id, { target_type: 'agent' })).statusCode).toBe(422);
      expect((await handOff(call.id, { target_type: 'agent', target_id: 999_999 })).statusCode).toBe(422);
      expect((await handOff(call.id, { target_type: 'number' })).statusCode).toBe(422);

      const toNumber = await handOff(call.id, { target_type: 'number', number: '+44 20 7946 0958' });
      expect(toNumber.statusCode, toNumber.body).toBe(200);
      expect(toNumber.json()).toMatchObject({ handed_to: { type: 'number', agent_id: null, number: '+44 20 7946 0958' }, call: { agent_id: null } });
      const dial = parseCxml(switchedTo(call.session)).Dial as { Number?: string };
      expect(dial.Number).toBe('+44 20 7946 0958');
      // Both switches reached Cloudonix, oldest first.
      expect(fake.sessions.get(call.session)?.applications).toHaveLength(2);
      const kinds = (await timeline(call.id)).filter((e) => e.event_type === 'call.handed_off').map((e) => e.payload?.['target_type']);
      expect(kinds).toEqual(['group', 'number']);
      await hangUp(call.id);
    });

    it('hangs a live call up at Cloudonix: the session ended there, the record closed as ended_by_admin, audited; then it is over', async () => {
      const call = await liveCall(a);
      expect((await hangUp(call.id, a.analyst.token)).statusCode).toBe(403);
      expect((await hangUp(call.id, b.admin.token)).statusCode).toBe(404);
      const res = await hangUp(call.id);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ ended_now: true, call: { id: call.id, outcome_reason: 'ended_by_admin' } });
      expect(fake.sessions.get(call.session)?.hungUp).not.toBeNull();
      expect(fake.requests.some((r) => r.method === 'DELETE' && r.path === `/calls/${a.domain}/sessions/${call.session}`)).toBe(true);
      expect((await timeline(call.id)).map((e) => e.event_type)).toContain('call.hung_up');
      expect((await audit('call.hung_up')).some((r) => r.entity_id === call.id)).toBe(true);

      // Over now: neither can be done again, and the first agent's slot is free for the next call.
      const again = await hangUp(call.id);
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toBe('This call has already ended.');
      expect((await handOff(call.id, { target_type: 'agent', target_id: second })).statusCode).toBe(409);
      const next = await liveCall(a);
      expect(dialedService(next.cxml)?.number).toBe('+12125559001');
      // A session Cloudonix no longer has: hung up all the same (the record is closed).
      await hangUp(next.id);
      const gone = await liveCall(a, false);
      const closed = await hangUp(gone.id);
      expect(closed.statusCode, closed.body).toBe(200);
      expect(closed.json()).toMatchObject({ ended_now: true });
    });

    it('the stale-call end hangs the call up at Cloudonix too once connected', async () => {
      const call = await liveCall(a);
      const res = await t.request({ method: 'POST', url: `/api/calls/active/${call.id}/end`, token: a.admin.token });
      expect(res.statusCode, res.body).toBe(200);
      expect(fake.sessions.get(call.session)?.hungUp).not.toBeNull();
      expect((await timeline(call.id)).map((e) => e.event_type)).toContain('call.ended_by_admin');
      // Cloudonix failing does not keep a stale call open: the record is closed all the same.
      const stuck = await liveCall(a);
      fake.failNext(503, { status: 503, message: 'Service Unavailable' });
      const closed = await t.request({ method: 'POST', url: `/api/calls/active/${stuck.id}/end`, token: a.admin.token });
      expect(closed.statusCode, closed.body).toBe(200);
      expect(closed.json()).toMatchObject({ ended_now: true, call: { outcome_reason: 'ended_by_admin' } });
    });

    it('a hang-up Cloudonix refuses leaves the call live, in words', async () => {
      const call = await liveCall(a);
      fake.failNext(503, { status: 503, message: 'Service Unavailable' });
      const failed = await hangUp(call.id);
      expect(failed.statusCode, failed.body).toBe(424);
      expect(failed.json().error).toMatchObject({ code: 'cloudonix_failed', details: { kind: 'unreachable', status: 503 } });
      expect(failed.json().error.message).toMatch(/Cloudonix failed \(HTTP 503\)/);
      expect((await recordOf(a, call.session)).ended_at).toBeNull();
      expect(fake.sessions.get(call.session)?.hungUp).toBeNull();
      expect((await hangUp(call.id)).statusCode).toBe(200);
    });

    it('Cloudonix refusing the switch changes nothing here and frees the claimed slot; a tenant without a connection is told to connect', async () => {
      const call = await liveCall(a);
      fake.failNext(503, { status: 503, message: 'Service Unavailable' });
      const failed = await handOff(call.id, { target_type: 'agent', target_id: second });
      expect(failed.statusCode, failed.body).toBe(424);
      expect(failed.json().error.code).toBe('cloudonix_failed');
      expect(await recordOf(a, call.session)).toMatchObject({ agent_id: first });
      expect((await timeline(call.id)).map((e) => e.event_type)).not.toContain('call.handed_off');
      // The second agent's one slot was given back: the hand-off goes through now.
      const ok = await handOff(call.id, { target_type: 'agent', target_id: second });
      expect(ok.statusCode, ok.body).toBe(200);
      await hangUp(call.id);

      const theirs = await liveCall(b, false);
      const notConnected = await handOff(theirs.id, { target_type: 'number', number: '+12125550100' }, b.admin.token);
      expect(notConnected.statusCode).toBe(409);
      expect(notConnected.json().error.code).toBe('cloudonix_not_connected');
      expect((await hangUp(theirs.id, b.admin.token)).json().error.code).toBe('cloudonix_not_connected');
      expect((await recordOf(b, theirs.session)).ended_at).toBeNull();
    });
  });
}
