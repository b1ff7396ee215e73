import { sql, type Expression, type Kysely, type RawBuilder, type Selectable, type SqlBool, type Updateable } from 'kysely';
import { toE164 } from '../core/routing/phone-number.js';
import { createCallRecordBatch } from './call-record-batch.js';
import { cappedCount, type CappedTotal } from './capped-count.js';
import type { Store } from './database.js';
import { containsInsensitive } from './like.js';
import type { CallRecordsTable, Database } from './schema.js';

export type CallRecordRow = Selectable<CallRecordsTable>;

/** Width of the from/to number columns (call records and CDRs). */
const NUMBER_WIDTH = 64;
/**
 * A caller or called number as stored: in E.164 when it is a phone number in any
 * spelling, else what Cloudonix sent; cut to the column (a SIP URI can be longer;
 * it is still routed whole, only its record is cut).
 */
export function storedNumber(value: string | null): string | null {
  return value === null ? null : (toE164(value) ?? value).slice(0, NUMBER_WIDTH);
}

/** Every column of a new record, once: the compiler checks the list against the table. */
export const CALL_RECORD_COLUMNS = Object.keys({
  tenant_id: 0, session_token: 0, direction: 0, from_number: 0, to_number: 0, status: 0, agent_id: 0, group_id: 0, rule_id: 0,
  attempt: 0, decision_trace: 0, disposition: 0, started_at: 0, answered_at: 0, ended_at: 0, duration_seconds: 0, billsec: 0,
  created_at: 0, updated_at: 0, facts: 0, outcome_reason: 0, cloudonix_direction: 0, variant: 0, is_test: 0, first_answer: 0,
} satisfies Record<keyof Omit<CallRecordRow, 'id'>, 0>) as (keyof Omit<CallRecordRow, 'id'>)[];
/** The columns a call's facts are read from (services/routing/stored-facts.ts), with its id and session. */
export const FACTS_COLUMNS = [
  'id', 'session_token', 'status', 'agent_id', 'attempt', 'started_at', 'answered_at', 'ended_at', 'updated_at', 'disposition', 'billsec', 'duration_seconds', 'facts',
] as const satisfies readonly (keyof CallRecordRow)[];
export type FactsRow = Pick<CallRecordRow, (typeof FACTS_COLUMNS)[number]>;

/** Where a page of calls in start order ended: the next page starts after it. */
export interface StartCursor {
  startedAt: number;
  id: number;
}

/** A record with the names of its agent and group (null once they are deleted). */
export type NamedCallRecordRow = CallRecordRow & { agent_name: string | null; group_name: string | null };

/** Filters of the call-record list; times are a half-open range [startedFrom, startedBefore). */
export interface CallRecordFilter {
  agentId?: number | undefined;
  groupId?: number | undefined;
  statuses?: readonly string[] | undefined;
  /** Outcome reasons (core/lifecycle/outcome-reason.ts): e.g. the calls the fallback route took. */
  outcomes?: readonly string[] | undefined;
  direction?: string | undefined;
  fromDigits?: string | undefined;
  toDigits?: string | undefined;
  sessionToken?: string | undefined;
  startedFrom?: number | undefined;
  startedBefore?: number | undefined;
  minDuration?: number | undefined;
  maxDuration?: number | undefined;
  /** true: only the console's test calls; false: only real calls; undefined: both. */
  isTest?: boolean | undefined;
}
export type CallRecordOrder = 'started_at' | '-started_at' | 'duration' | '-duration' | 'status' | '-status';

/**
 * True when the stored number, with the usual separators (+ space - ( ) .) removed,
 * contains `digits`. Numbers are kept as received, so the separators are stripped here.
 */
export function numberContainsDigits(column: Expression<unknown>, digits: string): RawBuilder<SqlBool> {
  let stripped: Expression<unknown> = column;
  for (const ch of ['+', ' ', '-', '(', ')', '.']) stripped = sql`replace(${stripped}, ${ch}, '')`;
  return containsInsensitive(stripped, digits);
}

/**
 * The call-record filters, shared by the list and the export stream so both mean the same.
 * tenant_id first, then the filters: each equality filter has a (tenant_id, column, started_at) index.
 */
export function filterCallRecords(db: Kysely<Database>, tenantId: number, f: CallRecordFilter) {
  let q = db.selectFrom('call_records as r').where('r.tenant_id', '=', tenantId);
  if (f.agentId !== undefined) q = q.where('r.agent_id', '=', f.agentId);
  if (f.groupId !== undefined) q = q.where('r.group_id', '=', f.groupId);
  if (f.statuses && f.statuses.length > 0) q = q.where('r.status', 'in', [...f.statuses]);
  if (f.outcomes && f.outcomes.length > 0) q = q.where('r.outcome_reason', 'in', [...f.outcomes]);
  if (f.direction !== undefined) q = q.where('r.direction', '=', f.direction);
  if (f.sessionToken !== undefined) q = q.where('r.session_token', '=', f.sessionToken);
  if (f.isTest !== undefined) q = q.where('r.is_test', '=', f.isTest ? 1 : 0);
  if (f.startedFrom !== undefined) q = q.where('r.started_at', '>=', f.startedFrom);
  if (f.startedBefore !== undefined) q = q.where('r.started_at', '<', f.startedBefore);
  // A call without a duration (still live, or never connected) matches no duration bound. The
  // bounds are written over an expression on purpose: a plain range here tempts planners into the
  // duration index and a full sort by start time, where walking the time index stops after one page.
  if (f.minDuration !== undefined) q = q.where(sql<number>`coalesce(r.duration_seconds, -1)`, '>=', f.minDuration);
  if (f.maxDuration !== undefined) q = q.where(sql<number>`coalesce(r.duration_seconds, 9007199254740991)`, '<=', f.maxDuration);
  const { fromDigits, toDigits } = f;
  if (fromDigits) q = q.where((eb) => numberContainsDigits(eb.ref('r.from_number'), fromDigits));
  if (toDigits) q = q.where((eb) => numberContainsDigits(eb.ref('r.to_number'), toDigits));
  return q;
}

/** One row per call (per Cloudonix session token), tenant id first everywhere. */
export function createCallRecordStore(store: Store) {
  const { db, dialect } = store;
  const batch = createCallRecordBatch(store, CALL_RECORD_COLUMNS);
  const filtered = (tenantId: number, f: CallRecordFilter) => filterCallRecords(db, tenantId, f);

  function named<Q extends ReturnType<typeof filtered>>(q: Q) {
    return q
      .leftJoin('voice_agents as a', (j) => j.onRef('a.id', '=', 'r.agent_id').onRef('a.tenant_id', '=', 'r.tenant_id'))
      .leftJoin('agent_groups as g', (j) => j.onRef('g.id', '=', 'r.group_id').onRef('g.tenant_id', '=', 'r.tenant_id'))
      .selectAll('r')
      .select(['a.name as agent_name', 'g.name as group_name']);
  }

  return {
    /** The new record's id, or undefined when the tenant already has a record for this session. */
    insertIfAbsent(values: Omit<CallRecordRow, 'id'>, trx = db): Promise<number | undefined> {
      return dialect.insertIdUnlessDuplicate(trx, 'call_records', values);
    },
    /** Many new records at once: see call-record-batch.ts. */
    insertManyIfAbsent: batch.insertManyIfAbsent,
    findBySession(tenantId: number, sessionToken: string, trx = db): Promise<CallRecordRow | undefined> {
      return trx
        .selectFrom('call_records')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('session_token', '=', sessionToken)
        .executeTakeFirst();
    },
    findById(tenantId: number, id: number, trx = db): Promise<CallRecordRow | undefined> {
      return trx.selectFrom('call_records').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    },
    /**
     * The record, locked until the transaction `trx` ends, so two webhooks of one call
     * fold their events one after the other (SQLite: the write transaction already is).
     */
    findForUpdate(tenantId: number, sessionToken: string, trx: Kysely<Database>): Promise<CallRecordRow | undefined> {
      const q = trx.selectFrom('call_records').selectAll().where('tenant_id', '=', tenantId).where('session_token', '=', sessionToken);
      return dialect.forUpdate(q).executeTakeFirst();
    },
    async update(tenantId: number, id: number, values: Updateable<CallRecordsTable>, trx = db): Promise<void> {
      await trx.updateTable('call_records').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },

    /**
     * One page of the tenant's records with agent and group names, and the total
     * matching the filters (counted up to COUNT_CAP).
     */
    async list(tenantId: number, q: CallRecordFilter & { page: number; perPage: number; order: CallRecordOrder }): Promise<{ rows: NamedCallRecordRow[] } & CappedTotal> {
      const dir = q.order.startsWith('-') ? 'desc' : 'asc';
      const offset = (q.page - 1) * q.perPage;
      // Newest first within a duration or status; the id settles equal start times.
      const timeDir = q.order.endsWith('started_at') ? dir : 'desc';
      const byTime = <Q extends ReturnType<typeof named>>(page: Q) => page.orderBy('r.started_at', timeDir).orderBy('r.id', timeDir);
      const counted = cappedCount(db, filtered(tenantId, q));
      if (!q.order.endsWith('duration')) {
        let page = named(filtered(tenantId, q));
        if (q.order.endsWith('status')) page = page.orderBy('r.status', dir);
        const [rows, total] = await Promise.all([byTime(page).limit(q.perPage).offset(offset).execute(), counted]);
        return { rows, ...total };
      }
      // Calls without a duration go last either way (dialects disagree on where NULL sorts). Two
      // queries keep the (tenant_id, duration_seconds) index usable: those with a duration first, then the rest.
      const withDuration = filtered(tenantId, q).where('r.duration_seconds', 'is not', null);
      const [timed, total] = await Promise.all([byTime(named(withDuration).orderBy('r.duration_seconds', dir)).limit(q.perPage).offset(offset).execute(), counted]);
      if (timed.length === q.perPage) return { rows: timed, ...total };
      const timedCount = (await cappedCount(db, withDuration, offset + q.perPage)).total;
      const untimed = await byTime(named(filtered(tenantId, q).where('r.duration_seconds', 'is', null)))
        .limit(q.perPage - timed.length)
        .offset(Math.max(0, offset - timedCount))
        .execute();
      return { rows: [...timed, ...untimed], ...total };
    },

    findNamed(tenantId: number, id: number): Promise<NamedCallRecordRow | undefined> {
      return named(filtered(tenantId, {}).where('r.id', '=', id)).executeTakeFirst();
    },

    /** The tenant's records for these sessions that are still in one of `statuses` (uses the tenant+session unique index). */
    async listNamedBySessions(tenantId: number, sessionTokens: readonly string[], statuses: readonly string[]): Promise<NamedCallRecordRow[]> {
      const out: NamedCallRecordRow[] = [];
      // Chunked so a busy tenant never exceeds a driver's bound-parameter limit.
      for (let i = 0; i < sessionTokens.length; i += 500) {
        const chunk = sessionTokens.slice(i, i + 500);
        out.push(...(await named(filtered(tenantId, { statuses }).where('r.session_token', 'in', chunk)).execute()));
      }
      return out;
    },

    /**
     * Calls in one of `statuses` that started since `since`, newest first, at most `limit`. The query
     * orders by status first so the (tenant_id, status, started_at) index serves it: ordered by start
     * time alone, SQLite walked every call started since `since` (389 ms for an hour at ~120 calls/s),
     * on the event loop, once a minute. Past `limit`, the calls kept are the newest of the later
     * statuses first.
     */
    async listNamedInStatus(tenantId: number, statuses: readonly string[], since: number, f: { agentId?: number | undefined; groupId?: number | undefined }, limit: number): Promise<NamedCallRecordRow[]> {
      const rows = await named(filtered(tenantId, { statuses, startedFrom: since, agentId: f.agentId, groupId: f.groupId }))
        .orderBy('r.status', 'desc')
        .orderBy('r.started_at', 'desc')
        .orderBy('r.id', 'desc')
        .limit(limit)
        .execute();
      return rows.sort((a, b) => Number(b.started_at) - Number(a.started_at) || Number(b.id) - Number(a.id));
    },
    /** How many calls in one of `statuses` started since `since`. */
    async countInStatus(tenantId: number, statuses: readonly string[], since: number, f: { agentId?: number | undefined; groupId?: number | undefined } = {}): Promise<number> {
      const row = await filtered(tenantId, { statuses, startedFrom: since, agentId: f.agentId, groupId: f.groupId }).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    /**
     * One page of the calls in `status` started since `since`, in (started_at, id) order after
     * `after`: only the columns their facts are read from (no trace, no first answer). The sweep reads
     * a tenant's live calls a page at a time, each a synchronous read on SQLite that the webhooks wait
     * behind. The (tenant_id, status, started_at) index serves the seek and the order.
     */
    pageInStatus(tenantId: number, status: string, since: number, after: StartCursor | null, limit: number): Promise<FactsRow[]> {
      let q = db.selectFrom('call_records').select(FACTS_COLUMNS).where('tenant_id', '=', tenantId).where('status', '=', status);
      if (!after) q = q.where('started_at', '>=', since);
      else q = q.where('started_at', '>=', after.startedAt).where((eb) => eb.or([eb('started_at', '>', after.startedAt), eb('id', '>', after.id)]));
      return q.orderBy('started_at').orderBy('id').limit(limit).execute();
    },
    /** Calls in one of `statuses` that started before `before` (the ones whose end never came), oldest first within each status. */
    listInStatusBefore(tenantId: number, statuses: readonly string[], before: number, limit: number): Promise<CallRecordRow[]> {
      // Ordered by status, then start: the (tenant_id, status, started_at) index serves both. Ordered by
      // start alone, SQLite walked every call of the tenant started before `before` (2.5 s at 400,000).
      return db
        .selectFrom('call_records')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('status', 'in', [...statuses])
        .where('started_at', '<', before)
        .orderBy('status')
        .orderBy('started_at')
        .limit(limit)
        .execute();
    },
  };
}
export type CallRecordStore = ReturnType<typeof createCallRecordStore>;
