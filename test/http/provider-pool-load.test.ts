import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OccupancyResponse } from '../../src/http/occupancy.js';
import type { ProviderPoolResponse } from '../../src/http/provider-pools.js';
import { readJson } from '../../src/store/json-column.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL } from '../support/backends.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup, createInboundRule } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const BURST = 40;
const MINUTE = 60_000;

/** Embedded (one instance, the in-process plane) and scaled (two instances over one database and one Redis key space). */
const setups = [
  { name: 'memory plane', instances: 1, env: {} as Record<string, string> },
  ...(TEST_REDIS_URL ? [{ name: 'redis, two instances', instances: 2, env: { REDIS_URL: TEST_REDIS_URL } }] : []),
];

interface Trace {
  skipped: { agent_id: number; reason: string }[];
  fallback: { reason: string } | null;
}

for (const setup of setups) {
  describe(`${setup.name}: a provider pool's limit holds across its agents`, () => {
    let now = Date.now();
    let apps: TestApp[] = [];
    let a: TenantActors;
    let secret: string;
    let capped: number;
    let uncapped: number;
    let pool: number;
    const live: string[] = [];

    beforeAll(async () => {
      const env = { ...setup.env, DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'vlb-pools-')), 'shared.sqlite')}`, APP_KEY: randomBytes(32).toString('hex') };
      const cluster = { redisKeyPrefix: `vlbt:pools-${randomBytes(4).toString('hex')}:`, clock: () => now };
      for (let i = 0; i < setup.instances; i++) apps.push(await createTestApp(DIALECTS[0]!, env, cluster));
      const t = apps[0]!;
      a = await registerTenant(t, 'pool-load');
      secret = await webhookSecret(t, a.admin.token);
      pool = (await t.request({ method: 'POST', url: '/api/provider-pools', token: a.admin.token, payload: { name: 'VAPI org', provider: 'vapi', max_concurrent_calls: 3 } })).json<ProviderPoolResponse>().id;
      // The pool (3) is tighter than either agent: one capped at 5, one with no cap.
      capped = await createAgent(t, a.admin.token, { name: 'Capped', max_concurrent_calls: 5, pool_id: pool });
      uncapped = await createAgent(t, a.admin.token, { name: 'Uncapped', pool_id: pool });
      const group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: capped }, { agent_id: uncapped }]);
      await createInboundRule(t, a.admin.token, { pattern: '+1212*', target_type: 'group', target_id: group });
    });
    afterAll(async () => {
      for (const t of apps.reverse()) await t.close();
      apps = [];
    });

    const app = (i: number) => apps[i % apps.length]!;
    const occupancy = async (i = 0) => (await app(i).request({ method: 'GET', url: '/api/occupancy', token: a.analyst.token })).json<OccupancyResponse>();
    const poolLive = (o: OccupancyResponse) => o.pools.find((p) => p.pool_id === pool)!.live_calls;
    const agentsLive = (o: OccupancyResponse) => o.agents.filter((x) => x.agent_id === capped || x.agent_id === uncapped).reduce((s, x) => s + x.live_calls, 0);
    const trace = async (session: string) => readJson<Trace>((await apps[0]!.runtime.services.repos.callRecords.findBySession(a.tenantId, session))!.decision_trace, { skipped: [], fallback: null });
    const end = (session: string, i: number) =>
      app(i).request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { disposition: 'ANSWER', duration: 20, billsec: 18, session: { token: session } } });

    /** 40 voice webhooks at once, spread over the instances, while the occupancy is read over and over: the sessions dialled, and the most live seen. */
    async function burst(alongside: Promise<unknown>[] = []): Promise<{ dialled: string[]; overflowed: string[]; maxPool: number; maxAgents: number }> {
      const sessions = Array.from({ length: BURST }, () => newSession());
      let running = true;
      let maxPool = 0;
      let maxAgents = 0;
      const sampler = (async () => {
        for (let i = 0; running; i++) {
          const o = await occupancy(i);
          maxPool = Math.max(maxPool, poolLive(o));
          maxAgents = Math.max(maxAgents, agentsLive(o));
          // SQLite reads answer without leaving the microtask queue: let the calls' writes through.
          await new Promise((r) => setImmediate(r));
        }
      })();
      const answers = await Promise.all([
        ...sessions.map((s, i) => app(i).request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, s) })),
        ...alongside,
      ]);
      running = false;
      await sampler;
      const dialled: string[] = [];
      const overflowed: string[] = [];
      sessions.forEach((s, i) => {
        const res = answers[i] as { statusCode: number; body: string };
        expect(res.statusCode).toBe(200);
        (dialedService(res.body) ? dialled : overflowed).push(s);
      });
      const after = await occupancy();
      return { dialled, overflowed, maxPool: Math.max(maxPool, poolLive(after)), maxAgents: Math.max(maxAgents, agentsLive(after)) };
    }

    it(`${BURST} concurrent calls: 3 are dialled, the rest overflow with pool_full for both agents`, async () => {
      const r = await burst();
      expect(r.dialled).toHaveLength(3);
      expect(r.maxPool).toBeLessThanOrEqual(3);
      expect(r.maxAgents).toBeLessThanOrEqual(3);
      const o = await occupancy(1);
      expect(o.pools).toEqual([{ pool_id: pool, name: 'VAPI org', provider: 'vapi', agent_ids: [capped, uncapped], live_calls: 3, max_concurrent_calls: 3, occupancy: 1, at_capacity: true }]);
      expect(agentsLive(o)).toBe(3);
      for (const s of r.overflowed) {
        const t = await trace(s);
        expect(t.fallback?.reason).toBe('no_candidate');
        // Skipped by the decision (the pool read full) or by the claim (a race lost): either way, pool_full.
        expect(t.skipped.length).toBeGreaterThan(0);
        expect(t.skipped.every((k) => k.reason === 'pool_full')).toBe(true);
      }
      live.push(...r.dialled);
      // The rule tester says the same of the next call.
      const tested = await app(1).request({ method: 'POST', url: '/api/routing/simulate', token: a.analyst.token, payload: { from: '+14155550123', to: '+12125550187' } });
      expect(tested.statusCode).toBe(200);
      expect(tested.json<{ skipped: { agent_id: number; reason: string }[] }>().skipped).toEqual([
        { agent_id: capped, reason: 'pool_full' },
        { agent_id: uncapped, reason: 'pool_full' },
      ]);
    });

    it('calls ending while 40 more arrive: never more than 3 live, and the pool counts exactly the calls live', async () => {
      const ending = live.splice(0).map((s, i) => end(s, i + 1));
      const r = await burst(ending);
      expect(r.maxPool).toBeLessThanOrEqual(3);
      expect(r.maxAgents).toBeLessThanOrEqual(3);
      // How many find a freed slot depends on the order the ends and the calls meet in.
      expect(r.dialled.length).toBeLessThanOrEqual(3);
      const o = await occupancy();
      expect(poolLive(o)).toBe(r.dialled.length);
      expect(agentsLive(o)).toBe(r.dialled.length);
      live.push(...r.dialled);
    });

    it('every call ended: the pool is empty, and the next burst dials 3 again', async () => {
      await Promise.all(live.splice(0).map((s, i) => end(s, i)));
      let o = await occupancy(1);
      expect(poolLive(o)).toBe(0);
      expect(agentsLive(o)).toBe(0);
      const r = await burst();
      expect(r.dialled).toHaveLength(3);
      o = await occupancy();
      expect(poolLive(o)).toBe(3);
      live.push(...r.dialled);
    });

    it('the live-state keeper closes stale calls and frees their pool slots; a forgotten pool slot is rebuilt from the records', async () => {
      const t = apps[0]!;
      const key = `t:${a.tenantId}:p:${pool}:live-calls`;
      // The plane forgot one pool slot (a restart of the embedded plane, a Redis flush): the sweep puts it back.
      const [member] = await t.runtime.plane.slotMembers(key, now);
      await t.runtime.plane.releaseSlot(key, member!);
      expect(poolLive(await occupancy())).toBe(2);
      expect(await t.runtime.services.routing.liveState.sweep()).toMatchObject({ restored: 1, released: 0 });
      expect(poolLive(await occupancy())).toBe(3);
      // Their ends never come: after the tenant's maximum call length they are closed, and their slots freed.
      now += 300 * MINUTE;
      expect(await t.runtime.services.routing.liveState.sweep()).toMatchObject({ expired: 3 });
      const o = await occupancy(1);
      expect(poolLive(o)).toBe(0);
      expect(agentsLive(o)).toBe(0);
      live.length = 0;
    });
  });
}
