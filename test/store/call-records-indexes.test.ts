import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveStates } from '../../src/core/routing/call-state.js';
import { createAlertStore } from '../../src/store/alerts.js';
import { createCallRecordStream } from '../../src/store/call-record-stream.js';
import { createCallRecordStore } from '../../src/store/call-records.js';
import { createCallRollupStore } from '../../src/store/call-rollups.js';
import { openStore, type Store } from '../../src/store/database.js';
import { writeJson } from '../../src/store/json-column.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { CallRecordsTable } from '../../src/store/schema.js';
import { createRetentionStore } from '../../src/store/retention.js';
import { createSplitAnalyticsStore } from '../../src/store/split-analytics.js';
import { createVoiceAgentLookups } from '../../src/store/voice-agent-lookups.js';
import { DIALECTS, type TestDatabase } from '../support/backends.js';
import { indexesOn, indexesRead, PLANNED_AWAY, PRIMARY_KEY, recordingStore, refreshStatistics } from '../support/query-plans.js';

/**
 * The indexes of call_records are the ones the API's queries read (docs/call-records-indexes.md):
 * each is shown chosen by the planner for a real query, built by the store's own code, and no
 * other index exists, so an unused one cannot come back unnoticed (every call row pays for each).
 */
const DOCUMENTED = [
  'call_records_tenant_agent_idx',
  'call_records_tenant_direction_idx',
  'call_records_tenant_duration_idx',
  'call_records_tenant_group_idx',
  'call_records_tenant_id_idx',
  'call_records_tenant_session_uq',
  'call_records_tenant_started_duration_idx',
  'call_records_tenant_status_idx',
].sort();

const DAY = 86_400_000;
const NOW = 1_780_000_000_000;
/** Enough for MariaDB to walk the time index for a page rather than sort the tenant's calls (it sorts 3,000). */
const CALLS = 30_000;
const NEIGHBOURS = 20;

/** A tenant's calls over 60 days: 12 agents, 8 groups, 1 in 20 outbound or failed, the last 10 still live. */
function calls(tenantId: number, count = CALLS): Insertable<CallRecordsTable>[] {
  return Array.from({ length: count }, (_, i) => {
    const live = i >= count - 10;
    const status = live ? liveStates[i % liveStates.length]! : i % 20 === 7 ? 'failed' : 'completed';
    const startedAt = NOW - 60 * DAY + Math.floor((i * 60 * DAY) / count);
    return {
      tenant_id: tenantId, session_token: `s-${tenantId}-${i}`, direction: i % 20 === 3 ? 'outbound' : 'inbound', from_number: `+1212555${String(1000 + (i % 9000))}`,
      to_number: '+12125550100', status, agent_id: (i % 12) + 1, group_id: (i % 8) + 1, rule_id: null, attempt: 1, decision_trace: null, disposition: null,
      started_at: startedAt, answered_at: null, ended_at: live ? null : startedAt + 60_000, duration_seconds: status === 'completed' ? i % 600 : null, billsec: null,
      created_at: startedAt, updated_at: startedAt, facts: null, outcome_reason: null, cloudonix_direction: null, variant: null, is_test: 0,
    };
  });
}

/**
 * Every dialect with fresh statistics, and SQLite also without any: a SQLite database in service is
 * never analyzed (PostgreSQL and MariaDB keep their statistics themselves), so its plans there are
 * the rules-of-thumb ones. `PRAGMA optimize` was tried as a cure (BENCHMARKS.md): with an
 * `analysis_limit` it samples one tenant's first entries and still chose the day-long walk, and a
 * full ANALYZE holds the write lock for seconds at a million calls. So every query must read its
 * index with no statistics too.
 */
const VARIANTS = DIALECTS.flatMap((dialect) => (dialect.name === 'sqlite' ? [{ dialect, analyzed: true }, { dialect, analyzed: false }] : [{ dialect, analyzed: true }]));

for (const { dialect, analyzed } of VARIANTS) {
  describe(`${dialect.name}${analyzed ? '' : ', never analyzed'}: call_records indexes`, () => {
    let database: TestDatabase;
    let store: Store;
    let recording: ReturnType<typeof recordingStore>;
    let tenantId = 0;
    /** A tenant with a twenty-fifth of the calls: the id-ordered reads matter most to such tenants. */
    let smallTenantId = 0;

    beforeAll(async () => {
      database = await dialect.createDatabase();
      store = openStore(database.url);
      await migrateToLatest(store);
      const tenant = (domain: string) => store.dialect.insertId(store.db, 'tenants', { name: domain, domain, webhook_secret_sealed: 'v1:x', settings: writeJson({ timezone: 'UTC' }), created_at: NOW, updated_at: NOW });
      tenantId = await tenant('indexes.example');
      // Many smaller tenants beside it, their calls interleaved as they arrive: planners that keep one
      // figure per column (SQLite's stat1) then expect a tenant to be a small share of the table, as it is.
      const neighbours: number[] = [];
      for (let n = 0; n < NEIGHBOURS; n++) neighbours.push(await tenant(`neighbour-${n}.example`));
      smallTenantId = neighbours[0]!;
      const theirs = neighbours.map((id) => calls(id, CALLS / 5));
      for (let i = 0; i < CALLS; i += 500) {
        await store.db.insertInto('call_records').values(calls(tenantId).slice(i, i + 500)).execute();
        const batch = theirs.flatMap((rows) => rows.slice(i / 5, (i + 500) / 5));
        // Half a batch per statement: SQLite takes at most 32,766 parameters.
        for (let j = 0; j < batch.length; j += 1000) await store.db.insertInto('call_records').values(batch.slice(j, j + 1000)).execute();
      }
      if (analyzed) await refreshStatistics(store, 'call_records');
      recording = recordingStore(store);
    }, 120_000);
    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });

    /** The indexes of call_records that the queries `run` makes read, every one of them explained. */
    async function readBy(run: (s: Store) => Promise<unknown>): Promise<string[]> {
      recording.take();
      await run(recording.store);
      const read = new Set<string>();
      for (const q of recording.take().filter((c) => /call_records/.test(c.sql))) for (const name of await indexesRead(store, q, 'call_records')) read.add(name);
      return [...read].sort();
    }
    const list = (f: Parameters<ReturnType<typeof createCallRecordStore>['list']>[1]) => (s: Store) => createCallRecordStore(s).list(tenantId, f);
    const page = { page: 1, perPage: 50, order: '-started_at' as const };

    const firstAndLast = (s: Store) => createCallRollupStore(s).callSpan(tenantId);
    /** What a query does, the index it reads (the first is the one it is documented by; any listed passes), and the query. */
    const uses: [string, string | string[], (s: Store) => Promise<unknown>][] = [
      ['a webhook finds its call by session (hot path)', 'call_records_tenant_session_uq', (s) => createCallRecordStore(s).findBySession(tenantId, `s-${tenantId}-5`)],
      ['the list, newest first, and its capped count', 'call_records_tenant_started_duration_idx', list(page)],
      ['the list over dates with a minimum duration', 'call_records_tenant_started_duration_idx', list({ ...page, startedFrom: NOW - 30 * DAY, startedBefore: NOW, minDuration: 60 })],
      ['the list of one agent', 'call_records_tenant_agent_idx', list({ ...page, agentId: 3 })],
      ['the list of one group', 'call_records_tenant_group_idx', list({ ...page, groupId: 2 })],
      ['the list of failed calls', 'call_records_tenant_status_idx', list({ ...page, statuses: ['failed'] })],
      ['the list of outbound calls', 'call_records_tenant_direction_idx', list({ ...page, direction: 'outbound' })],
      ['the list sorted by duration', 'call_records_tenant_duration_idx', list({ ...page, order: '-duration' })],
      ['live calls', 'call_records_tenant_status_idx', (s) => createCallRecordStore(s).listNamedInStatus(tenantId, liveStates, NOW - DAY, {}, 100)],
      ['the live-call count', 'call_records_tenant_status_idx', (s) => createCallRecordStore(s).countInStatus(tenantId, liveStates, NOW - DAY)],
      ['the stale-call sweep', 'call_records_tenant_status_idx', (s) => createCallRecordStore(s).listInStatusBefore(tenantId, liveStates, NOW - DAY, 100)],
      ['the live-slot rebuild, a page of live calls', 'call_records_tenant_status_idx', (s) => createCallRecordStore(s).pageInStatus(tenantId, 'connecting', NOW - DAY, null, 100)],
      ['the live-slot rebuild, the next page', 'call_records_tenant_status_idx', (s) => createCallRecordStore(s).pageInStatus(tenantId, 'connecting', NOW - DAY, { startedAt: NOW - DAY / 2, id: 5 }, 100)],
      ['an export page, in id order', ['call_records_tenant_id_idx', PRIMARY_KEY], async (s) => {
        const stream = createCallRecordStream(s);
        return stream.page(smallTenantId, {}, 0, (await stream.scope(smallTenantId, {})).maxId, 500);
      }],
      ['hourly activity of today', 'call_records_tenant_started_duration_idx', (s) => createCallRollupStore(s).hourly(tenantId, NOW - DAY, NOW)],
      ['a day\'s roll-up recompute', 'call_records_tenant_started_duration_idx', (s) => createCallRollupStore(s).recomputeDay(tenantId, '2026-05-01', NOW - 2 * DAY, NOW - DAY, NOW)],
      ['the first and last call of a tenant', 'call_records_tenant_started_duration_idx', firstAndLast],
      ['the fallback-share alert', 'call_records_tenant_started_duration_idx', (s) => createAlertStore(s).callShares(tenantId, NOW - DAY, NOW, ['no_rule'])],
      ['split analytics of a rule', 'call_records_tenant_started_duration_idx', (s) => createSplitAnalyticsStore(s).counts(tenantId, 1, NOW - 7 * DAY, NOW)],
      ['which agents ever had a call', 'call_records_tenant_agent_idx', (s) => createVoiceAgentLookups(s.db).withCalls(tenantId, [1, 2, 99])],
      ['the retention purge of old calls', ['call_records_tenant_started_duration_idx', 'call_records_tenant_id_idx', PRIMARY_KEY], (s) => createRetentionStore(s).purgeCallRecords(tenantId, NOW - 90 * DAY, 500)],
    ];

    for (const [query, indexes, run] of uses) {
      const index = typeof indexes === 'string' ? indexes : indexes.join(' or ');
      it(`${query} reads ${index}`, async () => {
        const read = await readBy(run);
        // MariaDB answers MIN/MAX of a tenant's start times from the ends of the (tenant_id, started_at, ...) index while planning.
        if (dialect.name === 'mysql' && run === firstAndLast && read.includes(PLANNED_AWAY)) return;
        expect(read.filter((name) => indexes.includes(name)), `read ${read.join(', ')}`).not.toEqual([]);
      });
    }

    it('call_records has exactly the documented indexes, and each is read by a query above', async () => {
      expect(await indexesOn(store, 'call_records')).toEqual(DOCUMENTED);
      const documentedBy = uses.map(([, index]) => (typeof index === 'string' ? index : index[0]!)).filter((index) => index !== PRIMARY_KEY);
      expect([...new Set(documentedBy)].sort()).toEqual(DOCUMENTED);
    });
  });
}

// A SQLite database in service is never analyzed (PostgreSQL and MariaDB keep their statistics
// themselves), and without statistics SQLite plans by rules of thumb alone, whatever the data: the
// once-a-minute sweeps of the live-state keeper must find the status index then too. Ordered by start
// time alone, they walked every call started before the cut (2.5 s at 400,000 calls, on the event loop).
describe('sqlite, never analyzed: the live-call reads, the stale-call sweep and the live-slot rebuild read the status index', () => {
  let database: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    database = await DIALECTS.find((d) => d.name === 'sqlite')!.createDatabase();
    store = openStore(database.url);
    await migrateToLatest(store);
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const reads: [string, (s: Store) => Promise<unknown>][] = [
    ['live calls', (s) => createCallRecordStore(s).listNamedInStatus(1, liveStates, NOW - DAY, {}, 100)],
    ['live calls of one agent', (s) => createCallRecordStore(s).listNamedInStatus(1, liveStates, NOW - DAY, { agentId: 3 }, 100)],
    ['the stale-call sweep', (s) => createCallRecordStore(s).listInStatusBefore(1, liveStates, NOW, 100)],
    ['the live-slot rebuild, a page of live calls', (s) => createCallRecordStore(s).pageInStatus(1, 'connecting', NOW - DAY, null, 100)],
    ['the live-slot rebuild, the next page', (s) => createCallRecordStore(s).pageInStatus(1, 'connecting', NOW - DAY, { startedAt: NOW - DAY / 2, id: 5 }, 100)],
  ];
  for (const [query, run] of reads) {
    it(query, async () => {
      const recording = recordingStore(store);
      await run(recording.store);
      const read = new Set<string>();
      for (const q of recording.take().filter((c) => /call_records/.test(c.sql))) for (const name of await indexesRead(store, q, 'call_records')) read.add(name);
      expect([...read]).toEqual(['call_records_tenant_status_idx']);
    });
  }
});
