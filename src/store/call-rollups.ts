import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import type { Store } from './database.js';
import type { CallDailyRollupsTable, Database } from './schema.js';

export type RollupRow = Selectable<CallDailyRollupsTable>;

/** Statuses that count as answered and as failed in analytics (see README "Analytics"). */
const ANSWERED = ['completed'];
const FAILED = ['failed', 'busy', 'no_answer'];

/** Daily roll-ups of call records; tenant id first everywhere. */
export function createCallRollupStore({ db, writer, dialect }: Store) {
  const answeredCase = (eb: ExpressionBuilder<Database, 'call_records'>) => eb.case().when('status', 'in', ANSWERED).then(eb.ref('duration_seconds')).else(null).end();
  /** One row per agent and group of the tenant's calls that started in [start, end). */
  const aggregate = (tenantId: number, start: number, end: number) =>
    db
      .selectFrom('call_records')
      .select((eb) => [
        eb.fn.coalesce('agent_id', sql<number>`0`).as('agent_id'),
        eb.fn.coalesce('group_id', sql<number>`0`).as('group_id'),
        eb.fn.countAll<number>().as('calls'),
        eb.fn.sum<number>(eb.case().when('status', 'in', ANSWERED).then(1).else(0).end()).as('answered'),
        eb.fn.sum<number>(eb.case().when('status', 'in', FAILED).then(1).else(0).end()).as('failed'),
        eb.fn.coalesce(eb.fn.sum<number>(answeredCase(eb)), sql<number>`0`).as('duration_sum'),
        eb.fn.count<number>(answeredCase(eb)).as('duration_count'),
      ])
      .where('tenant_id', '=', tenantId)
      .where('started_at', '>=', start)
      .where('started_at', '<', end)
      .groupBy(['agent_id', 'group_id']);
  const forgetDay = (tenantId: number, day: string) => db.deleteFrom('call_daily_rollups').where('tenant_id', '=', tenantId).where('day', '=', day);

  /** One local day's rows replaced by a fresh aggregate of the calls that started in [start, end). */
  async function replaceDay(tenantId: number, day: string, start: number, end: number, now: number): Promise<void> {
    if (writer) {
      // A SQLite file: one INSERT ... SELECT in the writer thread, so the day's scan is off the event loop.
      // (Elsewhere the rows come back first: PostgreSQL cannot type bare parameters in a SELECT list.)
      const rows = aggregate(tenantId, start, end).select([sql<number>`${tenantId}`.as('tenant_id'), sql<string>`${day}`.as('day'), sql<number>`${now}`.as('updated_at')]);
      const columns = ['agent_id', 'group_id', 'calls', 'answered', 'failed', 'duration_sum', 'duration_count', 'tenant_id', 'day', 'updated_at'] as const;
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
          rows.rows.map((r) => ({
            tenant_id: tenantId,
            day,
            agent_id: Number(r.agent_id),
            group_id: Number(r.group_id),
            calls: Number(r.calls),
            answered: Number(r.answered ?? 0),
            failed: Number(r.failed ?? 0),
            duration_sum: Number(r.duration_sum ?? 0),
            duration_count: Number(r.duration_count ?? 0),
            updated_at: now,
          })),
        )
        .execute();
    });
  }

  return {
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
    async deleteTenant(tenantId: number): Promise<void> {
      await db.deleteFrom('call_daily_rollups').where('tenant_id', '=', tenantId).execute();
    },
    /** The first and last call start times of a tenant, to rebuild every day in between. */
    async callSpan(tenantId: number): Promise<{ first: number | null; last: number | null }> {
      const row = await db
        .selectFrom('call_records')
        .select((eb) => [eb.fn.min<number>('started_at').as('first'), eb.fn.max<number>('started_at').as('last')])
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      return { first: row?.first === null || row?.first === undefined ? null : Number(row.first), last: row?.last === null || row?.last === undefined ? null : Number(row.last) };
    },
  };
}
export type CallRollupStore = ReturnType<typeof createCallRollupStore>;
