import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticCalls } from '../../src/core/synthetic/synthetic-calls.js';
import { addDays } from '../../src/core/time/local-day.js';
import { seedCalls } from '../../src/services/seeding/seed-calls.js';
import { DIALECTS } from '../support/backends.js';
import { registerTenant } from '../support/actors.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('synthetic calls', () => {
  it('are reproducible from a seed and realistic in mix', () => {
    const agents = [{ id: 1, groupId: 10 }, { id: 2, groupId: null }];
    const a = [...syntheticCalls(2000, agents, Date.UTC(2026, 10, 24), 60, 7)];
    const b = [...syntheticCalls(2000, agents, Date.UTC(2026, 10, 24), 60, 7)];
    expect(a).toEqual(b);
    const answered = a.filter((c) => c.status === 'completed').length / a.length;
    expect(answered).toBeGreaterThan(0.7);
    expect(answered).toBeLessThan(0.86);
    expect(a.every((c) => c.startedAt <= Date.UTC(2026, 10, 24) && c.startedAt > Date.UTC(2026, 10, 24) - 61 * 86_400_000)).toBe(true);
    expect(a.every((c) => (c.status === 'completed') === (c.answeredAt !== null))).toBe(true);
  });
});

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: seeding`, () => {
    let t: TestApp;
    const now = Date.UTC(2026, 10, 24, 12);
    beforeAll(async () => {
      t = await createTestApp(dialect, {}, { clock: () => now });
    });
    afterAll(async () => t?.close());

    it('fills a tenant with calls, CDRs, agents and groups, and the analytics add up', async () => {
      const a = await registerTenant(t, 'seeded');
      const result = await seedCalls({ store: t.runtime.store, rollups: t.runtime.services.rollups, clock: () => now }, a.tenantId, 1500, { days: 60, seed: 3 });
      expect(result).toEqual({ calls: 1500, cdrs: 1500, agents: 6, groups: 2 });
      const count = await t.runtime.store.db.selectFrom('call_records').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', a.tenantId).executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(1500);
      const m = (await t.request({ method: 'GET', url: `/api/analytics/metrics?start_date=${addDays('2026-11-24', -61)}&end_date=2026-11-24`, token: a.analyst.token })).json();
      expect(m.total_calls).toBe(1500);
      const answered = await t.runtime.store.db.selectFrom('call_records').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', a.tenantId).where('status', '=', 'completed').executeTakeFirstOrThrow();
      expect(m.answered_calls).toBe(Number(answered.n));
      const groups = (await t.request({ method: 'GET', url: `/api/agent-groups`, token: a.admin.token })).json();
      expect(groups.data.map((g: { member_count: number }) => g.member_count)).toEqual([3, 3]);
    });
  });
}
