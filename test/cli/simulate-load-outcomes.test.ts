import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsView } from '../../src/core/schemas/analytics.js';
import { httpSender } from '../../src/cli/simulate-http.js';
import { runLoad } from '../../src/cli/simulate-load.js';
import { DEFAULT_MIX } from '../../src/cli/simulate-mix.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL, type TestDialect } from '../support/backends.js';
import { webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup, createInboundRule } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Bounded for CI; `LOAD_CALLS=10000` runs the full measurement. */
const CALLS = Number(process.env.LOAD_CALLS ?? 240);

/** Embedded (SQLite, in-process plane) and scaled (the last network database listed, with Redis). */
const setups: { name: string; dialect: TestDialect; env: Record<string, string> }[] = [
  { name: 'embedded sqlite', dialect: DIALECTS[0]!, env: {} },
  ...(TEST_REDIS_URL && DIALECTS.length > 1 ? [{ name: `scaled ${DIALECTS.at(-1)!.name} + redis`, dialect: DIALECTS.at(-1)!, env: { REDIS_URL: TEST_REDIS_URL } }] : []),
];

for (const { name, dialect, env } of setups) {
  describe(`${name}: simulated load played to the end`, () => {
    let t: TestApp;
    let a: TenantActors;
    let agents: number[];
    beforeAll(async () => {
      t = await createTestApp(dialect, { LOG_LEVEL: 'warn', ...env });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      a = await registerTenant(t, 'load');
      agents = [
        await createAgent(t, a.admin.token, { provider: 'vapi', service_value: '+12125558001' }),
        await createAgent(t, a.admin.token, { provider: 'retell', service_value: '+12125558002' }),
        await createAgent(t, a.admin.token, { provider: 'cloudonix', service_value: 'wss://agents.cloudonix.cloud/api/v1/agent-stream/cloudonix?session={session}' }),
      ];
      const group = await createGroup(t, a.admin.token, 'round_robin', agents.map((agent_id) => ({ agent_id })));
      await createInboundRule(t, a.admin.token, { pattern: '*', target_type: 'group', target_id: group });
      // Health stays out of the way, so each scenario maps to one outcome.
      await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: { health: { failure_threshold: 20 } } } });
    });
    afterAll(async () => t?.close());

    it(`${CALLS} calls with the realistic mix: every call ends, every slot is free, and the analytics equal the records`, async () => {
      const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      const target = { base: url, domain: a.domain, secret: await webhookSecret(t, a.admin.token) };
      const result = await runLoad({ target, calls: CALLS, concurrency: 20, method: 'post-json', from: '+14155550123', to: '+12125550187', mix: DEFAULT_MIX, seed: 16, voiceOnly: false, send: httpSender(target, 'post-json') });
      expect(result.errors, result.firstError ?? '').toBe(0);
      const requests = [...result.requests.values()].reduce((x, y) => x + y, 0);
      if (process.env.LOAD_CALLS) console.log(`${name}: ${CALLS} calls, ${requests} webhooks in ${result.seconds.toFixed(1)} s (${(requests / result.seconds).toFixed(0)}/s)`);
      const played = (s: string) => result.scenarios.get(s as never) ?? 0;
      expect([...result.scenarios.values()].reduce((x, y) => x + y, 0)).toBe(CALLS);

      const db = t.runtime.store.db;
      const rows = await db.selectFrom('call_records').select(['status', 'outcome_reason', 'agent_id']).where('tenant_id', '=', a.tenantId).execute();
      expect(rows).toHaveLength(CALLS);
      const by = (pick: (r: (typeof rows)[number]) => string | null) => rows.reduce((m, r) => m.set(pick(r) ?? 'none', (m.get(pick(r) ?? 'none') ?? 0) + 1), new Map<string, number>());
      const status = by((r) => r.status);
      const reason = by((r) => r.outcome_reason);
      // Each scenario's story, from the records alone.
      expect(status.get('completed') ?? 0).toBe(played('answered') + played('failover'));
      expect(reason.get('answered') ?? 0).toBe(played('answered') + played('failover'));
      expect(status.get('busy') ?? 0).toBe(played('busy'));
      expect(reason.get('caller_hung_up') ?? 0).toBe(played('caller-hangup'));
      expect(reason.get('no_answer') ?? 0).toBe(played('no-answer'));
      expect(reason.get('agent_failed') ?? 0).toBe(played('failed'));
      expect(reason.get('none') ?? 0).toBe(0);

      // Nothing live, no slot held, on any agent.
      expect(await t.runtime.services.liveCalls.activeCount(a.tenantId)).toBe(0);
      expect(await t.runtime.plane.slotCounts(agents.map((id) => `t:${a.tenantId}:a:${id}:live-calls`), Date.now())).toEqual([0, 0, 0]);

      // The dashboard's numbers equal independent SQL counts.
      await t.runtime.services.rollups.flush();
      const metrics = (await t.request({ method: 'GET', url: '/api/analytics/metrics', token: a.analyst.token })).json<MetricsView>();
      expect({ calls: metrics.total_calls, answered: metrics.answered_calls, active: metrics.active_calls }).toEqual({ calls: CALLS, answered: status.get('completed') ?? 0, active: 0 });
      const stats = (await t.request({ method: 'GET', url: '/api/calls/stats', token: a.analyst.token })).json<{ active_calls: number; total_today: number; completed_today: number; failed_today: number }>();
      expect(stats).toMatchObject({ active_calls: 0, total_today: CALLS, completed_today: status.get('completed') ?? 0, failed_today: CALLS - (status.get('completed') ?? 0) });
    });
  });
}
