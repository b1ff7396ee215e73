import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { createRepositories, type Repositories } from '../../src/store/index.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { RoutedCallRows } from '../../src/store/routed-calls.js';
import { zeroCounts } from '../../src/core/stats/rollup-contribution.js';

describe('sqlite: the writer thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vlb-writer-'));
  let store: Store;
  let repos: Repositories;
  let tenantId: number;
  const now = Date.now();

  beforeAll(async () => {
    store = openStore(`sqlite:${join(dir, 'db.sqlite')}`);
    await migrateToLatest(store);
    repos = createRepositories(store);
    tenantId = await repos.tenants.insert({ name: 'T', domain: 't.example', webhook_secret_sealed: 'x', settings: '{}', created_at: now, updated_at: now });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (session: string): RoutedCallRows => ({
    record: {
      tenant_id: tenantId, session_token: session, direction: 'inbound', from_number: '+1', to_number: '+2', status: 'connecting',
      agent_id: 1, group_id: null, rule_id: null, attempt: 1, decision_trace: '{"chosen":1}', disposition: null,
      started_at: now, answered_at: null, ended_at: null, duration_seconds: null, billsec: null, created_at: now, updated_at: now, facts: null, outcome_reason: null, cloudonix_direction: null, variant: null, is_test: 0, first_answer: null,
    },
    events: [
      { event_id: null, event_type: 'call.received', from_status: null, to_status: 'received', payload: null, occurred_at: now },
      { event_id: null, event_type: 'call.routed', from_status: 'received', to_status: 'connecting', payload: '{"a":1}', occurred_at: now },
    ],
  });

  it('is what a SQLite file writes with, and not an in-memory database', () => {
    expect(store.writer).not.toBeNull();
    expect(openStore('sqlite::memory:').writer).toBeNull();
  });

  it('writes new calls with their events, skips sessions that already have a record, and the main connection reads them at once', async () => {
    const [first] = await repos.routedCalls.insert([call('s-1')]);
    const ids = await repos.routedCalls.insert([call('s-2'), call('s-1'), call('s-3'), call('s-2')]);
    expect(first).toBeTypeOf('number');
    expect(ids[1]).toBeUndefined();
    expect(ids[3]).toBeUndefined();
    for (const [i, session] of [[0, 's-2'], [2, 's-3']] as const) {
      const row = await repos.callRecords.findBySession(tenantId, session);
      expect(row?.id).toBe(ids[i]);
      expect(row?.decision_trace).toBe('{"chosen":1}');
      const events = await repos.callEvents.listForCall(tenantId, row!.id);
      expect(events.map((e) => e.event_type)).toEqual(['call.received', 'call.routed']);
    }
    expect((await repos.callEvents.listForCall(tenantId, first!)).length).toBe(2);
  });

  it("adds a batch's roll-up entries with the same row summed, and only those of the calls it really added", async () => {
    const day = '2031-01-02';
    const counts = (calls: number, duration: number) => ({ ...zeroCounts(), calls, answered: calls, duration_sum: duration, duration_count: calls });
    const withRollup = (session: string, agentId: number, duration: number): RoutedCallRows => ({ ...call(session), rollup: [{ tenantId, day, agentId, groupId: 0, counts: counts(1, duration) }] });
    await repos.routedCalls.insert([withRollup('r-1', 1, 10)]);
    // r-1 is there already: its second entry must not count; agent 1's row gets r-2 and r-4, agent 2's r-3.
    await repos.routedCalls.insert([withRollup('r-2', 1, 20), withRollup('r-1', 1, 1000), withRollup('r-3', 2, 5), withRollup('r-4', 1, 7)]);
    const rows = await repos.callRollups.inRange(tenantId, day, day);
    const byAgent = Object.fromEntries(rows.map((r) => [r.agent_id, [Number(r.calls), Number(r.duration_sum), Number(r.duration_count)]]));
    expect(byAgent).toEqual({ 1: [3, 37, 3], 2: [1, 5, 1] });
  });

  it('a failing job leaves nothing behind and reports the database error code', async () => {
    const bad = call('s-bad');
    const before = await store.db.selectFrom('call_records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    // The second event breaks call_events' NOT NULL event_type: the whole batch, record included, rolls back.
    const broken = { ...bad, events: [bad.events[0]!, { ...bad.events[1]!, event_type: null as unknown as string }] };
    await expect(repos.routedCalls.insert([call('s-ok'), broken])).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
    const after = await store.db.selectFrom('call_records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('transactions on the main connection that read, then write, never fail while the writer commits between their steps', async () => {
    const writes = Array.from({ length: 40 }, (_, i) => repos.routedCalls.insert([call(`race-${i}-a`), call(`race-${i}-b`)]));
    const mainSide = Array.from({ length: 40 }, (_, i) =>
      store.db.transaction().execute(async (trx) => {
        await trx.selectFrom('call_records').select('id').where('tenant_id', '=', tenantId).execute();
        await new Promise((r) => setImmediate(r));
        await trx.updateTable('tenants').set({ updated_at: now + i }).where('id', '=', tenantId).execute();
      }),
    );
    const results = await Promise.allSettled([...writes, ...mainSide]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const { n } = await store.db.selectFrom('call_records').select((eb) => eb.fn.countAll<number>().as('n')).where('session_token', 'like', 'race-%').executeTakeFirstOrThrow();
    expect(Number(n)).toBe(80);
  });

  it('the webhook audit goes through it too', async () => {
    await repos.webhookAudit.insertMany([
      { tenant_id: tenantId, event_type: 'voice_application', method: 'POST', path: '/x', session_token: 's-1', outcome: 'routed', status_code: 200, error: null, payload: '{}', duration_ms: 1, received_at: now },
    ]);
    expect((await repos.webhookAudit.list(tenantId)).map((r) => r.session_token)).toEqual(['s-1']);
  });

  it('refuses work once the store is closed, and closing twice is harmless', async () => {
    const other = openStore(`sqlite:${join(dir, 'db.sqlite')}`);
    await other.close();
    await other.close();
    await expect(createRepositories(other).routedCalls.insert([call('late')])).rejects.toThrow('the database is closed');
  });
});
