import { ROLLUP_COUNTERS, type RollupEntry } from '../core/stats/rollup-contribution.js';
import type { CallEventRow } from './call-events.js';
import type { CallRollupStore } from './call-rollups.js';
import { bulkInsert, oneRowInsertSql } from './bulk-statements.js';
import { CALL_RECORD_COLUMNS, type CallRecordRow, type CallRecordStore } from './call-records.js';
import type { Store } from './database.js';
import { createPostgresRoutedCallWrite } from './routed-calls-postgres.js';

export type NewCallRow = Omit<CallRecordRow, 'id'>;
export type NewCallEventRow = Omit<CallEventRow, 'id' | 'tenant_id' | 'call_record_id'>;

/** A new call already routed: its record and its whole timeline so far. */
export interface RoutedCallRows {
  record: NewCallRow;
  events: readonly NewCallEventRow[];
  /** What the call adds to its day's roll-up, written with it (only if its record is). */
  rollup?: readonly RollupEntry[];
}

/** The layout of `oneRowAdd.parameters`: the row's key (tenant, day, agent, group), its counters, then the time. */
const ROLLUP_PARAMETERS_MERGE = { keyLength: 4, sumLength: ROLLUP_COUNTERS.length };

// Every column, once: the compiler checks the list against the table.
const EVENT_COLUMNS = Object.keys({
  tenant_id: 0, call_record_id: 0, event_id: 0, event_type: 0, from_status: 0, to_status: 0, payload: 0, occurred_at: 0,
} satisfies Record<keyof Omit<CallEventRow, 'id'>, 0>) as (keyof Omit<CallEventRow, 'id'>)[];

/**
 * New routed calls, written many at a time (group commit): each call's record
 * unless its session already has one, and then its events, in one transaction.
 * A SQLite file hands the batch to its writer thread; other databases write it
 * here in a few statements whatever the batch size (a network database would
 * otherwise pay a round trip per call).
 */
export function createRoutedCallStore(store: Store, callRecords: CallRecordStore, callRollups: CallRollupStore) {
  const { db, writer } = store;
  // Built by Kysely once; the writer thread runs the text with each row's values in column order.
  const recordSql = oneRowInsertSql(db, 'call_records', CALL_RECORD_COLUMNS, true);
  const eventSql = oneRowInsertSql(db, 'call_events', EVENT_COLUMNS);
  const callRecordIdAt = EVENT_COLUMNS.indexOf('call_record_id');
  // The JSON and CXML texts of a record cross to the writer beside the batch's JSON, not escaped in it.
  const recordTextsAt = (['decision_trace', 'facts', 'first_answer'] as const).map((c) => CALL_RECORD_COLUMNS.indexOf(c));
  const insertEvents = bulkInsert(db, 'call_events', EVENT_COLUMNS);

  // PostgreSQL: records and roll-ups in one statement (calls with timeline rows take the transaction below).
  const postgresWrite = store.dialect.name === 'postgres' ? createPostgresRoutedCallWrite(db) : null;

  async function inProcess(calls: readonly RoutedCallRows[]): Promise<(number | undefined)[]> {
    if (postgresWrite && calls.every((c) => c.events.length === 0)) return postgresWrite(calls);
    return db.transaction().execute(async (trx) => {
      // A batch in a few statements; a single call (also the retry of a failed batch) duplicate-safe on its own.
      const ids = calls.length === 1 ? [await callRecords.insertIfAbsent(calls[0]!.record, trx)] : await callRecords.insertManyIfAbsent(calls.map((c) => c.record), trx);
      const events = calls.flatMap((call, i) => {
        const id = ids[i];
        return id === undefined ? [] : call.events.map((e) => Object.assign({}, e, { tenant_id: call.record.tenant_id, call_record_id: id }));
      });
      await insertEvents(events, trx);
      await callRollups.addEntries(
        calls.flatMap((call, i) => (ids[i] === undefined ? [] : (call.rollup ?? []))),
        calls[0]!.record.updated_at,
        trx,
      );
      return ids;
    });
  }

  return {
    /** Each call's new record id, or undefined when its session already had a record. */
    async insert(calls: readonly RoutedCallRows[]): Promise<(number | undefined)[]> {
      if (calls.length === 0) return [];
      if (!writer) return inProcess(calls);
      const ids = await writer.insertFamilies({
        parentSql: recordSql,
        parents: calls.map((c) => CALL_RECORD_COLUMNS.map((col) => c.record[col])),
        childSql: eventSql,
        children: calls.map((c) => c.events.map((e) => EVENT_COLUMNS.map((col) => (col === 'tenant_id' ? c.record.tenant_id : col === 'call_record_id' ? null : e[col])))),
        parentIdAt: callRecordIdAt,
        parentTextsAt: recordTextsAt,
        extraSql: callRollups.oneRowAdd.sql,
        extras: calls.map((c) => (c.rollup ?? []).map((e) => callRollups.oneRowAdd.parameters(e, c.record.updated_at))),
        // A batch's calls mostly add to the same few rows (a day's agents): each row upserted once.
        extrasMerge: ROLLUP_PARAMETERS_MERGE,
      });
      return ids.map((id) => id ?? undefined);
    },
  };
}
export type RoutedCallStore = ReturnType<typeof createRoutedCallStore>;
