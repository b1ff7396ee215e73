import { CompiledQuery, sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import { mergeRollupEntries, ROLLUP_COUNTERS, type RollupEntry } from '../core/stats/rollup-contribution.js';
import { perCount } from './bulk-statements.js';
import type { Store } from './database.js';
import type { CallDailyRollupsTable, Database } from './schema.js';

export type RollupRow = Selectable<CallDailyRollupsTable>;

/** Statuses that count as answered and as failed in analytics (see README "Analytics"). */
const ANSWERED = ['completed'];
const FAILED = ['failed', 'busy', 'no_answer'];

const HOUR_MS = 3_600_000;
/** The roll-ups' overflow and fallback counts (migration 0012), by FallbackLabel. */
export const ROUTING_COLUMNS = ['overflowed', 'fb_no_rule', 'fb_target_missing', 'fb_no_candidate', 'fb_all_at_capacity', 'fb_attempts_exhausted', 'fb_error'] as const;

export interface ActivityFilter {
  agentId?: number | undefined;
  groupId?: number | undefined;
}

/** Calls per hour: `bucket` is the hour's first instant (hours counted from `start`, a local midnight). */
export interface HourRow {
  bucket: number;
  calls: number;
  answered: number;
}

/** Daily roll-ups of call records; tenant id first everywhere. */
export function createCallRollupStore({ db, writer, dialect }: Store) {
  /** The tenant's calls (test calls left out) that started in [start, end), of one agent or group when asked. */
  const callsIn = (tenantId: number, start: number, end: number, f: ActivityFilter) => {
    let q = db.selectFrom('call_records').where('tenant_id', '=', tenantId).where('started_at', '>=', start).where('started_at', '<', end).where('is_test', '=', 0);
    if (f.agentId !== undefined) q = q.where('agent_id', '=', f.agentId);
    if (f.groupId !== undefined) q = q.where('group_id', '=', f.groupId);
    return q;
  };
  /**
   * The tenant's calls (test calls left out) that started in [start, end), with the two parts of
   * its decision trace the roll-up counts by: the fallback's reason (`fb`) and its skips
   * (`skipped`), each read from the trace once per call. On SQLite the subquery is kept apart
   * (`LIMIT -1 OFFSET 0`): merged into the aggregate, SQLite parsed the trace's JSON at each of the
   * ten-odd places the counts below name them, and the day's recompute took twice as long (it runs in
   * the writer thread, which new calls' commits wait behind: BENCHMARKS.md). PostgreSQL reads jsonb
   * without parsing text, and MariaDB's derived table would be materialised whole: both merge it.
   */
  const dayCalls = (tenantId: number, start: number, end: number) => {
    const q = callsIn(tenantId, start, end, {}).select([
      'agent_id',
      'group_id',
      'status',
      'duration_seconds',
      dialect.jsonText('decision_trace', ['fallback', 'reason']).as('fb'),
      dialect.jsonText('decision_trace', ['skipped']).as('skipped'),
    ]);
    return dialect.name === 'sqlite' ? q.limit(-1).offset(0) : q;
  };
  /**
   * The overflow and fallback counts of a group of calls, from each call's decision trace:
   * the fallback's reason, and the words of its skips, matched quoted in the `skipped` list
   * only (never a name). `all_at_capacity` is a `no_candidate` whose every skip was a cap,
   * as routing/decision-labels.ts `fallbackLabel` says.
   */
  function routingSums() {
    const fb = sql.ref('fb');
    const skipped = sql.ref('skipped');
    // A full provider pool is a cap too: the call overflowed past its agent.
    const atCap = sql`(${skipped} like '%"at_capacity"%' or ${skipped} like '%"pool_full"%')`;
    const otherSkip = sql`(${skipped} like '%"disabled"%' or ${skipped} like '%"unhealthy"%' or ${skipped} like '%"deleted"%')`;
    const count = (when: RawBuilder<unknown>) => sql<number>`coalesce(sum(case when ${when} then 1 else 0 end), 0)`;
    const reason = (r: string) => count(sql`${fb} = ${sql.lit(r)}`);
    return [
      count(sql`${fb} is null and agent_id is not null and ${atCap}`).as('overflowed'),
      reason('no_rule').as('fb_no_rule'),
      reason('target_missing').as('fb_target_missing'),
      count(sql`${fb} = 'no_candidate' and not (${atCap} and not ${otherSkip})`).as('fb_no_candidate'),
      count(sql`${fb} = 'no_candidate' and ${atCap} and not ${otherSkip}`).as('fb_all_at_capacity'),
      reason('attempts_exhausted').as('fb_attempts_exhausted'),
      reason('error').as('fb_error'),
    ];
  }
  /**
   * One row per agent and group of the tenant's calls that started in [start, end). Test calls
   * the console placed are left out: an admin trying an agent must not move its numbers.
   */
  const aggregate = (tenantId: number, start: number, end: number) =>
    db
      .selectFrom(dayCalls(tenantId, start, end).as('c'))
      .select((eb) => {
        const answeredDuration = eb.case().when('status', 'in', ANSWERED).then(eb.ref('duration_seconds')).else(null).end();
        return [
          eb.fn.coalesce('agent_id', sql<number>`0`).as('agent_id'),
          eb.fn.coalesce('group_id', sql<number>`0`).as('group_id'),
          eb.fn.countAll<number>().as('calls'),
          eb.fn.sum<number>(eb.case().when('status', 'in', ANSWERED).then(1).else(0).end()).as('answered'),
          eb.fn.sum<number>(eb.case().when('status', 'in', FAILED).then(1).else(0).end()).as('failed'),
          eb.fn.coalesce(eb.fn.sum<number>(answeredDuration), sql<number>`0`).as('duration_sum'),
          eb.fn.count<number>(answeredDuration).as('duration_count'),
          ...routingSums(),
        ];
      })
      .groupBy(['agent_id', 'group_id']);
  const forgetDay = (tenantId: number, day: string) => db.deleteFrom('call_daily_rollups').where('tenant_id', '=', tenantId).where('day', '=', day);

  /** One local day's rows replaced by a fresh aggregate of the calls that started in [start, end). */
  async function replaceDay(tenantId: number, day: string, start: number, end: number, now: number): Promise<void> {
    if (writer) {
      // A SQLite file: one INSERT ... SELECT in the writer thread, so the day's scan is off the event loop.
      // (Elsewhere the rows come back first: PostgreSQL cannot type bare parameters in a SELECT list.)
      const rows = aggregate(tenantId, start, end).select([sql<number>`${tenantId}`.as('tenant_id'), sql<string>`${day}`.as('day'), sql<number>`${now}`.as('updated_at')]);
      const columns = ['agent_id', 'group_id', 'calls', 'answered', 'failed', 'duration_sum', 'duration_count', ...ROUTING_COLUMNS, 'tenant_id', 'day', 'updated_at'] as const;
      await writer.runStatements([forgetDay(tenantId, day).compile(), db.insertInto('call_daily_rollups').columns([...columns]).expression(rows).compile()]);
      return;
    }
    await db.transaction().execute(async (trx) => {
      await trx.executeQuery(forgetDay(tenantId, day).compile());
      const rows = await trx.executeQuery(aggregate(tenantId, start, end).compile());
      if (rows.rows.length === 0) return;
      await trx
        .insertInto('call_daily_rollups')
        .values(
          rows.rows.map((r) =>
            Object.assign(
              {
                tenant_id: tenantId,
                day,
                agent_id: Number(r.agent_id),
                group_id: Number(r.group_id),
                calls: Number(r.calls),
                answered: Number(r.answered ?? 0),
                failed: Number(r.failed ?? 0),
                duration_sum: Number(r.duration_sum ?? 0),
                duration_count: Number(r.duration_count ?? 0),
              },
              Object.fromEntries(ROUTING_COLUMNS.map((c) => [c, Number(r[c] ?? 0)])),
              { updated_at: now },
            ),
          ),
        )
        .execute();
    });
  }

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
      // A batch's entries, summed per row: the statement for that many rows is built once.
      const rows = mergeRollupEntries(entries);
      if (rows.length === 0) return;
      const parameters: unknown[] = [];
      for (const e of rows) parameters.push(...oneRowParameters(e, now));
      await trx.executeQuery(CompiledQuery.raw(rowsAddSql(rows.length), parameters));
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
     * Replaces one local day's rows with a fresh aggregate of the calls that started in [start, end).
     * `raced` when another instance replaced the same day at the same moment (both deleted, both
     * inserted: a unique violation, or a deadlock on MariaDB): this one wrote nothing; run it again.
     */
    async recomputeDay(tenantId: number, day: string, start: number, end: number, now: number): Promise<'done' | 'raced'> {
      try {
        await replaceDay(tenantId, day, start, end, now);
        return 'done';
      } catch (err) {
        if (dialect.isUniqueViolation(err) || dialect.isDeadlock(err)) return 'raced';
        throw err;
      }
    },
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
      const rows = await callsIn(tenantId, start, end, f)
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
    async deleteTenant(tenantId: number): Promise<void> {
      await db.deleteFrom('call_daily_rollups').where('tenant_id', '=', tenantId).execute();
    },
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
