import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OccupancyView } from '../../src/core/schemas/occupancy.js';
import type { CallRecordListResponse } from '../../src/http/call-records.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { startFakeCloudonix, type FakeCloudonix } from '../support/fake-cloudonix-api.js';
import { createAgent, createInboundRule } from '../support/fixtures.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Rec = CallRecordListResponse['data'][number];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The console's Cloudonix actions (issue 22) while the database is away, reached through a
 * TCP proxy the test controls: every action answers 503 in words (never a 500) and does
 * nothing at Cloudonix it cannot record; and when the database goes the instant Cloudonix
 * has switched or hung up a call, the call's story still learns it once the database is back.
 */
for (const dialect of DIALECTS.filter((d) => d.name !== 'sqlite')) {
  describe(`${dialect.name}: Cloudonix actions while the database is away`, () => {
    let proxy: TcpProxy;
    let fake: FakeCloudonix;
    let t: TestApp;
    let a: TenantActors;
    let secret: string;
    let first: number;
    let second: number;

    const recordOf = async (session: string): Promise<Rec | undefined> => {
      const res = await t.request({ method: 'GET', url: '/api/call-records?per_page=200', token: a.admin.token });
      return res.statusCode === 200 ? res.json<CallRecordListResponse>().data.find((r) => r.session_token === session) : undefined;
    };
    const liveCall = async (): Promise<{ session: string; id: number }> => {
      const session = newSession();
      const voice = await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: `Bearer ${secret}` }, payload: voiceBody(a.domain, session) });
      expect(voice.statusCode).toBe(200);
      fake.sessions.add(a.domain, { token: session, status: 'connected' });
      await expect.poll(async () => (await recordOf(session))?.id, { timeout: 5000 }).toBeDefined();
      return { session, id: (await recordOf(session))!.id };
    };
    /** The live-call slots an agent holds (what routing compares with its cap). */
    const occupancy = async (agent: number): Promise<number | undefined> =>
      (await t.request({ method: 'GET', url: '/api/occupancy', token: a.admin.token })).json<OccupancyView>().agents.find((x) => x.agent_id === agent)?.live_calls;
    /** The record once the database is back, with the held writes flushed. */
    const recordOnceBack = async (session: string, done: (r: Rec) => boolean): Promise<Rec | undefined> => {
      for (let i = 0; i < 60; i++) {
        await t.runtime.services.routing.life.held.flush().catch(() => undefined);
        const r = await recordOf(session);
        if (r && done(r)) return r;
        await sleep(250);
      }
      return recordOf(session);
    };

    beforeAll(async () => {
      proxy = await startTcpProxy(dialect.name === 'postgres' ? 5432 : 3306);
      fake = await startFakeCloudonix();
      fake.setRateLimit(1000, 10_000);
      t = await createTestApp(
        dialect,
        { LOG_LEVEL: 'warn', CLOUDONIX_API_URL: fake.url, CLOUDONIX_API_RATE_LIMIT: '1000' },
        {
          databaseUrl: (url) => {
            const u = new URL(url);
            u.host = `127.0.0.1:${proxy.port}`;
            return u.toString();
          },
        },
      );
      a = await registerTenant(t, 'actions-down');
      secret = await webhookSecret(t, a.admin.token);
      fake.domains.add(a.domain);
      expect((await t.request({ method: 'PUT', url: '/api/cloudonix/connection', token: a.admin.token, payload: { api_key: fake.keyOf(a.domain) } })).statusCode).toBe(200);
      first = await createAgent(t, a.admin.token, { name: 'First bot', max_concurrent_calls: 5, service_value: '+12125559101' });
      second = await createAgent(t, a.admin.token, { name: 'Second bot', max_concurrent_calls: 5, service_value: '+12125559102' });
      await createInboundRule(t, a.admin.token, { pattern: '*', target_type: 'agent', target_id: first });
    });
    afterAll(async () => {
      proxy?.restore();
      await t?.close();
      await proxy?.close();
      await fake?.close();
    });

    it('every action answers 503 in words while the database is down, asks nothing of Cloudonix, and works once it is back', async () => {
      const { session, id } = await liveCall();
      const before = fake.requests.length;
      proxy.down();
      try {
        const actions = [
          { method: 'POST' as const, url: `/api/calls/active/${id}/hang-up` },
          { method: 'POST' as const, url: `/api/calls/active/${id}/hand-off`, payload: { target_type: 'agent', target_id: second } },
          { method: 'POST' as const, url: `/api/voice-agents/${first}/test-call`, payload: { destination: '+12125550150' } },
          { method: 'GET' as const, url: '/api/cloudonix/setup' },
          { method: 'GET' as const, url: '/api/cloudonix/connection' },
          { method: 'PUT' as const, url: '/api/cloudonix/connection', payload: { api_key: fake.keyOf(a.domain) } },
        ];
        for (const action of actions) {
          const res = await t.request({ ...action, token: a.admin.token });
          expect(res.statusCode, `${action.method} ${action.url}: ${res.body}`).toBe(503);
          expect(res.json<{ error: { message: string } }>().error.message).toMatch(/database/i);
        }
        expect(fake.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
      } finally {
        proxy.restore();
      }
      await expect.poll(async () => (await t.request({ method: 'POST', url: `/api/calls/active/${id}/hand-off`, token: a.admin.token, payload: { target_type: 'agent', target_id: second } })).statusCode, { timeout: 10_000, interval: 500 }).toBe(200);
      expect(fake.sessions.get(session)?.applications.at(-1)?.cxml).toContain('+12125559102');
      expect((await t.request({ method: 'POST', url: `/api/calls/active/${id}/hang-up`, token: a.admin.token })).statusCode).toBe(200);
      expect((await recordOf(session))?.outcome_reason).toBe('ended_by_admin');
    });

    it('a hand-off Cloudonix made as the database went away is on the call once the database is back, with the slots moved', async () => {
      const { session, id } = await liveCall();
      fake.onNextRequest(() => proxy.down());
      const res = await t.request({ method: 'POST', url: `/api/calls/active/${id}/hand-off`, token: a.admin.token, payload: { target_type: 'agent', target_id: second } });
      proxy.restore();
      // Cloudonix switched the call: the admin is told so; what we write of it waits for the database.
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ handed_to: { type: 'agent', agent_id: second } });
      expect(fake.sessions.get(session)?.applications.at(-1)?.cxml).toContain('+12125559102');
      const heldBefore = t.runtime.services.routing.life.held.everHeld;
      const after = await recordOnceBack(session, (r) => r.agent_id === second);
      expect(after?.agent_id).toBe(second);
      expect(heldBefore).toBeGreaterThan(0); // the change waited for the database, as meant
      const audited = async () =>
        (await t.request({ method: 'GET', url: '/api/audit-log?action=call.handed_off', token: a.admin.token })).json<{ data: { entity_id: number }[] }>().data.map((r) => r.entity_id);
      await expect.poll(audited, { timeout: 10_000, interval: 500 }).toContain(id);
      expect(await occupancy(first)).toBe(0);
      expect(await occupancy(second)).toBe(1);
      // The call ends as Cloudonix reports it: the second agent's slot is free again.
      const t0 = Date.now() - 30_000;
      const cdr = { disposition: 'ANSWER', duration: 30, billsec: 29, session: { token: session, callStartTime: t0, callAnswerTime: t0 + 1000, callEndTime: t0 + 30_000 } };
      expect((await t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: cdr })).statusCode).toBe(200);
      expect((await recordOnceBack(session, (r) => r.status === 'completed'))?.status).toBe('completed');
      expect(await occupancy(second)).toBe(0);
    });

    it('a hang-up Cloudonix made as the database went away closes the call once the database is back', async () => {
      const { session, id } = await liveCall();
      fake.onNextRequest(() => proxy.down());
      const res = await t.request({ method: 'POST', url: `/api/calls/active/${id}/hang-up`, token: a.admin.token });
      proxy.restore();
      expect([200, 503], res.body).toContain(res.statusCode);
      if (res.statusCode === 503) {
        // The admin tries again: Cloudonix no longer has the session, and the record is closed all the same.
        await expect.poll(async () => (await t.request({ method: 'POST', url: `/api/calls/active/${id}/hang-up`, token: a.admin.token })).statusCode, { timeout: 10_000, interval: 500 }).toBeOneOf([200, 409]);
      }
      const after = await recordOnceBack(session, (r) => r.outcome_reason !== null);
      expect(after?.outcome_reason).toBe('ended_by_admin');
      expect(await occupancy(first)).toBe(0);
    });
  });
}
