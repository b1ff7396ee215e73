import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RealtimeCall } from '../../src/core/schemas/realtime.js';
import { DIALECTS, TEST_REDIS_URL } from '../support/backends.js';
import { registerTenant, uniqueSuffix, type TenantActors } from '../support/actors.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup, createInboundRule } from '../support/fixtures.js';
import { openLive, openReady, wsUrlOf, type LiveClient } from '../support/live-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Replay keeps 20 events here, so "away too long" takes 21 changes, not 5 minutes. */
const REPLAY_EVENTS = 20;
// LOG_LEVEL debug: the request log, where masked URLs are checked, is at debug for requests that went well.
const env = { REALTIME_REPLAY_EVENTS: String(REPLAY_EVENTS), REALTIME_HEARTBEAT_SECONDS: '1', LOG_LEVEL: 'debug' };

const callOf = (c: LiveClient, event: string, session: string) =>
  c.waitFor((f) => f.event === event && (f.data as RealtimeCall).session_token === session, `${event} of ${session}`).then((f) => f.data as RealtimeCall);
const agentUpdated = (c: LiveClient, id: number) => c.waitFor((f) => f.event === 'agent.updated' && (f.data as { id: number }).id === id, `agent.updated ${id}`);
const signIn = async (t: TestApp, email: string, password: string) =>
  (await t.request({ method: 'POST', url: '/api/auth/login', payload: { email, password } })).json<{ token: string }>().token;

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: real time on one instance`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    let secret: string;
    const voice = (session: string) => t.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, session) });

    beforeAll(async () => {
      t = await createTestApp(dialect, env);
      [a, b] = [await registerTenant(t, 'live'), await registerTenant(t, 'other')];
      secret = await webhookSecret(t, a.admin.token);
      const agent = await createAgent(t, a.admin.token);
      const group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: agent }]);
      await createInboundRule(t, a.admin.token, { pattern: '*', target_type: 'group', target_id: group });
      await wsUrlOf(t);
    });
    afterAll(async () => t?.close());

    it('a dashboard sees a call start, get routed, change status and end; another tenant sees none of it', async () => {
      const [mine, theirs] = [await openReady(t, a.analyst.token), await openReady(t, b.analyst.token)];
      const s = newSession();
      expect(dialedService((await voice(s)).body)).not.toBeNull();
      const started = await callOf(mine, 'call.started', s);
      const routed = await callOf(mine, 'call.routed', s);
      expect(routed).toMatchObject({ id: started.id, status: 'connecting', direction: 'inbound', from: '+14155550123' });
      expect(routed.agent_id).not.toBeNull();

      const update = { eventId: `${s}-1`, token: s, status: 'connected', callAnswerTime: Date.now() };
      await t.request({ method: 'POST', url: `/api/voice/session/update/${a.domain}?token=${secret}`, payload: update });
      expect((await callOf(mine, 'call.status.updated', s)).status).toBe('connected');
      await t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { disposition: 'ANSWER', duration: 42, billsec: 40, session: { token: s } } });
      expect(await callOf(mine, 'call.ended', s)).toMatchObject({ status: 'completed', duration_seconds: 42, billsec: 40, disposition: 'answered' });

      const metrics = await mine.waitFor((f) => f.event === 'metrics.updated' && (f.data as { completed_today: number }).completed_today >= 1, 'metrics with the call');
      expect(metrics.channel).toBe('metrics');
      expect(metrics.data).toMatchObject({ total_today: expect.any(Number), active_calls: expect.any(Number), timezone: 'UTC' });

      // Tenant b's own event comes after all of a's: hearing it, and nothing before it, proves a's never reached b.
      const theirAgent = await createAgent(t, b.admin.token);
      await agentUpdated(theirs, theirAgent);
      expect(theirs.events().map((f) => f.event)).toEqual(['agent.updated']);
      const ids = mine.frames.map((f) => f.id);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect(mine.events().every((f) => typeof f.ts === 'string' && f.id > 0)).toBe(true);
      await Promise.all([mine.close(), theirs.close()]);
    });

    it('agent, group and rule changes reach dashboards as they are committed', async () => {
      const c = await openReady(t, a.analyst.token);
      const agent = await createAgent(t, a.admin.token);
      await agentUpdated(c, agent);
      await t.request({ method: 'PATCH', url: `/api/voice-agents/${agent}/toggle`, token: a.admin.token });
      await c.waitFor((f) => f.event === 'agent.updated' && f.id > c.events()[0]!.id, 'agent.updated after the toggle');
      const group = await createGroup(t, a.admin.token, 'priority', [{ agent_id: agent }]);
      const groupEvents = await c.waitFor((f) => f.event === 'group.updated' && (f.data as { id: number }).id === group, 'group.updated');
      expect(groupEvents.channel).toBe('groups');
      const rule = await createInboundRule(t, a.admin.token, { pattern: '+1999*', target_type: 'agent', target_id: agent });
      const changed = await c.waitFor((f) => f.event === 'rule.changed', 'rule.changed');
      expect(changed).toMatchObject({ channel: 'rules', data: { direction: 'inbound', action: 'created', id: rule } });
      await t.request({ method: 'DELETE', url: `/api/inbound-routing-rules/${rule}`, token: a.admin.token });
      await c.waitFor((f) => f.event === 'rule.changed' && (f.data as { action: string }).action === 'deleted', 'rule deleted');
      const out = await t.request({ method: 'POST', url: '/api/outbound-routing-rules', token: a.admin.token, payload: { name: 'Out', caller_id: '+1555000????', trunk_config: { trunks: ['carrier-out'] } } });
      expect(out.statusCode).toBe(201);
      await c.waitFor((f) => f.event === 'rule.changed' && (f.data as { direction: string }).direction === 'outbound', 'outbound rule.changed');
      await c.close();
    });

    it('the token may come in the first message; a bad or missing token is refused with 4401 and a reason', async () => {
      const late = await openLive(t);
      late.socket.send(JSON.stringify({ type: 'auth', token: a.analyst.token }));
      expect((await late.waitFor((f) => f.event === 'ready')).data).toMatchObject({ tenant_id: a.tenantId, replayed: 0, resync: false });
      await late.close();

      const bad = await openLive(t, { token: 'vlb_not-a-real-token-at-all' });
      expect(await bad.closed).toEqual({ code: 4401, reason: expect.stringMatching(/token/) });
      const badLater = await openLive(t);
      badLater.socket.send(JSON.stringify({ type: 'auth', token: 'x'.repeat(40) }));
      expect((await badLater.closed).code).toBe(4401);
      const badQuery = await openLive(t, { token: a.analyst.token, last_id: 'yesterday' });
      expect((await badQuery.closed).code).toBe(4400);
      // Tokens travel in the URL: the request log masks them.
      expect(t.logs.some((l) => l.includes('/ws?token=********'))).toBe(true);
      expect(t.logs.join('\n')).not.toContain(a.analyst.token);
    });

    it('malformed messages get error frames, never crash the server, and a flood of them closes only that socket', async () => {
      const c = await openReady(t, a.analyst.token);
      for (const junk of ['not json', '[]', '{"type":"dance"}', '{"type":"auth"}', '{"type":"ping","extra":{"deep":[1,2]}}', 'null']) c.socket.send(junk);
      c.socket.send(Buffer.from([0, 1, 2, 3]), { binary: true });
      c.socket.send(JSON.stringify({ type: 'auth', token: a.analyst.token }));
      await c.waitFor((f) => f.event === 'error' && (f.data as { code: string }).code === 'already_authenticated', 'already_authenticated');
      expect(c.frames.filter((f) => f.event === 'error').length).toBeGreaterThanOrEqual(6);
      c.socket.send(JSON.stringify({ type: 'ping' }));
      await c.waitFor((f) => f.event === 'pong');
      const agent = await createAgent(t, a.admin.token);
      await agentUpdated(c, agent);

      const early = await openLive(t);
      early.socket.send('{{{');
      await early.waitFor((f) => f.event === 'error');
      early.socket.send(JSON.stringify({ type: 'auth', token: a.analyst.token }));
      await early.waitFor((f) => f.event === 'ready');

      const flood = await openReady(t, a.analyst.token);
      for (let i = 0; i < 30; i++) flood.socket.send(`junk ${i}`);
      expect((await flood.closed).code).toBe(4400);
      const huge = await openReady(t, a.analyst.token);
      huge.socket.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(10_000) }));
      expect((await huge.closed).code).toBe(1009);

      expect((await t.request({ method: 'GET', url: '/up' })).statusCode).toBe(200);
      // The pong answering this ping comes after every event sent before it; events sent after it
      // (the metrics pushed every few seconds) must not move what it is compared with.
      const lastBefore = c.events().at(-1)!.id;
      c.socket.send(JSON.stringify({ type: 'ping' }));
      await c.waitFor((f) => f.event === 'pong' && f.id >= lastBefore);
      await Promise.all([c.close(), early.close()]);
    });

    it('signing out, refreshing or deactivating the user closes the sockets of those tokens, and the tokens cannot connect again', async () => {
      const s = uniqueSuffix();
      const user = { name: 'Watcher', email: `watcher-${s}@live.test`, password: `watcher-pass-${s}`, role: 'analyst' };
      const created = await t.request({ method: 'POST', url: '/api/users', token: a.admin.token, payload: user });
      const [first, second, third] = [await signIn(t, user.email, user.password), await signIn(t, user.email, user.password), await signIn(t, user.email, user.password)];
      const [c1, c2, c3] = [await openReady(t, first), await openReady(t, second), await openReady(t, third)];
      const bystander = await openReady(t, a.analyst.token);

      await t.request({ method: 'POST', url: '/api/auth/logout', token: first });
      expect(await c1.closed).toEqual({ code: 4401, reason: expect.stringMatching(/revoked/) });
      expect(c2.socket.readyState).toBe(WebSocket.OPEN);
      expect((await t.request({ method: 'POST', url: '/api/auth/refresh', token: second })).statusCode).toBe(200);
      expect((await c2.closed).code).toBe(4401);
      expect((await t.request({ method: 'DELETE', url: `/api/users/${created.json<{ id: number }>().id}`, token: a.admin.token })).statusCode).toBe(200);
      expect((await c3.closed).code).toBe(4401);

      expect((await (await openLive(t, { token: first })).closed).code).toBe(4401);
      const agent = await createAgent(t, a.admin.token);
      await agentUpdated(bystander, agent);
      await bystander.close();
    });

    it('a dashboard that reconnects with its last id gets exactly what it missed, in order; one away too long is told to resync', async () => {
      const c = await openReady(t, a.analyst.token);
      await agentUpdated(c, await createAgent(t, a.admin.token));
      const lastSeen = c.lastId();
      await c.close();
      const missed = [await createAgent(t, a.admin.token), await createAgent(t, a.admin.token), await createAgent(t, a.admin.token)];

      const back = await openReady(t, a.analyst.token, lastSeen);
      // Every event after the last id, gapless and in order (a metrics.updated of earlier calls may be among them).
      const replayed = back.events();
      expect(replayed.map((f) => f.id)).toEqual(replayed.map((_, i) => lastSeen + 1 + i));
      expect(replayed.filter((f) => f.event === 'agent.updated').map((f) => (f.data as { id: number }).id)).toEqual(missed);
      expect(back.frames.find((f) => f.event === 'ready')).toMatchObject({ id: replayed.at(-1)!.id, data: { replayed: replayed.length, resync: false } });
      const live = await createAgent(t, a.admin.token);
      expect((await agentUpdated(back, live)).id).toBeGreaterThan(replayed.at(-1)!.id);
      const before = back.lastId();
      await back.close();

      for (let i = 0; i <= REPLAY_EVENTS; i++) await createAgent(t, a.admin.token);
      const late = await openReady(t, a.analyst.token, before);
      // Nothing replayed: resync, then ready; anything after that is live (a metrics tick may already be there).
      expect(late.frames.slice(0, 2).map((f) => f.event)).toEqual(['resync', 'ready']);
      expect(late.frames.slice(2).every((f) => f.id > late.frames[1]!.id)).toBe(true);
      expect(late.frames[0]!.data).toEqual({ reason: 'too_far_behind' });
      expect(late.frames[1]!.data).toMatchObject({ replayed: 0, resync: true });
      expect(late.frames[0]!.id).toBeGreaterThan(before + REPLAY_EVENTS);
      await late.close();

      const stranger = await openReady(t, a.analyst.token, 42);
      expect(stranger.frames[0]).toMatchObject({ event: 'resync', data: { reason: 'unknown_id' } });
      await stranger.close();
    });

    it('a socket that stops answering pings is closed', async () => {
      const c = await openLive(t, { token: a.analyst.token }, { autoPong: false });
      await c.waitFor((f) => f.event === 'ready');
      expect((await c.closed).code).toBe(1006);
    });

    it('an agent taken out of rotation by failures, and brought back by a success, is an agent.updated with its health', async () => {
      const mine = await openReady(t, a.analyst.token);
      const agent = await createAgent(t, a.admin.token);
      await createInboundRule(t, a.admin.token, { pattern: '+19998887776', target_type: 'agent', target_id: agent, priority: 1 });
      for (let i = 0; i < 3; i++) {
        const s = newSession();
        const dialed = dialedService((await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, s, { To: '+19998887776' }) })).body);
        expect(dialed).not.toBeNull();
        await t.request({ method: 'POST', url: dialed!.action.replace(/^https?:\/\/[^/]+/, ''), payload: voiceBody(a.domain, s, { DialCallStatus: 'failed' }) });
      }
      const out = await mine.waitFor((f) => f.event === 'agent.updated' && (f.data as { id: number }).id === agent && (f.data as { health_status?: string }).health_status === 'unhealthy', 'agent out of rotation');
      expect(out.channel).toBe('agents');
      await t.runtime.services.agentHealth.recordSuccess(a.tenantId, agent);
      await mine.waitFor((f) => f.event === 'agent.updated' && (f.data as { id: number }).id === agent && (f.data as { health_status?: string }).health_status === 'healthy', 'agent back in rotation');
      await mine.close();
    });

    it('GET /ws without an upgrade is a 400 in the one error shape', async () => {
      const res = await t.request({ method: 'GET', url: '/ws' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'bad_request', message: expect.stringMatching(/WebSocket/) } });
    });
  });
}

describe('sqlite: real time at shutdown', () => {
  it('closing the server closes its sockets with 1012 (Service Restart), so dashboards reconnect elsewhere at once', async () => {
    const t = await createTestApp(DIALECTS[0]!, env);
    const a = await registerTenant(t, 'shutdown');
    const c = await openReady(t, a.analyst.token);
    await t.close();
    expect(await c.closed).toEqual({ code: 1012, reason: 'server restarting: reconnect' });
  });
});

describe('sqlite: real time connection limits', () => {
  it('one address opening sockets in a flood is refused with 429 after 120 a minute; open sockets keep working', async () => {
    const t = await createTestApp(DIALECTS[0]!, env);
    try {
      const a = await registerTenant(t, 'flood');
      const kept = await openReady(t, a.analyst.token);
      for (let i = 0; i < 119; i++) await (await openLive(t, { token: a.analyst.token })).close();
      const refused = await new Promise<number>((resolve) => {
        const socket = new WebSocket(`ws://127.0.0.1:${(t.app.server.address() as { port: number }).port}/ws?token=${a.analyst.token}`);
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('open', () => resolve(101));
        socket.on('error', () => {});
      });
      expect(refused).toBe(429);
      const s = newSession();
      const secret = await webhookSecret(t, a.admin.token);
      const agent = await createAgent(t, a.admin.token);
      await createInboundRule(t, a.admin.token, { pattern: '*', target_type: 'agent', target_id: agent });
      await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, s) });
      await kept.waitFor((f) => f.event === 'call.started', 'call.started on the socket opened before the flood');
      await kept.close();
    } finally {
      await t.close();
    }
  });
});

describe.runIf(TEST_REDIS_URL)('redis: real time across instances', () => {
  let one: TestApp;
  let two: TestApp;
  let a: TenantActors;
  let b: TenantActors;
  let secret: string;
  const file = `/tmp/vlb-realtime-${process.pid}-${Date.now()}.sqlite`;
  const prefix = `vlbt:realtime-${process.pid}-${Date.now()}:`;
  const voiceVia = (t: TestApp, session: string) =>
    t.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, session) });

  beforeAll(async () => {
    // Two instances over one database and one Redis key space, as behind a load balancer.
    const shared = { ...env, DATABASE_URL: `sqlite:${file}`, APP_KEY: 'c'.repeat(64), REDIS_URL: TEST_REDIS_URL! };
    one = await createTestApp(DIALECTS[0]!, shared, { redisKeyPrefix: prefix });
    two = await createTestApp(DIALECTS[0]!, shared, { redisKeyPrefix: prefix });
    [a, b] = [await registerTenant(one, 'cluster'), await registerTenant(one, 'bystander')];
    secret = await webhookSecret(one, a.admin.token);
    const agent = await createAgent(one, a.admin.token);
    await createInboundRule(one, a.admin.token, { pattern: '*', target_type: 'agent', target_id: agent });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    rmSync(file, { force: true });
    for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    const admin = new Redis(TEST_REDIS_URL!);
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });

  it('a dashboard on instance B sees a call sent to instance A, under the same ids as a dashboard on A; another tenant sees nothing', async () => {
    const [onA, onB, otherOnB] = [await openReady(one, a.analyst.token), await openReady(two, a.analyst.token), await openReady(two, b.analyst.token)];
    const s = newSession();
    expect(dialedService((await voiceVia(one, s)).body)).not.toBeNull();
    const [seenOnB, seenOnA] = [await onB.waitFor((f) => f.event === 'call.started'), await onA.waitFor((f) => f.event === 'call.started')];
    expect((seenOnB.data as RealtimeCall).session_token).toBe(s);
    expect(seenOnB.id).toBe(seenOnA.id);
    const routedOnB = await callOf(onB, 'call.routed', s);
    expect(routedOnB.status).toBe('connecting');

    // An event of tenant b raised on A comes after a's: b's dashboard on B hears it, and nothing before it.
    const theirs = await createAgent(one, b.admin.token);
    await agentUpdated(otherOnB, theirs);
    expect(otherOnB.events().map((f) => f.event)).toEqual(['agent.updated']);
    await Promise.all([onA.close(), onB.close(), otherOnB.close()]);
  });

  it('events raised on both instances get one numbering; a dashboard that reconnects elsewhere gets exactly what it missed', async () => {
    const c = await openReady(two, a.analyst.token);
    await agentUpdated(c, await createAgent(two, a.admin.token));
    const lastSeen = c.lastId();
    await c.close();
    const missed = [await createAgent(one, a.admin.token), await createAgent(two, a.admin.token), await createAgent(one, a.admin.token)];

    const back = await openReady(one, a.analyst.token, lastSeen);
    const replayed = back.events();
    expect(replayed.map((f) => f.id)).toEqual(replayed.map((_, i) => lastSeen + 1 + i));
    expect(replayed.filter((f) => f.event === 'agent.updated').map((f) => (f.data as { id: number }).id)).toEqual(missed);
    const live = await createAgent(two, a.admin.token);
    expect((await agentUpdated(back, live)).id).toBeGreaterThan(lastSeen + 3);
    const before = back.lastId();
    await back.close();

    for (let i = 0; i <= REPLAY_EVENTS; i++) await createAgent(i % 2 ? one : two, a.admin.token);
    const late = await openReady(two, a.analyst.token, before);
    // Nothing replayed: resync, then ready; anything after that is live (a metrics tick may already be there).
    expect(late.frames.slice(0, 2).map((f) => f.event)).toEqual(['resync', 'ready']);
    expect(late.frames.slice(2).every((f) => f.id > late.frames[1]!.id)).toBe(true);
    expect(late.frames[0]!.data).toEqual({ reason: 'too_far_behind' });
    await late.close();
  });

  it('signing out on instance A closes the socket on instance B; the token is then refused on B', async () => {
    const s = uniqueSuffix();
    const user = { name: 'Roamer', email: `roamer-${s}@cluster.test`, password: `roamer-pass-${s}`, role: 'analyst' };
    expect((await one.request({ method: 'POST', url: '/api/users', token: a.admin.token, payload: user })).statusCode).toBe(201);
    const token = await signIn(one, user.email, user.password);
    const onB = await openReady(two, token);
    expect((await one.request({ method: 'POST', url: '/api/auth/logout', token })).statusCode).toBe(204);
    expect(await onB.closed).toEqual({ code: 4401, reason: expect.stringMatching(/revoked/) });
    expect((await (await openLive(two, { token })).closed).code).toBe(4401);
  });
});
