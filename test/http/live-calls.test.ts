import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallStatsResponse, LiveCallListResponse } from '../../src/http/live-calls.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL } from '../support/backends.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup, createInboundRule } from '../support/fixtures.js';
import { runTenantIsolationTests } from '../support/isolation-matrix.js';
import { fuzzQuery } from '../support/query-fuzz.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const ms = (iso: string) => Date.parse(iso);

/** The webhooks of one tenant, as Cloudonix would call them. */
function cloudonix(t: TestApp, domain: string, secret: string) {
  return {
    voice: (session: string, over: Record<string, unknown> = {}) =>
      t.request({ method: 'POST', url: `/api/voice/application/${domain}`, headers: { authorization: `Bearer ${secret}` }, payload: voiceBody(domain, session, over) }),
    update: (body: object) => t.request({ method: 'POST', url: `/api/voice/session/update/${domain}?token=${secret}`, payload: body }),
    cdr: (body: object) => t.request({ method: 'POST', url: `/api/voice/session/cdr/${domain}?token=${secret}`, payload: body }),
  };
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: live calls and today's stats`, () => {
    let now = ms('2026-11-24T16:00:00Z');
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    let cx: ReturnType<typeof cloudonix>;
    const id: Record<string, number> = {};
    const at = (iso: string) => (now = ms(iso));
    // Today's counters come from the daily roll-ups, which follow the calls within half a second; flush them first.
    const get = async (url: string, token = a.analyst.token) => {
      await t.runtime.services.rollups.flush();
      return t.request({ method: 'GET', url, token });
    };
    const active = async (q = '', token = a.analyst.token) => {
      const res = await get(`/api/calls/active${q}`, token);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<LiveCallListResponse>().data;
    };
    const activeTokens = async (q = '') => (await active(q)).map((c) => c.session_token);

    beforeAll(async () => {
      t = await createTestApp(dialect, {}, { clock: () => now });
      a = await registerTenant(t, 'live');
      b = await registerTenant(t, 'elsewhere');
      cx = cloudonix(t, a.domain, await webhookSecret(t, a.admin.token));
      await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { timezone: 'America/New_York' } } });
      id.alpha = await createAgent(t, a.admin.token, { name: 'Alpha' });
      id.bravo = await createAgent(t, a.admin.token, { name: 'Bravo', provider: 'retell' });
      id.group = await createGroup(t, a.admin.token, 'priority', [{ agent_id: id.alpha, priority: 1 }, { agent_id: id.bravo, priority: 2 }]);
      await createInboundRule(t, a.admin.token, { pattern: '+1212555????', target_type: 'group', target_id: id.group });
      await createInboundRule(t, a.admin.token, { pattern: '+1646*', target_type: 'agent', target_id: id.bravo });
    });
    afterAll(async () => t?.close());

    it('a dialled call is live until its CDR, with names and the time so far', async () => {
      const s = newSession();
      at('2026-11-24T16:00:00Z');
      expect(dialedService((await cx.voice(s)).body)?.number).toBeDefined();
      at('2026-11-24T16:01:30Z');
      expect(await active()).toEqual([
        { id: expect.any(Number), session_token: s, status: 'connecting', from: '+14155550123', to: '+12125550187', agent_id: id.alpha, agent_name: 'Alpha', group_id: id.group, group_name: expect.stringMatching(/^Group /), started_at: '2026-11-24T16:00:00.000Z', answered_at: null, duration_so_far_seconds: 90 },
      ]);
      await cx.update({ eventId: `${s}-1`, token: s, status: 'connected', callAnswerTime: ms('2026-11-24T16:00:05Z') });
      expect(await active()).toMatchObject([{ session_token: s, status: 'connected', answered_at: '2026-11-24T16:00:05.000Z' }]);
      await cx.cdr({ disposition: 'ANSWER', duration: 95, billsec: 90, session: { token: s } });
      expect(await active()).toEqual([]);
    });

    it('a terminal session update ends a live call (answered or not)', async () => {
      const [s1, s2] = [newSession(), newSession()];
      at('2026-11-24T16:10:00Z');
      await cx.voice(s1);
      await cx.voice(s2, { To: '+16465550100' });
      expect(new Set(await activeTokens())).toEqual(new Set([s1, s2]));
      at('2026-11-24T16:10:40Z');
      await cx.update({ eventId: `${s1}-end`, token: s1, status: 'connected', callAnswerTime: ms('2026-11-24T16:10:01Z'), callEndTime: now });
      expect(await activeTokens()).toEqual([s2]);
      // A leg's failure alone is not the end (the next agent may answer): the update with the end time is.
      await cx.update({ eventId: `${s2}-busy`, token: s2, status: 'busy' });
      expect(await activeTokens()).toEqual([s2]);
      await cx.update({ eventId: `${s2}-end`, token: s2, status: 'busy', callEndTime: now });
      expect(await activeTokens()).toEqual([]);
    });

    it('filters by agent and group; sessions we did not route are live without an agent', async () => {
      const [viaGroup, direct, foreign, stale] = [newSession(), newSession(), newSession(), newSession()];
      at('2026-11-24T17:00:00Z');
      await cx.voice(viaGroup);
      at('2026-11-24T17:00:10Z');
      await cx.voice(direct, { To: '+16465550100' });
      await cx.update({ eventId: `${foreign}-1`, token: foreign, status: 'ringing', direction: 'outgoing', callerId: '15550001', destination: '15550002' });
      // Heard of five hours ago and never again: past the maximum call length, not shown as live.
      await cx.update({ eventId: `${stale}-1`, token: stale, status: 'ringing', callStartTime: ms('2026-11-24T12:00:00Z') });
      expect(await activeTokens()).toEqual([foreign, direct, viaGroup]);
      expect((await active()).find((c) => c.session_token === foreign)).toMatchObject({ agent_id: null, agent_name: null, status: 'connecting', from: '15550001' });
      expect(await activeTokens(`?agent_id=${id.alpha}`)).toEqual([viaGroup]);
      expect(await activeTokens(`?agent_id=${id.bravo}`)).toEqual([direct]);
      expect(await activeTokens(`?group_id=${id.group}`)).toEqual([viaGroup]);
      expect(await activeTokens(`?group_id=${id.group}&agent_id=${id.bravo}`)).toEqual([]);
      expect(await activeTokens('?agent_id=999999')).toEqual([]);

      // The call's story says what is live: its CDR ends it.
      await cx.cdr({ disposition: 'FAILED', session: { token: direct } });
      expect(await activeTokens()).toEqual([foreign, viaGroup]);
      for (const s of [viaGroup, foreign]) await cx.cdr({ disposition: 'NO ANSWER', session: { token: s } });
      expect(await activeTokens()).toEqual([]);
    });

    it("today's stats, in the tenant's time zone, match an independent SQL count", async () => {
      // 03:00 UTC on the 24th is 22:00 on the 23rd in New York; 05:30 UTC is 00:30 on the 24th.
      const [yesterday, early, missed] = [newSession(), newSession(), newSession()];
      await cx.update({ eventId: `${yesterday}-1`, token: yesterday, status: 'connected', callStartTime: ms('2026-11-24T03:00:00Z'), callAnswerTime: ms('2026-11-24T03:00:01Z'), callEndTime: ms('2026-11-24T03:02:00Z') });
      await cx.update({ eventId: `${early}-1`, token: early, status: 'connected', callStartTime: ms('2026-11-24T05:30:00Z'), callAnswerTime: ms('2026-11-24T05:30:01Z'), callEndTime: ms('2026-11-24T05:30:41Z') });
      await cx.update({ eventId: `${missed}-1`, token: missed, status: 'no-answer', callStartTime: ms('2026-11-24T05:40:00Z'), callEndTime: ms('2026-11-24T05:40:30Z') });
      const live = newSession();
      at('2026-11-24T18:00:00Z');
      await cx.voice(live);

      const stats = (await get('/api/calls/stats')).json<CallStatsResponse>();
      expect((await get('/api/calls/statistics', a.admin.token)).json<CallStatsResponse>()).toEqual(stats);
      const [from, before] = [Date.UTC(2026, 10, 24, 5), Date.UTC(2026, 10, 25, 5)];
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from call_records where tenant_id = ${a.tenantId} and started_at >= ${from} and started_at < ${before}`.execute(t.runtime.store.db);
      const count = async (statuses: string[]) =>
        Number((await t.runtime.store.db.selectFrom('call_records').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', a.tenantId).where('status', 'in', statuses).where('started_at', '>=', from).where('started_at', '<', before).executeTakeFirstOrThrow()).n);
      const avg = await t.runtime.store.db.selectFrom('call_records').select((eb) => eb.fn.avg<number | string | null>('duration_seconds').as('v')).where('tenant_id', '=', a.tenantId).where('status', '=', 'completed').where('duration_seconds', 'is not', null).where('started_at', '>=', from).where('started_at', '<', before).executeTakeFirstOrThrow();
      expect(stats).toEqual({
        active_calls: 1,
        total_today: Number(rows[0]!.n),
        completed_today: await count(['completed']),
        failed_today: await count(['failed', 'busy', 'no_answer']),
        avg_duration: Math.round(Number(avg.v) * 10) / 10,
        date: '2026-11-24',
        timezone: 'America/New_York',
      });
      // Hand-checked too: 10 calls on the 24th (the 03:00 UTC one is not), two still live; answered 95 s, 40 s, 41 s.
      expect(stats).toMatchObject({ total_today: 10, completed_today: 3, failed_today: 5, avg_duration: 58.7 });

      at('2026-11-24T04:00:00Z'); // 23:00 on the 23rd in New York: only the 03:00 UTC call is "today"
      expect((await get('/api/calls/stats')).json<CallStatsResponse>()).toMatchObject({ date: '2026-11-23', total_today: 1, completed_today: 1, failed_today: 0, avg_duration: 120 });
      at('2026-11-24T18:00:00Z');
      expect((await get('/api/calls/stats', b.admin.token)).json<CallStatsResponse>()).toEqual({ active_calls: 0, total_today: 0, completed_today: 0, failed_today: 0, avg_duration: 0, date: '2026-11-24', timezone: 'UTC' });
      expect(await active('', b.admin.token)).toEqual([]);
    });

    it('refuses bad filters with 422; 300 random query strings never make a 5xx', async () => {
      for (const q of ['agent_id=abc', 'agent_id=0', 'group_id=-3', 'group_id=1.5', 'agent_id=1&agent_id=2']) {
        const res = await get(`/api/calls/active?${q}`);
        expect(res.statusCode, q).toBe(422);
        expect(res.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
      }
      await fuzzQuery(t, '/api/calls/active', ['agent_id', 'group_id'], a.analyst.token);
    });

    describe('isolation matrix', () => {
      runTenantIsolationTests(() => ({ t, a, b, ids: {} }), [
        { method: 'GET', url: () => '/api/calls/active', scope: 'own', access: 'read' },
        { method: 'GET', url: () => '/api/calls/stats', scope: 'own', access: 'read' },
        { method: 'GET', url: () => '/api/calls/statistics', scope: 'own', access: 'read' },
      ]);
    });
  });
}

describe.runIf(TEST_REDIS_URL)('redis: live calls across instances', () => {
  let one: TestApp;
  let two: TestApp;
  let a: TenantActors;
  beforeAll(async () => {
    // Two instances over one database and one Redis key space, as when scaled.
    const env = { DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'vlb-live-')), 'shared.sqlite')}`, APP_KEY: randomBytes(32).toString('hex'), REDIS_URL: TEST_REDIS_URL! };
    const cluster = { redisKeyPrefix: `vlbt:live-${randomBytes(4).toString('hex')}:` };
    one = await createTestApp(DIALECTS[0]!, env, cluster);
    two = await createTestApp(DIALECTS[0]!, env, cluster);
    a = await registerTenant(one, 'scaled');
    const agent = await createAgent(one, a.admin.token, { name: 'Alpha' });
    await createInboundRule(one, a.admin.token, { pattern: '+1212*', target_type: 'agent', target_id: agent });
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  it('a call routed by one instance is live on the other until the other hears it end', async () => {
    const secret = await webhookSecret(one, a.admin.token);
    const s = newSession();
    expect(dialedService((await cloudonix(one, a.domain, secret).voice(s)).body)).not.toBeNull();
    const list = async (t: TestApp) => (await t.request({ method: 'GET', url: '/api/calls/active', token: a.analyst.token })).json<LiveCallListResponse>().data.map((c) => c.session_token);
    expect(await list(two)).toEqual([s]);
    expect((await two.request({ method: 'GET', url: '/api/calls/stats', token: a.analyst.token })).json<CallStatsResponse>().active_calls).toBe(1);
    await cloudonix(two, a.domain, secret).cdr({ disposition: 'ANSWERED', duration: 12, session: { token: s } });
    expect(await list(one)).toEqual([]);
  });
});
