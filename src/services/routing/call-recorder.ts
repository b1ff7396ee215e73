import type { Kysely } from 'kysely';
import { transition, type CallState } from '../../core/routing/call-state.js';
import { storedNumber, type CallRecordRow } from '../../store/call-records.js';
import type { Store } from '../../store/database.js';
import type { Repositories } from '../../store/index.js';
import type { NewCallEventRow, NewCallRow, RoutedCallRows } from '../../store/routed-calls.js';
import { writeJson } from '../../store/json-column.js';
import type { CallRecordsTable, Database } from '../../store/schema.js';
import type { Updateable } from 'kysely';
import type { Clock } from '../clock.js';
import { createGroupCommit } from '../group-commit.js';

export interface NewCall {
  sessionToken: string;
  direction: string;
  from: string | null;
  to: string | null;
  startedAt?: number | undefined;
}

export interface StateChange {
  to: CallState;
  eventType: string;
  eventId?: string | null | undefined;
  payload?: unknown;
  /** Other columns to set with the change (agent, attempt, trace, times...). */
  fields?: Updateable<CallRecordsTable>;
}

/** A call we have just heard of: status `received`, nothing decided yet. */
function newCallRow(tenantId: number, call: NewCall, now: number): NewCallRow {
  return {
    tenant_id: tenantId,
    session_token: call.sessionToken,
    direction: call.direction,
    from_number: storedNumber(call.from),
    to_number: storedNumber(call.to),
    status: 'received',
    agent_id: null,
    group_id: null,
    rule_id: null,
    attempt: 0,
    decision_trace: null,
    disposition: null,
    started_at: call.startedAt ?? now,
    answered_at: null,
    ended_at: null,
    duration_seconds: null,
    billsec: null,
    created_at: now,
    updated_at: now,
  };
}


/** A committed write of a call record, for listeners such as the real-time feed (they must not throw or block). */
export type CallWrite =
  | { kind: 'created'; tenantId: number; record: CallRecordRow; routed: boolean }
  | { kind: 'changed'; tenantId: number; before: CallRecordRow; after: CallRecordRow; changes: readonly StateChange[] };
export type OnCallWrite = (write: CallWrite) => void;

/** Largest number of new calls written in one transaction (bounds the statement's parameters). */
const MAX_CALLS_PER_COMMIT = 200;

/**
 * Writes a call's life: one record per session, every state change validated by
 * the state machine and kept as a call_events row in the same transaction.
 * `onCallChanged` hears of every write, so roll-ups can follow (see
 * analytics/rollups.ts); `onCallWrite` hears of each committed write (real time).
 */
export function createCallRecorder(
  store: Store,
  repos: Repositories,
  clock: Clock,
  onCallChanged: (tenantId: number, startedAt: number) => void = () => {},
  onCallWrite: OnCallWrite = () => {},
) {
  /** New routed calls (skipping sessions that already have a record) with all their events, in one transaction. */
  async function insertRouted(calls: readonly RoutedCallRows[]): Promise<(CallRecordRow | undefined)[]> {
    const ids = await repos.routedCalls.insert(calls);
    return calls.map((call, i) => {
      const id = ids[i];
      return id === undefined ? undefined : ({ ...call.record, id } as CallRecordRow);
    });
  }
  const routedWrites = createGroupCommit<RoutedCallRows, CallRecordRow | undefined>({
    writeBatch: insertRouted,
    writeOne: async (call) => (await insertRouted([call]))[0],
    maxBatch: MAX_CALLS_PER_COMMIT,
  });

  async function apply(tenantId: number, record: CallRecordRow, change: StateChange, trx: Kysely<Database>): Promise<{ record: CallRecordRow; changed: boolean }> {
    const from = record.status as CallState;
    const result = transition(from, change.to);
    const now = clock();
    // A refused or unchanged state still lets other fields (times, durations) be filled in.
    const nextStatus = result.kind === 'transition' ? result.to : from;
    const fields = { ...change.fields, status: nextStatus, updated_at: now };
    await repos.callRecords.update(tenantId, record.id, fields, trx);
    const inserted = await repos.callEvents.insert(
      tenantId,
      {
        call_record_id: record.id,
        event_id: change.eventId ?? null,
        event_type: result.kind === 'refused' ? `${change.eventType}.ignored` : change.eventType,
        from_status: from,
        to_status: nextStatus,
        payload: change.payload === undefined ? null : writeJson(change.payload),
        occurred_at: now,
      },
      trx,
    );
    if (!inserted) throw new DuplicateEvent();
    return { record: { ...record, ...fields } as CallRecordRow, changed: result.kind === 'transition' };
  }

  return {
    find(tenantId: number, sessionToken: string): Promise<CallRecordRow | undefined> {
      return repos.callRecords.findBySession(tenantId, sessionToken);
    },

    /** The call's record, created (status `received`) if this is the first we hear of the session. */
    async open(tenantId: number, call: NewCall, trx: Kysely<Database> = store.db): Promise<{ record: CallRecordRow; created: boolean }> {
      const now = clock();
      const id = await repos.callRecords.insertIfAbsent(newCallRow(tenantId, call, now), trx);
      const record = await repos.callRecords.findBySession(tenantId, call.sessionToken, trx);
      if (!record) throw new Error('call record vanished after insert');
      onCallChanged(tenantId, Number(record.started_at));
      if (id !== undefined) {
        await repos.callEvents.insert(tenantId, { call_record_id: record.id, event_id: null, event_type: 'call.received', from_status: null, to_status: 'received', payload: null, occurred_at: now }, trx);
        // Committed already with the default connection (no caller passes a transaction).
        onCallWrite({ kind: 'created', tenantId, record, routed: false });
      }
      return { record, created: id !== undefined };
    },

    /**
     * The hot path's write: a new call already routed, as one row and its whole
     * timeline, committed together with the other calls routed in the same
     * moment (group commit). Resolves once committed. Returns undefined when the
     * session already has a record (a session update came first); the caller
     * then uses `open` and `change`.
     */
    async createRouted(tenantId: number, call: NewCall, changes: readonly StateChange[]): Promise<CallRecordRow | undefined> {
      const now = clock();
      let status: CallState = 'received';
      let fields: Updateable<CallRecordsTable> = {};
      const events: NewCallEventRow[] = [{ event_id: null, event_type: 'call.received', from_status: null, to_status: 'received', payload: null, occurred_at: now }];
      for (const c of changes) {
        const result = transition(status, c.to);
        const next: CallState = result.kind === 'transition' ? result.to : status;
        events.push({ event_id: c.eventId ?? null, event_type: result.kind === 'refused' ? `${c.eventType}.ignored` : c.eventType, from_status: status, to_status: next, payload: c.payload === undefined ? null : writeJson(c.payload), occurred_at: now });
        fields = { ...fields, ...c.fields };
        status = next;
      }
      const record: NewCallRow = { ...newCallRow(tenantId, call, now), status, ...(fields as Partial<CallRecordRow>) };
      const created = await routedWrites.write({ record, events });
      if (created) {
        onCallChanged(tenantId, Number(created.started_at));
        onCallWrite({ kind: 'created', tenantId, record: created, routed: true });
      }
      return created;
    },

    /** Applies state changes in order, in one transaction. Throws DuplicateEvent when an eventId was seen before. */
    async change(tenantId: number, record: CallRecordRow, changes: readonly StateChange[]): Promise<CallRecordRow> {
      let before = record;
      const after = await store.db.transaction().execute(async (trx) => {
        let current = (await repos.callRecords.findById(tenantId, record.id, trx)) ?? record;
        before = current;
        for (const c of changes) current = (await apply(tenantId, current, c, trx)).record;
        return current;
      });
      onCallChanged(tenantId, Number(after.started_at));
      onCallWrite({ kind: 'changed', tenantId, before, after, changes });
      return after;
    },
  };
}
export type CallRecorder = ReturnType<typeof createCallRecorder>;

/** A Cloudonix event delivered twice: nothing to do the second time. */
export class DuplicateEvent extends Error {
  constructor() {
    super('duplicate event');
    this.name = 'DuplicateEvent';
  }
}
