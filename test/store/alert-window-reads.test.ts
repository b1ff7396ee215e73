import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertStore } from '../../src/store/alerts.js';
import { openStore, type Store } from '../../src/store/database.js';
import { writeJson } from '../../src/store/json-column.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { CallRecordsTable, WebhookAuditTable } from '../../src/store/schema.js';
import { DIALECTS, type TestDatabase } from '../support/backends.js';
import { recordingStore } from '../support/query-plans.js';

/**
 * The alerts' window counts run once a minute for every tenant, and on SQLite each is a
 * synchronous read on the event loop that the webhooks wait behind. They must read an index
 * alone: looking each row of the window up in the table took 192 ms for 195,000 calls and 492 ms
 * for 790,000 audit rows, against 23 and ~130 from the index (migration 0020, BENCHMARKS.md).
 * Checked on a never-analyzed database, as every SQLite one in service is.
 */
const NOW = 1_780_000_000_000;
const MINUTE = 60_000;

function call(tenantId: number, i: number): Insertable<CallRecordsTable> {
  const startedAt = NOW - 60 * MINUTE + i * MINUTE;
  return {
    tenant_id: tenantId, session_token: `s-${i}`, direction: 'inbound', from_number: '+12125550111', to_number: '+12125550100',
    status: 'completed', outcome_reason: i % 4 === 0 ? 'no_rule' : 'answered', agent_id: i % 4 === 0 ? null : 1, group_id: null, rule_id: null, attempt: 1,
    decision_trace: null, disposition: null, started_at: startedAt, answered_at: null, ended_at: startedAt + 30_000, duration_seconds: 30, billsec: 30,
    created_at: startedAt, updated_at: startedAt, facts: null, cloudonix_direction: null, variant: null, is_test: i % 10 === 9 ? 1 : 0,
  };
}

function hook(tenantId: number, i: number): Insertable<WebhookAuditTable> {
  return {
    tenant_id: tenantId, event_type: i % 2 === 0 ? 'session_update' : 'cdr', method: 'POST', path: '/api/webhooks/x', session_token: `s-${i}`,
    outcome: i % 7 === 0 ? 'invalid' : i % 7 === 1 ? 'duplicate' : 'ok', status_code: 200, error: null, payload: null, duration_ms: 1, received_at: NOW - 60 * MINUTE + i * MINUTE,
  };
}

describe('sqlite, never analyzed: the alerts\' window counts read an index alone', () => {
  let database: TestDatabase;
  let store: Store;
  let tenantId = 0;
  beforeAll(async () => {
    database = await DIALECTS.find((d) => d.name === 'sqlite')!.createDatabase();
    store = openStore(database.url);
    await migrateToLatest(store);
    tenantId = await store.dialect.insertId(store.db, 'tenants', { name: 'a', domain: 'alerts.example', webhook_secret_sealed: 'v1:x', settings: writeJson({}), created_at: NOW, updated_at: NOW });
    await store.db.insertInto('call_records').values(Array.from({ length: 60 }, (_, i) => call(tenantId, i))).execute();
    await store.db.insertInto('webhook_audit').values(Array.from({ length: 60 }, (_, i) => hook(tenantId, i))).execute();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  /** The plan lines of every query `run` makes. */
  async function plansOf(run: (s: Store) => Promise<unknown>): Promise<string[]> {
    const recording = recordingStore(store);
    await run(recording.store);
    const lines: string[] = [];
    for (const q of recording.take()) {
      const plan = await store.db.executeQuery<{ detail: string }>({ ...q, sql: `explain query plan ${q.sql}` });
      lines.push(...plan.rows.map((r) => r.detail));
    }
    return lines;
  }

  it('the calls of a window, routed and fallen back, are counted from the start-time index', async () => {
    // The last 30 minutes: calls 30 to 59, of which 33, 39, ..., 59 are test calls (3 of them) and every fourth fell back.
    const shares = await createAlertStore(store).callShares(tenantId, NOW - 30 * MINUTE, NOW + 1, ['no_rule']);
    const counted = Array.from({ length: 30 }, (_, k) => k + 30).filter((i) => i % 10 !== 9);
    expect(shares).toEqual({ total: counted.length, fallback: counted.filter((i) => i % 4 === 0).length, routed: counted.filter((i) => i % 4 !== 0).length });
    expect(await plansOf((s) => createAlertStore(s).callShares(tenantId, NOW - 30 * MINUTE, NOW + 1, ['no_rule']))).toEqual([
      expect.stringMatching(/USING COVERING INDEX call_records_tenant_started_duration_idx/),
    ]);
  });

  it('the webhooks refused or failed in a window are counted from the time index', async () => {
    const errors = await createAlertStore(store).webhookErrors(tenantId, NOW - 15 * MINUTE, NOW + 1);
    expect(errors).toBe(Array.from({ length: 15 }, (_, k) => k + 45).filter((i) => i % 7 === 0).length);
    expect(await plansOf((s) => createAlertStore(s).webhookErrors(tenantId, NOW - 15 * MINUTE, NOW + 1))).toEqual([
      expect.stringMatching(/USING COVERING INDEX webhook_audit_tenant_time_idx/),
    ]);
  });
});
