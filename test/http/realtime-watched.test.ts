import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeCall } from '../../src/core/schemas/realtime.js';
import { DIALECTS, TEST_REDIS_URL } from '../support/backends.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createInboundRule } from '../support/fixtures.js';
import { openReady, wsUrlOf, type LiveClient } from '../support/live-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Call events are built only for tenants someone watches (issue 23): an instance learns
 * of dashboards on the others within REALTIME_WATCH_ANNOUNCE_SECONDS, and takes every
 * tenant as watched for two such periods after it starts, unless it is alone (embedded).
 */
const ANNOUNCE_SECONDS = 1;
const PAST_START = ANNOUNCE_SECONDS * 2000 + 300;
/** A feed stays a while after its last socket (realtime-hub.ts), so a reload does not resubscribe. */
const FEED_LINGER_MS = 5000;
const env = { REALTIME_WATCH_ANNOUNCE_SECONDS: String(ANNOUNCE_SECONDS), REALTIME_HEARTBEAT_SECONDS: '1' };

const callOf = (c: LiveClient, event: string, session: string) =>
  c.waitFor((f) => f.event === event && (f.data as RealtimeCall).session_token === session, `${event} of ${session}`).then((f) => f.data as RealtimeCall);
const counts = (t: TestApp) => ({ built: t.app.services.realtime.log.built, skipped: t.app.services.realtime.callWritesSkipped });

/** One call played through: voice request (routed), answered, CDR. */
async function playCall(t: TestApp, domain: string, secret: string, session: string): Promise<void> {
  expect(dialedService((await t.request({ method: 'POST', url: `/api/voice/application/${domain}?token=${secret}`, payload: voiceBody(domain, session) })).body)).not.toBeNull();
  const update = { eventId: `${session}-1`, token: session, status: 'connected', callAnswerTime: Date.now() };
  expect((await t.request({ method: 'POST', url: `/api/voice/session/update/${domain}?token=${secret}`, payload: update })).statusCode).toBeLessThan(300);
  const cdr = { disposition: 'ANSWER', duration: 12, billsec: 10, session: { token: session } };
  expect((await t.request({ method: 'POST', url: `/api/voice/session/cdr/${domain}?token=${secret}`, payload: cdr })).statusCode).toBeLessThan(300);
}

/** Each event of a played call reaches the dashboard. */
async function sawWholeCall(c: LiveClient, session: string): Promise<void> {
  const started = await callOf(c, 'call.started', session);
  expect((await callOf(c, 'call.routed', session)).id).toBe(started.id);
  expect((await callOf(c, 'call.status.updated', session)).status).toBe('connected');
  expect(await callOf(c, 'call.ended', session)).toMatchObject({ id: started.id, status: 'completed', billsec: 10 });
}

/** Plays `calls` calls of a tenant nobody watches: 3 writes each skipped, and the one gap entry that stands for them the only entry built. */
async function playUnwatched(t: TestApp, a: { actors: TenantActors; secret: string }, calls: number): Promise<void> {
  const before = counts(t);
  for (let i = 0; i < calls; i++) await playCall(t, a.actors.domain, a.secret, newSession());
  const after = counts(t);
  expect(after.skipped - before.skipped).toBeGreaterThanOrEqual(3 * calls);
  expect(after.built - before.built).toBe(1);
}

async function routedTenant(t: TestApp, label: string): Promise<{ actors: TenantActors; secret: string }> {
  const actors = await registerTenant(t, label);
  const secret = await webhookSecret(t, actors.admin.token);
  await createInboundRule(t, actors.admin.token, { pattern: '*', target_type: 'agent', target_id: await createAgent(t, actors.admin.token) });
  return { actors, secret };
}

describe('sqlite: call events only for watched tenants', () => {
  let t: TestApp;
  let a: { actors: TenantActors; secret: string };

  beforeAll(async () => {
    t = await createTestApp(DIALECTS[0]!, env);
    a = await routedTenant(t, 'watched');
    await wsUrlOf(t);
    await sleep(PAST_START);
  });
  afterAll(async () => t?.close());

  it('calls of a tenant nobody watches build no frame; once a dashboard is open it gets every event of every call', async () => {
    await playUnwatched(t, a, 3);
    const after = counts(t);

    const c = await openReady(t, a.actors.analyst.token);
    for (let i = 0; i < 2; i++) {
      const s = newSession();
      await playCall(t, a.actors.domain, a.secret, s);
      await sawWholeCall(c, s);
    }
    expect(counts(t).skipped).toBe(after.skipped);
    await c.close();
  });

  it('a dashboard that reconnects after calls nobody watched is told to resync, not handed an empty replay', async () => {
    const c = await openReady(t, a.actors.analyst.token);
    const s = newSession();
    await playCall(t, a.actors.domain, a.secret, s);
    await callOf(c, 'call.ended', s);
    const lastSeen = c.lastId();
    await c.close();
    await sleep(FEED_LINGER_MS + 300);

    const skipped = counts(t).skipped;
    await playCall(t, a.actors.domain, a.secret, newSession());
    expect(counts(t).skipped).toBeGreaterThan(skipped);

    const back = await openReady(t, a.actors.analyst.token, lastSeen);
    expect(back.frames.slice(0, 2).map((f) => f.event)).toEqual(['resync', 'ready']);
    expect(back.frames[0]!.data).toEqual({ reason: 'too_far_behind' });
    const live = newSession();
    await playCall(t, a.actors.domain, a.secret, live);
    await sawWholeCall(back, live);
    await back.close();
  });
});

describe('sqlite: an embedded instance, alone by design, skips unwatched tenants from its start', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(DIALECTS[0]!, { ...env, REALTIME_WATCH_ANNOUNCE_SECONDS: '60' });
  });
  afterAll(async () => t?.close());

  it('builds no frame for calls in the first announcement periods, and a dashboard opened then still gets every event', async () => {
    const a = await routedTenant(t, 'fresh-start');
    await playUnwatched(t, a, 2);

    const c = await openReady(t, a.actors.analyst.token);
    const s = newSession();
    await playCall(t, a.actors.domain, a.secret, s);
    await sawWholeCall(c, s);
    await c.close();
  });
});

describe.runIf(TEST_REDIS_URL)('redis: call events only for tenants watched on some instance', () => {
  let one: TestApp;
  let two: TestApp;
  let a: { actors: TenantActors; secret: string };
  let b: { actors: TenantActors; secret: string };
  const file = `/tmp/vlb-realtime-watched-${process.pid}-${Date.now()}.sqlite`;
  const prefix = `vlbt:realtime-watched-${process.pid}-${Date.now()}:`;

  beforeAll(async () => {
    const shared = { ...env, DATABASE_URL: `sqlite:${file}`, APP_KEY: 'd'.repeat(64), REDIS_URL: TEST_REDIS_URL! };
    one = await createTestApp(DIALECTS[0]!, shared, { redisKeyPrefix: prefix });
    two = await createTestApp(DIALECTS[0]!, shared, { redisKeyPrefix: prefix });
    [a, b] = [await routedTenant(one, 'cluster-watched'), await routedTenant(one, 'cluster-unwatched')];
    await wsUrlOf(two);
    await sleep(PAST_START);
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

  it('a tenant watched on instance B gets every event of calls sent to A; a tenant watched nowhere builds none on A', async () => {
    const onB = await openReady(two, a.actors.analyst.token);
    const unwatched = counts(one);
    for (let i = 0; i < 2; i++) await playCall(one, b.actors.domain, b.secret, newSession());
    const afterUnwatched = counts(one);
    expect(afterUnwatched.skipped - unwatched.skipped).toBeGreaterThanOrEqual(6);
    expect(afterUnwatched.built - unwatched.built).toBeLessThanOrEqual(1);

    for (let i = 0; i < 3; i++) {
      const s = newSession();
      await playCall(one, a.actors.domain, a.secret, s);
      await sawWholeCall(onB, s);
    }
    const watched = counts(one);
    expect(watched.skipped).toBe(afterUnwatched.skipped);
    expect(watched.built - afterUnwatched.built).toBeGreaterThanOrEqual(12);
    // Heard through a repeat round too, not only the announcement made when the feed opened.
    await sleep(ANNOUNCE_SECONDS * 3000 + 300);
    const s = newSession();
    await playCall(one, a.actors.domain, a.secret, s);
    await sawWholeCall(onB, s);
    expect(counts(one).skipped).toBe(watched.skipped);
    expect(onB.events().some((f) => f.event === 'resync')).toBe(false);
    await onB.close();
  });
});
