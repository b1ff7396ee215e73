import type { Insertable } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { zeroCounts } from '../../src/core/stats/rollup-contribution.js';
import { createCallRollupStore, type CallRollupStore } from '../../src/store/call-rollups.js';
import { openStore, type Store } from '../../src/store/database.js';
import { writeJson } from '../../src/store/json-column.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { CallRecordsTable } from '../../src/store/schema.js';
import { DIALECTS, type TestDatabase } from '../support/backends.js';

const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 11, 7);
const DAY = '2026-12-07';
let serial = 0;

/** A completed call of `agentId` that started `minute` minutes into the day. */
const call = (tenantId: number, agentId: number, minute: number): Insertable<CallRecordsTable> => ({
  tenant_id: tenantId, session_token: `s-${++serial}`, direction: 'inbound', from_number: '+12125551000', to_number: '+12125550100', status: 'completed',
  agent_id: agentId, group_id: null, rule_id: null, attempt: 1, decision_trace: null, disposition: null, started_at: START + minute * 60_000, answered_at: null,
  ended_at: START + minute * 60_000 + 30_000, duration_seconds: 30, billsec: null, created_at: START, updated_at: START, facts: null, outcome_reason: null,
  cloudonix_direction: null, variant: null, is_test: 0,
});

/**
 * The repair of a day's roll-ups reads the calls and the stored rows in one snapshot, without
 * locks, and adds their difference (store/rollup-recompute.ts): these interleave its read and its
 * write with what can come between in service, on every database.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect.name}: a day's roll-ups recomputed from a snapshot`, () => {
    let database: TestDatabase;
    let store: Store;
    let rollups: CallRollupStore;
    let tenantId = 0;

    beforeAll(async () => {
      database = await dialect.createDatabase();
      store = openStore(database.url);
      await migrateToLatest(store);
      rollups = createCallRollupStore(store);
    });
    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });
    beforeEach(async () => {
      tenantId = Number(await store.dialect.insertId(store.db, 'tenants', { name: `t${serial}`, domain: `t${++serial}.example`, webhook_secret_sealed: 'v1:x', settings: writeJson({ timezone: 'UTC' }), created_at: START, updated_at: START }));
    });

    /** A call written as the service writes one: its row and its roll-up add in one transaction. */
    async function writeCall(agentId: number, minute: number): Promise<void> {
      await store.db.transaction().execute(async (trx) => {
        await trx.insertInto('call_records').values(call(tenantId, agentId, minute)).execute();
        await rollups.addEntries([{ tenantId, day: DAY, agentId, groupId: 0, counts: { ...zeroCounts(), calls: 1, answered: 1, duration_sum: 30, duration_count: 1 } }], START, trx);
      });
    }
    /** Calls per agent as the day's rows say. */
    async function callsByAgent(): Promise<Record<number, number>> {
      const rows = await store.db.selectFrom('call_daily_rollups').select(['agent_id', 'calls', 'answered']).where('tenant_id', '=', tenantId).where('day', '=', DAY).execute();
      return Object.fromEntries(rows.map((r) => [Number(r.agent_id), Number(r.calls)]));
    }
    const drift = () => store.db.updateTable('call_daily_rollups').set({ calls: 999 }).where('tenant_id', '=', tenantId).where('agent_id', '=', 1).execute();
    const snapshot = () => rollups.snapshotDay(tenantId, DAY, START, START + DAY_MS);

    it('repairs a drifted row, takes a row no call has back out, and keeps calls written between its read and its write', async () => {
      for (const minute of [1, 2, 3]) await writeCall(1, minute);
      await writeCall(2, 4);
      await drift();
      await store.db.deleteFrom('call_records').where('tenant_id', '=', tenantId).where('agent_id', '=', 2).execute();
      const read = await snapshot();
      await writeCall(1, 5);
      await writeCall(3, 6);
      expect(await rollups.applySnapshot(tenantId, DAY, read, START)).toBe('done');
      expect(await callsByAgent()).toEqual({ 1: 4, 3: 1 });
      expect(await rollups.recomputeDay(tenantId, DAY, START, START + DAY_MS, START)).toBe('done');
      expect(await callsByAgent()).toEqual({ 1: 4, 3: 1 });
    });

    it('two recomputes read together: the second to write finds its snapshot stale and adds nothing', async () => {
      for (const minute of [1, 2]) await writeCall(1, minute);
      await drift();
      // The first ever (no generation yet), then a later one.
      for (let round = 0; round < 2; round++) {
        const first = await snapshot();
        const second = await snapshot();
        expect(await rollups.applySnapshot(tenantId, DAY, first, START)).toBe('done');
        expect(await rollups.applySnapshot(tenantId, DAY, second, START)).toBe('raced');
        expect(await callsByAgent()).toEqual({ 1: 2 });
        await drift();
      }
    });

    it('a recompute read before the tenant\'s rows were cleared adds nothing to the rows counted after', async () => {
      for (const minute of [1, 2, 3]) await writeCall(1, minute);
      // Once with no generation yet, once after a recompute made one.
      await drift();
      const first = await snapshot();
      await rollups.deleteTenant(tenantId);
      expect(await rollups.applySnapshot(tenantId, DAY, first, START)).toBe('raced');
      expect(await rollups.recomputeDay(tenantId, DAY, START, START + DAY_MS, START)).toBe('done');
      await drift();
      const read = await snapshot();
      await rollups.deleteTenant(tenantId);
      await writeCall(1, 4);
      expect(await rollups.applySnapshot(tenantId, DAY, read, START)).toBe('raced');
      expect(await callsByAgent()).toEqual({ 1: 1 });
      expect(await rollups.recomputeDay(tenantId, DAY, START, START + DAY_MS, START)).toBe('done');
      expect(await callsByAgent()).toEqual({ 1: 4 });
    });

    it('writes nothing when the rows are right', async () => {
      for (const minute of [1, 2]) await writeCall(1, minute);
      const before = await store.db.selectFrom('call_rollup_generations').select('generation').where('tenant_id', '=', tenantId).executeTakeFirst();
      expect(await rollups.recomputeDay(tenantId, DAY, START, START + DAY_MS, START + 1)).toBe('done');
      const after = await store.db.selectFrom('call_rollup_generations').select('generation').where('tenant_id', '=', tenantId).executeTakeFirst();
      expect(after).toEqual(before);
      const updated = await store.db.selectFrom('call_daily_rollups').select('updated_at').where('tenant_id', '=', tenantId).execute();
      expect(updated.map((r) => Number(r.updated_at))).toEqual([START]);
    });
  });
}
