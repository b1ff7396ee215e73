import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Dialect } from './dialect.js';
import type { Database } from './schema.js';

/** Statuses that count as answered and as failed in analytics (see README "Analytics"). */
export const ANSWERED = ['completed'];
const FAILED = ['failed', 'busy', 'no_answer'];

export interface ActivityFilter {
  agentId?: number | undefined;
  groupId?: number | undefined;
}

/** The tenant's calls (test calls left out) that started in [start, end), of one agent or group when asked. */
export function callsIn(db: Kysely<Database>, tenantId: number, start: number, end: number, f: ActivityFilter = {}) {
  let q = db.selectFrom('call_records').where('tenant_id', '=', tenantId).where('started_at', '>=', start).where('started_at', '<', end).where('is_test', '=', 0);
  if (f.agentId !== undefined) q = q.where('agent_id', '=', f.agentId);
  if (f.groupId !== undefined) q = q.where('group_id', '=', f.groupId);
  return q;
}

/**
 * The tenant's calls (test calls left out) that started in [start, end), with the two parts of
 * its decision trace the roll-up counts by: the fallback's reason (`fb`) and its skips
 * (`skipped`), each read from the trace once per call. On SQLite the subquery is kept apart
 * (`LIMIT -1 OFFSET 0`): merged into the aggregate, SQLite parsed the trace's JSON at each of the
 * ten-odd places the counts below name them, and the day's recompute took twice as long
 * (BENCHMARKS.md). PostgreSQL reads jsonb without parsing text, and MariaDB's derived table would
 * be materialised whole: both merge it.
 */
function dayCalls(db: Kysely<Database>, dialect: Dialect, tenantId: number, start: number, end: number) {
  const q = callsIn(db, tenantId, start, end).select([
    'agent_id',
    'group_id',
    'status',
    'duration_seconds',
    dialect.jsonText('decision_trace', ['fallback', 'reason']).as('fb'),
    dialect.jsonText('decision_trace', ['skipped']).as('skipped'),
  ]);
  return dialect.name === 'sqlite' ? q.limit(-1).offset(0) : q;
}

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
 * The roll-up counts of the tenant's calls that started in [start, end), one row per agent and
 * group (0: none), as the database counts them from the calls themselves. Test calls the console
 * placed are left out: an admin trying an agent must not move its numbers. The incremental
 * counts (core/stats/rollup-contribution.ts) must agree with it call by call.
 */
export function dayCounts(db: Kysely<Database>, dialect: Dialect, tenantId: number, start: number, end: number) {
  return db
    .selectFrom(dayCalls(db, dialect, tenantId, start, end).as('c'))
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
}
