import { CompiledQuery, sql, type Kysely, type Selectable } from 'kysely';
import { mergeRollupEntries, ROLLUP_COUNTERS, type RollupEntry } from '../core/stats/rollup-contribution.js';
import { perCount } from './bulk-statements.js';
import type { Store } from './database.js';
import { ANSWERED, callsIn, type ActivityFilter } from './rollup-calls.js';
import { createRollupRecompute } from './rollup-recompute.js';
import type { CallDailyRollupsTable, Database } from './schema.js';

export type RollupRow = Selectable<CallDailyRollupsTable>;

const HOUR_MS = 3_600_000;

export type { ActivityFilter } from './rollup-calls.js';

/** Calls per hour: `bucket` is the hour's first instant (hours counted from `start`, a local midnight). */
export interface HourRow {
  bucket: number;
  calls: number;
  answered: number;
}

/** Daily roll-ups of call records; tenant id first everywhere. */
export function createCallRollupStore(store: Store) {
  const { db, dialect } = store;
  /** One statement adding each entry's counts to its row (made when absent), entries summed per row first. */
  function addStatement(entries: readonly RollupEntry[], now: number, trx: Kysely<Database> = db) {
    const rows = mergeRollupEntries(entries).map((e) => Object.assign({ tenant_id: e.tenantId, day: e.day, agent_id: e.agentId, group_id: e.groupId }, e.counts, { updated_at: now }));
    if (rows.length === 0) return null;
    return dialect.addingOnConflict(trx.insertInto('call_daily_rollups').values(rows), 'call_daily_rollups', ['tenant_id', 'day', 'agent_id', 'group_id'], ROLLUP_COUNTERS, ['updated_at']);
  }

  const oneRowParameters = (e: RollupEntry, now: number): unknown[] => [e.tenantId, e.day, e.agentId, e.groupId, ...ROLLUP_COUNTERS.map((c) => e.counts[c]), now];
  const ones = Object.fromEntries(ROLLUP_COUNTERS.map((c) => [c, 1])) as RollupEntry['counts'];
  const oneRowAddSql = addStatement([{ tenantId: 1, day: '1970-01-01', agentId: 0, groupId: 0, counts: ones }], 0)!.compile().sql;
  // Rows of distinct keys, so none are merged away: the text for n rows, parameters as oneRowParameters' one after another.
  const rowsAddSql = perCount((n) => addStatement(Array.from({ length: n }, (_, i) => ({ tenantId: 1, day: '1970-01-01', agentId: i, groupId: 0, counts: ones })), 0)!.compile().sql);
  /** The atomic add of entries, summed per row first (none when they add nothing): the statement for that many rows is built once. */
  function addQuery(entries: readonly RollupEntry[], now: number): CompiledQuery | null {
    const rows = mergeRollupEntries(entries);
    if (rows.length === 0) return null;
    const parameters: unknown[] = [];
    for (const e of rows) parameters.push(...oneRowParameters(e, now));
    return CompiledQuery.raw(rowsAddSql(rows.length), parameters);
  }
  const recompute = createRollupRecompute(store, addQuery);

  return {
    /**
     * Adds calls' changes to their days' rows (core/stats/rollup-contribution.ts), atomically
     * (`x = x + ?`), so instances writing at once lose nothing. Run inside the call write's
     * transaction, so a full recompute of the day sees the call and its change together or neither.
     */
    async addEntries(entries: readonly RollupEntry[], now: number, trx: Kysely<Database> = db): Promise<void> {
      // Nearly every write moves one row: its statement is built once, not on every call.
      if (entries.length === 1) {
        if (ROLLUP_COUNTERS.some((c) => entries[0]!.counts[c] !== 0)) await trx.executeQuery(CompiledQuery.raw(oneRowAddSql, oneRowParameters(entries[0]!, now)));
        return;
      }
      const add = addQuery(entries, now);
      if (add) await trx.executeQuery(add);
    },
    /**
     * For the SQLite writer thread: one row's add statement, built once, and an entry's
     * parameters in its order (the conflict clause takes none).
     */
    oneRowAdd: {
      sql: oneRowAddSql,
      parameters: oneRowParameters,
    },
    /**
     * Brings one local day's rows to the counts of the calls that started in [start, end), read in
     * a snapshot and corrected by their difference (store/rollup-recompute.ts). `raced` when
     * another recompute of the tenant came between its read and its write: run it again.
     */
    recomputeDay: recompute.recomputeDay,
    /** The two halves of `recomputeDay`, for what comes between them in service (tests). */
    snapshotDay: recompute.snapshotDay,
    applySnapshot: recompute.applySnapshot,
    inRange(tenantId: number, fromDay: string, toDay: string): Promise<RollupRow[]> {
      return db.selectFrom('call_daily_rollups').selectAll().where('tenant_id', '=', tenantId).where('day', '>=', fromDay).where('day', '<=', toDay).execute();
    },
    /**
     * Calls and answered calls per hour since `start` (a local midnight, so hours stay local),
     * counted by the database over the (tenant_id, started_at) index. Callers bound the range
     * (a few days): unlike the daily rows this reads the calls themselves.
     */
    async hourly(tenantId: number, start: number, end: number, f: ActivityFilter = {}): Promise<HourRow[]> {
      // The bucket by its alias: PostgreSQL would not match a GROUP BY expression holding its own parameter.
      const rows = await callsIn(db, tenantId, start, end, f)
        .select((eb) => [
          sql<number>`started_at - ((started_at - ${start}) % ${HOUR_MS})`.as('bucket'),
          eb.fn.countAll<number>().as('calls'),
          eb.fn.sum<number>(eb.case().when('status', 'in', ANSWERED).then(1).else(0).end()).as('answered'),
        ])
        .groupBy(sql.ref('bucket'))
        .execute();
      return rows.map((r) => ({ bucket: Number(r.bucket), calls: Number(r.calls), answered: Number(r.answered ?? 0) }));
    },
    /** Every (tenant, day) rolled up, to recount them all (a few rows per tenant and day). */
    async allDays(): Promise<{ tenantId: number; day: string }[]> {
      const rows = await db.selectFrom('call_daily_rollups').select(['tenant_id', 'day']).distinct().execute();
      return rows.map((r) => ({ tenantId: Number(r.tenant_id), day: r.day }));
    },
    /** Every row of the tenant gone, before its days are recomputed (a time-zone change moves every day's bounds). */
    deleteTenant: recompute.clearTenant,
    /** The first and last call start times of a tenant, to rebuild every day in between. */
    async callSpan(tenantId: number): Promise<{ first: number | null; last: number | null }> {
      // One aggregate a subquery: each is then read from an end of the (tenant, start) index. Asked
      // together in one select, SQLite read every call of the tenant, through its smallest index.
      const ofTenant = db.selectFrom('call_records').where('tenant_id', '=', tenantId);
      const row = await db
        .selectNoFrom([ofTenant.select((eb) => eb.fn.min<number>('started_at').as('v')).as('first'), ofTenant.select((eb) => eb.fn.max<number>('started_at').as('v')).as('last')])
        .executeTakeFirst();
      return { first: row?.first === null || row?.first === undefined ? null : Number(row.first), last: row?.last === null || row?.last === undefined ? null : Number(row.last) };
    },
  };
}
export type CallRollupStore = ReturnType<typeof createCallRollupStore>;
