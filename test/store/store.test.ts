import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallRecordBatch } from '../../src/store/call-record-batch.js';
import { CALL_RECORD_COLUMNS } from '../../src/store/call-records.js';
import { openStore, type Store } from '../../src/store/database.js';
import { createRepositories, type Repositories } from '../../src/store/index.js';
import { readJson, writeJson } from '../../src/store/json-column.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { DIALECTS, type TestDatabase } from '../support/backends.js';

const ALL_TABLES = [
  'tenants', 'users', 'api_tokens', 'app_meta', 'audit_log', 'voice_agents', 'agent_groups', 'agent_group_memberships',
  'inbound_routing_rules', 'outbound_routing_rules', 'call_records', 'call_events', 'cdrs', 'webhook_audit', 'exports',
];

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: store`, () => {
    let database: TestDatabase;
    let store: Store;
    let repos: Repositories;
    const now = 1_767_261_600_123; // beyond 2^32: BIGINT millis must round-trip exactly

    beforeAll(async () => {
      database = await dialect.createDatabase();
      store = openStore(database.url);
      await migrateToLatest(store);
      repos = createRepositories(store);
    });
    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });

    const tenant = async (domain: string) =>
      repos.tenants.insert({ name: domain, domain, webhook_secret_sealed: 'v1:x', settings: writeJson({ timezone: 'UTC' }), created_at: now, updated_at: now });
    const user = (tenantId: number, email: string, role = 'admin') =>
      repos.users.insert({ tenant_id: tenantId, name: email, email, password_hash: 'h', role, active: 1, last_login_at: null, created_at: now, updated_at: now });

    it('creates the whole data model, and a second migration run changes nothing', async () => {
      const tables = (await store.db.introspection.getTables()).map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(ALL_TABLES));
      expect(await migrateToLatest(store)).toEqual([]);
    });

    it('round-trips ids, epoch milliseconds, flags and JSON', async () => {
      const id = await tenant('roundtrip.example');
      const row = await repos.tenants.findById(id);
      expect(row?.id).toBe(id);
      expect(row?.created_at).toBe(now);
      expect(typeof row?.created_at).toBe('number');
      expect(readJson(row?.settings, {})).toEqual({ timezone: 'UTC' });
      const userId = await user(id, 'flags@example.test');
      const u = await repos.users.findById(id, userId);
      expect(Number(u?.active)).toBe(1);
      expect(u?.last_login_at).toBeNull();
    });

    it('stores any Unicode text', async () => {
      const id = await tenant('unicode.example');
      const name = 'Zoë 🚀 日本 — ﷽';
      await repos.tenants.update(id, { name });
      expect((await repos.tenants.findById(id))?.name).toBe(name);
    });

    it('never returns another tenant\'s rows from a tenant-scoped method', async () => {
      const a = await tenant('scope-a.example');
      const b = await tenant('scope-b.example');
      const ua = await user(a, 'scope-a@example.test');
      expect(await repos.users.findById(b, ua)).toBeUndefined();
      expect((await repos.users.list(b, { page: 1, perPage: 50 })).rows).toEqual([]);
      await repos.users.update(b, ua, { name: 'changed by b' });
      expect((await repos.users.findById(a, ua))?.name).toBe('scope-a@example.test');
      expect(await repos.users.countActiveAdmins(a)).toBe(1);
      expect(await repos.users.countActiveAdmins(b)).toBe(0);
    });

    it('reports unique violations through the dialect seam', async () => {
      await tenant('dup.example');
      let caught: unknown;
      try {
        await tenant('dup.example');
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeDefined();
      expect(store.dialect.isUniqueViolation(caught)).toBe(true);
      expect(store.dialect.isUniqueViolation(new Error('other'))).toBe(false);
    });

    // INSERT ... RETURNING where the database takes it; the lookups are what MySQL 8 falls back to.
    it.each([
      ['in one INSERT ... RETURNING', true],
      ['with lookups before and after the INSERT', false],
    ])('inserts new call records in a batch %s: one id per new session, none for a session already recorded or repeated, none across tenants', async (_how, returning) => {
      const a = await tenant(`calls-a-${returning}.example`);
      const b = await tenant(`calls-b-${returning}.example`);
      const batch = createCallRecordBatch(store, CALL_RECORD_COLUMNS, { returning });
      const row = (tenantId: number, session: string) => ({
        tenant_id: tenantId, session_token: session, direction: 'inbound', from_number: '+15550001', to_number: '+12125550100', status: 'connecting',
        agent_id: null, group_id: null, rule_id: null, attempt: 1, decision_trace: null, disposition: null, started_at: now, answered_at: null,
        ended_at: null, duration_seconds: null, billsec: null, created_at: now, updated_at: now, facts: null, outcome_reason: null, cloudonix_direction: null, variant: null, is_test: 0, first_answer: null,
      });
      const early = await repos.callRecords.insertIfAbsent(row(a, 'batch-early'));
      expect(early).toBeTypeOf('number');
      expect(await repos.callRecords.insertIfAbsent(row(a, 'batch-early'))).toBeUndefined();
      const ids = await batch.insertManyIfAbsent([row(a, 'batch-1'), row(a, 'batch-early'), row(b, 'batch-early'), row(a, 'batch-2'), row(a, 'batch-1')]);
      expect(ids.map((id) => id === undefined)).toEqual([false, true, false, false, true]);
      expect(new Set(ids.filter((id) => id !== undefined)).size).toBe(3);
      expect((await repos.callRecords.findBySession(b, 'batch-early'))?.id).toBe(ids[2]);
      expect(Number((await repos.callRecords.findBySession(a, 'batch-2'))?.id)).toBe(ids[3]);
    });

    it('rolls back a failed transaction as a whole', async () => {
      const before = (await store.db.selectFrom('tenants').select('id').execute()).length;
      await expect(
        store.db.transaction().execute(async (trx) => {
          await repos.tenants.insert({ name: 'tx', domain: 'tx.example', webhook_secret_sealed: 'v1:x', settings: '{}', created_at: now, updated_at: now }, trx);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect((await store.db.selectFrom('tenants').select('id').execute()).length).toBe(before);
    });

    it('searches literally: % and _ in input are not wildcards', async () => {
      const id = await tenant('like.example');
      await user(id, 'percent%sign@example.test');
      await user(id, 'plain@example.test');
      const hits = (q: string) => repos.users.list(id, { page: 1, perPage: 50, search: q }).then((r) => r.rows.map((u) => u.email));
      expect(await hits('%')).toEqual(['percent%sign@example.test']);
      expect(await hits('_')).toEqual([]);
      expect(await hits('PLAIN')).toEqual(['plain@example.test']);
    });

    it('keeps the first value of an app_meta key', async () => {
      expect(await repos.appMeta.setIfAbsent('k', 'first')).toBe('first');
      expect(await repos.appMeta.setIfAbsent('k', 'second')).toBe('first');
    });

    it('deletes a tenant with everything that belongs to it', async () => {
      const id = await tenant('cascade.example');
      const u = await user(id, 'cascade@example.test');
      await repos.apiTokens.insert({ tenant_id: id, user_id: u, token_hash: 'c'.repeat(64), name: 't', expires_at: now, last_used_at: null, created_at: now });
      await store.db.deleteFrom('tenants').where('id', '=', id).execute();
      expect(await repos.users.findById(id, u)).toBeUndefined();
      expect(await repos.apiTokens.findByHash('c'.repeat(64))).toBeUndefined();
    });
  });
}
